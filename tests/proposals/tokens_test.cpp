// Bearer tokens: the file, the environment variable, and what a request's header gets.

#include "catalog/config.hpp"
#include "core/error.hpp"
#include "proposals/tokens.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using proposals::token_list;
using ::testing::HasSubstr;

namespace {

http::request with_authorization(const std::string& value) {
    http::request r;
    r.method = "POST";
    if (!value.empty()) r.headers["authorization"] = value;
    return r;
}

std::string config_error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(tokens, the_file_has_token_name_lines_and_comments) {
    const auto tokens = token_list::parse_file_text(
        "# a comment\n\n  0123456789abcdef0123  Planner One   # trailing comment\n\tabcdefabcdefabcdef\tPlanner Two\n", "t.txt");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens.authorize(with_authorization("Bearer 0123456789abcdef0123")), "Planner One");
    EXPECT_EQ(tokens.authorize(with_authorization("bearer   abcdefabcdefabcdef")), "Planner Two") << "the scheme is case-insensitive";
}

TEST(tokens, a_bad_line_is_named_by_file_and_line) {
    EXPECT_THAT(config_error_of([] { token_list::parse_file_text("# x\nshort name\n", "t.txt"); }), HasSubstr("t.txt: line 2: a token must be at least 16"));
    EXPECT_THAT(config_error_of([] { token_list::parse_file_text("0123456789abcdef0123\n", "t.txt"); }), HasSubstr("t.txt: line 1: the token has no name"));
    EXPECT_THAT(config_error_of([] { token_list::parse_file_text("0123456789abcdef0123 a\n0123456789abcdef0123 b\n", "t.txt"); }),
                HasSubstr("t.txt: line 2: the same token appears twice"));
}

TEST(tokens, the_environment_variable_holds_token_colon_name_pairs) {
    const auto tokens = token_list::parse_env("0123456789abcdef0123:Planner One, abcdefabcdefabcdef:Two,");
    ASSERT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens.authorize(with_authorization("Bearer abcdefabcdefabcdef")), "Two");
    EXPECT_THAT(config_error_of([] { token_list::parse_env("0123456789abcdef0123"); }), HasSubstr("KVARTER_TOKENS: entry 1: expected token:name"));
    EXPECT_THAT(config_error_of([] { token_list::parse_env("x:y,abc:def"); }), HasSubstr("KVARTER_TOKENS: entry 1"));
}

TEST(tokens, load_joins_the_file_and_the_environment) {
    const auto dir = test::temp_dir("tokens");
    test::write_file(dir / "tokens.txt", "0123456789abcdef0123 from-file\n");
    const auto both = token_list::load(dir / "tokens.txt", "abcdefabcdefabcdef:from-env");
    EXPECT_EQ(both.size(), 2u);
    EXPECT_EQ(token_list::load({}, nullptr).size(), 0u);
    EXPECT_THAT(config_error_of([&] { token_list::load(dir / "missing.txt", nullptr); }), HasSubstr("missing.txt: (file): cannot be read"));
    // The example shipped for development loads.
    EXPECT_EQ(token_list::load(test::source_dir() / "geodata" / "tokens.example", nullptr).size(), 1u);
}

TEST(tokens, no_header_is_401_and_a_wrong_token_403) {
    const auto tokens = token_list::parse_env("0123456789abcdef0123:someone");
    EXPECT_THROW(tokens.authorize(with_authorization("")), unauthorized);
    EXPECT_THROW(tokens.authorize(with_authorization("Basic dXNlcjpwYXNz")), unauthorized);
    EXPECT_THROW(tokens.authorize(with_authorization("Bearer")), unauthorized);
    EXPECT_THROW(tokens.authorize(with_authorization("Bearer 0123456789abcdef012")), forbidden) << "a prefix";
    EXPECT_THROW(tokens.authorize(with_authorization("Bearer 0123456789abcdef01234")), forbidden) << "longer";
    EXPECT_THROW(tokens.authorize(with_authorization("Bearer 0123456789abcdef0124")), forbidden);
    EXPECT_THROW(token_list{}.authorize(with_authorization("Bearer 0123456789abcdef0123")), forbidden) << "no tokens: no writes";
}

TEST(tokens, constant_time_equal_compares_whole_texts) {
    EXPECT_TRUE(proposals::constant_time_equal("abc", "abc"));
    EXPECT_TRUE(proposals::constant_time_equal("", ""));
    EXPECT_FALSE(proposals::constant_time_equal("abc", "abd"));
    EXPECT_FALSE(proposals::constant_time_equal("abc", "ab"));
    EXPECT_FALSE(proposals::constant_time_equal("", "a"));
}

TEST(proposals_config, store_tokens_file_and_max_vertices_are_read_strictly) {
    const auto dir = test::temp_dir("proposals-config");
    test::write_file(dir / "tokens.txt", "0123456789abcdef0123 a\n");
    test::write_file(dir / "d.geojson", R"({"type":"FeatureCollection","features":[]})");
    const std::string layers = R"("layers":[{"id":"d","source":"d.geojson"}])";
    const auto cfg = catalog::parse_config(
        "{" + layers + R"(,"proposals":{"store":"data/p.gpkg","tokens_file":"tokens.txt","max_vertices":50}})", dir / "k.json");
    EXPECT_EQ(cfg.proposals.store, (dir / "data" / "p.gpkg").lexically_normal().string()) << "relative to the config file";
    EXPECT_EQ(cfg.proposals.tokens_file, (dir / "tokens.txt").lexically_normal());
    EXPECT_EQ(cfg.proposals.max_vertices, 50u);

    const auto pg = catalog::parse_config("{" + layers + R"(,"proposals":{"store":"PG:dbname=x host=db"}})", dir / "k.json");
    EXPECT_EQ(pg.proposals.store, "PG:dbname=x host=db");
    const auto none = catalog::parse_config("{" + layers + "}", dir / "k.json");
    EXPECT_TRUE(none.proposals.store.empty()) << "the default store";

    const std::string file = (dir / "k.json").string();
    EXPECT_THAT(config_error_of([&] { catalog::parse_config("{" + layers + R"(,"proposals":{"stroe":"p.gpkg"}})", file); }),
                HasSubstr(file + ": proposals.stroe: unknown key"));
    EXPECT_THAT(config_error_of([&] { catalog::parse_config("{" + layers + R"(,"proposals":{"tokens_file":"nope.txt"}})", file); }),
                HasSubstr(file + ": proposals.tokens_file: no file"));
    EXPECT_THAT(config_error_of([&] { catalog::parse_config("{" + layers + R"(,"proposals":{"max_vertices":0}})", file); }),
                HasSubstr(file + ": proposals.max_vertices: expected a positive integer"));
    EXPECT_THAT(config_error_of([&] { catalog::parse_config(R"({"layers":[{"id":"proposals","source":"d.geojson"}]})", file); }),
                HasSubstr(file + ": layers[0].id: \"proposals\" is the id of the planners' proposals collection"));
}

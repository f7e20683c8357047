#include "core/error.hpp"
#include "http/message.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace kvarter::http {
namespace {

using pairs = std::vector<std::pair<std::string, std::string>>;

request parsed(const std::string& target) {
    request req;
    req.target = target;
    parse_target(req);
    return req;
}

TEST(query_string, splits_path_and_parameters_in_order) {
    const auto req = parsed("/collections/a/items?limit=5&bbox=1,2,3,4&limit=6");
    EXPECT_EQ(req.path, "/collections/a/items");
    EXPECT_EQ(req.query, (pairs{{"limit", "5"}, {"bbox", "1,2,3,4"}, {"limit", "6"}}));
    ASSERT_NE(req.param("limit"), nullptr);
    EXPECT_EQ(*req.param("limit"), "5") << "param() is the first of a repeated name";
    EXPECT_EQ(req.param("offset"), nullptr);
}

TEST(query_string, decodes_percent_escapes_and_plus_in_the_query_only) {
    const auto req = parsed("/a%20b+c?name=R%C3%B8de+Rose&x%3Dy=1%2B1");
    EXPECT_EQ(req.path, "/a b+c");
    EXPECT_EQ(req.query, (pairs{{"name", "Røde Rose"}, {"x=y", "1+1"}}));
}

TEST(query_string, empty_pairs_and_values) {
    EXPECT_TRUE(parsed("/x").query.empty());
    EXPECT_TRUE(parsed("/x?").query.empty());
    EXPECT_EQ(parsed("/x?&&a&b=&=c").query, (pairs{{"a", ""}, {"b", ""}, {"", "c"}}));
    EXPECT_EQ(parsed("/x?a=1=2").query, (pairs{{"a", "1=2"}}));
}

TEST(query_string, a_malformed_escape_is_a_bad_request) {
    for (const char* bad : {"/x?a=%", "/x?a=%2", "/x?a=%zz", "/x%g0", "/x?%4"}) {
        try {
            parsed(bad);
            FAIL() << bad << " accepted";
        } catch (const bad_request& e) {
            EXPECT_FALSE(e.parameter().empty()) << bad;
        }
    }
}

TEST(query_string, raw_non_ascii_and_bad_utf8_are_bad_requests_naming_where) {
    // Found by fuzzing: raw bytes in a filter reached the answer's JSON and made it a 500.
    const auto parameter_of = [](const std::string& target) {
        try {
            parsed(target);
        } catch (const bad_request& e) {
            return e.parameter();
        }
        return std::string{"(accepted)"};
    };
    EXPECT_EQ(parameter_of("/x?filter=navn%20LIKE%20'\x01\x94'"), "target");
    EXPECT_EQ(parameter_of("/x?q=a b"), "target") << "a raw space";
    EXPECT_EQ(parameter_of("/x?filter=%94"), "filter") << "a lone continuation byte";
    EXPECT_EQ(parameter_of("/x?name=%C3"), "name") << "a cut sequence";
    EXPECT_EQ(parameter_of("/x?name=%C0%AF"), "name") << "an overlong '/'";
    EXPECT_EQ(parameter_of("/x?name=%ED%A0%80"), "name") << "a surrogate";
    EXPECT_EQ(parameter_of("/%FF"), "path");
    EXPECT_EQ(parameter_of("/x?%FF=1"), "query");
    EXPECT_EQ(parameter_of("/x?name=\xFF"), "target") << "raw bad UTF-8";
    EXPECT_EQ(parameter_of("/x?name=N%C3%B8rrebro&e=%F0%9F%98%80"), "(accepted)");
    EXPECT_EQ(parsed("/x?deprived_area=N\xC3\xB8rrebro").query, (pairs{{"deprived_area", "Nørrebro"}}))
        << "raw UTF-8, as curl sends what was typed";
}

TEST(query_string, parsing_again_replaces_the_old_query) {
    request req = parsed("/x?a=1");
    req.target = "/y?b=2";
    parse_target(req);
    EXPECT_EQ(req.path, "/y");
    EXPECT_EQ(req.query, (pairs{{"b", "2"}}));
}

TEST(query_string, percent_encode_round_trips_through_the_parser) {
    const std::string value = "a b&c=d/é,1~2";
    EXPECT_EQ(percent_encode("a b&c"), "a%20b%26c");
    const auto req = parsed("/x?v=" + percent_encode(value));
    EXPECT_EQ(req.query, (pairs{{"v", value}}));
}

} // namespace
} // namespace kvarter::http

// Errors of the CQL2 parser: a 400 naming `filter`, with the character offset and what was
// expected there; never a crash or another exception, whatever the input.

#include "core/error.hpp"
#include "filter/cql2.hpp"
#include "support/refusal.hpp"

#include <gtest/gtest.h>

using namespace kvarter;

namespace {

std::string message_of(const std::string& f, filter::language lang = filter::language::text) {
    return test::refusal_of([&] { filter::parse(f, lang); }, "filter");
}

} // namespace

TEST(cql2_parse, a_syntax_error_gives_the_position_and_what_was_expected) {
    EXPECT_EQ(message_of("navn = 'x' AND"), "filter: at character 14: expected a property, a literal or (, found the end of the filter");
    EXPECT_NE(message_of("residents > > 5").find("at character 12: expected a property, a literal or ("), std::string::npos);
    EXPECT_NE(message_of("(a = 1").find("at character 6: expected ) to close the ( at character 0"), std::string::npos);
    EXPECT_NE(message_of("a = 1 b = 2").find("at character 6: expected AND, OR or the end of the filter, found \"b = 2\""),
              std::string::npos);
    EXPECT_NE(message_of("navn = 'open").find("at character 7: expected a closing ' for the string"), std::string::npos);
    EXPECT_NE(message_of("a BETWEEN 1 OR 2").find("at character 12: expected AND between the bounds of BETWEEN"), std::string::npos);
    EXPECT_NE(message_of("a IS 5").find("at character 5: expected NULL or NOT NULL after IS"), std::string::npos);
    EXPECT_NE(message_of("S_INTERSECTS(geometry, POINT(12))").find("at character 23: expected a WKT geometry"), std::string::npos);
    EXPECT_NE(message_of("S_INTERSECTS(geometry, BBOX(1,2,3))").find("BBOX with 4 numbers"), std::string::npos);
    EXPECT_NE(message_of("a = 1e999").find("expected a finite number"), std::string::npos);
    EXPECT_NE(message_of("   ").find("expected a filter"), std::string::npos);
}

TEST(cql2_parse, json_errors_name_the_member) {
    EXPECT_NE(message_of("{\"op\":\"=\",\"args\":[1]}", filter::language::json).find("at /args: expected 2 arguments for \"=\", got 1"),
              std::string::npos);
    EXPECT_NE(message_of("{\"op\":\"and\",\"args\":[{\"property\":5},true]}", filter::language::json).find("at /args/0"),
              std::string::npos);
    EXPECT_NE(message_of("{\"op\":\"in\",\"args\":[{\"property\":\"a\"},3]}", filter::language::json).find("at /args/1: expected an array"),
              std::string::npos);
    EXPECT_NE(message_of("{\"op\":", filter::language::json).find("expected valid JSON"), std::string::npos);
    EXPECT_NE(message_of("null", filter::language::json).find("at the top: expected an expression"), std::string::npos);
}

TEST(cql2_parse, keywords_are_case_insensitive_and_quoted_names_may_be_keywords) {
    EXPECT_EQ(filter::to_string(filter::parse("a between 1 and 2 or not b is null", filter::language::text)),
              "or(between({a} 1 2) not(isNull({b})))");
    EXPECT_EQ(filter::to_string(filter::parse("\"or\" = 1", filter::language::text)), "=({or} 1)");
    EXPECT_NE(message_of("or = 1").find("OR is a keyword"), std::string::npos);
    EXPECT_EQ(filter::to_string(filter::parse("a = 5. OR a = .5 OR a = 2e3", filter::language::text)),
              "or(=({a} 5) =({a} 0.5) =({a} 2000))");
}

TEST(cql2_parse, deep_nesting_is_refused_not_a_stack_overflow) {
    const std::string deep = std::string(100000, '(') + "a = 1" + std::string(100000, ')');
    EXPECT_NE(message_of(deep).find("levels of nesting"), std::string::npos);
    const std::string nots = [] { std::string s; for (int i = 0; i < 100000; ++i) s += "NOT "; return s + "a = 1"; }();
    EXPECT_NE(message_of(nots).find("levels of nesting"), std::string::npos);
    std::string json = "true";
    for (int i = 0; i < 10000; ++i) json = "{\"op\":\"not\",\"args\":[" + json + "]}";
    EXPECT_NE(message_of(json, filter::language::json).find("levels of nesting"), std::string::npos);
}

TEST(cql2_parse, arbitrary_bytes_give_only_bad_request) {
    // Every prefix of a few filters and some noise: the parser throws bad_request or returns.
    const std::vector<std::string> seeds{
        "S_WITHIN(geometry, POLYGON((12 55, 13 55, 13 56, 12 55))) AND (navn LIKE 'N%' OR residents*2 >= 10)",
        "{\"op\":\"and\",\"args\":[{\"op\":\"s_intersects\",\"args\":[{\"property\":\"geometry\"},{\"bbox\":[1,2,3,4]}]}]}",
        std::string{"a = '\xff\xfe\0x'", 10}, "POINT(", "BBOX(-", "\"unterminated", "a IN (", "-(-(-", "1 /"};
    for (const auto& seed : seeds)
        for (std::size_t n = 0; n <= seed.size(); ++n)
            for (const auto lang : {filter::language::text, filter::language::json}) {
                try {
                    filter::parse(seed.substr(0, n), lang);
                } catch (const bad_request&) {
                } catch (const std::exception& e) {
                    ADD_FAILURE() << "not a bad_request: " << e.what() << " for " << seed.substr(0, n);
                }
            }
}

TEST(cql2_parse, filter_lang_names_its_parameter) {
    EXPECT_EQ(filter::parse_language("cql2-text"), filter::language::text);
    EXPECT_EQ(filter::parse_language("cql2-json"), filter::language::json);
    EXPECT_NE(test::refusal_of([] { filter::parse_language("ecql"); }, "filter-lang"), "(accepted)");
}

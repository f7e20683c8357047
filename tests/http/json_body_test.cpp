// Bodies the JSON library refuses are the client's error: a 400 problem naming the body, in our
// words, never a 500 or the library's internal message.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

test::running_server& server() {
    static test::running_server s{test::sample_config()};
    return s;
}

test::reply post(const std::string& target, const std::string& body) {
    return test::fetch(server().port(), target,
                       {{"Content-Type", "application/json"}, {"Authorization", std::string{"Bearer "} + test::test_token}},
                       "POST", body);
}

void expect_body_problem(const test::reply& r, const std::string& says) {
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    const auto j = r.json();
    EXPECT_EQ(j["parameter"], "body") << r.body;
    EXPECT_THAT(j["detail"].get<std::string>(), HasSubstr(says));
    EXPECT_THAT(r.body, Not(HasSubstr("[json.exception")));
}

} // namespace

TEST(json_body, a_number_too_large_for_a_double_is_a_400) {
    const std::string polygon = R"({"type":"Polygon","coordinates":[[[1e999,55.7],[12.6,55.7],[12.6,55.71],[1e999,55.7]]]})";
    expect_body_problem(post("/analysis/overlay", polygon), "a number too large");
    expect_body_problem(post("/proposals", R"({"type":"Feature","properties":{"name":"x"},"geometry":)" + polygon + "}"),
                        "a number too large");
}

TEST(json_body, bad_syntax_says_where_it_broke) {
    expect_body_problem(post("/analysis/overlay", R"({"type":"Polygon",)"), "not valid JSON (near byte");
    expect_body_problem(post("/proposals", "not json"), "not valid JSON");
    expect_body_problem(post("/analysis/overlay", ""), "it is empty");
}

TEST(json_body, a_type_that_is_no_string_is_a_400_not_a_500) {
    const auto r = post("/analysis/overlay", R"({"type":5,"coordinates":[]})");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
}

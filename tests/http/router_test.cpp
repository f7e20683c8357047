// The route table without sockets: matching, placeholders, problems.

#include "core/error.hpp"
#include "http/router.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::http;

namespace {

request get(const std::string& target, const std::string& method = "GET") {
    request r;
    r.method = method;
    r.target = target;
    parse_target(r);
    return r;
}

router sample_router() {
    return router{{
        {"GET", "/tiles/{set}/{z}/{x}/{y}.mvt", "tile",
         [](const request&, const route_params& p) {
             response r;
             r.body = p.at("set") + "|" + p.at("z") + "|" + p.at("x") + "|" + p.at("y");
             return r;
         }},
        {"GET", "/boom", "throws", [](const request&, const route_params&) -> response { throw std::runtime_error{"secret"}; }},
        {"GET", "/bad", "bad", [](const request&, const route_params&) -> response { throw bad_request{"q", "q is wrong"}; }},
    }};
}

} // namespace

TEST(router, placeholders_with_suffixes_match_whole_segments) {
    const auto r = sample_router();
    EXPECT_EQ(r.handle(get("/tiles/default/3/4/5.mvt")).body, "default|3|4|5");
    EXPECT_EQ(r.handle(get("/tiles/default/3/4/5.png")).status, 404u);
    EXPECT_EQ(r.handle(get("/tiles/default/3/4/.mvt")).status, 404u);
    EXPECT_EQ(r.handle(get("/tiles/default/3/4")).status, 404u);
}

TEST(router, errors_become_problems_and_internal_details_stay_in_the_log) {
    const auto r = sample_router();
    const auto boom = r.handle(get("/boom"));
    EXPECT_EQ(boom.status, 500u);
    EXPECT_EQ(boom.content_type, "application/problem+json");
    EXPECT_EQ(boom.body.find("secret"), std::string::npos);
    const auto bad = r.handle(get("/bad"));
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(nlohmann::json::parse(bad.body)["parameter"], "q");
}

TEST(router, percent_escapes_decode_and_plus_is_a_space_in_queries) {
    const auto req = get("/a%20b?navn=N%C3%B8rrebro+Nord&x");
    EXPECT_EQ(req.path, "/a b");
    EXPECT_EQ(*req.param("navn"), "Nørrebro Nord");
    EXPECT_EQ(*req.param("x"), "");
    EXPECT_EQ(req.param("y"), nullptr);
}

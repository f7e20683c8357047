// The route table without sockets: matching, placeholders, problems.

#include "core/error.hpp"
#include "http/metrics.hpp"
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

TEST(metrics, invented_methods_share_one_series) {
    metrics m;
    for (int i = 0; i < 1000; ++i) m.record("M" + std::to_string(i), "(none)", 405, 0.001);
    m.record("GET", "/health", 200, 0.001);
    const std::string text = m.prometheus_text();
    EXPECT_NE(text.find("method=\"other\",route=\"(none)\",status=\"405\"} 1000"), std::string::npos) << text;
    EXPECT_NE(text.find("method=\"GET\",route=\"/health\""), std::string::npos);
    EXPECT_EQ(text.find("M999"), std::string::npos);
    EXPECT_LT(text.size(), 2000u);
}

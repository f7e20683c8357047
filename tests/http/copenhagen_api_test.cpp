// The real city over HTTP: what a client learns about each figure (published or synthetic, and
// from where), about derived layers, and which analyses the server offers.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

test::running_server& server() {
    static test::running_server s{test::copenhagen_config()};
    return s;
}

nlohmann::json get(const std::string& target) {
    const auto r = test::fetch(server().port(), target);
    if (r.status != 200) throw std::runtime_error{target + " answered " + std::to_string(r.status) + ": " + r.body};
    return r.json();
}

const nlohmann::json& indicator(const nlohmann::json& collection, const std::string& id) {
    for (const auto& i : collection["kvarter:indicators"])
        if (i["id"] == id) return i;
    throw std::runtime_error{"no indicator " + id};
}

} // namespace

TEST(copenhagen_api, collections_say_per_indicator_whether_it_is_published_and_from_where) {
    const auto districts = get("/collections/districts");
    EXPECT_EQ(indicator(districts, "average_income_dkk")["provenance"], "published");
    EXPECT_THAT(indicator(districts, "average_income_dkk")["source"].get<std::string>(), HasSubstr("statistikbanken"));
    EXPECT_EQ(indicator(districts, "safety_index")["provenance"], "synthetic");
    EXPECT_EQ(indicator(districts, "soek_index")["provenance"], "synthetic");
    const auto q = get("/collections/districts/queryables");
    EXPECT_EQ(q["properties"]["non_western_share_pct"]["x-kvarter-provenance"], "published");
    EXPECT_THAT(q["properties"]["voter_turnout"]["description"].get<std::string>(), HasSubstr("synthetic"));
}

TEST(copenhagen_api, derived_layers_say_how_they_were_made) {
    const auto zones = get("/collections/renewal-zones");
    EXPECT_EQ(zones["kvarter:derived"]["method"], "renewal_programmes");
    EXPECT_EQ(zones["kvarter:derived"]["from"], nlohmann::json::parse(R"(["building-renewals"])"));
    EXPECT_THAT(zones["kvarter:derived"]["rule"].get<std::string>(), HasSubstr("first tag year"));
    const auto teams = get("/collections/green-teams");
    EXPECT_THAT(teams["kvarter:derived"]["rule"].get<std::string>(), HasSubstr("from 2012"));
    EXPECT_FALSE(get("/collections/districts").contains("kvarter:derived"));
    EXPECT_EQ(get("/collections/districts")["kvarter:name_field"], "navn");
    EXPECT_EQ(zones["kvarter:name_field"], "name");
    const auto items = get("/collections/renewal-zones/items?limit=100");
    bool assumed_marked = false;
    for (const auto& f : items["features"]) assumed_marked |= f["properties"]["end_year_assumed"] == true;
    EXPECT_TRUE(assumed_marked);
}

TEST(copenhagen_api, tilejson_carries_the_provenance_of_the_indicators_in_the_tiles) {
    const auto tj = get("/tiles/default/tilejson.json");
    bool found = false;
    for (const auto& l : tj["vector_layers"]) {
        if (l["id"] != "housing-departments") continue;
        found = true;
        EXPECT_EQ(l["kvarter:provenance"]["outside_labour_force_share"]["provenance"], "synthetic");
    }
    EXPECT_TRUE(found);
    EXPECT_THAT(tj["attribution"].get<std::string>(), HasSubstr("Københavns Kommune"));
    EXPECT_THAT(tj["attribution"].get<std::string>(), HasSubstr("Ministeriet"));
}

TEST(copenhagen_api, analysis_lists_what_the_server_offers_and_answers_say_what_is_synthetic) {
    const auto a = get("/analysis");
    std::vector<std::string> ids;
    for (const auto& x : a["analyses"]) ids.push_back(x["id"]);
    EXPECT_EQ(ids, (std::vector<std::string>{"index", "screening", "housing-areas", "forty-plus"}));
    ASSERT_EQ(a["rule_sets"].size(), 3u);
    EXPECT_EQ(a["rule_sets"][0]["name"], "2010");

    const auto index = get("/analysis/index?layer=districts&year=2012");
    EXPECT_EQ(index["provenance"]["published"], nlohmann::json::parse(R"(["average_income_dkk"])"));
    EXPECT_THAT(index["provenance"]["note"].get<std::string>(), HasSubstr("mixes published and synthetic"));
    const auto forty = get("/analysis/forty-plus?year=2013");
    EXPECT_THAT(forty["provenance"]["note"].get<std::string>(), HasSubstr("synthetic"));
    const auto lists = get("/analysis/housing-areas?year=2016");
    EXPECT_EQ(lists["values_from"], "areas");
    EXPECT_EQ(lists["agreement"]["differ"].size(), 0u);
}

TEST(copenhagen_api, a_server_without_analyses_offers_none) {
    const auto dir = test::temp_dir("no-analyses");
    test::write_file(dir / "kvarter.json", R"({"layers":[{"id":"districts","source":")" +
                                               test::copenhagen_layer("districts.fgb").string() + R"(","role":"district"}]})");
    test::running_server bare{dir / "kvarter.json"};
    const auto r = test::fetch(bare.port(), "/analysis");
    ASSERT_EQ(r.status, 200u);
    EXPECT_TRUE(r.json()["analyses"].empty());
}

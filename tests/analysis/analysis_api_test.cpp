// The analyses through a real server on the bundled sample, and the index in features and tiles.

#include "catalog/socio_index.hpp"
#include "http/test_client.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

class analysis_api : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server = new test::running_server{test::sample_config()}; }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    static test::reply get(const std::string& target) { return test::fetch(server->port(), target); }
    static nlohmann::json get_json(const std::string& target) {
        const auto r = get(target);
        EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
        EXPECT_EQ(r.header("content-type"), "application/json") << target;
        return r.json();
    }
    static void expect_problem(const std::string& target, unsigned status, const std::string& parameter) {
        const auto r = get(target);
        EXPECT_EQ(r.status, status) << target << ": " << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json") << target;
        if (!parameter.empty()) { EXPECT_EQ(r.json().value("parameter", ""), parameter) << target << ": " << r.body; }
    }
    static test::running_server* server;
};

test::running_server* analysis_api::server = nullptr;

std::set<std::string> listed_ids(const nlohmann::json& answer) {
    std::set<std::string> out;
    for (const auto& a : answer["areas"])
        if (a["listed"].get<bool>()) out.insert(a["id"].get<std::string>());
    return out;
}

} // namespace

TEST_F(analysis_api, index_ranks_every_district_and_matches_the_features_property) {
    const auto answer = get_json("/analysis/index?layer=districts&year=2013");
    EXPECT_EQ(answer["layer"], "districts");
    EXPECT_EQ(answer["year"], 2013);
    EXPECT_EQ(answer["weights_from"], "config");
    EXPECT_EQ(answer["weights"].size(), 6u);
    EXPECT_FALSE(answer["weights"].contains("non_western_share"));
    ASSERT_EQ(answer["features"].size(), 10u);
    EXPECT_EQ(answer["ranked"], 10);
    std::map<int, int> per_quintile;
    double previous = 1e9;
    for (std::size_t i = 0; i < 10; ++i) {
        const auto& f = answer["features"][i];
        EXPECT_EQ(f["rank"], i + 1);
        EXPECT_LE(f["index"].get<double>(), previous);
        previous = f["index"].get<double>();
        ++per_quintile[f["quintile"].get<int>()];
        // The index is the mean of the six signed z-scores.
        double sum = 0;
        for (const auto& [id, c] : f["components"].items()) sum += c["z"].get<double>();
        EXPECT_NEAR(f["index"].get<double>(), sum / 6, 1e-3);
    }
    EXPECT_EQ(per_quintile, (std::map<int, int>{{1, 2}, {2, 2}, {3, 2}, {4, 2}, {5, 2}}));
    // Bispebjerg or Nørrebro is the most deprived district of the sample, Indre By or Østerbro the least.
    EXPECT_THAT((std::set<std::string>{"Bispebjerg", "Nørrebro"}), ::testing::Contains(answer["features"][0]["name"].get<std::string>()));

    // The same numbers as properties of the features, for the same year.
    const auto reply = get("/collections/districts/items?year=2013");
    ASSERT_EQ(reply.status, 200u) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/geo+json");
    const auto items = reply.json();
    std::map<std::string, nlohmann::json> props;
    for (const auto& f : items["features"]) props[f["id"].dump()] = f["properties"];
    for (const auto& f : answer["features"]) {
        const auto& p = props.at(nlohmann::json(std::stoi(f["id"].get<std::string>())).dump());
        EXPECT_EQ(p["soek_index"], f["index"]) << f["id"];
        EXPECT_EQ(p["soek_quintile"], f["quintile"]) << f["id"];
    }
    const auto collection = get_json("/collections/districts");
    bool listed = false;
    for (const auto& i : collection["kvarter:indicators"]) listed |= i["id"] == "soek_index";
    EXPECT_TRUE(listed);
}

TEST_F(analysis_api, weights_in_the_query_recompute_the_index) {
    // Income alone: the index is minus the income's z-score, so the poorest district ranks first.
    const auto answer = get_json("/analysis/index?layer=districts&year=2012&weights=mean_income_dkk:1");
    EXPECT_EQ(answer["weights_from"], "request");
    double previous = -1;
    for (const auto& f : answer["features"]) {
        const double income = f["components"]["mean_income_dkk"]["value"].get<double>();
        EXPECT_GE(income, previous) << "ascending income = descending deprivation";
        previous = income;
        EXPECT_NEAR(f["index"].get<double>(), f["components"]["mean_income_dkk"]["z"].get<double>(), 1e-9);
    }
    // Departments by default.
    const auto deps = get_json("/analysis/index");
    EXPECT_EQ(deps["layer"], "housing-departments");
    EXPECT_EQ(deps["year"], 2013);
    EXPECT_EQ(deps["features"].size(), 180u);
    EXPECT_EQ(deps["unranked"], 0);
}

TEST_F(analysis_api, screening_lists_quintile_5_units_outside_active_renewal) {
    const auto answer = get_json("/analysis/screening?year=2013");
    EXPECT_EQ(answer["layer"], "housing-departments");
    EXPECT_EQ(answer["screened"], 36) << "the most deprived fifth of 180";
    EXPECT_EQ(answer["candidates"].size() + answer["already_covered"].size(), 36u);
    for (const auto& z : answer["active_renewal_zones"]) {
        EXPECT_LE(z["start_year"].get<int>(), 2013);
        EXPECT_GE(z["end_year"].get<int>(), 2013);
    }
    for (const auto& c : answer["candidates"]) {
        EXPECT_EQ(c["quintile"], 5);
        EXPECT_LT(c["covered_share"].get<double>(), 0.5);
        EXPECT_FALSE(c["districts"].empty()) << c["id"];
        double share = 0;
        for (const auto& d : c["districts"]) share += d["share"].get<double>();
        EXPECT_NEAR(share, 1, 1e-3) << c["id"] << " lies wholly in the districts";
    }
    for (const auto& c : answer["already_covered"]) {
        EXPECT_GE(c["covered_share"].get<double>(), 0.5);
        EXPECT_FALSE(c["covered_by"].empty());
    }
}

TEST_F(analysis_api, housing_areas_under_each_rule_set_in_2013) {
    const auto r2010 = get_json("/analysis/housing-areas?year=2013&rules=2010");
    EXPECT_EQ(listed_ids(r2010), (std::set<std::string>{"aldersrogade", "horgaarden", "lundtoftegade", "mjolnerparken",
                                                         "sjaelor-boulevard", "tingbjerg", "urbanplanen"}));
    const auto r2013 = get_json("/analysis/housing-areas?year=2013&rules=2013");
    EXPECT_EQ(listed_ids(r2013), (std::set<std::string>{"lundtoftegade", "mjolnerparken", "tingbjerg"}));
    EXPECT_EQ(get_json("/analysis/housing-areas?year=2013")["rules"]["name"], "2013") << "the rules in force";
    EXPECT_EQ(get_json("/analysis/housing-areas?year=2011")["rules"]["name"], "2010");

    const auto r2018 = get_json("/analysis/housing-areas?year=2013&rules=2018");
    EXPECT_EQ(listed_ids(r2018), (std::set<std::string>{"lundtoftegade", "mjolnerparken", "sjaelor-boulevard", "tingbjerg"}));
    std::map<std::string, std::string> category;
    for (const auto& a : r2018["areas"])
        if (a["listed"].get<bool>()) category[a["id"]] = a["category"]["id"];
    EXPECT_EQ(category.at("sjaelor-boulevard"), "udsat") << "under 50 % non-Western";
    EXPECT_EQ(category.at("tingbjerg"), "haardt_ghetto") << "ghetto 2010–2013";
    // In 2012 nobody has four years of ghetto behind them.
    const auto r2012 = get_json("/analysis/housing-areas?year=2012&rules=2018"); // kept: the loop reads into it
    for (const auto& a : r2012["areas"])
        EXPECT_NE(a["category"].is_null() ? "" : a["category"]["id"].get<std::string>(), "haardt_ghetto") << a["id"];

    for (const auto& a : r2013["areas"]) {
        if (a["id"] != "akacieparken") continue;
        EXPECT_FALSE(a["eligible"].get<bool>());
        EXPECT_THAT(a["reason"].get<std::string>(), HasSubstr("820 residents"));
        EXPECT_EQ(a["departments"].size(), 2u);
    }
}

TEST_F(analysis_api, forty_plus_counts_and_moves) {
    const auto answer = get_json("/analysis/forty-plus?year=2013&since=2012");
    const auto& counts = answer["counts"];
    EXPECT_EQ(counts["forty_plus"]["departments"].get<int>() + counts["below"]["departments"].get<int>() +
                  counts["no_data"]["departments"].get<int>(),
              180);
    int forty = 0;
    for (const auto& d : answer["departments"]) forty += d["forty_plus"].get<bool>() ? 1 : 0;
    EXPECT_EQ(forty, counts["forty_plus"]["departments"]);
    EXPECT_FALSE(answer["moved_in"].empty() && answer["moved_out"].empty()) << "the sample crosses 40 % both ways";
    for (const auto& d : answer["moved_in"]) {
        EXPECT_LE(d["share_2012"].get<double>(), 40);
        EXPECT_GT(d["share_2013"].get<double>(), 40);
    }
    for (const auto& d : answer["moved_out"]) {
        EXPECT_GT(d["share_2012"].get<double>(), 40);
        EXPECT_LE(d["share_2013"].get<double>(), 40);
    }
    EXPECT_EQ(answer["forty_plus_then"].get<int>() + answer["moved_in"].size() - answer["moved_out"].size(),
              counts["forty_plus"]["departments"].get<std::size_t>());
}

TEST_F(analysis_api, wrong_parameters_are_400s_naming_them) {
    expect_problem("/analysis/index?layer=nope", 400, "layer");
    expect_problem("/analysis/index?layer=playgrounds", 400, "layer");
    expect_problem("/analysis/index?layer=districts&year=2009", 400, "year");
    expect_problem("/analysis/index?year=twenty", 400, "year");
    expect_problem("/analysis/index?weights=a:1,b:2", 400, "weights");
    expect_problem("/analysis/index?weights=mean_income_dkk", 400, "weights");
    expect_problem("/analysis/index?weights=non_western_share:1", 400, "weights");
    expect_problem("/analysis/index?colour=red", 400, "colour");
    expect_problem("/analysis/screening?year=2020", 400, "year");
    expect_problem("/analysis/screening?weights=a:1", 400, "weights");
    expect_problem("/analysis/housing-areas?rules=2020", 400, "rules");
    expect_problem("/analysis/housing-areas?year=1999", 400, "year");
    expect_problem("/analysis/forty-plus?since=2013&year=2013", 400, "since");
    expect_problem("/analysis/forty-plus?since=1999", 400, "since");
    EXPECT_THAT(get("/analysis/index?weights=a:1,b:2").json()["detail"].get<std::string>(), HasSubstr("no indicator \"a\""));
}

TEST_F(analysis_api, tiles_carry_the_index_of_the_year) {
    const auto cat = server->holder().get();
    const auto& deps = *cat->find("housing-departments");
    const auto index = *deps.indicator_index(catalog::soek_index_id);
    const auto quintile = *deps.indicator_index(catalog::soek_quintile_id);
    // The tile over Mjølnerparken at zoom 13.
    const double lon = 12.5420, lat = 55.6990, n = std::ldexp(1.0, 13);
    const unsigned x = static_cast<unsigned>((lon + 180) / 360 * n);
    const unsigned y = static_cast<unsigned>((1 - std::asinh(std::tan(lat * M_PI / 180)) / M_PI) / 2 * n);
    const auto r = get("/tiles/default/13/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt?year=2011");
    ASSERT_EQ(r.status, 200u);
    const auto layers = test::decode_with_gdal(r.body, 13, x, y);
    ASSERT_TRUE(layers.contains("housing-departments"));
    std::size_t checked = 0;
    for (const auto& d : layers.at("housing-departments")) {
        const auto* f = deps.find(d.properties.at("id"));
        ASSERT_NE(f, nullptr);
        EXPECT_NEAR(std::stod(d.properties.at("soek_index")), *f->indicators.at(2011)[index], 1e-9);
        EXPECT_EQ(std::stod(d.properties.at("soek_quintile")), *f->indicators.at(2011)[quintile]);
        ++checked;
    }
    EXPECT_GT(checked, 0u);
    // And they are the API's numbers for that year.
    const auto answer = get_json("/analysis/index?layer=housing-departments&year=2011");
    for (const auto& f : answer["features"]) {
        const auto* ft = deps.find(f["id"]);
        EXPECT_EQ(f["index"].get<double>(), *ft->indicators.at(2011)[index]);
        EXPECT_EQ(f["quintile"].get<double>(), *ft->indicators.at(2011)[quintile]);
    }
}

TEST(analysis_not_configured, endpoints_answer_404_saying_so) {
    // The sample's districts with their indicators, but no "analysis" key.
    const auto dir = test::temp_dir("no-analysis");
    const auto sample = test::source_dir() / "geodata" / "sample";
    test::write_file(dir / "kvarter.json", R"({"layers":[{"id":"districts","source":")" + (sample / "districts.geojson").string() +
                                               R"(","id_field":"bydel_nr","name_field":"navn","role":"district"}],
        "indicators":[{"source":")" + (sample / "indicators_districts.csv").string() +
                                               R"(","layer":"districts","key":"bydel_nr","year":"year",
          "columns":{"employment_rate":{"label":"B","unit":"%","direction":"higher_is_better"}}}]})");
    test::running_server server{dir / "kvarter.json"};
    for (const char* path : {"/analysis/index", "/analysis/screening", "/analysis/housing-areas", "/analysis/forty-plus"}) {
        const auto r = test::fetch(server.port(), path);
        EXPECT_EQ(r.status, 404u) << path;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        EXPECT_THAT(r.json()["detail"].get<std::string>(), HasSubstr("\"analysis\"")) << path;
    }
    // Nor do features get an index.
    const auto items = test::fetch(server.port(), "/collections/districts/items?limit=1").json();
    EXPECT_FALSE(items["features"][0]["properties"].contains("soek_index"));
}

// Screening and 40 plus on hand-made squares: exact overlap shares (with overlapping zones
// counted once), active years, districts, and departments moving in and out of 40 plus.

#include "analysis/forty_plus.hpp"
#include "analysis/list_rules.hpp"
#include "analysis/screening.hpp"
#include "catalog/highlights.hpp"
#include "analysis/squares.hpp"
#include "catalog/loader.hpp"
#include "catalog/socio_index.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::analysis;
using ::testing::HasSubstr;

namespace {

geometry::geometry rect(double x0, double y0, double x1, double y1) {
    geometry::geometry g;
    g.type = geometry::kind::polygon;
    g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
    return g;
}

const std::string department_csv = "afd,aar,beboere,ledige,indkomst\n"
                                    "d1,2012,600,45,110000\nd1,2013,600,50,100000\n"
                                    "d2,2012,400,41,190000\nd2,2013,400,25,200000\n"
                                    "d3,2012,300,40,290000\nd3,2013,300,40.5,300000\n"
                                    "d4,2012,100,20,240000\nd4,2013,,20,250000\n";
const std::string district_csv = "nr,aar,beboere,ledige,indkomst\n"
                                 "1,2012,1000,10,290000\n1,2013,1000,10,300000\n"
                                 "2,2012,3000,20,190000\n2,2013,3000,20,200000\n";
const std::string analysis_json = R"({
    "index": {"weights": {"ledige": 1, "indkomst": 1}},
    "screening": {"layer": "departments", "quintile": 2, "renewal_cover_share": 0.5},
    "housing_areas": {"layer": "departments", "group_field": "omraade", "areas_layer": "areas", "residents": "beboere"},
    "rules": "rules",
    "forty_plus": {"layer": "departments", "indicator": "ledige", "threshold": 40, "dwellings_field": "boliger"}})";

std::shared_ptr<const catalog::catalog> squares_with_rules(const std::string& name) {
    const auto dir = test::temp_dir(name);
    std::filesystem::create_directories(dir / "rules");
    test::write_file(dir / "rules" / "r.json", R"({"name":"r","in_force_from":2010,"min_residents":500,
        "references":{"region":{"mean_of":"districts","indicator":"indkomst","weight":"beboere"}},
        "criteria":[{"id":"work","indicator":"ledige","op":">","value":35},
                    {"id":"low","indicator":"indkomst","op":"<","value":0.7,"value_relative_to":"region"}],
        "required":2,"categories":[{"id":"listed","label_da":"Listet","when":"listed"}]})");
    const auto file = test::write_squares(dir, analysis_json, department_csv, district_csv);
    return catalog::load_catalog(catalog::load_config(file));
}

http::request get(const std::string& target) {
    http::request r;
    r.target = target;
    http::parse_target(r);
    return r;
}

} // namespace

TEST(screening, overlapping_zones_are_united_before_measuring) {
    // A 100 m square; zones over its left 60 % and its lower-right quarter overlap by 20 × 50 m.
    const auto unit = rect(0, 0, 100, 100);
    const auto left = rect(0, 0, 60, 100);
    const auto corner = rect(40, 0, 100, 50);
    const auto shares = covered_shares({&unit}, {&left, &corner});
    EXPECT_NEAR(shares[0], (6000.0 + 2000.0) / 10000.0, 1e-12) << "0.8, not 0.6 + 0.3";
    EXPECT_NEAR(covered_shares({&unit}, {&corner})[0], 0.3, 1e-12);
    const auto outside = rect(500, 500, 600, 600);
    const auto inside = rect(-10, -10, 110, 110);
    EXPECT_EQ(covered_shares({&unit}, {&outside})[0], 0);
    EXPECT_EQ(covered_shares({&unit}, {&inside})[0], 1);
    EXPECT_EQ(covered_shares({&unit, nullptr}, {}), (std::vector<double>{0, 0}));
}

TEST(screening, candidates_are_deprived_units_not_yet_covered_by_active_zones) {
    const auto cat = squares_with_rules("screening");
    const auto& zones = *cat->find("zones");
    EXPECT_TRUE(catalog::active_in(zones, *zones.find("z2"), 2013));
    EXPECT_FALSE(catalog::active_in(zones, *zones.find("z2"), 2014));
    EXPECT_FALSE(catalog::active_in(zones, *zones.find("z1"), 2011));

    const auto answer = screening_answer(*cat, get("/analysis/screening?year=2013"));
    EXPECT_EQ(answer["layer"], "departments");
    EXPECT_EQ(answer["screened"], 4) << "quintile 2 or worse: all four of four";
    std::vector<std::string> active;
    for (const auto& z : answer["active_renewal_zones"]) active.push_back(z["id"]);
    EXPECT_EQ(active, (std::vector<std::string>{"z1", "z2"})) << "z3 ended in 2009";

    std::map<std::string, nlohmann::ordered_json> by_id;
    for (const auto& u : answer["candidates"]) by_id[u["id"]] = u;
    for (const auto& u : answer["already_covered"]) by_id[u["id"]] = u;
    EXPECT_EQ(answer["already_covered"].size(), 2u);
    EXPECT_EQ(by_id.at("d1")["covered_share"], 1) << "inside z1 and z2, counted once";
    EXPECT_EQ(by_id.at("d2")["covered_share"], 0.5) << "half in z2: at the 50 % line, already covered";
    EXPECT_EQ(by_id.at("d2")["covered_by"], nlohmann::ordered_json::array({"Z2"}));
    ASSERT_EQ(answer["candidates"].size(), 2u);
    EXPECT_EQ(by_id.at("d3")["covered_share"], 0);
    const auto& districts = by_id.at("d3")["districts"];
    ASSERT_EQ(districts.size(), 2u);
    EXPECT_EQ(districts[0]["share"], 0.5);
    EXPECT_EQ(districts[1]["share"], 0.5);
    EXPECT_EQ(by_id.at("d4")["districts"][0]["name"], "Øst");
    EXPECT_EQ(by_id.at("d1")["rank"], 1) << "the worst on both indicators";
    for (const auto& u : answer["candidates"]) EXPECT_GE(u["quintile"].get<int>(), 2);
}

TEST(screening, forty_plus_is_strictly_above_the_threshold_and_moves_are_listed) {
    EXPECT_EQ(classify_share(40.0, 40), forty_plus_status::below);
    EXPECT_EQ(classify_share(40.1, 40), forty_plus_status::forty_plus);
    EXPECT_EQ(classify_share(std::nullopt, 40), forty_plus_status::unknown);
    const auto moves = compare_years({forty_plus_status::below, forty_plus_status::forty_plus, forty_plus_status::unknown,
                                      forty_plus_status::forty_plus},
                                     {forty_plus_status::forty_plus, forty_plus_status::below, forty_plus_status::forty_plus,
                                      forty_plus_status::forty_plus});
    EXPECT_EQ(moves.moved_in, std::vector<std::size_t>{0});
    EXPECT_EQ(moves.moved_out, std::vector<std::size_t>{1});

    const auto cat = squares_with_rules("forty-plus");
    const auto answer = forty_plus_answer(*cat, get("/analysis/forty-plus?year=2013&since=2012"));
    // 2013: d1 50 and d3 40.5 are 40 plus; d2 25 and d4 20 are not. 2012: d1 45, d2 41; d3 exactly 40 is not.
    EXPECT_EQ(answer["counts"]["forty_plus"]["departments"], 2);
    EXPECT_EQ(answer["counts"]["forty_plus"]["dwellings"], 100 + 300);
    EXPECT_EQ(answer["counts"]["below"]["dwellings"], 200 + 400);
    EXPECT_EQ(answer["forty_plus_then"], 2);
    ASSERT_EQ(answer["moved_in"].size(), 1u);
    EXPECT_EQ(answer["moved_in"][0]["id"], "d3");
    EXPECT_EQ(answer["moved_in"][0]["share_2012"], 40);
    ASSERT_EQ(answer["moved_out"].size(), 1u);
    EXPECT_EQ(answer["moved_out"][0]["id"], "d2");
    EXPECT_EQ(answer["departments"][0]["housing_area"], "nord");
}

TEST(screening, housing_areas_answer_on_squares) {
    const auto cat = squares_with_rules("housing-areas");
    const auto answer = housing_areas_answer(*cat, get("/analysis/housing-areas?year=2013"));
    EXPECT_EQ(answer["rules"]["name"], "r");
    EXPECT_EQ(answer["rules"]["criteria"][1]["reference"], 225000);
    EXPECT_EQ(answer["rules"]["criteria"][1]["threshold"], 157500);
    EXPECT_EQ(answer["listed"], 1);
    const auto& nord = answer["areas"][0];
    EXPECT_EQ(nord["id"], "nord");
    EXPECT_EQ(nord["name"], "Nordparken");
    EXPECT_EQ(nord["residents"], 1000);
    EXPECT_EQ(nord["values"]["indkomst"], 140000);
    EXPECT_EQ(nord["criteria_met"], 2);
    EXPECT_EQ(nord["category"]["id"], "listed");
    for (const auto& a : answer["areas"]) {
        if (a["id"] == "syd") {
            EXPECT_EQ(a["eligible"], false);
            EXPECT_THAT(a["reason"].get<std::string>(), HasSubstr("has 300 residents"));
            EXPECT_THAT(a["reason"].get<std::string>(), HasSubstr("500"));
        }
    }
    try {
        housing_areas_answer(*cat, get("/analysis/housing-areas?rules=nope"));
        ADD_FAILURE() << "unknown rules accepted";
    } catch (const bad_request& e) {
        EXPECT_EQ(e.parameter(), "rules");
    }
}

// The overlay and the lookup on hand-made squares with exact answers, and on the real
// districts against the same computation done independently by SpatiaLite through GDAL.

#include "analysis/lookup.hpp"
#include "analysis/overlay.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "filter/cql2.hpp"
#include "filter/selection.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

using namespace kvarter;
using json = nlohmann::json;

namespace {

// EPSG:4087 (equidistant cylindrical) maps lon/lat linearly: a lon/lat square near the
// equator is an exact rectangle, so every area below is known in closed form.
constexpr double R = 6378137.0;
constexpr double deg = M_PI / 180;
constexpr double cell = 0.01; // degrees
const double cell_m = R * cell * deg;
const double cell_area = cell_m * cell_m;

std::string square(double lon, double lat, double size, const std::string& props) {
    auto c = [](double v) { return std::to_string(v); };
    return R"({"type":"Feature","properties":)" + props + R"(,"geometry":{"type":"Polygon","coordinates":[[[)" + c(lon) + "," +
           c(lat) + "],[" + c(lon + size) + "," + c(lat) + "],[" + c(lon + size) + "," + c(lat + size) + "],[" + c(lon) + "," +
           c(lat + size) + "],[" + c(lon) + "," + c(lat) + "]]]}}";
}

std::string collection(const std::vector<std::string>& features) {
    std::string out = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
    return out + "]}";
}

std::shared_ptr<const catalog::catalog> squares() {
    const auto dir = test::temp_dir("overlay-squares");
    // Two districts side by side: A [10.00,10.01], B [10.01,10.02], both lat [0, 0.01].
    test::write_file(dir / "districts.geojson", collection({square(10.00, 0, cell, R"({"nr":1,"navn":"A"})"),
                                                            square(10.01, 0, cell, R"({"nr":2,"navn":"B"})")}));
    // A renewal zone over B's lower half, active 2012–2014; another, finished, over A.
    test::write_file(dir / "zones.geojson",
                     collection({square(10.01, 0, cell / 2, R"({"id":"z1","navn":"Z1","start_year":2012,"end_year":2014})"),
                                 square(10.00, 0, cell, R"({"id":"z0","navn":"Z0","start_year":2000,"end_year":2005})")}));
    // Departments: D1 wholly in the proposal, D2 half in it, D3 outside.
    test::write_file(dir / "deps.geojson",
                     collection({square(10.010, 0.002, 0.002, R"({"id":"D1","dwellings":100})"),
                                 square(10.004, 0.002, 0.002, R"({"id":"D2","dwellings":40})"),
                                 square(10.016, 0.002, 0.002, R"({"id":"D3","dwellings":7})")}));
    test::write_file(dir / "play.geojson", R"({"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"p1","kind":"bemandet legeplads"},"geometry":{"type":"Point","coordinates":[10.011,0.005]}},
        {"type":"Feature","properties":{"id":"p2","kind":"bemandet legeplads"},"geometry":{"type":"Point","coordinates":[10.0175,0.005]}},
        {"type":"Feature","properties":{"id":"p3","kind":"bemandet legeplads"},"geometry":{"type":"Point","coordinates":[10.03,0.005]}}]})");
    test::write_file(dir / "deps.csv", "id,year,residents,share\nD1,2013,200,50\nD2,2013,100,20\nD3,2013,10,0\n");
    test::write_file(dir / "districts.csv", "nr,year,residents,share\n1,2013,1000,10\n2,2013,3000,30\n");
    test::write_file(dir / "kvarter.json", R"({"analysis_crs":"EPSG:4087","layers":[
        {"id":"districts","source":"districts.geojson","id_field":"nr","name_field":"navn","role":"district"},
        {"id":"zones","source":"zones.geojson","id_field":"id","name_field":"navn","role":"renewal_zone"},
        {"id":"deps","source":"deps.geojson","id_field":"id","role":"housing_department"},
        {"id":"play","source":"play.geojson","id_field":"id","role":"facility"}],
      "indicators":[
        {"source":"deps.csv","layer":"deps","key":"id","year":"year","columns":{
          "residents":{"label":"Beboere","direction":"neutral"},"share":{"label":"Andel","unit":"%","direction":"higher_is_worse"}}},
        {"source":"districts.csv","layer":"districts","key":"nr","year":"year","columns":{
          "residents":{"label":"Beboere","direction":"neutral"},"share":{"label":"Andel","unit":"%","direction":"higher_is_worse"}}}]})");
    return catalog::load_catalog(catalog::load_config(dir / "kvarter.json"));
}

// The proposal: lon [10.005, 10.015], lat [0, 0.01]: half of A and half of B.
geometry::geometry proposal() {
    return analysis::parse_polygon(
        json::parse(R"({"type":"Polygon","coordinates":[[[10.005,0],[10.015,0],[10.015,0.01],[10.005,0.01],[10.005,0]]]})"), 100);
}

const json& feature_in(const json& report, const std::string& layer, const std::string& id) {
    for (const auto& f : report["areas"][layer]["features"])
        if (f["id"] == id) return f;
    throw std::runtime_error{"no " + id + " in " + layer};
}

} // namespace

TEST(overlay, areas_and_shares_on_squares_are_exact) {
    const auto report = analysis::overlay_report(*squares(), proposal(), 2013);
    EXPECT_NEAR(report["area_m2"].get<double>(), cell_area, 0.01);
    for (const char* id : {"1", "2"}) {
        const auto& d = feature_in(report, "districts", id);
        EXPECT_NEAR(d["overlap_m2"].get<double>(), cell_area / 2, 0.01);
        EXPECT_DOUBLE_EQ(d["share_of_proposal"].get<double>(), 0.5);
        EXPECT_DOUBLE_EQ(d["share_of_feature"].get<double>(), 0.5);
    }
    EXPECT_EQ(report["repaired"], false);
}

TEST(overlay, renewal_coverage_counts_only_zones_active_in_the_year) {
    const auto report = analysis::overlay_report(*squares(), proposal(), 2013);
    // Z1 is active in 2013 and covers lon [10.01, 10.015] x lat [0, 0.005] of the proposal: a quarter.
    EXPECT_DOUBLE_EQ(report["active_renewal"]["share_of_proposal"].get<double>(), 0.25);
    EXPECT_EQ(feature_in(report, "zones", "z1")["active"], true);
    EXPECT_EQ(feature_in(report, "zones", "z0")["active"], false);
    const auto later = analysis::overlay_report(*squares(), proposal(), 2020);
    EXPECT_DOUBLE_EQ(later["active_renewal"]["share_of_proposal"].get<double>(), 0.0);
    // 2020 has no indicators: answered all the same, saying so.
    EXPECT_THAT(later.value("indicators_note", ""), ::testing::HasSubstr("no indicator data for 2020; the years with data are 2013"));
    EXPECT_FALSE(report.contains("indicators_note"));
}

TEST(overlay, departments_count_by_the_share_inside_and_indicators_are_weighted) {
    const auto report = analysis::overlay_report(*squares(), proposal(), 2013);
    ASSERT_EQ(report["housing_departments"].size(), 2u); // D3 is outside
    std::map<std::string, json> deps;
    for (const auto& d : report["housing_departments"]) deps[d["id"]] = d;
    EXPECT_DOUBLE_EQ(deps["D1"]["share_inside"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(deps["D2"]["share_inside"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(report["dwellings_inside"].get<double>(), 100 + 40 * 0.5);
    EXPECT_DOUBLE_EQ(report["residents_inside"].get<double>(), 200 + 100 * 0.5);
    const auto& share = report["indicators"]["share"];
    // By covered area: D1 a full cell of 0.002², D2 half of one: (50*1 + 20*0.5) / 1.5 = 40.
    EXPECT_DOUBLE_EQ(share["covered_area_weighted"].get<double>(), 40.0);
    // By residents inside: (50*200 + 20*50) / 250 = 44.
    EXPECT_DOUBLE_EQ(share["covered_resident_weighted"].get<double>(), 44.0);
    // The district overlapping most is a tie (A and B halves); the first found is kept, and the
    // city is the resident-weighted mean of the districts: (10*1000 + 30*3000) / 4000 = 25.
    EXPECT_DOUBLE_EQ(share["city"].get<double>(), 25.0);
    EXPECT_TRUE(share["district"] == 10.0 || share["district"] == 30.0);
}

TEST(overlay, a_filter_picks_the_departments_counted) {
    const auto cat = squares();
    std::vector<std::size_t> layers;
    for (std::size_t i = 0; i < cat->layers.size(); ++i)
        if (cat->layers[i].role == catalog::layer_role::housing_department) layers.push_back(i);
    const filter::filter_params params{filter::parse("dwellings > 50", filter::language::text), {}};
    const filter::selection chosen{params, *cat, layers, 2013, "the overlay's housing departments"};
    const auto report = analysis::overlay_report(*cat, proposal(), 2013, &chosen);
    ASSERT_EQ(report["housing_departments"].size(), 1u); // D2 has 40 dwellings, D3 is outside
    EXPECT_EQ(report["housing_departments"][0]["id"], "D1");
    EXPECT_DOUBLE_EQ(report["dwellings_inside"].get<double>(), 100);
}

TEST(overlay, playgrounds_inside_or_within_300_m) {
    const auto report = analysis::overlay_report(*squares(), proposal(), 2013);
    std::map<std::string, json> found;
    for (const auto& p : report["playgrounds"]) found[p["id"]] = p;
    EXPECT_EQ(found.size(), 2u); // p3 is 1.5 km away
    EXPECT_EQ(found["p1"]["inside"], true);
    // p2 is 0.0025° east of the proposal's edge: 278.3 m in EPSG:4087.
    EXPECT_NEAR(found["p2"]["distance_m"].get<double>(), R * 0.0025 * deg, 0.06);
    EXPECT_EQ(found["p2"]["inside"], false);
}

TEST(overlay, a_polygon_too_tangled_to_repair_within_a_request_is_refused) {
    // An 801-spike star drawn over the squares crosses itself some 160,000 times; repairing it
    // took seconds and hundreds of MB. Refused before GEOS is asked, naming the geometry.
    json ring = json::array();
    const int n = 801;
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * ((i * 400) % n) / n;
        ring.push_back({10.01 + 0.004 * std::cos(a), 0.005 + 0.004 * std::sin(a)});
    }
    const auto star = analysis::parse_polygon(json{{"type", "Polygon"}, {"coordinates", json::array({ring})}}, 1000);
    try {
        analysis::overlay_report(*squares(), star, 2013);
        FAIL() << "repaired";
    } catch (const bad_request& e) {
        EXPECT_EQ(e.parameter(), "geometry");
        EXPECT_THAT(std::string{e.what()}, ::testing::HasSubstr("more than 1000 times"));
    }
}

TEST(overlay, a_self_intersecting_polygon_is_repaired_and_says_so) {
    const auto bow = analysis::parse_polygon(
        json::parse(R"({"type":"Polygon","coordinates":[[[10.005,0],[10.015,0.01],[10.015,0],[10.005,0.01],[10.005,0]]]})"), 100);
    const auto report = analysis::overlay_report(*squares(), bow, 2013);
    EXPECT_EQ(report["repaired"], true);
    EXPECT_FALSE(report["repair_reason"].get<std::string>().empty());
    EXPECT_NEAR(report["area_m2"].get<double>(), cell_area / 2, 0.01); // two triangles, each a quarter
}

TEST(overlay, bad_polygons_name_what_is_wrong) {
    auto member_of = [](const std::string& text, std::size_t limit = 100) {
        try {
            analysis::parse_polygon(json::parse(text), limit);
        } catch (const bad_request& e) {
            return e.parameter();
        }
        return std::string{"(accepted)"};
    };
    EXPECT_EQ(member_of(R"({"type":"Point","coordinates":[1,2]})"), "geometry.type");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[]})"), "geometry.coordinates");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[]]})"), "geometry.coordinates[0]");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})"), "geometry.coordinates[0]");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})"), "(accepted)");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],[181,0],[1,1],[0,0]]]})"), "geometry.coordinates[0][1]");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],[1,-91],[1,1],[0,0]]]})"), "geometry.coordinates[0][1]");
    // 179 to -179: not 358 degrees wide, but across the antimeridian, which lon/lat cannot hold.
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[179,0],[-179,0],[-179,1],[179,1],[179,0]]]})"),
              "geometry.coordinates[0][1]");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],["a",0],[1,1],[0,0]]]})"), "geometry.coordinates[0][1]");
    EXPECT_EQ(member_of(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]})", 3), "geometry");
    EXPECT_EQ(member_of(R"({"type":"Feature","properties":{},"geometry":null})"), "geometry");
    EXPECT_EQ(member_of(R"({"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}})"),
              "(accepted)");
    EXPECT_EQ(member_of(R"([1,2,3])"), "geometry");
}

TEST(lookup, a_point_finds_the_features_containing_it_and_the_nearest_facility) {
    const auto cat = squares();
    const auto r = analysis::lookup(*cat, 10.011, 0.003); // inside district B and D1
    ASSERT_EQ(r["layers"]["districts"]["features"].size(), 1u);
    EXPECT_EQ(r["layers"]["districts"]["features"][0]["id"], "2");
    EXPECT_EQ(r["layers"]["deps"]["features"][0]["id"], "D1");
    ASSERT_EQ(r["nearest_facilities"].size(), 1u);
    EXPECT_EQ(r["nearest_facilities"][0]["id"], "p1");
    EXPECT_NEAR(r["nearest_facilities"][0]["distance_m"].get<double>(), R * 0.002 * deg, 0.06);
    const auto outside = analysis::lookup(*cat, -40.0, 20.0);
    EXPECT_TRUE(outside["layers"]["districts"]["features"].empty());
    EXPECT_TRUE(outside["layers"]["deps"]["features"].empty());
}

TEST(overlay_real_data, district_overlaps_agree_with_spatialite_within_a_hundredth_of_a_percent) {
    const auto cat = catalog::load_catalog(catalog::load_config(test::copenhagen_config()));
    // Across the border of Nørrebro and Østerbro.
    const std::string wkt = "POLYGON((12.545 55.695,12.575 55.695,12.575 55.71,12.545 55.71,12.545 55.695))";
    const auto polygon = analysis::parse_polygon(
        json::parse(R"({"type":"Polygon","coordinates":[[[12.545,55.695],[12.575,55.695],[12.575,55.71],[12.545,55.71],[12.545,55.695]]]})"), 100);
    const auto report = analysis::overlay_report(*cat, polygon, std::nullopt);
    const auto& ours = report["areas"]["districts"]["features"];
    ASSERT_GE(ours.size(), 2u);

    const auto sql = test::run_command(
        "ogrinfo -ro -q -dialect SQLite -sql \"SELECT bydel_nr, ST_Area(ST_Intersection(geometry, "
        "ST_Transform(ST_GeomFromText('" + wkt + "', 4326), 25832))) AS overlap FROM districts WHERE "
        "ST_Intersects(geometry, ST_Transform(ST_GeomFromText('" + wkt + "', 4326), 25832))\" " +
        test::copenhagen_layer("districts.fgb").string());
    ASSERT_EQ(sql.exit_code, 0) << sql.output;
    std::map<std::string, double> theirs;
    const std::regex row{R"(bydel_nr \(Integer\) = (\d+)\s+overlap \(Real\) = ([0-9.eE+-]+))"};
    for (std::sregex_iterator it{sql.output.begin(), sql.output.end(), row}, end; it != end; ++it)
        theirs[(*it)[1]] = std::stod((*it)[2]);
    std::size_t compared = 0;
    for (const auto& d : ours) {
        const std::string id = d["id"];
        ASSERT_TRUE(theirs.contains(id)) << "SpatiaLite found no overlap with district " << id << "\n" << sql.output;
        const double mine = d["overlap_m2"], other = theirs[id];
        if (other < 1) continue;
        EXPECT_NEAR(mine, other, other * 1e-4) << "district " << id;
        ++compared;
    }
    EXPECT_GE(compared, 2u);
    double total = 0;
    for (const auto& d : ours) total += d["overlap_m2"].get<double>();
    EXPECT_NEAR(total, report["area_m2"].get<double>(), report["area_m2"].get<double>() * 1e-4); // all land
}

// Items in the CRS a client asks for (OGC API – Features Part 2), on the real city: EPSG:25832
// answers must give back the source file's own coordinates, read independently with GDAL.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

constexpr const char* crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
constexpr const char* epsg25832 = "http://www.opengis.net/def/crs/EPSG/0/25832";
constexpr const char* epsg3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";

test::running_server& server() {
    static test::running_server s{test::copenhagen_config()};
    return s;
}

test::reply get(const std::string& target) { return test::fetch(server().port(), target); }

nlohmann::json items(const std::string& query) {
    const auto r = get("/collections/libraries/items?limit=1000&" + query);
    if (r.status != 200) throw std::runtime_error{query + " answered " + std::to_string(r.status) + ": " + r.body};
    return r.json();
}

struct xy {
    double x, y;
};

// Each library's point as the source file holds it (EPSG:25832), by name.
std::map<std::string, xy> source_points() {
    GDALAllRegister();
    const auto path = test::copenhagen_config().parent_path() / "copenhagen/layers/libraries.fgb";
    std::unique_ptr<GDALDataset> ds{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    if (!ds) throw std::runtime_error{"cannot open " + path.string()};
    std::map<std::string, xy> out;
    for (const auto& f : *ds->GetLayer(0)) {
        const OGRGeometry* g = f->GetGeometryRef();
        const OGRPoint* p = wkbFlatten(g->getGeometryType()) == wkbMultiPoint ? g->toMultiPoint()->getGeometryRef(0)
                                                                               : g->toPoint();
        out[f->GetFieldAsString("navn")] = {p->getX(), p->getY()};
    }
    return out;
}

xy first_position(const nlohmann::json& feature) {
    auto c = feature["geometry"]["coordinates"];
    if (feature["geometry"]["type"] == "MultiPoint") c = c[0];
    return {c[0].get<double>(), c[1].get<double>()};
}

} // namespace

TEST(items_crs, epsg_25832_gives_back_the_source_files_coordinates) {
    const auto source = source_points();
    const auto r = get("/collections/libraries/items?limit=1000&crs=" + std::string{epsg25832});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("content-crs"), std::string{"<"} + epsg25832 + ">");
    const auto answer = r.json();
    ASSERT_EQ(answer["features"].size(), source.size());
    for (const auto& f : answer["features"]) {
        const auto& want = source.at(f["properties"]["navn"].get<std::string>());
        const auto got = first_position(f);
        // Stored in lon/lat, written in metres with 2 decimals: back to the source within a centimetre.
        EXPECT_NEAR(got.x, want.x, 0.01) << f["properties"]["navn"];
        EXPECT_NEAR(got.y, want.y, 0.01) << f["properties"]["navn"];
    }
}

TEST(items_crs, epsg_4326_orders_latitude_first_and_3857_is_web_mercator) {
    const auto lonlat = items("");
    const auto latlon = items(std::string{"crs="} + epsg4326);
    const auto mercator = items(std::string{"crs="} + epsg3857);
    ASSERT_EQ(lonlat["features"].size(), latlon["features"].size());
    constexpr double r = 6378137.0;
    for (std::size_t i = 0; i < lonlat["features"].size(); ++i) {
        const auto a = first_position(lonlat["features"][i]);
        const auto b = first_position(latlon["features"][i]);
        EXPECT_DOUBLE_EQ(a.x, b.y);
        EXPECT_DOUBLE_EQ(a.y, b.x);
        const auto m = first_position(mercator["features"][i]);
        EXPECT_NEAR(m.x, r * a.x * M_PI / 180, 0.02);
        EXPECT_NEAR(m.y, r * std::log(std::tan(M_PI / 4 + a.y * M_PI / 360)), 0.02);
    }
}

TEST(items_crs, a_bbox_in_epsg_25832_selects_what_the_source_has_inside_it) {
    const auto source = source_points();
    const double min_x = 722000, min_y = 6174000, max_x = 726000, max_y = 6178000;
    std::size_t inside = 0;
    for (const auto& [name, p] : source) inside += p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
    ASSERT_GT(inside, 1u);
    ASSERT_LT(inside, source.size());
    const auto answer = items("bbox=722000,6174000,726000,6178000&bbox-crs=" + std::string{epsg25832} +
                              "&crs=" + epsg25832);
    EXPECT_EQ(answer["numberMatched"].get<std::size_t>(), inside);
    for (const auto& f : answer["features"]) {
        const auto p = first_position(f);
        EXPECT_TRUE(p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y) << f["properties"]["navn"];
    }
    // The same box given in EPSG:4326 is latitude first.
    const auto lonlat_box = items("bbox=12.5,55.65,12.6,55.7");
    const auto latlon_box = items("bbox=55.65,12.5,55.7,12.6&bbox-crs=" + std::string{epsg4326});
    EXPECT_EQ(lonlat_box["numberMatched"], latlon_box["numberMatched"]);
}

TEST(items_crs, one_item_collections_and_errors_name_the_crs) {
    const auto list = get("/collections/libraries/items?limit=1").json(); // items() sets limit already: twice is a 400
    const auto id = list["features"][0]["id"].dump();
    const auto one = get("/collections/libraries/items/" + id + "?crs=" + epsg25832);
    ASSERT_EQ(one.status, 200u) << one.body;
    EXPECT_EQ(one.header("content-crs"), std::string{"<"} + epsg25832 + ">");
    EXPECT_GT(first_position(one.json()).x, 100000) << "metres, not degrees";

    const auto c = get("/collections/libraries").json();
    EXPECT_EQ(c["storageCrs"], crs84);
    EXPECT_EQ(c["crs"], nlohmann::json::array({crs84, epsg4326, epsg25832, epsg3857}));
    EXPECT_THAT(get("/conformance").body, HasSubstr("ogcapi-features-2/1.0/conf/crs"));

    const auto bad = get("/collections/libraries/items?crs=EPSG:25832");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(bad.json()["parameter"], "crs");
    EXPECT_THAT(bad.body, HasSubstr(epsg25832)) << "the answer lists what is offered";
    const auto bad_box = get("/collections/libraries/items?bbox=1,2,3,4&bbox-crs=urn:nothing");
    EXPECT_EQ(bad_box.status, 400u);
    EXPECT_EQ(bad_box.json()["parameter"], "bbox-crs");
    const auto reversed = get("/collections/libraries/items?bbox=726000,6174000,722000,6178000&bbox-crs=" + std::string{epsg25832});
    EXPECT_EQ(reversed.status, 400u);
    EXPECT_EQ(reversed.json()["parameter"], "bbox");
}

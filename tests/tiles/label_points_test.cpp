// Label points ("labels": true in a tileset): one point per feature, inside its largest part, in
// exactly one tile of each zoom, with the feature's id, properties and name; tiles read back by
// GDAL's MVT driver.

#include "catalog/catalog_holder.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "geometry/geos.hpp"
#include "geometry/label_point.hpp"
#include "geometry/pixel_grid.hpp"
#include "geometry/web_mercator.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"
#include "tiles/tile_math.hpp"
#include "tiles/tile_renderer.hpp"
#include "tiles/tiles_api.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

struct lonlat_box {
    double west, south, east, north;
};

std::string ring(const lonlat_box& b) {
    auto at = [](double x, double y) {
        std::ostringstream out;
        out.precision(17); // the corner to the last bit, not std::to_string's six decimals
        out << "[" << x << "," << y << "]";
        return out.str();
    };
    return "[" + at(b.west, b.south) + "," + at(b.east, b.south) + "," + at(b.east, b.north) + "," + at(b.west, b.north) +
           "," + at(b.west, b.south) + "]";
}

// The top-left corner of a zoom-12 tile in Copenhagen. A square centred on it has its label point
// on the corner shared by four tiles at zoom 12 and deeper: in the buffer of three of them, and on
// the edge of all four, the case the ownership rule has to settle.
const tiles::tile_id corner_tile{12, 2190, 1281};

// "Indre By" (id 7): a square on that corner and a far islet, a third of its size, north-east and
// listed first. The centroid of the two lies outside both; the label must be in the square.
struct fixture_area {
    lonlat_box square;
    lonlat_box islet;
};

fixture_area indre_by() {
    // Square on the map, so in Web Mercator: the centre of its inscribed circle is then one point,
    // its centre. (A box square in degrees is 5 % taller than wide there, and the circle's centre
    // may slide along the long axis with the last bits of the projection.)
    const auto corner = tiles::mercator_bounds(corner_tile);
    const double half_side = 1200; // metres
    const auto sw = geometry::web_mercator::to_lonlat({corner.min_x - half_side, corner.max_y - half_side});
    const auto ne = geometry::web_mercator::to_lonlat({corner.min_x + half_side, corner.max_y + half_side});
    const auto c = tiles::lonlat_bounds(corner_tile);
    const double x = c.min_x, y = c.max_y;
    return {{sw.x, sw.y, ne.x, ne.y}, {x + 0.084, y + 0.037, x + 0.096, y + 0.043}};
}

// A folder with the areas, a config and a tileset labelling them from zoom 3 to 20. `layer_entry`
// goes into the tileset's layer entry, replacing "labels": true when given.
std::filesystem::path write_setup(const std::string& name, const std::string& layer_entry = R"("labels": true)") {
    const auto dir = test::temp_dir("labels-" + name);
    const auto a = indre_by();
    test::write_file(dir / "areas.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"nr":7,"navn":"Indre By","kind":"district"},
       "geometry":{"type":"MultiPolygon","coordinates":[[)" + ring(a.islet) + "],[" + ring(a.square) + R"(]]}},
      {"type":"Feature","properties":{"nr":8,"navn":"Nørrebro","kind":"district"},
       "geometry":{"type":"Polygon","coordinates":[)" + ring({12.50, 55.60, 12.52, 55.61}) + R"(]}}]})");
    test::write_file(dir / "points.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"navn":"Legeplads"},"geometry":{"type":"Point","coordinates":[12.55,55.68]}}]})");
    test::write_file(dir / "kvarter.json", R"({"layers":[
      {"id":"areas","title":"Områder","source":"areas.geojson","id_field":"nr","name_field":"navn","role":"deprived_area"},
      {"id":"playgrounds","source":"points.geojson","name_field":"navn","role":"facility"}],
      "tilesets":"tiles"})");
    std::filesystem::create_directories(dir / "tiles");
    test::write_file(dir / "tiles" / "labels.json",
                     R"({"name":"labels","layers":[{"layer":"areas","minzoom":3,"maxzoom":20,)" + layer_entry + "}]}");
    return dir;
}

std::shared_ptr<const catalog::catalog> load_setup(const std::string& name) {
    return catalog::load_catalog(catalog::load_config(write_setup(name) / "kvarter.json"));
}

std::string config_error_of(const std::filesystem::path& config) {
    try {
        catalog::load_catalog(catalog::load_config(config));
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

geometry::box mercator_of(const lonlat_box& b) {
    constexpr double r = 6378137.0;
    auto y = [](double lat) { return r * std::log(std::tan(M_PI / 4 + lat * M_PI / 360)); };
    return {b.west * M_PI / 180 * r, y(b.south), b.east * M_PI / 180 * r, y(b.north)};
}

// The tile whose pixels hold the point at zoom z (for a point on a tile edge, the tile right of or below it).
tiles::tile_id tile_of(geometry::xy mercator, int z) {
    const auto p = geometry::to_pixel_grid(mercator, z, 4096);
    return {z, static_cast<std::uint32_t>(std::floor(p.x / 4096)), static_cast<std::uint32_t>(std::floor(p.y / 4096))};
}

struct decoded_label {
    std::map<std::string, std::string> properties;
    geometry::xy mercator;
};

// The labels of feature `mvt_id` in every tile of zoom z whose tile or buffer touches `box`, from the
// layer `labels_layer` of `tileset`.
std::vector<decoded_label> labels_in_tiles_over(const catalog::catalog& cat, const geometry::box& box, int z,
                                                const std::string& mvt_id, const std::string& tileset = "labels",
                                                const std::string& labels_layer = "areas-labels") {
    const auto& ts = *cat.find_tileset(tileset);
    const auto first = tile_of({box.min_x, box.max_y}, z), last = tile_of({box.max_x, box.min_y}, z);
    std::vector<decoded_label> found;
    for (std::uint32_t x = first.x - 1; x <= last.x + 1; ++x)
        for (std::uint32_t y = first.y - 1; y <= last.y + 1; ++y) {
            const std::string mvt = tiles::render_tile(cat, ts, {z, x, y}, tiles::default_year(cat));
            if (mvt.empty()) continue;
            auto layers = test::decode_with_gdal(mvt, z, x, y);
            for (auto& f : layers[labels_layer]) {
                if (f.properties["mvt_id"] != mvt_id) continue;
                const auto* p = f.geometry->toPoint();
                found.push_back({f.properties, {p->getX(), p->getY()}});
            }
        }
    return found;
}

} // namespace

TEST(tiles_labels, a_square_with_a_far_islet_gets_one_point_inside_the_square) {
    const auto cat = load_setup("islet");
    const auto& tl = cat->find_tileset("labels")->layers.at(0);
    ASSERT_TRUE(tl.labels);
    ASSERT_EQ(tl.label_points.size(), 2u);
    ASSERT_TRUE(tl.label_points[0].has_value());
    const auto square = mercator_of(indre_by().square);
    const auto p = *tl.label_points[0];
    EXPECT_TRUE(square.contains(p)) << p.x << " " << p.y;
    // The pole of inaccessibility of a square is its centre, found to 1 % of its side.
    const double side = square.max_x - square.min_x;
    EXPECT_NEAR(p.x, (square.min_x + square.max_x) / 2, side / 100);
    EXPECT_NEAR(p.y, (square.min_y + square.max_y) / 2, side / 100);
    // Not where a centroid of the whole feature would put it (between the square and the islet).
    auto& geos = geometry::this_thread_geos();
    const auto whole = geometry::to_geos(geos, geometry::web_mercator::from_lonlat(cat->find("areas")->features[0].lonlat));
    const auto centroid = geometry::from_geos(geos, geometry::checked(geos, GEOSGetCentroid_r(geos.get(), whole.get()), "c").get(),
                                              geometry::kind::point);
    EXPECT_FALSE(square.contains(centroid.parts.at(0).at(0).at(0))) << "the fixture no longer tells the two apart";
}

TEST(tiles_labels, a_c_shaped_area_is_labelled_inside_it_not_at_its_centroid) {
    // A "C" opening east: its centroid lies in the gap, outside the polygon.
    geometry::geometry c;
    c.type = geometry::kind::polygon;
    c.parts.push_back({{{0, 0}, {100, 0}, {100, 20}, {20, 20}, {20, 80}, {100, 80}, {100, 100}, {0, 100}, {0, 0}}});
    const auto p = geometry::label_point(c);
    ASSERT_TRUE(p.has_value());
    auto& geos = geometry::this_thread_geos();
    const auto polygon = geometry::to_geos(geos, c);
    const geometry::geom_ptr point{GEOSGeom_createPointFromXY_r(geos.get(), p->x, p->y), geometry::geom_deleter{geos.get()}};
    EXPECT_EQ(GEOSContains_r(geos.get(), polygon.get(), point.get()), 1) << p->x << " " << p->y;
    // The widest place is the back of the C, 20 units thick: the point sits mid-way through it.
    EXPECT_NEAR(p->x, 10, 2);

    geometry::geometry line;
    line.type = geometry::kind::line;
    line.parts.push_back({{{0, 0}, {1, 1}}});
    EXPECT_FALSE(geometry::label_point(line).has_value());
    EXPECT_FALSE(geometry::label_point(geometry::geometry{geometry::kind::polygon, false, {}}).has_value());
}

TEST(tiles_labels, every_zoom_has_the_label_in_exactly_one_tile) {
    const auto cat = load_setup("once");
    const auto& tl = cat->find_tileset("labels")->layers.at(0);
    const auto label = *tl.label_points.at(0);
    const auto& feature = cat->find("areas")->features[0];
    // The premise: at zoom 14 the label's pixel is a tile corner, in the buffer of four tiles.
    const auto pixel = geometry::to_pixel_grid(label, 14, 4096);
    ASSERT_EQ(std::fmod(pixel.x, 4096), 0) << pixel.x;
    ASSERT_EQ(std::fmod(pixel.y, 4096), 0) << pixel.y;

    // Every tile over the feature (both parts) at the zooms where that is a few hundred tiles.
    for (int z = 3; z <= 15; ++z) {
        const auto found = labels_in_tiles_over(*cat, feature.mercator_bounds, z, "7");
        EXPECT_EQ(found.size(), 1u) << "zoom " << z;
        if (found.size() != 1) continue;
        const double pixel_metres = 2 * geometry::web_mercator::half_world / std::ldexp(4096.0, z);
        EXPECT_NEAR(found[0].mercator.x, label.x, pixel_metres) << z;
        EXPECT_NEAR(found[0].mercator.y, label.y, pixel_metres) << z;
    }
    // Deeper, the tiles around the label (whose buffers reach it), to the layer's maxzoom; none past it.
    const geometry::box around{label.x, label.y, label.x, label.y};
    for (int z = 16; z <= 20; ++z) EXPECT_EQ(labels_in_tiles_over(*cat, around, z, "7").size(), 1u) << "zoom " << z;
    EXPECT_TRUE(labels_in_tiles_over(*cat, around, 21, "7").empty());
    EXPECT_TRUE(labels_in_tiles_over(*cat, feature.mercator_bounds, 2, "7").empty());
}

TEST(tiles_labels, indre_by_is_named_once_on_its_largest_part_not_on_the_sea_forts) {
    const auto cat = catalog::load_catalog(catalog::load_config(test::copenhagen_config()));
    const auto& ts = *cat->find_tileset("default");
    const auto tl = std::find_if(ts.layers.begin(), ts.layers.end(),
                                 [&](const catalog::tile_layer& t) { return cat->layers[t.layer].id == "districts"; });
    ASSERT_NE(tl, ts.layers.end());
    ASSERT_TRUE(tl->labels);
    const auto& districts = cat->layers[tl->layer];
    const auto f = std::find_if(districts.features.begin(), districts.features.end(),
                                [](const catalog::feature& d) { return d.name == "Indre By"; });
    ASSERT_NE(f, districts.features.end());
    // The premise: Indre By is the old town and, out in the Sound, its sea forts.
    const auto mercator = geometry::web_mercator::from_lonlat(f->lonlat);
    ASSERT_GT(mercator.parts.size(), 1u);
    const auto label = tl->label_points.at(static_cast<std::size_t>(f - districts.features.begin()));
    ASSERT_TRUE(label.has_value());

    auto& geos = geometry::this_thread_geos();
    const geometry::geom_ptr point{GEOSGeom_createPointFromXY_r(geos.get(), label->x, label->y), geometry::geom_deleter{geos.get()}};
    double largest = 0;
    bool in_largest = false;
    for (const auto& part : mercator.parts) {
        const auto g = geometry::to_geos(geos, geometry::geometry{geometry::kind::polygon, false, {part}});
        const double a = geometry::area(geos, g.get());
        if (a > largest) {
            largest = a;
            in_largest = GEOSContains_r(geos.get(), g.get(), point.get()) == 1;
        }
    }
    EXPECT_TRUE(in_largest) << label->x << " " << label->y;
    for (int z : {10, 12, 13}) EXPECT_EQ(labels_in_tiles_over(*cat, f->mercator_bounds, z, f->id, "default", "districts-labels").size(), 1u) << z;
}

TEST(tiles_labels, label_points_carry_the_features_id_properties_and_name) {
    const auto cat = load_setup("properties");
    const auto label = *cat->find_tileset("labels")->layers.at(0).label_points.at(0);
    const auto tile = tile_of(label, 13);
    const std::string mvt = tiles::render_tile(*cat, *cat->find_tileset("labels"), tile, tiles::default_year(*cat));
    auto layers = test::decode_with_gdal(mvt, tile.z, tile.x, tile.y);
    ASSERT_EQ(layers["areas-labels"].size(), 1u);
    const auto& point = layers["areas-labels"][0];
    EXPECT_EQ(point.geometry->getGeometryType(), wkbPoint);
    const test::decoded_feature* polygon = nullptr;
    for (const auto& f : layers["areas"])
        if (f.properties.at("mvt_id") == "7") polygon = &f;
    ASSERT_NE(polygon, nullptr);
    // The polygon's properties (fields, the highlight flag), the same id, and the name beside them.
    auto expected = polygon->properties;
    EXPECT_EQ(expected.at("deprived"), "1");
    EXPECT_EQ(expected.at("navn"), "Indre By");
    EXPECT_FALSE(expected.contains("name"));
    expected["name"] = "Indre By";
    EXPECT_EQ(point.properties, expected);
}

TEST(tiles_labels, a_labels_flag_that_is_not_true_or_false_names_the_file_and_key) {
    const auto dir = write_setup("yes", R"("labels": "yes")");
    const auto e = config_error_of(dir / "kvarter.json");
    EXPECT_THAT(e, HasSubstr((dir / "tiles" / "labels.json").string()));
    EXPECT_THAT(e, HasSubstr("layers[0].labels: expected true or false, got \"yes\""));
    // false is a value like true, and the default.
    EXPECT_EQ(config_error_of(write_setup("false", R"("labels": false)") / "kvarter.json"), "(no error)");
    EXPECT_FALSE(catalog::load_config(write_setup("unsaid", R"("simplify": 1)") / "kvarter.json").tilesets.at(0).layers.at(0).labels);
}

TEST(tiles_labels, labels_on_a_layer_of_points_are_a_config_error) {
    const auto dir = write_setup("points", R"("labels": true}, {"layer": "playgrounds", "labels": true)");
    const auto e = config_error_of(dir / "kvarter.json");
    EXPECT_THAT(e, HasSubstr("layers[1].labels: label points are for polygon layers; layer playgrounds has points"));
}

TEST(tiles_labels, tilejson_lists_the_labels_layer_with_its_fields_and_zooms) {
    const auto dir = write_setup("tilejson");
    const catalog::catalog_holder holder{catalog::load_catalog(catalog::load_config(dir / "kvarter.json")), dir / "kvarter.json"};
    tiles::tile_cache cache{1 << 20};
    const auto routes = tiles::routes(holder, cache);
    const auto route = std::find_if(routes.begin(), routes.end(), [](const auto& r) { return r.pattern == "/tiles/{tileset}/tilejson.json"; });
    ASSERT_NE(route, routes.end());
    http::request req;
    req.headers["host"] = "localhost:8080";
    const auto r = route->handler(req, http::route_params{{{"tileset", "labels"}}});
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto layers = nlohmann::json::parse(r.body).at("vector_layers");
    ASSERT_EQ(layers.size(), 2u);
    EXPECT_EQ(layers[0]["id"], "areas");
    const auto& labels = layers[1];
    EXPECT_EQ(labels["id"], "areas-labels");
    EXPECT_EQ(labels["minzoom"], 3);
    EXPECT_EQ(labels["maxzoom"], 20);
    EXPECT_THAT(labels["description"].get<std::string>(), HasSubstr("one label point per feature"));
    // The layer's fields and the name.
    auto expected = layers[0]["fields"];
    expected["name"] = "String";
    EXPECT_EQ(labels["fields"], expected);
    EXPECT_EQ(labels["fields"]["navn"], "String");
    EXPECT_EQ(labels["fields"]["deprived"], "Boolean");
}

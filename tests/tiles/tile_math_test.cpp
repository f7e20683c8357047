#include "tiles/tile_math.hpp"

#include "core/error.hpp"
#include "geometry/crs_transform.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter;
using namespace kvarter::tiles;

namespace {

constexpr double half_world = 20037508.342789244; // pi * 6378137
constexpr double pi = 3.14159265358979323846;

// Latitude of a Web Mercator northing by the spherical inverse, 2 atan(e^(y/R)) - pi/2: a
// different formula from the implementation's atan(sinh(...)), so the two check each other.
double latitude_of_northing(double y) { return (2 * std::atan(std::exp(y / 6378137.0)) - pi / 2) * 180 / pi; }

std::string parameter_of(const tile_id& t) {
    try {
        validate(t);
    } catch (const bad_request& e) {
        return e.parameter();
    }
    return "";
}

} // namespace

TEST(tile_math, zoom_zero_covers_the_whole_mercator_square) {
    const auto m = mercator_bounds({0, 0, 0});
    EXPECT_DOUBLE_EQ(m.min_x, -half_world);
    EXPECT_DOUBLE_EQ(m.max_x, half_world);
    EXPECT_DOUBLE_EQ(m.min_y, -half_world);
    EXPECT_DOUBLE_EQ(m.max_y, half_world);

    const auto g = lonlat_bounds({0, 0, 0});
    EXPECT_DOUBLE_EQ(g.min_x, -180);
    EXPECT_DOUBLE_EQ(g.max_x, 180);
    EXPECT_NEAR(g.max_y, 85.0511287798066, 1e-10); // the latitude where Web Mercator turns square
    EXPECT_NEAR(g.min_y, -85.0511287798066, 1e-10);
}

TEST(tile_math, a_copenhagen_area_tile_matches_the_formulas) {
    const tile_id t{10, 550, 320};
    const double size = 2 * half_world / 1024; // metres per tile at zoom 10
    const auto m = mercator_bounds(t);
    EXPECT_NEAR(m.min_x, -half_world + 550 * size, 1e-6);
    EXPECT_NEAR(m.max_x, -half_world + 551 * size, 1e-6);
    EXPECT_NEAR(m.max_y, half_world - 320 * size, 1e-6);
    EXPECT_NEAR(m.min_y, half_world - 321 * size, 1e-6);
    EXPECT_NEAR(m.max_x - m.min_x, 39135.75848201024, 1e-6);

    const auto g = lonlat_bounds(t);
    EXPECT_NEAR(g.min_x, 550.0 / 1024 * 360 - 180, 1e-12); // 13.359375
    EXPECT_NEAR(g.max_x, 551.0 / 1024 * 360 - 180, 1e-12);
    EXPECT_NEAR(g.max_y, latitude_of_northing(m.max_y), 1e-10);
    EXPECT_NEAR(g.min_y, latitude_of_northing(m.min_y), 1e-10);
    EXPECT_GT(g.min_y, 55.5); // southern Scandinavia, east of Copenhagen
    EXPECT_LT(g.max_y, 56.0);
}

TEST(tile_math, lonlat_bounds_agree_with_proj_on_the_mercator_corners) {
    const geometry::crs_transform to_lonlat{geometry::make_srs("EPSG:3857"), geometry::make_srs("EPSG:4326")};
    for (const tile_id t : {tile_id{1, 1, 0}, tile_id{10, 550, 320}, tile_id{17, 70416, 40953}, tile_id{22, 0, 4194303}}) {
        const auto m = mercator_bounds(t);
        const auto g = lonlat_bounds(t);
        const auto low = to_lonlat.apply(geometry::xy{m.min_x, m.min_y});
        const auto high = to_lonlat.apply(geometry::xy{m.max_x, m.max_y});
        EXPECT_NEAR(g.min_x, low.x, 1e-9) << t.z << "/" << t.x << "/" << t.y;
        EXPECT_NEAR(g.min_y, low.y, 1e-9) << t.z << "/" << t.x << "/" << t.y;
        EXPECT_NEAR(g.max_x, high.x, 1e-9) << t.z << "/" << t.x << "/" << t.y;
        EXPECT_NEAR(g.max_y, high.y, 1e-9) << t.z << "/" << t.x << "/" << t.y;
    }
}

TEST(tile_math, neighbouring_tiles_share_edges_and_rows_go_down) {
    const auto a = mercator_bounds({10, 550, 320});
    const auto right = mercator_bounds({10, 551, 320});
    const auto below = mercator_bounds({10, 550, 321});
    EXPECT_DOUBLE_EQ(a.max_x, right.min_x);
    EXPECT_DOUBLE_EQ(a.min_y, below.max_y);
    EXPECT_LT(below.max_y, a.max_y);
}

TEST(tile_math, validation_names_the_bad_coordinate) {
    EXPECT_TRUE((tile_id{0, 0, 0}.valid()));
    EXPECT_TRUE((tile_id{22, 4194303, 4194303}.valid()));
    EXPECT_FALSE((tile_id{23, 0, 0}.valid()));
    EXPECT_FALSE((tile_id{-1, 0, 0}.valid()));
    EXPECT_FALSE((tile_id{0, 1, 0}.valid()));
    EXPECT_FALSE((tile_id{10, 550, 1024}.valid()));
    EXPECT_EQ(parameter_of({23, 0, 0}), "z");
    EXPECT_EQ(parameter_of({-1, 0, 0}), "z");
    EXPECT_EQ(parameter_of({10, 1024, 0}), "x");
    EXPECT_EQ(parameter_of({10, 0, 1024}), "y");
    EXPECT_EQ(parameter_of({10, 1023, 1023}), "");
    EXPECT_THROW(mercator_bounds({3, 8, 0}), bad_request);
    EXPECT_THROW(lonlat_bounds({3, 0, 8}), bad_request);
    EXPECT_THROW(tile_transform({3, 0, 8}), bad_request);
}

TEST(tile_math, the_transform_puts_the_top_left_corner_at_the_origin_with_y_down) {
    const tile_id t{10, 550, 320};
    const auto m = mercator_bounds(t);
    const tile_transform to_tile{t};
    EXPECT_EQ(to_tile.extent(), 4096u);
    EXPECT_EQ(to_tile.apply(geometry::xy{m.min_x, m.max_y}), (geometry::xy{0, 0}));
    EXPECT_EQ(to_tile.apply(geometry::xy{m.max_x, m.min_y}), (geometry::xy{4096, 4096}));
    EXPECT_EQ(to_tile.apply(geometry::xy{m.min_x, m.min_y}), (geometry::xy{0, 4096})); // south is down
    EXPECT_EQ(to_tile.apply(geometry::xy{(m.min_x + m.max_x) / 2, (m.min_y + m.max_y) / 2}), (geometry::xy{2048, 2048}));
    // North of and west of the tile: negative, as a buffer beyond the edge needs.
    EXPECT_EQ(to_tile.apply(geometry::xy{m.min_x - (m.max_x - m.min_x) / 4, m.max_y + (m.max_y - m.min_y) / 4}),
              (geometry::xy{-1024, -1024}));

    const tile_transform small{t, 512};
    EXPECT_EQ(small.apply(geometry::xy{m.max_x, m.min_y}), (geometry::xy{512, 512}));
}

TEST(tile_math, the_transform_rounds_to_the_nearest_unit_on_both_sides_of_zero) {
    const tile_id t{0, 0, 0};
    const tile_transform to_tile{t, 4096};
    const double unit = 2 * half_world / 4096;
    const auto at = [&](double ux, double uy) { return to_tile.apply(geometry::xy{-half_world + ux * unit, half_world - uy * unit}); };
    EXPECT_EQ(at(10.4, 20.6), (geometry::xy{10, 21}));
    EXPECT_EQ(at(-10.4, -20.6), (geometry::xy{-10, -21}));
    EXPECT_EQ(at(0.45, -0.45), (geometry::xy{0, 0}));
    EXPECT_EQ(at(0.55, -0.55), (geometry::xy{1, -1}));
    for (const auto& p : {at(1234.49, 77.51), at(-0.3, 4095.7)}) {
        EXPECT_EQ(p.x, std::round(p.x));
        EXPECT_EQ(p.y, std::round(p.y));
    }
}

TEST(tile_math, transforming_a_geometry_keeps_its_shape) {
    const tile_id t{10, 550, 320};
    const auto m = mercator_bounds(t);
    geometry::geometry g;
    g.type = geometry::kind::polygon;
    g.multi = true;
    g.parts.push_back({{{m.min_x, m.max_y}, {m.max_x, m.max_y}, {m.max_x, m.min_y}, {m.min_x, m.max_y}}});
    const auto out = tile_transform{t}.apply(g);
    EXPECT_EQ(out.type, geometry::kind::polygon);
    EXPECT_TRUE(out.multi);
    ASSERT_EQ(out.parts.size(), 1u);
    ASSERT_EQ(out.parts[0].size(), 1u);
    EXPECT_EQ(out.parts[0][0], (geometry::path{{0, 0}, {4096, 0}, {4096, 4096}, {0, 0}}));
}

#include "geometry/web_mercator.hpp"

#include "geometry/crs_transform.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter::geometry;

namespace {

// PROJ's EPSG:3857 is the independent reference for the formulas written out in web_mercator.
const crs_transform& proj_to_mercator() {
    static const crs_transform t{make_srs("EPSG:4326"), make_srs("EPSG:3857")};
    return t;
}

} // namespace

TEST(web_mercator, half_world_is_pi_times_the_wgs84_semi_major_axis) {
    EXPECT_DOUBLE_EQ(web_mercator::half_world, 20037508.342789244);
    EXPECT_NEAR(web_mercator::from_lonlat({180, 0}).x, web_mercator::half_world, 1e-6);
    // max_latitude is where y reaches the edge of the square.
    EXPECT_NEAR(web_mercator::from_lonlat({0, web_mercator::max_latitude}).y, web_mercator::half_world, 1e-3);
}

TEST(web_mercator, lonlat_to_metres_matches_proj_within_a_millimetre) {
    for (const xy p : {xy{12.5683, 55.6761}, xy{-74.0, 40.7}, xy{151.2, -33.9}, xy{0, 0}, xy{-179.9, 84.0}}) {
        const xy ours = web_mercator::from_lonlat(p);
        const xy proj = proj_to_mercator().apply(p);
        EXPECT_NEAR(ours.x, proj.x, 1e-3) << p.x << " " << p.y;
        EXPECT_NEAR(ours.y, proj.y, 1e-3) << p.x << " " << p.y;
    }
}

TEST(web_mercator, metres_to_lonlat_inverts_it) {
    for (const xy p : {xy{12.5683, 55.6761}, xy{-74.0, 40.7}, xy{151.2, -33.9}, xy{0, 0}}) {
        const xy back = web_mercator::to_lonlat(web_mercator::from_lonlat(p));
        EXPECT_NEAR(back.x, p.x, 1e-9);
        EXPECT_NEAR(back.y, p.y, 1e-9);
    }
}

TEST(web_mercator, latitudes_past_the_square_are_clamped_to_its_edge) {
    EXPECT_NEAR(web_mercator::from_lonlat({0, 89.99}).y, web_mercator::half_world, 1e-3);
    EXPECT_NEAR(web_mercator::from_lonlat({0, -90}).y, -web_mercator::half_world, 1e-3);
    EXPECT_TRUE(std::isfinite(web_mercator::from_lonlat({0, 90}).y));
}

TEST(web_mercator, tile_bounds_tile_the_square_with_row_zero_on_top) {
    const box world = web_mercator::tile_bounds(0, 0, 0);
    EXPECT_DOUBLE_EQ(world.min_x, -web_mercator::half_world);
    EXPECT_DOUBLE_EQ(world.max_y, web_mercator::half_world);
    EXPECT_DOUBLE_EQ(web_mercator::tile_size(0), 2 * web_mercator::half_world);
    const box top_right = web_mercator::tile_bounds(1, 1, 0);
    EXPECT_DOUBLE_EQ(top_right.min_x, 0);
    EXPECT_DOUBLE_EQ(top_right.min_y, 0);
    EXPECT_DOUBLE_EQ(top_right.max_x, web_mercator::half_world);
    // Neighbours share their edge exactly.
    EXPECT_DOUBLE_EQ(web_mercator::tile_bounds(14, 8787, 5130).max_x, web_mercator::tile_bounds(14, 8788, 5130).min_x);
    EXPECT_DOUBLE_EQ(web_mercator::tile_bounds(14, 8787, 5130).min_y, web_mercator::tile_bounds(14, 8787, 5131).max_y);
}

TEST(web_mercator, the_tile_holding_a_point_holds_its_metres) {
    const xy city_hall{12.5683, 55.6761};
    for (int z : {0, 5, 12, 14, 18}) {
        const auto x = web_mercator::tile_column(city_hall.x, z), y = web_mercator::tile_row(city_hall.y, z);
        const box b = web_mercator::tile_bounds(z, x, y);
        const xy m = web_mercator::from_lonlat(city_hall);
        EXPECT_TRUE(b.min_x <= m.x && m.x < b.max_x && b.min_y < m.y && m.y <= b.max_y) << "z" << z;
    }
    EXPECT_EQ(web_mercator::tile_column(12.5683, 14), 8763u); // Copenhagen at z14, as any slippy map names it
    EXPECT_EQ(web_mercator::tile_row(55.6761, 14), 5128u);
}

TEST(web_mercator, points_beyond_the_pyramid_fall_in_its_edge_tiles) {
    EXPECT_EQ(web_mercator::tile_column(180, 3), 7u);
    EXPECT_EQ(web_mercator::tile_column(-180, 3), 0u);
    EXPECT_EQ(web_mercator::tile_row(89.0, 3), 0u);
    EXPECT_EQ(web_mercator::tile_row(-90.0, 3), 7u);
}

// The zoom's pixel grid the tiles are cut from: where known mercator points land, that a tile's
// grid is the zoom's shifted by whole pixels, and that a polygon rounding folds is repaired.

#include "geometry/pixel_grid.hpp"
#include "tiles/tile_math.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter;
using geometry::kind;

namespace {

geometry::geometry polygon(std::vector<geometry::xy> ring) {
    geometry::geometry g;
    g.type = kind::polygon;
    g.parts = {{std::move(ring)}};
    return g;
}

} // namespace

TEST(pixel_grid, corners_and_centre_of_the_world) {
    const double h = tiles::mercator_half_world;
    geometry::geometry g;
    g.type = kind::point;
    g.parts = {{{{-h, h}}}, {{{0, 0}}}, {{{h, -h}}}};
    const auto at3 = geometry::to_pixel_grid(g, 3, 4096);
    EXPECT_EQ(at3.parts[0][0][0], (geometry::xy{0, 0})) << "top-left, y down";
    EXPECT_EQ(at3.parts[1][0][0], (geometry::xy{4 * 4096, 4 * 4096}));
    EXPECT_EQ(at3.parts[2][0][0], (geometry::xy{8 * 4096, 8 * 4096}));
}

TEST(pixel_grid, a_tile_grid_is_the_zoom_grid_shifted_by_whole_pixels) {
    // Copenhagen's city hall at zoom 14, against the per-tile transform the tiles used before.
    const geometry::xy m{1397000.5, 7492000.25};
    const tiles::tile_id t{14, 8765, 5128};
    geometry::geometry g;
    g.type = kind::point;
    g.parts = {{{m}}};
    const auto global = geometry::to_pixel_grid(g, 14, 4096).parts[0][0][0];
    const auto local = tiles::tile_transform{t}.apply(m);
    EXPECT_EQ(global.x - t.x * 4096.0, local.x);
    EXPECT_EQ(global.y - t.y * 4096.0, local.y);
}

TEST(pixel_grid, a_polygon_rounding_folded_is_repaired) {
    // A bow tie, as rounding makes of a thin sliver: GEOS finds it invalid.
    const auto fixed = geometry::snapped_valid(polygon({{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}));
    ASSERT_FALSE(fixed.empty());
    EXPECT_EQ(fixed.parts.size(), 2u) << "two triangles";
    for (const auto& part : fixed.parts)
        for (const auto& p : part[0]) {
            EXPECT_EQ(p.x, std::round(p.x));
            EXPECT_EQ(p.y, std::round(p.y));
        }
    const auto square = polygon({{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}});
    EXPECT_EQ(geometry::snapped_valid(square).parts, square.parts) << "a valid polygon comes back as it was";
}

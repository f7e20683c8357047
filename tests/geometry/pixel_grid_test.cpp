// The zoom's pixel grid the tiles are cut from: where known mercator points land, that a tile's
// grid is the zoom's shifted by whole pixels, and that a polygon rounding folds is repaired.

#include "geometry/geos.hpp"
#include "geometry/pixel_grid.hpp"
#include "geometry/web_mercator.hpp"
#include "tiles/tile_math.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

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
    const double h = geometry::web_mercator::half_world;
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

TEST(pixel_grid, plainly_valid_never_calls_an_invalid_polygon_valid) {
    // Random small rings on a 6 x 6 grid (many repeats, folds, touches and crossings), alone,
    // with a hole, or beside a second part: whatever plainly_valid accepts, GEOS must accept.
    std::mt19937 rng{2026};
    std::uniform_int_distribution<int> coord{0, 5}, count{3, 8}, shape{0, 2};
    auto ring = [&](int dx, int dy) {
        geometry::path r;
        const int n = count(rng);
        for (int i = 0; i < n; ++i) r.push_back({double(coord(rng) + dx), double(coord(rng) + dy)});
        r.push_back(r.front());
        return r;
    };
    auto& geos = geometry::this_thread_geos();
    int accepted = 0, valid = 0;
    for (int round = 0; round < 20000; ++round) {
        geometry::geometry g;
        g.type = kind::polygon;
        g.parts.push_back({ring(0, 0)});
        const int s = shape(rng);
        if (s == 1) g.parts[0].push_back(ring(0, 0));
        if (s == 2) g.parts.push_back({ring(3, 3)});
        const bool is_valid = geometry::invalid_reason(geos, geometry::to_geos(geos, g).get()).empty();
        valid += is_valid;
        if (geometry::plainly_valid(g)) {
            ++accepted;
            ASSERT_TRUE(is_valid) << "round " << round << ": plainly_valid accepted what GEOS calls invalid";
        }
    }
    EXPECT_GT(accepted, valid / 4) << "it should spare GEOS a fair share of the valid ones (" << accepted << " of " << valid << ")";
}

TEST(pixel_grid, plainly_valid_accepts_the_common_shapes) {
    auto square = [](double x, double y, double s) {
        return geometry::path{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}};
    };
    geometry::geometry g;
    g.type = kind::polygon;
    g.parts = {{square(0, 0, 10), square(2, 2, 3), square(6, 6, 2)}, {square(20, 0, 5)}};
    EXPECT_TRUE(geometry::plainly_valid(g)) << "a square with two holes beside another square";
    g.parts = {{square(0, 0, 10), square(12, 0, 2)}};
    EXPECT_FALSE(geometry::plainly_valid(g)) << "a hole outside its shell";
    g.parts = {{square(0, 0, 10)}, {square(2, 2, 2)}};
    EXPECT_FALSE(geometry::plainly_valid(g)) << "a part inside another";
    g.parts = {{square(0, 0, 10), square(1, 1, 6), square(2, 2, 2)}};
    EXPECT_FALSE(geometry::plainly_valid(g)) << "a hole inside a hole";
    g.parts = {{{{0, 0}, {10, 0}, {10, 10}, {10, 5}, {0, 10}, {0, 0}}}};
    EXPECT_FALSE(geometry::plainly_valid(g)) << "a spike folding back";
}

#include "geometry/box_predicate.hpp"

#include <gtest/gtest.h>

using namespace kvarter::geometry;

namespace {

geometry polygon(std::vector<path> rings) {
    geometry g;
    g.type = kind::polygon;
    g.parts.push_back(std::move(rings));
    return g;
}

} // namespace

TEST(box_predicate, an_l_shape_misses_a_box_inside_its_bounds_but_outside_its_area) {
    const auto l = polygon({{{0, 0}, {10, 0}, {10, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}});
    EXPECT_FALSE(intersects(l, {5, 5, 8, 8}));
    EXPECT_TRUE(intersects(l, {5, 1, 8, 8})); // an edge crosses
    EXPECT_TRUE(intersects(l, {0.5, 0.5, 1, 1})); // inside
}

TEST(box_predicate, a_polygon_holding_the_whole_box_intersects_it) {
    const auto square = polygon({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}});
    EXPECT_TRUE(intersects(square, {4, 4, 5, 5}));
}

TEST(box_predicate, a_box_inside_a_hole_does_not_intersect) {
    const auto ring = polygon({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}});
    EXPECT_FALSE(intersects(ring, {4, 4, 5, 5}));
    EXPECT_TRUE(intersects(ring, {1, 4, 5, 5}));
}

TEST(box_predicate, points_and_lines) {
    geometry pt;
    pt.type = kind::point;
    pt.parts.push_back({{{3, 3}}});
    EXPECT_TRUE(intersects(pt, {0, 0, 3, 3}));
    EXPECT_FALSE(intersects(pt, {0, 0, 2.9, 2.9}));
    geometry line;
    line.type = kind::line;
    line.parts.push_back({{{-5, 5}, {15, 5}}});
    EXPECT_TRUE(intersects(line, {0, 0, 10, 10})); // crosses without a vertex inside
    EXPECT_FALSE(intersects(line, {0, 6, 10, 10}));
}

// Counting a polygon's self-crossings, the measure of what repairing it would cost.

#include "geometry/crossings.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter::geometry;

namespace {

geometry polygon(const path& ring) { return {kind::polygon, false, {{ring}}}; }

// The star polygon {n/k}: n points on a circle joined every k-th.
geometry star(int n, int k) {
    path ring;
    for (int i = 0; i <= n; ++i) {
        const double a = 2 * M_PI * ((i * k) % n) / n;
        ring.push_back({std::cos(a), std::sin(a)});
    }
    return polygon(ring);
}

} // namespace

TEST(crossings, a_square_has_none_and_a_bow_tie_one) {
    EXPECT_EQ(count_crossings(polygon({{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}), 10), 0u);
    EXPECT_EQ(count_crossings(polygon({{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}), 10), 1u);
}

TEST(crossings, a_pentagram_crosses_five_times) { EXPECT_EQ(count_crossings(star(5, 2), 100), 5u); }

TEST(crossings, counting_stops_just_past_the_budget) {
    // {801/400} crosses itself about n²/4 times; the count stops at budget + 1.
    EXPECT_EQ(count_crossings(star(801, 400), 1000), 1001u);
    EXPECT_GT(count_crossings(star(101, 50), 100000), 2000u);
}

TEST(crossings, a_hole_touching_nothing_adds_none) {
    geometry g = polygon({{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}});
    g.parts[0].push_back({{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}});
    EXPECT_EQ(count_crossings(g, 10), 0u);
    g.parts[0].push_back({{8, 5}, {12, 5}, {12, 6}, {8, 6}, {8, 5}}); // a hole sticking out: two crossings
    EXPECT_EQ(count_crossings(g, 10), 2u);
}

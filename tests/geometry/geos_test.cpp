#include "core/error.hpp"
#include "geometry/geos.hpp"

#include <gtest/gtest.h>

using namespace kvarter::geometry;

TEST(geos, a_bow_tie_is_invalid_and_repairs_into_two_triangles_of_the_same_area) {
    auto& ctx = this_thread_geos();
    auto bow = from_wkt(ctx, "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))");
    EXPECT_NE(invalid_reason(ctx, bow.get()), "");
    auto fixed = make_valid(ctx, bow.get());
    EXPECT_EQ(invalid_reason(ctx, fixed.get()), "");
    const geometry g = from_geos(ctx, fixed.get(), kind::polygon);
    ASSERT_EQ(g.parts.size(), 2u);
    EXPECT_DOUBLE_EQ(area(ctx, fixed.get()), 50.0);
}

TEST(geos, collapsed_parts_are_dropped_when_keeping_polygons) {
    auto& ctx = this_thread_geos();
    auto mixed = from_wkt(ctx, "GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 1,0 0)), LINESTRING(5 5, 6 6), POINT(9 9))");
    EXPECT_EQ(dominant_kind(ctx, mixed.get()), kind::polygon);
    const geometry g = from_geos(ctx, mixed.get(), kind::polygon);
    ASSERT_EQ(g.parts.size(), 1u);
    EXPECT_EQ(g.parts[0].size(), 1u);
}

TEST(geos, plain_values_round_trip_through_geos) {
    auto& ctx = this_thread_geos();
    auto in = from_wkt(ctx, "MULTIPOLYGON(((0 0,10 0,10 10,0 10,0 0),(2 2,2 4,4 4,4 2,2 2)),((20 0,30 0,30 5,20 0)))");
    const geometry g = from_geos(ctx, in.get(), kind::polygon);
    EXPECT_TRUE(g.multi);
    auto out = to_geos(ctx, g);
    EXPECT_EQ(GEOSEqualsExact_r(ctx.get(), in.get(), out.get(), 0), 1);
    EXPECT_DOUBLE_EQ(area(ctx, out.get()), 100 - 4 + 25);
}

TEST(geos, rings_are_wound_counter_clockwise_outside_and_clockwise_inside) {
    geometry g;
    g.type = kind::polygon;
    // A clockwise exterior and a counter-clockwise hole: both wrong for RFC 7946.
    g.parts.push_back({{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}, {{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}});
    orient_rings(g);
    EXPECT_GT(signed_area(g.parts[0][0]), 0);
    EXPECT_LT(signed_area(g.parts[0][1]), 0);
}

TEST(geos, a_null_result_throws_with_the_message_geos_gave) {
    auto& ctx = this_thread_geos();
    EXPECT_THROW(from_wkt(ctx, "POLYGON((0 0, 1 1"), kvarter::geometry_error);
}

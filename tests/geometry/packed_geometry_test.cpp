#include "geometry/packed_geometry.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <limits>

using namespace kvarter::geometry;

namespace {

geometry polygon_with_hole() {
    geometry g;
    g.type = kind::polygon;
    g.parts = {{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {2, 2}}},
               {{{20, -5}, {30, -5}, {30, 5}, {20, -5}}}};
    g.multi = true;
    return g;
}

} // namespace

TEST(packed_geometry, gives_back_what_was_pushed_with_its_box) {
    packed_geometries zoom;
    geometry line;
    line.type = kind::line;
    line.parts = {{{{1, 1}, {2, 3}}}};
    zoom.push_back(polygon_with_hole());
    zoom.push_back(geometry{});
    zoom.push_back(line);
    ASSERT_EQ(zoom.size(), 3u);

    const auto back = zoom.at(0);
    EXPECT_EQ(back.type, kind::polygon);
    EXPECT_TRUE(back.multi);
    EXPECT_EQ(back.parts, polygon_with_hole().parts);
    EXPECT_EQ(zoom.bounds(0).min_x, 0);
    EXPECT_EQ(zoom.bounds(0).min_y, -5);
    EXPECT_EQ(zoom.bounds(0).max_x, 30);
    EXPECT_EQ(zoom.bounds(0).max_y, 10);

    EXPECT_TRUE(zoom.empty(1));
    EXPECT_TRUE(zoom.bounds(1).empty());
    EXPECT_FALSE(zoom.bounds(1).intersects(box{-100, -100, 100, 100})) << "an empty geometry is in no tile";
    EXPECT_EQ(zoom.at(1).parts.size(), 0u);

    EXPECT_EQ(zoom.type(2), kind::line);
    EXPECT_FALSE(zoom.at(2).multi);
    EXPECT_EQ(zoom.at(2).parts, line.parts);
    EXPECT_EQ(zoom.vertex_count(), 5u + 4u + 4u + 2u);
}

TEST(packed_geometry, visits_paths_part_by_part_with_their_place_in_the_part) {
    packed_geometries zoom;
    zoom.push_back(polygon_with_hole());
    std::vector<std::pair<std::size_t, std::size_t>> seen; // (points, index in part)
    zoom.for_each_path(0, [&](packed_path path, std::size_t index) { seen.emplace_back(path.size(), index); });
    EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::size_t>>{{5, 0}, {4, 1}, {4, 0}}));
}

TEST(packed_geometry, boxes_test_against_tiles) {
    packed_geometries zoom;
    zoom.push_back(polygon_with_hole());
    EXPECT_TRUE(zoom.bounds(0).intersects(box{30, 10, 40, 40})) << "touching counts";
    EXPECT_FALSE(zoom.bounds(0).intersects(box{31, 0, 40, 40}));
    EXPECT_TRUE(zoom.bounds(0).inside(box{0, -5, 30, 10}));
    EXPECT_FALSE(zoom.bounds(0).inside(box{0.5, -5, 30, 10}));
}

TEST(packed_geometry, refuses_what_is_not_a_whole_32_bit_number) {
    packed_geometries zoom;
    geometry g;
    g.type = kind::point;
    g.parts = {{{{0.5, 1}}}};
    EXPECT_THROW(zoom.push_back(g), kvarter::geometry_error);
    g.parts = {{{{4294967296.0, 1}}}};
    EXPECT_THROW(zoom.push_back(g), kvarter::geometry_error);
    g.parts = {{{{std::numeric_limits<double>::quiet_NaN(), 1}}}};
    EXPECT_THROW(zoom.push_back(g), kvarter::geometry_error);
}

TEST(packed_geometry, takes_a_quarter_of_the_bytes_of_a_geometry_vector_or_less) {
    // 4 bytes a vertex (16-bit offsets from the box's corner) plus offsets: a 10-vertex ring costs
    // about 70 bytes, not 16 a vertex plus three heap blocks.
    packed_geometries zoom;
    geometry g;
    g.type = kind::polygon;
    g.parts = {{{{0, 0}, {1, 0}, {2, 0}, {3, 1}, {3, 2}, {3, 3}, {2, 3}, {1, 3}, {0, 2}, {0, 0}}}};
    for (int i = 0; i < 1000; ++i) zoom.push_back(g);
    zoom.shrink_to_fit();
    EXPECT_LE(zoom.bytes(), 1000u * (10 * 4 + 3 * 4 + 1 + 16) + 64);
}

TEST(packed_geometry, wide_and_narrow_geometries_come_back_exactly_side_by_side) {
    // Spans of 2^16 - 1 (narrow: 16-bit offsets reach it) and 2^16 (wide), far from the origin and
    // below it, between and around small ones.
    auto square = [](double x, double y, double side) {
        geometry g;
        g.type = kind::polygon;
        g.parts = {{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}}};
        return g;
    };
    const std::vector<geometry> in{square(-2147483648.0, -7, 65535), square(5, 5, 1), square(-100000, 2000000000, 65536),
                                   polygon_with_hole(), square(2147418112.0, 2147418112.0, 65535)};
    packed_geometries zoom;
    for (const auto& g : in) zoom.push_back(g);
    ASSERT_EQ(zoom.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(zoom.at(i).parts, in[i].parts) << i;
        std::vector<path> visited;
        zoom.for_each_path(i, [&](packed_path p, std::size_t) {
            path& out = visited.emplace_back();
            for (const auto& c : p) out.push_back({static_cast<double>(c.x), static_cast<double>(c.y)});
        });
        std::vector<path> expected;
        for (const auto& part : in[i].parts) expected.insert(expected.end(), part.begin(), part.end());
        EXPECT_EQ(visited, expected) << i;
    }
    EXPECT_EQ(zoom.bounds(2).max_x, -100000 + 65536);
}

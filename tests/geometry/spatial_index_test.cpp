#include "geometry/spatial_index.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace kvarter::geometry;

TEST(spatial_index, answers_exactly_what_a_full_scan_answers) {
    std::mt19937 rng{42};
    std::uniform_real_distribution<double> pos{0, 1000}, size{0, 30};
    std::vector<box> items;
    for (int i = 0; i < 5000; ++i) {
        const double x = pos(rng), y = pos(rng);
        items.push_back({x, y, x + size(rng), y + size(rng)});
    }
    items.push_back(box{}); // a feature without geometry never matches
    const spatial_index index{items};
    for (int q = 0; q < 200; ++q) {
        const double x = pos(rng), y = pos(rng);
        const box query{x, y, x + size(rng) * 3, y + size(rng) * 3};
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < items.size(); ++i)
            if (items[i].intersects(query)) expected.push_back(i);
        EXPECT_EQ(index.query(query), expected);
    }
}

TEST(spatial_index, empty_and_single_item_indexes_work) {
    EXPECT_TRUE(spatial_index{}.query({0, 0, 1, 1}).empty());
    EXPECT_TRUE(spatial_index{std::vector<box>{}}.query({0, 0, 1, 1}).empty());
    const spatial_index one{std::vector<box>{{0, 0, 1, 1}}};
    EXPECT_EQ(one.query({0.5, 0.5, 2, 2}), std::vector<std::uint32_t>{0});
    EXPECT_TRUE(one.query({2, 2, 3, 3}).empty());
}

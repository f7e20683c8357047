// The interning table under the MVT encoder's keys and values: indices in first-seen order,
// equal strings once, growth past many rehashes, and truncation that forgets exactly the tail.

#include "tiles/string_table.hpp"

#include <gtest/gtest.h>

#include <string>

using kvarter::tiles::detail::string_table;

TEST(string_table, interns_in_first_seen_order) {
    string_table t;
    EXPECT_EQ(t.intern("b"), 0u);
    EXPECT_EQ(t.intern("a"), 1u);
    EXPECT_EQ(t.intern("b"), 0u);
    EXPECT_EQ(t.intern(""), 2u) << "the empty string is an entry like any other";
    EXPECT_EQ(t.intern(std::string_view{"a\0b", 3}), 3u) << "bytes, not C strings";
    EXPECT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0], "b");
    EXPECT_EQ(t[2], "");
    EXPECT_EQ(t[3], std::string_view("a\0b", 3));
}

TEST(string_table, stays_right_through_growth) {
    string_table t;
    for (int i = 0; i < 100000; ++i) ASSERT_EQ(t.intern("value " + std::to_string(i)), static_cast<std::uint32_t>(i));
    for (int i = 0; i < 100000; i += 997) EXPECT_EQ(t.intern("value " + std::to_string(i)), static_cast<std::uint32_t>(i));
    EXPECT_EQ(t.size(), 100000u);
    EXPECT_EQ(t[54321], "value 54321");
}

TEST(string_table, truncate_forgets_exactly_the_tail) {
    string_table t;
    for (const char* s : {"x", "y", "z"}) t.intern(s);
    t.truncate(1);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.intern("x"), 0u);
    EXPECT_EQ(t.intern("z"), 1u) << "z was forgotten and comes back at the end";
    EXPECT_EQ(t[1], "z");
    t.truncate(5);
    EXPECT_EQ(t.size(), 2u) << "truncating past the end changes nothing";
    t.truncate(0);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.intern("y"), 0u);
}

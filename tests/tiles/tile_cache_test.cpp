#include "tiles/tile_cache.hpp"

#include "http/gzip.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace kvarter::tiles;

namespace {

// A tile whose cache size is easy to count: `n` raw bytes and no gzipped copy.
std::shared_ptr<const cached_tile> tile_of(std::size_t n, char fill = 'x') {
    return std::make_shared<const cached_tile>(cached_tile{std::string(n, fill), "", "\"t\""});
}

// What one entry costs the cache: its bytes, its key and a fixed 64 for the bookkeeping.
constexpr std::size_t cost(std::size_t raw, std::size_t key) { return raw + key + 64; }

} // namespace

TEST(tile_cache, counts_the_bytes_of_what_it_holds) {
    tile_cache cache{1 << 20};
    cache.insert("0/0/0", 1, tile_of(1000));
    cache.insert("1/0/0", 1, tile_of(500));
    EXPECT_EQ(cache.entries(), 2u);
    EXPECT_EQ(cache.bytes(), cost(1000, 5) + cost(500, 5));
    cache.insert("1/0/0", 1, tile_of(200)); // replaced, not added
    EXPECT_EQ(cache.entries(), 2u);
    EXPECT_EQ(cache.bytes(), cost(1000, 5) + cost(200, 5));
}

TEST(tile_cache, evicts_the_least_recently_used_until_the_bytes_fit) {
    // Room for three 1000-byte tiles, not four.
    tile_cache cache{3 * cost(1000, 1) + 10};
    cache.insert("a", 1, tile_of(1000));
    cache.insert("b", 1, tile_of(1000));
    cache.insert("c", 1, tile_of(1000));
    ASSERT_NE(cache.find("a", 1), nullptr); // a is now the most recently used; b the least
    cache.insert("d", 1, tile_of(1000));
    EXPECT_EQ(cache.entries(), 3u);
    EXPECT_LE(cache.bytes(), 3 * cost(1000, 1) + 10);
    EXPECT_EQ(cache.find("b", 1), nullptr) << "the least recently used goes first";
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_NE(cache.find("c", 1), nullptr);
    EXPECT_NE(cache.find("d", 1), nullptr);

    // One big tile pushes out as many small ones as it needs, least recently used first: after
    // the finds above that is a, then c, then d, and 2500 bytes leave room for none of them.
    cache.insert("e", 1, tile_of(2500));
    EXPECT_LE(cache.bytes(), 3 * cost(1000, 1) + 10);
    EXPECT_NE(cache.find("e", 1), nullptr);
    EXPECT_EQ(cache.find("c", 1), nullptr);
    EXPECT_EQ(cache.find("a", 1), nullptr);
    EXPECT_EQ(cache.entries(), 1u);
}

TEST(tile_cache, a_tile_larger_than_the_whole_cache_is_not_kept_and_evicts_nothing) {
    tile_cache cache{cost(1000, 1)};
    cache.insert("a", 1, tile_of(1000));
    cache.insert("b", 1, tile_of(1001));
    EXPECT_EQ(cache.find("b", 1), nullptr);
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_EQ(cache.bytes(), cost(1000, 1));
}

TEST(tile_cache, gzipped_bytes_count_too) {
    const auto t = make_cached_tile(std::string(5000, 'm') + "varied tail 0123456789");
    ASSERT_FALSE(t->gzipped.empty());
    EXPECT_EQ(kvarter::http::gunzip(t->gzipped), t->raw);
    tile_cache cache{1 << 20};
    cache.insert("k", 1, t);
    EXPECT_EQ(cache.bytes(), t->raw.size() + t->gzipped.size() + 1 + 64);
}

TEST(tile_cache, a_new_catalog_generation_empties_it) {
    tile_cache cache{1 << 20};
    cache.insert("a", 1, tile_of(100));
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_EQ(cache.find("a", 2), nullptr);
    EXPECT_EQ(cache.entries(), 0u);
    EXPECT_EQ(cache.bytes(), 0u);
    EXPECT_EQ(cache.hits(), 1u);
    EXPECT_EQ(cache.misses(), 1u);
}

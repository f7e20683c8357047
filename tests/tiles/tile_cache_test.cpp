#include "tiles/tile_cache.hpp"

#include "http/gzip.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace kvarter::tiles;

namespace {

// A tile whose cache size is easy to count: `n` raw bytes and no gzipped copy.
std::shared_ptr<const cached_tile> tile_of(std::size_t n, char fill = 'x') { return make_cached_tile(std::string(n, fill)); }

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

TEST(tile_cache, a_tile_is_gzipped_only_when_asked_and_then_its_copy_counts_too) {
    const auto t = make_cached_tile(std::string(5000, 'm') + "varied tail 0123456789");
    tile_cache cache{1 << 20};
    cache.insert("k", 1, t);
    EXPECT_EQ(cache.bytes(), cost(t->raw().size(), 1)) << "no gzipped copy before a client asks";
    const std::string& zipped = cache.gzipped(t);
    ASSERT_FALSE(zipped.empty());
    EXPECT_EQ(kvarter::http::gunzip(zipped), t->raw());
    EXPECT_EQ(cache.bytes(), cost(t->raw().size(), 1) + zipped.size());
    EXPECT_EQ(&cache.gzipped(t), &zipped) << "compressed once, then kept";
    EXPECT_EQ(cache.bytes(), cost(t->raw().size(), 1) + zipped.size()) << "and counted once";
}

TEST(tile_cache, a_tile_under_two_keys_counts_its_bytes_once) {
    const auto t = tile_of(1000);
    tile_cache cache{1 << 20};
    cache.insert("tile", 1, t);
    cache.insert("tile#proposals", 1, t);
    EXPECT_EQ(cache.entries(), 2u);
    EXPECT_EQ(cache.bytes(), 1000 + (4 + 64) + (14 + 64));
    cache.gzipped(t);
    const auto zipped = t->gzipped().size();
    EXPECT_EQ(cache.bytes(), 1000 + zipped + (4 + 64) + (14 + 64));
    // Evicting one entry keeps the bytes the other still holds; evicting both frees them.
    tile_cache small{1000 + zipped + (4 + 64) + (14 + 64)};
    small.insert("tile", 1, t);
    small.insert("tile#proposals", 1, t);
    small.gzipped(t);
    small.insert("x", 1, tile_of(3)); // as much as the entry "tile" costs without the tile's bytes
    EXPECT_EQ(small.find("tile", 1), nullptr) << "the least recently used went";
    EXPECT_NE(small.find("tile#proposals", 1), nullptr);
    EXPECT_EQ(small.bytes(), 1000 + zipped + (14 + 64) + cost(3, 1));
    small.insert("y", 1, tile_of(1000)); // x, then the last holder of the tile, make room
    EXPECT_EQ(small.find("tile#proposals", 1), nullptr);
    EXPECT_EQ(small.bytes(), cost(1000, 1));
}

TEST(tile_cache, a_tile_put_again_under_its_own_key_stays_counted_once) {
    const auto t = tile_of(300);
    tile_cache cache{1 << 20};
    cache.insert("k", 1, t);
    cache.insert("k", 1, t);
    EXPECT_EQ(cache.entries(), 1u);
    EXPECT_EQ(cache.bytes(), cost(300, 1));
}

TEST(tile_cache, a_tile_gzipped_before_brings_its_copy_when_put_back) {
    const auto t = tile_of(2000, 'q');
    tile_cache cache{1 << 20};
    cache.insert("a", 1, t);
    const auto zipped = cache.gzipped(t).size();
    cache.insert("a", 2, t); // a reload emptied the cache; the tile comes back, gzipped already
    EXPECT_EQ(cache.bytes(), cost(2000, 1) + zipped);
    cache.gzipped(t);
    EXPECT_EQ(cache.bytes(), cost(2000, 1) + zipped) << "not counted twice";
}

TEST(tile_cache, a_gzip_made_after_eviction_is_not_counted) {
    const auto t = tile_of(2000, 'q');
    tile_cache cache{cost(2000, 1)};
    cache.insert("a", 1, t);
    cache.insert("b", 1, tile_of(2000));
    EXPECT_EQ(cache.find("a", 1), nullptr);
    cache.gzipped(t);
    EXPECT_EQ(cache.bytes(), cost(2000, 1));
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

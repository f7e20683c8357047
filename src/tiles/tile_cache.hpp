#pragma once
// Finished tiles kept in memory, least recently used first out, bounded in bytes.
// Entries remember the catalog generation they were cut from; a reload empties the cache.

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kvarter::tiles {

// A finished tile: its MVT bytes (empty for an empty tile), their strong ETag and, once a client
// has asked for it, the gzipped copy. Compressing costs more than cutting most tiles, so it is done
// only for a client that accepts gzip, once, and kept beside the raw bytes.
class cached_tile {
public:
    explicit cached_tile(std::string raw);
    cached_tile(const cached_tile&) = delete;
    cached_tile& operator=(const cached_tile&) = delete;

    const std::string& raw() const noexcept { return m_raw; }
    const std::string& etag() const noexcept { return m_etag; }
    // Made on the first call, by one thread while others wait; `made` is set true for that call.
    const std::string& gzipped(bool* made = nullptr) const;
    // The gzipped copy's size once made, else 0; safe beside a thread making it.
    std::size_t gzipped_size() const noexcept { return m_gzipped_size.load(std::memory_order_acquire); }

private:
    std::string m_raw;
    std::string m_etag;
    mutable std::once_flag m_gzip_once;
    mutable std::string m_gzipped;
    mutable std::atomic<std::size_t> m_gzipped_size{0};
}; // class cached_tile

class tile_cache {
public:
    explicit tile_cache(std::size_t max_bytes) : m_max_bytes{max_bytes} {}

    std::shared_ptr<const cached_tile> find(const std::string& key, std::uint64_t generation);
    // One tile may be kept under several keys (a tile without proposals is also the tile with
    // them): its bytes count once however many entries hold it.
    void insert(const std::string& key, std::uint64_t generation, std::shared_ptr<const cached_tile> tile);
    // tile->gzipped(), with the copy's bytes counted while the cache holds the tile.
    const std::string& gzipped(const std::shared_ptr<const cached_tile>& tile);

    std::size_t bytes() const;
    std::size_t entries() const;
    std::uint64_t hits() const;
    std::uint64_t misses() const;

private:
    struct entry {
        std::string key;
        std::shared_ptr<const cached_tile> tile;
    };
    struct held { // per tile, however many entries hold it
        std::size_t entries = 0;
        std::size_t bytes = 0; // its raw and gzipped bytes, as counted in m_bytes
        bool gzip_counted = false;
    };
    static constexpr std::size_t entry_overhead = 64; // the list node, the index slot, the pointers
    void clear_if_stale(std::uint64_t generation);
    void erase(std::list<entry>::iterator it);
    void evict_to_fit();

    mutable std::mutex m_mutex;
    std::list<entry> m_order; // front: most recently used
    std::unordered_map<std::string, std::list<entry>::iterator> m_index;
    std::unordered_map<const cached_tile*, held> m_held;
    std::size_t m_bytes = 0;
    std::size_t m_max_bytes;
    std::uint64_t m_generation = 0;
    std::uint64_t m_hits = 0;
    std::uint64_t m_misses = 0;
}; // class tile_cache

// A tile ready for the cache, its ETag computed.
std::shared_ptr<const cached_tile> make_cached_tile(std::string raw);

} // namespace kvarter::tiles

#pragma once
// Finished tiles kept in memory, least recently used first out, bounded in bytes.
// Entries remember the catalog generation they were cut from; a reload empties the cache.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kvarter::tiles {

struct cached_tile {
    std::string raw; // MVT bytes; empty for an empty tile
    std::string gzipped; // the same, gzipped once so that each hit costs no compression
    std::string etag; // strong, quoted, from the bytes
};

class tile_cache {
public:
    explicit tile_cache(std::size_t max_bytes) : m_max_bytes{max_bytes} {}

    std::shared_ptr<const cached_tile> find(const std::string& key, std::uint64_t generation);
    void insert(const std::string& key, std::uint64_t generation, std::shared_ptr<const cached_tile> tile);

    std::size_t bytes() const;
    std::size_t entries() const;
    std::uint64_t hits() const;
    std::uint64_t misses() const;

private:
    void clear_if_stale(std::uint64_t generation);
    struct entry {
        std::string key;
        std::shared_ptr<const cached_tile> tile;
        std::size_t bytes;
    };
    mutable std::mutex m_mutex;
    std::list<entry> m_order; // front: most recently used
    std::unordered_map<std::string, std::list<entry>::iterator> m_index;
    std::size_t m_bytes = 0;
    std::size_t m_max_bytes;
    std::uint64_t m_generation = 0;
    std::uint64_t m_hits = 0;
    std::uint64_t m_misses = 0;
}; // class tile_cache

// A tile ready for the cache: gzipped copy and ETag computed.
std::shared_ptr<const cached_tile> make_cached_tile(std::string raw);

} // namespace kvarter::tiles

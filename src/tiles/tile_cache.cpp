#include "tiles/tile_cache.hpp"

#include "http/gzip.hpp"

#include <cstdio>

namespace kvarter::tiles {

std::shared_ptr<const cached_tile> make_cached_tile(std::string raw) {
    auto t = std::make_shared<cached_tile>();
    // FNV-1a over the bytes: equal tiles get equal tags, across reloads and processes.
    std::uint64_t h = 14695981039346656037ULL;
    for (const unsigned char c : raw) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char tag[24];
    std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(h));
    t->etag = tag;
    if (!raw.empty()) t->gzipped = http::gzip(raw);
    t->raw = std::move(raw);
    return t;
}

void tile_cache::clear_if_stale(std::uint64_t generation) {
    if (generation == m_generation) return;
    m_order.clear();
    m_index.clear();
    m_bytes = 0;
    m_generation = generation;
}

std::shared_ptr<const cached_tile> tile_cache::find(const std::string& key, std::uint64_t generation) {
    std::lock_guard lock{m_mutex};
    clear_if_stale(generation);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        ++m_misses;
        return nullptr;
    }
    ++m_hits;
    m_order.splice(m_order.begin(), m_order, it->second);
    return it->second->tile;
}

void tile_cache::insert(const std::string& key, std::uint64_t generation, std::shared_ptr<const cached_tile> tile) {
    const std::size_t size = tile->raw.size() + tile->gzipped.size() + key.size() + 64;
    std::lock_guard lock{m_mutex};
    clear_if_stale(generation);
    if (size > m_max_bytes) return;
    if (auto it = m_index.find(key); it != m_index.end()) {
        m_bytes -= it->second->bytes;
        m_order.erase(it->second);
        m_index.erase(it);
    }
    m_order.push_front({key, std::move(tile), size});
    m_index[key] = m_order.begin();
    m_bytes += size;
    while (m_bytes > m_max_bytes) {
        auto& last = m_order.back();
        m_bytes -= last.bytes;
        m_index.erase(last.key);
        m_order.pop_back();
    }
}

std::size_t tile_cache::bytes() const {
    std::lock_guard lock{m_mutex};
    return m_bytes;
}
std::size_t tile_cache::entries() const {
    std::lock_guard lock{m_mutex};
    return m_index.size();
}
std::uint64_t tile_cache::hits() const {
    std::lock_guard lock{m_mutex};
    return m_hits;
}
std::uint64_t tile_cache::misses() const {
    std::lock_guard lock{m_mutex};
    return m_misses;
}

} // namespace kvarter::tiles

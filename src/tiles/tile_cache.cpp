#include "tiles/tile_cache.hpp"

#include "http/etag.hpp"
#include "http/gzip.hpp"

namespace kvarter::tiles {

cached_tile::cached_tile(std::string raw) : m_raw{std::move(raw)}, m_etag{http::strong_etag(m_raw)} {}

const std::string& cached_tile::gzipped(bool* made) const {
    std::call_once(m_gzip_once, [&] {
        if (!m_raw.empty()) m_gzipped = http::gzip(m_raw);
        m_gzipped_size.store(m_gzipped.size(), std::memory_order_release);
        if (made) *made = true;
    });
    return m_gzipped;
}

std::shared_ptr<const cached_tile> make_cached_tile(std::string raw) {
    return std::make_shared<const cached_tile>(std::move(raw));
}

void tile_cache::clear_if_stale(std::uint64_t generation) {
    if (generation == m_generation) return;
    m_order.clear();
    m_index.clear();
    m_held.clear();
    m_bytes = 0;
    m_generation = generation;
}

void tile_cache::erase(std::list<entry>::iterator it) {
    m_bytes -= it->key.size() + entry_overhead;
    const auto h = m_held.find(it->tile.get());
    if (--h->second.entries == 0) {
        m_bytes -= h->second.bytes;
        m_held.erase(h);
    }
    m_index.erase(it->key);
    m_order.erase(it);
}

void tile_cache::evict_to_fit() {
    while (m_bytes > m_max_bytes && !m_order.empty()) erase(std::prev(m_order.end()));
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
    std::lock_guard lock{m_mutex};
    clear_if_stale(generation);
    auto& h = m_held[tile.get()];
    // A tile gzipped before (held by this cache until evicted) brings its copy along.
    const std::size_t zipped = h.entries == 0 ? tile->gzipped_size() : 0;
    const std::size_t added = key.size() + entry_overhead + (h.entries == 0 ? tile->raw().size() + zipped : 0);
    if (added > m_max_bytes) {
        if (h.entries == 0) m_held.erase(tile.get());
        return;
    }
    if (h.entries++ == 0) {
        h.bytes = tile->raw().size() + zipped;
        h.gzip_counted = zipped > 0;
    }
    m_bytes += added;
    // Replaced, not added: the old entry goes after the new tile is held, so a tile put again
    // under its own key is not let go of in between.
    if (auto it = m_index.find(key); it != m_index.end()) erase(it->second);
    m_order.push_front({key, std::move(tile)});
    m_index[key] = m_order.begin();
    evict_to_fit();
}

const std::string& tile_cache::gzipped(const std::shared_ptr<const cached_tile>& tile) {
    bool made = false;
    const std::string& out = tile->gzipped(&made);
    if (!made) return out;
    std::lock_guard lock{m_mutex};
    if (auto h = m_held.find(tile.get()); h != m_held.end() && !h->second.gzip_counted) {
        h->second.bytes += out.size();
        h->second.gzip_counted = true;
        m_bytes += out.size();
        evict_to_fit();
    }
    return out;
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

#include "tiles/string_table.hpp"

#include <functional>

namespace kvarter::tiles::detail {

std::size_t string_table::slot_of(std::string_view s, std::size_t hash) const noexcept {
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t e = m_slots[i];
        if (e == 0 || (m_hashes[e - 1] == hash && (*this)[e - 1] == s)) return i;
    }
}

std::uint32_t string_table::intern(std::string_view s) {
    // At most half full, so that probes stay short.
    if ((size() + 1) * 2 > m_slots.size()) rehash(m_slots.empty() ? 256 : m_slots.size() * 2);
    const std::size_t hash = std::hash<std::string_view>{}(s);
    const std::size_t slot = slot_of(s, hash);
    if (m_slots[slot] != 0) return m_slots[slot] - 1;
    m_bytes.append(s);
    m_ends.push_back(m_bytes.size());
    m_hashes.push_back(hash);
    m_slots[slot] = static_cast<std::uint32_t>(m_ends.size());
    return m_slots[slot] - 1;
}

void string_table::truncate(std::size_t count) {
    if (count >= size()) return;
    m_bytes.resize(count == 0 ? 0 : m_ends[count - 1]);
    m_ends.resize(count);
    m_hashes.resize(count);
    rehash(m_slots.size());
}

void string_table::rehash(std::size_t slot_count) {
    m_slots.assign(slot_count, 0);
    for (std::size_t i = 0; i < size(); ++i) m_slots[slot_of((*this)[i], m_hashes[i])] = static_cast<std::uint32_t>(i + 1);
}

} // namespace kvarter::tiles::detail

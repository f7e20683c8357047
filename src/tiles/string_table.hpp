#pragma once
// Interned byte strings for a layer's key and value tables (MVT spec 4.1): the entries live one
// after another in a single buffer and are found by open addressing over their indices, so a
// lookup of an entry already there allocates nothing and a tile of a hundred thousand distinct
// values costs a few large allocations, not one per value.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kvarter::tiles::detail {

class string_table {
public:
    // The index of `s`, added at the end when new.
    std::uint32_t intern(std::string_view s);
    // Forgets the entries from `count` on.
    void truncate(std::size_t count);

    std::size_t size() const noexcept { return m_ends.size(); }
    std::string_view operator[](std::size_t i) const noexcept {
        const std::size_t begin = i == 0 ? 0 : m_ends[i - 1];
        return {m_bytes.data() + begin, m_ends[i] - begin};
    }

private:
    void rehash(std::size_t slot_count);
    // The slot holding s, or the empty one it would take.
    std::size_t slot_of(std::string_view s, std::size_t hash) const noexcept;

    std::string m_bytes;
    std::vector<std::size_t> m_ends; // entry i is m_bytes[m_ends[i - 1], m_ends[i])
    std::vector<std::size_t> m_hashes; // of each entry, so that growing never hashes again
    std::vector<std::uint32_t> m_slots; // entry index + 1; 0 is an empty slot; size a power of two
}; // class string_table

} // namespace kvarter::tiles::detail

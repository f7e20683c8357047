#pragma once
// A static, packed R-tree (sort-tile-recursive) over boxes: built once at load,
// read-only afterwards, so any number of threads may query it.

#include "geometry/geometry.hpp"

#include <cstdint>
#include <vector>

namespace kvarter::geometry {

class spatial_index {
public:
    spatial_index() = default;
    // items[i] is the box of item i; queries return these indices.
    explicit spatial_index(const std::vector<box>& items, std::size_t node_size = 16);

    // Indices of the items whose boxes intersect `query`, ascending.
    std::vector<std::uint32_t> query(const box& query) const;
    std::size_t size() const noexcept { return m_item_count; }

private:
    struct node {
        box bounds;
        std::uint32_t first; // first child in the next lower level, or the item index at the leaves
        std::uint32_t count; // number of children (0 at the leaves)
    };
    // m_levels[0] are the leaves (one node per item); the last level holds the root.
    std::vector<std::vector<node>> m_levels;
    std::size_t m_item_count = 0;
}; // class spatial_index

} // namespace kvarter::geometry

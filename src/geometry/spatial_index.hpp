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
    // fn(index) for each of them, in no particular order, allocating nothing: for the load's
    // million small queries.
    template <class Fn>
    void visit(const box& query, Fn&& fn) const {
        if (!m_levels.empty() && !m_levels.back().empty()) visit_node(m_levels.size() - 1, 0, query, fn);
    }
    std::size_t size() const noexcept { return m_item_count; }

private:
    template <class Fn>
    void visit_node(std::size_t level, std::uint32_t index, const box& query, Fn& fn) const {
        const node& n = m_levels[level][index];
        if (!n.bounds.intersects(query)) return;
        if (level == 0) {
            fn(n.first);
            return;
        }
        for (std::uint32_t c = 0; c < n.count; ++c) visit_node(level - 1, n.first + c, query, fn); // depth: log16 of the items
    }

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

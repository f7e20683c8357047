#include "geometry/spatial_index.hpp"

#include <algorithm>
#include <cmath>

namespace kvarter::geometry {

namespace {

double centre_x(const box& b) { return (b.min_x + b.max_x) / 2; }
double centre_y(const box& b) { return (b.min_y + b.max_y) / 2; }

} // namespace

spatial_index::spatial_index(const std::vector<box>& items, std::size_t node_size) : m_item_count{items.size()} {
    std::vector<node> level;
    level.reserve(items.size());
    for (std::uint32_t i = 0; i < items.size(); ++i) level.push_back({items[i], i, 0});

    // Sort-tile-recursive packing: order the level into vertical slices by x, each slice by y,
    // then group consecutive runs of node_size under one parent.
    while (true) {
        const std::size_t n = level.size();
        const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(std::ceil(double(n) / double(node_size)))));
        const std::size_t per_slice = std::max<std::size_t>(1, slices * node_size);
        std::sort(level.begin(), level.end(),
                  [](const node& a, const node& b) { return centre_x(a.bounds) < centre_x(b.bounds); });
        for (std::size_t s = 0; s < n; s += per_slice) {
            auto end = level.begin() + static_cast<std::ptrdiff_t>(std::min(n, s + per_slice));
            std::sort(level.begin() + static_cast<std::ptrdiff_t>(s), end,
                      [](const node& a, const node& b) { return centre_y(a.bounds) < centre_y(b.bounds); });
        }
        m_levels.push_back(std::move(level));
        const auto& below = m_levels.back();
        if (below.size() <= 1) break;
        std::vector<node> parents;
        for (std::size_t i = 0; i < below.size(); i += node_size) {
            node parent{box{}, static_cast<std::uint32_t>(i), 0};
            for (std::size_t j = i; j < std::min(below.size(), i + node_size); ++j) {
                parent.bounds.expand(below[j].bounds);
                ++parent.count;
            }
            parents.push_back(parent);
        }
        level = std::move(parents);
    }
}

std::vector<std::uint32_t> spatial_index::query(const box& q) const {
    std::vector<std::uint32_t> out;
    visit(q, [&](std::uint32_t i) { out.push_back(i); });
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace kvarter::geometry

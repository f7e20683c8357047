#include "geometry/packed_geometry.hpp"

#include "core/error.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace kvarter::geometry {

namespace {

std::int32_t whole(double v) {
    if (!(v == std::trunc(v)) || v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
        throw geometry_error{"coordinate " + std::to_string(v) + " is not a whole number within 32 bits"};
    return static_cast<std::int32_t>(v);
}

template <class T>
std::uint32_t offset(const std::vector<T>& v) {
    if (v.size() > std::numeric_limits<std::uint32_t>::max())
        throw geometry_error{"more than 2^32 coordinates, rings or parts in one zoom of one layer"};
    return static_cast<std::uint32_t>(v.size());
}

} // namespace

void packed_geometries::push_back(const geometry& g) {
    int_box b;
    bool first = true;
    for (const auto& part : g.parts)
        for (const auto& ring : part)
            for (const auto& c : ring) {
                const int_xy p{whole(c.x), whole(c.y)};
                if (first) {
                    b = {p.x, p.y, p.x, p.y};
                    first = false;
                } else {
                    b = {std::min(b.min_x, p.x), std::min(b.min_y, p.y), std::max(b.max_x, p.x), std::max(b.max_y, p.y)};
                }
            }
    constexpr std::int64_t narrow_span = std::int64_t{1} << 16;
    const bool is_narrow = !first && std::int64_t{b.max_x} - b.min_x < narrow_span && std::int64_t{b.max_y} - b.min_y < narrow_span;
    for (const auto& part : g.parts) {
        for (const auto& ring : part) {
            for (const auto& c : ring) {
                const auto x = static_cast<std::int32_t>(c.x), y = static_cast<std::int32_t>(c.y);
                if (is_narrow) {
                    m_words.push_back(static_cast<std::uint16_t>(x - b.min_x));
                    m_words.push_back(static_cast<std::uint16_t>(y - b.min_y));
                } else {
                    for (const auto v : {static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)}) {
                        m_words.push_back(static_cast<std::uint16_t>(v & 0xffff));
                        m_words.push_back(static_cast<std::uint16_t>(v >> 16));
                    }
                }
            }
            m_vertices += ring.size();
            m_word_first.push_back(offset(m_words));
        }
        m_ring_first.push_back(offset(m_word_first) - 1);
    }
    m_part_first.push_back(offset(m_ring_first) - 1);
    m_type.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(g.type) | (g.multi ? 4u : 0u) | (is_narrow ? narrow_flag : 0u)));
    m_bounds.push_back(b);
}

void packed_geometries::reserve(std::size_t geometries, std::size_t vertices) {
    m_words.reserve(2 * vertices); // as if every geometry were narrow, as nearly all are
    m_type.reserve(geometries);
    m_bounds.reserve(geometries);
    m_part_first.reserve(geometries + 1);
}

void packed_geometries::shrink_to_fit() {
    m_words.shrink_to_fit();
    m_word_first.shrink_to_fit();
    m_ring_first.shrink_to_fit();
    m_part_first.shrink_to_fit();
    m_type.shrink_to_fit();
    m_bounds.shrink_to_fit();
}

geometry packed_geometries::at(std::size_t i) const {
    geometry g;
    g.type = type(i);
    g.multi = (m_type[i] & 4) != 0;
    for_each_path(i, [&](packed_path p, std::size_t index_in_part) {
        if (index_in_part == 0) g.parts.emplace_back();
        auto& out_path = g.parts.back().emplace_back();
        out_path.reserve(p.size());
        for (const int_xy c : p) out_path.push_back({static_cast<double>(c.x), static_cast<double>(c.y)});
    });
    return g;
}

std::size_t packed_geometries::bytes() const noexcept {
    return m_words.capacity() * sizeof(std::uint16_t) +
           (m_word_first.capacity() + m_ring_first.capacity() + m_part_first.capacity()) * sizeof(std::uint32_t) +
           m_type.capacity() + m_bounds.capacity() * sizeof(int_box);
}

} // namespace kvarter::geometry

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
        throw geometry_error{"more than 2^32 positions, rings or parts in one zoom of one layer"};
    return static_cast<std::uint32_t>(v.size());
}

} // namespace

void packed_geometries::push_back(const geometry& g) {
    int_box b;
    bool first = true;
    for (const auto& part : g.parts) {
        for (const auto& ring : part) {
            for (const auto& c : ring) {
                const int_xy p{whole(c.x), whole(c.y)};
                m_points.push_back(p);
                if (first) {
                    b = {p.x, p.y, p.x, p.y};
                    first = false;
                } else {
                    b = {std::min(b.min_x, p.x), std::min(b.min_y, p.y), std::max(b.max_x, p.x), std::max(b.max_y, p.y)};
                }
            }
            m_point_first.push_back(offset(m_points));
        }
        m_ring_first.push_back(offset(m_point_first) - 1);
    }
    m_part_first.push_back(offset(m_ring_first) - 1);
    m_type.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(g.type) | (g.multi ? 4u : 0u)));
    m_bounds.push_back(b);
}

void packed_geometries::reserve(std::size_t geometries, std::size_t vertices) {
    m_points.reserve(vertices);
    m_type.reserve(geometries);
    m_bounds.reserve(geometries);
    m_part_first.reserve(geometries + 1);
}

void packed_geometries::shrink_to_fit() {
    m_points.shrink_to_fit();
    m_point_first.shrink_to_fit();
    m_ring_first.shrink_to_fit();
    m_part_first.shrink_to_fit();
    m_type.shrink_to_fit();
    m_bounds.shrink_to_fit();
}

geometry packed_geometries::at(std::size_t i) const {
    geometry g;
    g.type = type(i);
    g.multi = (m_type[i] & 4) != 0;
    for (auto part = m_part_first[i]; part < m_part_first[i + 1]; ++part) {
        auto& out_part = g.parts.emplace_back();
        for (auto ring = m_ring_first[part]; ring < m_ring_first[part + 1]; ++ring) {
            auto& out_path = out_part.emplace_back();
            out_path.reserve(m_point_first[ring + 1] - m_point_first[ring]);
            for (auto v = m_point_first[ring]; v < m_point_first[ring + 1]; ++v)
                out_path.push_back({static_cast<double>(m_points[v].x), static_cast<double>(m_points[v].y)});
        }
    }
    return g;
}

std::size_t packed_geometries::bytes() const noexcept {
    return m_points.capacity() * sizeof(int_xy) +
           (m_point_first.capacity() + m_ring_first.capacity() + m_part_first.capacity()) * sizeof(std::uint32_t) +
           m_type.capacity() + m_bounds.capacity() * sizeof(int_box);
}

} // namespace kvarter::geometry

#pragma once
// Many geometries of whole-number coordinates (a zoom's pixel grid) packed in a few flat arrays,
// as vtzero and tippecanoe keep theirs: 8 bytes a vertex and a few offsets, where a
// geometry::geometry costs 16 bytes a vertex plus a heap block per ring and per part. A tileset
// keeps one of these per layer and zoom, so this is most of the memory a big layer takes.
//
//     packed_geometries zoom;
//     zoom.push_back(snapped);                    // coordinates must be whole numbers
//     if (zoom.bounds(i).intersects(tile)) add(zoom.at(i));
//     zoom.for_each_ring(i, [](std::span<const int_xy> ring, std::size_t index_in_part) {...});

#include "geometry/geometry.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace kvarter::geometry {

struct int_xy {
    std::int32_t x = 0;
    std::int32_t y = 0;
};

struct int_box {
    std::int32_t min_x = 1, min_y = 1, max_x = 0, max_y = 0; // empty
    bool empty() const noexcept { return min_x > max_x || min_y > max_y; }
    bool intersects(const box& b) const noexcept {
        return !empty() && !(b.min_x > max_x || b.max_x < min_x || b.min_y > max_y || b.max_y < min_y);
    }
    bool inside(const box& b) const noexcept {
        return min_x >= b.min_x && max_x <= b.max_x && min_y >= b.min_y && max_y <= b.max_y;
    }
};

class packed_geometries {
public:
    // Appends g. Throws geometry_error when a coordinate is not a whole number within 32 bits.
    void push_back(const geometry& g);
    void reserve(std::size_t geometries, std::size_t vertices);
    void shrink_to_fit();

    std::size_t size() const noexcept { return m_type.size(); }
    bool empty(std::size_t i) const noexcept { return m_part_first[i] == m_part_first[i + 1]; }
    kind type(std::size_t i) const noexcept { return static_cast<kind>(m_type[i] & 3); }
    const int_box& bounds(std::size_t i) const noexcept { return m_bounds[i]; }
    geometry at(std::size_t i) const; // unpacked, as it was pushed

    // fn(std::span<const int_xy> path, std::size_t index_in_its_part) for every path of geometry i,
    // part by part: a polygon's exterior is index 0, its holes follow.
    template <class Fn>
    void for_each_path(std::size_t i, Fn&& fn) const {
        for (auto part = m_part_first[i]; part < m_part_first[i + 1]; ++part)
            for (auto ring = m_ring_first[part]; ring < m_ring_first[part + 1]; ++ring)
                fn(std::span<const int_xy>{m_points.data() + m_point_first[ring], m_point_first[ring + 1] - m_point_first[ring]},
                   static_cast<std::size_t>(ring - m_ring_first[part]));
    }

    std::size_t vertex_count() const noexcept { return m_points.size(); }
    std::size_t bytes() const noexcept; // what the arrays hold, for the benchmark's bytes per feature

private:
    // Offsets with one past the end at the back: geometry i has parts [m_part_first[i],
    // m_part_first[i + 1]), part p rings [m_ring_first[p], m_ring_first[p + 1]), ring r points
    // [m_point_first[r], m_point_first[r + 1]).
    std::vector<int_xy> m_points;
    std::vector<std::uint32_t> m_point_first{0};
    std::vector<std::uint32_t> m_ring_first{0};
    std::vector<std::uint32_t> m_part_first{0};
    std::vector<std::uint8_t> m_type; // kind, and 4 when multi
    std::vector<int_box> m_bounds;
}; // class packed_geometries

} // namespace kvarter::geometry

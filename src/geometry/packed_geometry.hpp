#pragma once
// Many geometries of whole-number coordinates (a zoom's pixel grid) packed in a few flat arrays,
// as vtzero and tippecanoe keep theirs, where a geometry::geometry costs 16 bytes a vertex plus a
// heap block per ring and per part. A geometry whose box spans less than 2^16 pixels each way
// (at zoom 16 that is 9.8 km, so nearly every feature of a city) keeps its vertices as 16-bit
// offsets from its box's corner, 4 bytes a vertex; a wider one 8. A tileset keeps one of these
// per layer and zoom, so this is most of the memory a big layer takes.
//
//     packed_geometries zoom;
//     zoom.push_back(snapped);                    // coordinates must be whole numbers
//     if (zoom.bounds(i).intersects(tile)) add(zoom.at(i));
//     zoom.for_each_path(i, [](packed_path ring, std::size_t index_in_part) { for (int_xy p : ring) ...; });

#include "geometry/geometry.hpp"

#include <cstddef>
#include <cstdint>
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

// One path of a packed geometry, read in place: its vertices as int_xy, unpacked one at a time.
class packed_path {
public:
    class iterator {
    public:
        using value_type = int_xy;
        using difference_type = std::ptrdiff_t;
        int_xy operator*() const noexcept {
            if (m_narrow) return {m_corner.x + m_at[0], m_corner.y + m_at[1]};
            return {int32(m_at), int32(m_at + 2)};
        }
        iterator& operator++() noexcept {
            m_at += m_narrow ? 2 : 4;
            return *this;
        }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.m_at == b.m_at; }

    private:
        friend class packed_path;
        iterator(const std::uint16_t* at, bool narrow, int_xy corner) noexcept : m_at{at}, m_narrow{narrow}, m_corner{corner} {}
        static std::int32_t int32(const std::uint16_t* w) noexcept { return static_cast<std::int32_t>(w[0] | std::uint32_t{w[1]} << 16); }
        const std::uint16_t* m_at;
        bool m_narrow;
        int_xy m_corner;
    };

    packed_path(const std::uint16_t* first, const std::uint16_t* last, bool narrow, int_xy corner) noexcept
        : m_first{first}, m_last{last}, m_narrow{narrow}, m_corner{corner} {}
    std::size_t size() const noexcept { return static_cast<std::size_t>(m_last - m_first) / (m_narrow ? 2 : 4); }
    iterator begin() const noexcept { return {m_first, m_narrow, m_corner}; }
    iterator end() const noexcept { return {m_last, m_narrow, m_corner}; }

private:
    const std::uint16_t* m_first;
    const std::uint16_t* m_last;
    bool m_narrow;
    int_xy m_corner; // of the geometry's box: a narrow path's words are offsets from it
}; // class packed_path

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

    // fn(packed_path path, std::size_t index_in_its_part) for every path of geometry i, part by
    // part: a polygon's exterior is index 0, its holes follow.
    template <class Fn>
    void for_each_path(std::size_t i, Fn&& fn) const {
        const bool is_narrow = narrow(i);
        const int_xy corner{m_bounds[i].min_x, m_bounds[i].min_y};
        for (auto part = m_part_first[i]; part < m_part_first[i + 1]; ++part)
            for (auto ring = m_ring_first[part]; ring < m_ring_first[part + 1]; ++ring)
                fn(packed_path{m_words.data() + m_word_first[ring], m_words.data() + m_word_first[ring + 1], is_narrow, corner},
                   static_cast<std::size_t>(ring - m_ring_first[part]));
    }

    std::size_t vertex_count() const noexcept { return m_vertices; }
    std::size_t bytes() const noexcept; // what the arrays hold, for the benchmark's bytes per feature

private:
    bool narrow(std::size_t i) const noexcept { return (m_type[i] & narrow_flag) != 0; }

    static constexpr std::uint8_t narrow_flag = 8;
    // Vertices as 16-bit words: two a vertex (x, y offsets from the box's corner) for a narrow
    // geometry, four (x, y as int32, low half first) for a wide one.
    std::vector<std::uint16_t> m_words;
    // Offsets with one past the end at the back: geometry i has parts [m_part_first[i],
    // m_part_first[i + 1]), part p rings [m_ring_first[p], m_ring_first[p + 1]), ring r words
    // [m_word_first[r], m_word_first[r + 1]).
    std::vector<std::uint32_t> m_word_first{0};
    std::vector<std::uint32_t> m_ring_first{0};
    std::vector<std::uint32_t> m_part_first{0};
    std::vector<std::uint8_t> m_type; // kind, 4 when multi, narrow_flag when narrow
    std::vector<int_box> m_bounds;
    std::size_t m_vertices = 0;
}; // class packed_geometries

} // namespace kvarter::geometry

#pragma once
// Geometry cleanup in tile coordinates and the MVT command stream (spec 4.3). These decide what
// a valid MVT geometry is, so they sit apart from the protobuf layout and can be tested alone.

#include "tiles/mvt_spec.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace kvarter::tiles {

struct tile_point {
    std::int32_t x = 0;
    std::int32_t y = 0;
    friend bool operator==(const tile_point&, const tile_point&) = default;
};

namespace detail {

using tile_path = std::vector<tile_point>;

// Removes every point equal to the one before it: MVT forbids zero-length LineTo (spec 4.3.3.2).
void drop_repeated_points(tile_path& path);

// Drops repeats and any closing points equal to the first, since ClosePath returns to the
// start by itself (spec 4.3.4.4). False when the ring is degenerate: fewer than 3 points or zero
// area, which the spec says a ring SHOULD NOT have and which has no winding to give it a role.
bool normalize_ring(tile_path& ring);

// Twice the surveyor's-formula area in tile coordinates (y down); positive means exterior.
// long double keeps the products of 32-bit coordinates exact.
long double doubled_area(const tile_path& ring);

// Makes the ring's area positive (exterior) or negative (interior), keeping its first point.
void orient_ring(tile_path& ring, bool exterior);

// The geometry field of one feature. The cursor starts at (0, 0) and carries across parts (spec 4.3).
class command_stream {
public:
    void add_points(std::span<const tile_point> points); // MoveTo(n)
    void add_linestring(std::span<const tile_point> line); // MoveTo(1) LineTo(n-1)
    void add_ring(std::span<const tile_point> ring); // MoveTo(1) LineTo(n-1) ClosePath(1)

    bool empty() const noexcept { return m_commands.empty(); }
    void clear() noexcept {
        m_commands.clear();
        m_cursor = {};
    }
    const std::vector<std::uint32_t>& commands() const noexcept { return m_commands; }

private:
    void command(command_id id, std::size_t count);
    void move_cursor(tile_point to);

    tile_point m_cursor;
    std::vector<std::uint32_t> m_commands;
};

} // namespace detail
} // namespace kvarter::tiles

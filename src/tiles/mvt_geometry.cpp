#include "tiles/mvt_geometry.hpp"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <protozero/varint.hpp>
#include <string>

namespace kvarter::tiles::detail {

void drop_repeated_points(tile_path& path) { path.erase(std::unique(path.begin(), path.end()), path.end()); }

bool normalize_ring(tile_path& ring) {
    drop_repeated_points(ring);
    while (ring.size() > 1 && ring.back() == ring.front()) ring.pop_back();
    return ring.size() >= 3 && doubled_area(ring) != 0;
}

namespace {
__extension__ using int128 = __int128; // GCC's; exact for sums of products of 32-bit coordinates
} // namespace

long double doubled_area(const tile_path& ring) {
    int128 sum = 0;
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
        const tile_point a = ring[i];
        const tile_point b = ring[i + 1 == n ? 0 : i + 1];
        sum += static_cast<int128>(std::int64_t{a.x} * b.y) - static_cast<int128>(std::int64_t{b.x} * a.y);
    }
    return static_cast<long double>(sum);
}

void orient_ring(tile_path& ring, bool exterior) {
    if ((doubled_area(ring) > 0) != exterior && ring.size() > 1) std::reverse(ring.begin() + 1, ring.end());
}

void command_stream::add_points(std::span<const tile_point> points) {
    if (points.empty()) return;
    command(command_id::move_to, points.size());
    for (const auto& p : points) move_cursor(p);
}

void command_stream::add_linestring(std::span<const tile_point> line) {
    assert(line.size() >= 2 && "a linestring needs two distinct points (spec 4.3.4.3)");
    command(command_id::move_to, 1);
    move_cursor(line.front());
    command(command_id::line_to, line.size() - 1);
    for (const auto& p : line.subspan(1)) move_cursor(p);
}

void command_stream::add_ring(std::span<const tile_point> ring) {
    assert(ring.size() >= 3 && "a ring needs three distinct points (spec 4.3.4.4)");
    add_linestring(ring);
    command(command_id::close_path, 1);
}

void command_stream::command(command_id id, std::size_t count) {
    if (count > max_command_count)
        throw format_error{"a command repeats " + std::to_string(count) + " times; the count has 29 bits (spec 4.3.1)"};
    m_commands.push_back(command_integer(id, static_cast<std::uint32_t>(count)));
}

void command_stream::move_cursor(tile_point to) {
    // Spec 4.3.2 supports parameter values only within +-(2^31 - 1).
    constexpr std::int64_t limit = (std::int64_t{1} << 31) - 1;
    const std::int64_t dx = std::int64_t{to.x} - m_cursor.x;
    const std::int64_t dy = std::int64_t{to.y} - m_cursor.y;
    if (std::llabs(dx) > limit || std::llabs(dy) > limit)
        throw format_error{"a step of (" + std::to_string(dx) + ", " + std::to_string(dy) +
                           ") between vertices does not fit a 32-bit parameter (spec 4.3.2)"};
    m_commands.push_back(protozero::encode_zigzag32(static_cast<std::int32_t>(dx)));
    m_commands.push_back(protozero::encode_zigzag32(static_cast<std::int32_t>(dy)));
    m_cursor = to;
}

} // namespace kvarter::tiles::detail

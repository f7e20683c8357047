#include "geometry/web_mercator.hpp"

#include <algorithm>
#include <cmath>

namespace kvarter::geometry::web_mercator {

namespace {

constexpr double degrees = 180.0 / std::numbers::pi;

// A tile index from a position across the pyramid (0 at the left or top, 1 at the other edge).
std::uint32_t tile_index(double fraction, int z) noexcept {
    const double n = tiles_per_side(z);
    return static_cast<std::uint32_t>(std::clamp(std::floor(fraction * n), 0.0, n - 1));
}

} // namespace

xy from_lonlat(xy lonlat) noexcept {
    const double lat = std::clamp(lonlat.y, -max_latitude, max_latitude) / degrees;
    return {earth_radius * lonlat.x / degrees, earth_radius * std::log(std::tan(std::numbers::pi / 4 + lat / 2))};
}

xy to_lonlat(xy metres) noexcept {
    return {metres.x / earth_radius * degrees, (2 * std::atan(std::exp(metres.y / earth_radius)) - std::numbers::pi / 2) * degrees};
}

geometry from_lonlat(const geometry& lonlat) {
    return map_positions(lonlat, [](xy p) { return from_lonlat(p); });
}

box bounds_from_lonlat(const box& lonlat) noexcept {
    if (lonlat.empty()) return {};
    const xy low = from_lonlat(xy{lonlat.min_x, lonlat.min_y}), high = from_lonlat(xy{lonlat.max_x, lonlat.max_y});
    return {low.x, low.y, high.x, high.y};
}

double tiles_per_side(int z) noexcept { return std::ldexp(1.0, z); }

double tile_size(int z) noexcept { return 2 * half_world / tiles_per_side(z); }

box tile_bounds(int z, std::uint32_t x, std::uint32_t y) noexcept {
    const double size = tile_size(z);
    return {-half_world + x * size, half_world - (y + 1.0) * size, -half_world + (x + 1.0) * size, half_world - y * size};
}

std::uint32_t tile_column(double lon, int z) noexcept { return tile_index((lon + 180.0) / 360.0, z); }

std::uint32_t tile_row(double lat, int z) noexcept {
    // ±89.9 keeps tan finite; anything past max_latitude lands in the edge row anyway.
    const double r = std::clamp(lat, -89.9, 89.9) / degrees;
    return tile_index((1.0 - std::asinh(std::tan(r)) / std::numbers::pi) / 2.0, z);
}

} // namespace kvarter::geometry::web_mercator

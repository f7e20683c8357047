#include "tiles/tile_math.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace kvarter::tiles {

namespace {

double tiles_per_side(int z) { return std::ldexp(1.0, z); }

double longitude(double column, int z) { return column / tiles_per_side(z) * 360.0 - 180.0; }

// Inverse Gudermannian of the row's Mercator y.
double latitude(double row, int z) {
    const double n = std::numbers::pi * (1.0 - 2.0 * row / tiles_per_side(z));
    return std::atan(std::sinh(n)) * 180.0 / std::numbers::pi;
}

// Ties go up rather than away from zero, so the snap does not change with the sign of a
// coordinate: points just outside the tile (negative coordinates) land on the same grid.
double snap(double v) noexcept { return std::floor(v + 0.5); }

} // namespace

bool tile_id::valid() const noexcept {
    if (z < 0 || z > max_zoom) return false;
    const std::uint64_t n = std::uint64_t{1} << z;
    return x < n && y < n;
}

void validate(const tile_id& t) {
    if (t.z < 0 || t.z > max_zoom)
        throw bad_request{"z", "zoom level " + std::to_string(t.z) + " is outside 0.." + std::to_string(max_zoom)};
    const std::uint64_t n = std::uint64_t{1} << t.z;
    if (t.x >= n)
        throw bad_request{"x", "column " + std::to_string(t.x) + " is outside 0.." + std::to_string(n - 1) +
                                   " at zoom " + std::to_string(t.z)};
    if (t.y >= n)
        throw bad_request{"y", "row " + std::to_string(t.y) + " is outside 0.." + std::to_string(n - 1) +
                                   " at zoom " + std::to_string(t.z)};
}

geometry::box mercator_bounds(const tile_id& t) {
    validate(t);
    const double size = 2.0 * mercator_half_world / tiles_per_side(t.z);
    return {-mercator_half_world + t.x * size, mercator_half_world - (t.y + 1.0) * size,
            -mercator_half_world + (t.x + 1.0) * size, mercator_half_world - t.y * size};
}

tile_id tile_containing(geometry::xy lonlat, int z) {
    const double n = tiles_per_side(z);
    const double lat = std::clamp(lonlat.y, -89.9, 89.9) * std::numbers::pi / 180.0;
    const auto index = [n](double fraction) {
        return static_cast<std::uint32_t>(std::clamp(std::floor(fraction * n), 0.0, n - 1));
    };
    return {z, index((lonlat.x + 180.0) / 360.0), index((1.0 - std::asinh(std::tan(lat)) / std::numbers::pi) / 2.0)};
}

geometry::box lonlat_bounds(const tile_id& t) {
    validate(t);
    return {longitude(t.x, t.z), latitude(t.y + 1.0, t.z), longitude(t.x + 1.0, t.z), latitude(t.y, t.z)};
}

tile_transform::tile_transform(const tile_id& t, std::uint32_t extent)
    : m_bounds{mercator_bounds(t)}, m_extent{extent}, m_scale{extent / (m_bounds.max_x - m_bounds.min_x)} {}

geometry::xy tile_transform::apply(geometry::xy mercator) const noexcept {
    return {snap((mercator.x - m_bounds.min_x) * m_scale), snap((m_bounds.max_y - mercator.y) * m_scale)};
}

geometry::geometry tile_transform::apply(const geometry::geometry& mercator) const {
    return geometry::map_positions(mercator, [this](geometry::xy c) { return apply(c); });
}

} // namespace kvarter::tiles

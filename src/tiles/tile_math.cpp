#include "tiles/tile_math.hpp"

#include "core/error.hpp"
#include "geometry/web_mercator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace kvarter::tiles {

namespace {

namespace web_mercator = geometry::web_mercator;

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
    return web_mercator::tile_bounds(t.z, t.x, t.y);
}

tile_id tile_containing(geometry::xy lonlat, int z) {
    return {z, web_mercator::tile_column(lonlat.x, z), web_mercator::tile_row(lonlat.y, z)};
}

geometry::box lonlat_bounds(const tile_id& t) {
    const auto m = mercator_bounds(t);
    const auto sw = web_mercator::to_lonlat({m.min_x, m.min_y});
    const auto ne = web_mercator::to_lonlat({m.max_x, m.max_y});
    return {sw.x, sw.y, ne.x, ne.y};
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

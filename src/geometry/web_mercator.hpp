#pragma once
// Web Mercator (EPSG:3857) as the tiles and the viewer use it: lon/lat degrees to metres on a
// sphere of the WGS84 semi-major axis, and the XYZ tile pyramid over the square it spans
// (row 0 at the top). The one place these formulas and constants are written.

#include "geometry/geometry.hpp"

#include <cstdint>
#include <numbers>

namespace kvarter::geometry::web_mercator {

inline constexpr double earth_radius = 6378137.0; // WGS84 semi-major axis, the EPSG:3857 sphere
// Half the width of the EPSG:3857 square (20037508.34 m): x and y run from -half_world to half_world.
inline constexpr double half_world = std::numbers::pi * earth_radius;
// The latitude where y reaches half_world, so the square's edge: 85.05112878°.
inline constexpr double max_latitude = 85.0511287798066;

// Degrees to metres; latitudes beyond ±max_latitude are clamped to the square's edge.
xy from_lonlat(xy lonlat) noexcept;
// Metres to degrees.
xy to_lonlat(xy metres) noexcept;
// A whole geometry to metres. Features keep only their lon/lat copy: the tiles' copy is this
// formula away, cheaper to compute when needed than to keep beside the others.
geometry from_lonlat(const geometry& lonlat);
// The metres of a lon/lat box. Mercator is monotonic in each axis, so it is also the box of the
// projected geometry. (Not an overload of from_lonlat: a braced {x, y} would match both.)
box bounds_from_lonlat(const box& lonlat) noexcept;

// 2^z tiles along each side at zoom z.
double tiles_per_side(int z) noexcept;
// The side of one tile at zoom z, in metres.
double tile_size(int z) noexcept;
// The metres a tile covers; x and y are not checked against the pyramid (tiles/tile_math does).
box tile_bounds(int z, std::uint32_t x, std::uint32_t y) noexcept;
// The tile column and row at zoom z holding a lon/lat point. Points beyond the pyramid's edges
// (latitudes past ±max_latitude, longitude 180) fall in its edge tiles.
std::uint32_t tile_column(double lon, int z) noexcept;
std::uint32_t tile_row(double lat, int z) noexcept;

} // namespace kvarter::geometry::web_mercator

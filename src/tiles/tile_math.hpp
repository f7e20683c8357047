#pragma once
// Web Mercator tile pyramid (XYZ scheme: row 0 at the top) and the mapping from EPSG:3857
// metres to the integer grid of one tile, so the MVT encoder only ever sees tile coordinates.

#include "geometry/geometry.hpp"

#include <cstdint>

namespace kvarter::tiles {

inline constexpr int max_zoom = 22;

struct tile_id {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;

    // z in 0..max_zoom and x, y below 2^z.
    bool valid() const noexcept;
    friend bool operator==(const tile_id&, const tile_id&) = default;
};

// Throws bad_request naming "z", "x" or "y", since tile ids arrive from request paths.
void validate(const tile_id& t);

geometry::box mercator_bounds(const tile_id& t);
// The tile at zoom z holding a lon/lat point; points beyond the pyramid's edges (latitudes past
// ±85.05°, longitude 180) fall in its edge tiles.
tile_id tile_containing(geometry::xy lonlat, int z);
geometry::box lonlat_bounds(const tile_id& t);

// EPSG:3857 metres to the tile's grid: (0, 0) at the top-left corner, (extent, extent) at the
// bottom-right, y pointing down. Results are integer-valued doubles so they fit geometry::geometry.
class tile_transform {
public:
    explicit tile_transform(const tile_id& t, std::uint32_t extent = 4096);

    geometry::xy apply(geometry::xy mercator) const noexcept;
    geometry::geometry apply(const geometry::geometry& mercator) const;

    std::uint32_t extent() const noexcept { return m_extent; }

private:
    geometry::box m_bounds;
    std::uint32_t m_extent;
    double m_scale; // tile units per metre
};

} // namespace kvarter::tiles

#pragma once
// The pixel grid of a Web Mercator zoom: 2^z tiles of `extent` pixels across the world, (0, 0) at
// the top-left corner of tile 0/0/0, y pointing down. A tile's grid is this one shifted by whole
// pixels (x * extent, y * extent), so a geometry snapped here once, at load, is snapped for every
// tile it falls in.

#include "geometry/geometry.hpp"

namespace kvarter::geometry {

// Web Mercator metres to the grid of zoom z, every coordinate rounded to a whole pixel.
geometry to_pixel_grid(const geometry& mercator, int z, int extent);

// Rounding can fold a thin polygon onto itself: a polygon GEOS finds invalid is repaired with
// MakeValid and rounded again. Rings that collapsed below 3 distinct points are left for the
// encoder to drop. Other kinds come back as they are. Coordinates must be whole numbers.
geometry snapped_valid(geometry snapped);

} // namespace kvarter::geometry

#pragma once
// The pixel grid of a Web Mercator zoom: 2^z tiles of `extent` pixels across the world, (0, 0) at
// the top-left corner of tile 0/0/0, y pointing down. A tile's grid is this one shifted by whole
// pixels (x * extent, y * extent), so a geometry snapped here once, at load, is snapped for every
// tile it falls in.

#include "geometry/geometry.hpp"

namespace kvarter::geometry {

// Web Mercator metres to the grid of zoom z, every coordinate rounded to a whole pixel.
geometry to_pixel_grid(const geometry& mercator, int z, int extent);
xy to_pixel_grid(xy mercator, int z, int extent);

// A sure "valid" for the common small polygon, much cheaper than building it in GEOS: every ring
// closed with at least 4 positions and no repeats, no two segments meeting except neighbours at
// their shared vertex (and those not folding back), each hole inside its shell and outside the
// other holes, each part outside the others. False means "ask GEOS", not "invalid": touching
// rings and polygons of more than 64 segments always ask. Coordinates must be whole numbers.
bool plainly_valid(const geometry& polygon);

// Rounding can fold a thin polygon onto itself: a polygon GEOS finds invalid is repaired with
// MakeValid and rounded again. Rings that collapsed below 3 distinct points are left for the
// encoder to drop. Other kinds come back as they are. Coordinates must be whole numbers.
// plainly_valid() spares GEOS the common case.
geometry snapped_valid(geometry snapped);

} // namespace kvarter::geometry

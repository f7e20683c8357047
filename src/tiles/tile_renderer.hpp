#pragma once
// Cuts one vector tile from the catalog: the tileset's layers that show at the zoom, their
// features clipped to the tile plus a buffer, quantised to the tile grid, with the chosen
// properties, the indicators of the year and the highlight flags styles draw from.

#include "catalog/catalog.hpp"
#include "filter/selection.hpp"
#include "tiles/tile_math.hpp"

#include <string>

namespace kvarter::tiles {

// The MVT bytes; empty when nothing falls in the tile. `only`: just that layer of the tileset
// (with its labels), as OGC API – Tiles serves one collection's tiles. `selected`, when given,
// keeps only the features it selects (filter= on the tile URL).
std::string render_tile(const catalog::catalog& cat, const catalog::tileset& ts, const tile_id& tile, int year,
                        const catalog::layer* only = nullptr, const filter::selection* selected = nullptr);

// The year tiles use when a request names none: the latest indicator year, else this year.
int default_year(const catalog::catalog& cat);

// The properties the renderer adds to each layer of a tileset besides its fields and
// indicators, with their TileJSON type, for vector_layers.
std::vector<std::pair<std::string, std::string>> highlight_fields(const catalog::catalog& cat, const catalog::tile_layer& tl);

// Geometry clipped to `box` (same CRS). Points outside go; lines and polygons are cut with
// GEOS's rectangle clip, which keeps polygons valid.
geometry::geometry clip(const geometry::geometry& g, const geometry::box& box);

// Geometry in tile coordinates, snapped to the grid, checked again with GEOS and repaired when
// snapping folded a polygon (what render_tile does to every feature before encoding it).
geometry::geometry snap_valid_in_tile(geometry::geometry tile_coords_geometry);

} // namespace kvarter::tiles

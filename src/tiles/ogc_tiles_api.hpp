#pragma once
// OGC API – Tiles (OGC 20-057) over the same tiles as /tiles/{tileset}/{z}/{x}/{y}.mvt: the
// WebMercatorQuad tile matrix set (OGC 17-083r4), tileset metadata for each tileset and each
// tiled collection, and tiles at .../WebMercatorQuad/{z}/{y}/{x} (row before column, as the
// standard orders them). Only WebMercatorQuad: every tile kvarter cuts is in it.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "tiles/tiles_api.hpp"

#include <memory>
#include <vector>

namespace kvarter::tiles {

// The conformance classes these routes meet, for /conformance.
const std::vector<const char*>& ogc_tiles_conformance();

std::vector<http::route> ogc_tiles_routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                          std::shared_ptr<const dynamic_list> dynamic);

} // namespace kvarter::tiles

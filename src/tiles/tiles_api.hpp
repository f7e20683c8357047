#pragma once
// Vector tiles over HTTP: the tileset list, TileJSON 3.0, MVT tiles with ETag/304, gzip and
// an in-memory cache, and MapLibre styles with their URLs pointed at the requesting host.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "tiles/tile_cache.hpp"

#include <vector>

namespace kvarter::tiles {

std::vector<http::route> routes(const catalog::catalog_holder& holder, tile_cache& cache);

} // namespace kvarter::tiles

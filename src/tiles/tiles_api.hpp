#pragma once
// Vector tiles over HTTP: the tileset list, TileJSON 3.0, MVT tiles with ETag/304, gzip and
// an in-memory cache, and MapLibre styles with their URLs pointed at the requesting host.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "tiles/dynamic_layer.hpp"
#include "tiles/tile_cache.hpp"

#include <memory>
#include <vector>

namespace kvarter::tiles {

// `dynamic`: layers outside the catalog (proposals), cut per request and appended to every
// tileset's tiles after the cached catalog layers; the cache never holds them.
std::vector<http::route> routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                std::vector<std::shared_ptr<const dynamic_layer>> dynamic = {});

} // namespace kvarter::tiles

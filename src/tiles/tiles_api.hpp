#pragma once
// Vector tiles over HTTP: the tileset list, TileJSON 3.0, MVT tiles with ETag/304, gzip and
// an in-memory cache, and MapLibre styles with their URLs pointed at the requesting host.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "tiles/dynamic_layer.hpp"
#include "tiles/tile_cache.hpp"

#include <memory>
#include <string>
#include <vector>

namespace kvarter::tiles {

using dynamic_list = std::vector<std::shared_ptr<const dynamic_layer>>;

// Which tile a request names: a tileset's, or (collection set) one collection's alone.
struct tile_address {
    std::string tileset;
    std::string collection;
    std::string z, x, y; // as they came in the path: checked by tile_response
};

// The tile as /tiles/{tileset}/{z}/{x}/{y}.mvt answers it (cache, ETag/304, 204, gzip); the OGC
// API – Tiles paths answer the same bytes.
http::response tile_response(const catalog::catalog_holder& holder, tile_cache& cache, const dynamic_list& dynamic,
                             const http::request& req, const tile_address& at);
// The catalog's tileset of that name; not_found (404) naming it when there is none.
const catalog::tileset& tileset_named(const catalog::catalog& cat, const std::string& name);
// The query parameters every tile path takes (year, filter, filter-lang, filter-crs), for /api.
http::parameter_docs tile_parameter_docs();

// `dynamic`: layers outside the catalog (proposals), cut per request and appended to every
// tileset's tiles after the cached catalog layers; the cache never holds them.
std::vector<http::route> routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                std::vector<std::shared_ptr<const dynamic_layer>> dynamic = {});

} // namespace kvarter::tiles

#pragma once
// Wires the parts into one route table: the features API, health, metrics and the API description.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "tiles/tile_cache.hpp"

#include <memory>

namespace kvarter {

std::unique_ptr<http::router> make_router(const catalog::catalog_holder& holder, tiles::tile_cache& cache);

} // namespace kvarter

#pragma once
// Wires the parts into one route table: the features API, health, metrics and the API description.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"
#include "tiles/tile_cache.hpp"

#include <memory>

namespace kvarter {

// With a proposal store and tokens: the proposals API, and proposals as a collection and a tile layer.
std::unique_ptr<http::router> make_router(const catalog::catalog_holder& holder, tiles::tile_cache& cache,
                                          proposals::proposal_store* store = nullptr,
                                          const proposals::token_list* tokens = nullptr);

} // namespace kvarter

#pragma once
// POST /analysis/overlay and GET /lookup.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"

#include <vector>

namespace kvarter::analysis {

std::vector<http::route> overlay_routes(const catalog::catalog_holder& holder, std::size_t max_vertices);

} // namespace kvarter::analysis

#pragma once
// OGC API – Features, Part 1 Core with GeoJSON: landing page, conformance, collections,
// items, single items and queryables, over the current catalog snapshot.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"

#include <vector>

namespace kvarter::features {

std::vector<http::route> routes(const catalog::catalog_holder& holder);

} // namespace kvarter::features

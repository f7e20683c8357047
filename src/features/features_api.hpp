#pragma once
// OGC API – Features, Part 1 Core with GeoJSON: landing page, conformance, collections,
// items, single items and queryables, over the current catalog snapshot.

#include "catalog/catalog_holder.hpp"
#include "features/dynamic_collection.hpp"
#include "http/router.hpp"

#include <memory>
#include <vector>

namespace kvarter::features {

// `dynamic`: collections outside the catalog (proposals), listed after the catalog's layers.
std::vector<http::route> routes(const catalog::catalog_holder& holder,
                                std::vector<std::shared_ptr<const dynamic_collection>> dynamic = {});

} // namespace kvarter::features

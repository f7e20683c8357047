#pragma once
// OGC API – Features, Part 1 Core with GeoJSON: landing page, conformance, collections,
// items, single items and queryables, over the current catalog snapshot.

#include "catalog/catalog_holder.hpp"
#include "features/dynamic_collection.hpp"
#include "http/router.hpp"

#include <memory>
#include <string>
#include <vector>

namespace kvarter::features {

// `dynamic`: collections outside the catalog (proposals), listed after the catalog's layers.
// `more_conformance`: classes the rest of the API meets, declared in /conformance too.
std::vector<http::route> routes(const catalog::catalog_holder& holder,
                                std::vector<std::shared_ptr<const dynamic_collection>> dynamic = {},
                                std::vector<std::string> more_conformance = {});

} // namespace kvarter::features

#pragma once
// What is at a point: the features of each layer that contain it, and the nearest facility of
// each kind with its distance in metres (analysis CRS).

#include "catalog/catalog.hpp"

#include <nlohmann/json.hpp>

namespace kvarter::analysis {

nlohmann::json lookup(const catalog::catalog& cat, double lon, double lat);

} // namespace kvarter::analysis

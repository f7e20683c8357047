#pragma once

#include "catalog/catalog.hpp"
#include "geometry/crs_transform.hpp"

namespace kvarter::analysis {

// lon/lat -> the catalog's analysis CRS, made once per thread (PROJ objects are not shared
// between threads) and again only if the analysis CRS changes on reload.
const geometry::crs_transform& to_analysis_crs(const catalog::catalog& cat);

} // namespace kvarter::analysis

#pragma once
// The analyses over HTTP: GET /analysis/index, /analysis/screening, /analysis/housing-areas and
// /analysis/forty-plus. Each answers 404 when the config has no "analysis" key and 400 naming
// the parameter for a wrong one.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"

#include <vector>

namespace kvarter::analysis {

std::vector<http::route> routes(const catalog::catalog_holder& holder);

} // namespace kvarter::analysis

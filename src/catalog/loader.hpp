#pragma once
// The load pipeline: open each source with GDAL -> transform with PROJ -> repair with GEOS
// -> join indicator tables -> spatial joins -> build indexes -> one immutable catalog.

#include "catalog/catalog.hpp"
#include "catalog/config.hpp"

#include <memory>
#include <ostream>

namespace kvarter::catalog {

// Throws config_error (naming the file and key) for anything wrong in the config or its
// sources; returns only a complete catalog.
std::shared_ptr<const catalog> load_catalog(const config& cfg);

// The per-layer summary printed by `kvarter check` and at startup.
void print_report(std::ostream& out, const catalog& c);

} // namespace kvarter::catalog

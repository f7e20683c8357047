#pragma once
// Derived layers: computed at load from layers loaded before them, where no public layer exists
// (area-renewal zones from the buildings they renewed, Green Team coverage from the housing
// departments in the deprived areas, groups such as the ministry's list areas as unions of
// departments). README "Derived layers".

#include "catalog/catalog.hpp"
#include "catalog/config.hpp"

#include <string>
#include <vector>

namespace kvarter::catalog {

// The layer `lc` derives, with its features' geometry in the analysis CRS only: the loader
// finishes them as it finishes read ones. `path` is the layer's config key ("layers[3]").
// Throws config_error naming the config or the data file, its line and what was expected.
layer derive_layer(const config& cfg, const layer_config& lc, const std::string& path, const std::vector<layer>& loaded);

} // namespace kvarter::catalog

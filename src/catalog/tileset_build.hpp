#pragma once
// The last step of the load pipeline: the config's tilesets, resolved against the loaded
// layers, with each layer's geometry snapped and simplified once per zoom, so that a tile
// request only clips. Kept in catalog because the result is part of the immutable snapshot.

#include "catalog/catalog.hpp"
#include "catalog/config.hpp"

namespace kvarter::catalog {

// Resolves the config's tilesets against the loaded layers and simplifies their geometry
// once per zoom. Throws config_error naming the tileset file and key.
void build_tilesets(const config& cfg, catalog& c);

} // namespace kvarter::catalog

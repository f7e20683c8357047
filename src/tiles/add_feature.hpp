#pragma once
// One kvarter geometry, already in tile coordinates, written with the builder its kind needs.

#include "core/value.hpp"
#include "geometry/geometry.hpp"
#include "tiles/mvt_encoder.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::tiles {

// Coordinates must be integer-valued doubles within 32 bits (tile_transform gives those);
// anything else throws format_error (spec 4.3). Polygon parts are {exterior, holes...}, in either
// winding. Null properties are left out, and a geometry that collapses entirely writes nothing.
void add_feature(layer_builder& layer, std::uint64_t id, const geometry::geometry& tile_coords_geometry,
                 const std::vector<std::pair<std::string, value>>& properties);

} // namespace kvarter::tiles

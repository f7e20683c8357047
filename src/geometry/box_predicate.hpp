#pragma once

#include "geometry/geometry.hpp"

namespace kvarter::geometry {

// Exact test whether g and the rectangle share at least one point (boundaries included).
bool intersects(const geometry& g, const box& b);
// Even-odd point in polygon part (exterior and holes).
bool contains(const std::vector<path>& polygon, xy p);

} // namespace kvarter::geometry

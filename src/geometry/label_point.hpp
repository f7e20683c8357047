#pragma once
// Where a polygon feature's name goes on a map: one point, inside its largest part, as far from
// the part's edges as it gets (the pole of inaccessibility). A style that labels the polygons
// themselves draws a name once per part and per tile (a district with sea forts gets one out at
// sea), and a centroid can fall outside a C-shaped area; one point per feature has neither fault.

#include "geometry/geometry.hpp"

#include <optional>

namespace kvarter::geometry {

// The centre of the largest circle inside the polygon's largest part (by area), found by GEOS to
// 1/100 of the smaller side of the part's box, else GEOS's point on surface. Any planar CRS; the
// point is in the polygon's. nullopt for an empty geometry or one that is not a polygon.
std::optional<xy> label_point(const geometry& polygon);

} // namespace kvarter::geometry

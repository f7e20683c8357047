#pragma once
// The overlay of a planner's polygon on what exists: which districts, deprived areas, renewal
// zones and Green Team areas it touches and by how much, the housing departments inside and
// their residents by share, indicator aggregates for the covered part beside the district's
// and the city's, existing renewal coverage, and manned playgrounds nearby.

#include "catalog/catalog.hpp"
#include "filter/selection.hpp"
#include "geometry/geometry.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace kvarter::analysis {

// A GeoJSON Polygon or MultiPolygon, or a Feature holding one, in lon/lat. Throws bad_request
// naming the member at fault: not a polygon, an empty or unclosed ring, a ring of fewer than
// four positions, coordinates outside lon/lat range, more than `max_vertices` positions.
geometry::geometry parse_polygon(const nlohmann::json& body, std::size_t max_vertices);

// The report for a lon/lat polygon. A self-intersecting polygon is repaired first and the
// report says so ("repaired": true, with GEOS's reason). `chosen_departments`, when given, picks the
// housing departments the report counts (filter= on the request).
nlohmann::json overlay_report(const catalog::catalog& cat, const geometry::geometry& lonlat, std::optional<int> year,
                              const filter::selection* chosen_departments = nullptr);

} // namespace kvarter::analysis

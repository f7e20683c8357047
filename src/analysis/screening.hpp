#pragma once
// GET /analysis/screening?year=Y: the annual SØK screening. Units of the index layer in the
// configured quintile or worse (default 5, the most deprived fifth) that are not already covered
// (default >= 50 % of their area) by renewal zones active that year: the candidates for a new
// area-renewal application, with their index, the districts they lie in and the share covered.

#include "catalog/catalog.hpp"
#include "geometry/geometry.hpp"
#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace kvarter::analysis {

// The share of each unit's area (analysis CRS, m²) covered by the UNION of the zones, so that
// overlapping zones are not counted twice. Units without area (points, lines, none) get 0.
std::vector<double> covered_shares(const std::vector<const geometry::geometry*>& units,
                                   const std::vector<const geometry::geometry*>& zones);

nlohmann::ordered_json screening_answer(const catalog::catalog& cat, const http::request& req);

} // namespace kvarter::analysis

#pragma once
// How often a polygon's edges cross each other: what repairing it costs. MakeValid on a polygon
// whose edges cross k times builds k nodes and their pieces; an 801-vertex star crosses itself
// about 160,000 times and took seconds and hundreds of MB. A request's cost must be bounded, so
// callers count first and refuse past a budget.

#include "geometry/geometry.hpp"

#include <cstddef>

namespace kvarter::geometry {

// Proper crossings between non-adjacent edges of all rings of g (touching endpoints do not count),
// counting no further than `stop_after` + 1 so a refusal stays cheap. O(edges²) in the worst case,
// with a box test per pair.
std::size_t count_crossings(const geometry& g, std::size_t stop_after);

} // namespace kvarter::geometry

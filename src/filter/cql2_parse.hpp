#pragma once
// The two readers behind filter::parse(), one per encoding; both throw only bad_request("filter").

#include "filter/cql2_ast.hpp"

#include <string_view>
#include <vector>

namespace kvarter::filter {

// Levels of nesting either reader takes: deep enough for any filter a person or a client writes,
// shallow enough that nesting cannot exhaust the request thread's stack.
inline constexpr int max_depth = 64;

node parse_text(std::string_view text);
node parse_json(std::string_view text);

// BBOX(minx, miny, maxx, maxy) or its 6-number form as a polygon literal marked `bbox`.
node bbox_node(const std::vector<double>& numbers, std::size_t position);

} // namespace kvarter::filter

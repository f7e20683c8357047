#pragma once
// The two readers behind filter::parse(), one per encoding; both throw only bad_request("filter").

#include "filter/cql2_ast.hpp"

#include <string_view>
#include <vector>

namespace kvarter::filter {

node parse_text(std::string_view text);
node parse_json(std::string_view text);

// BBOX(minx, miny, maxx, maxy) or its 6-number form as a polygon literal marked `bbox`.
node bbox_node(const std::vector<double>& numbers, std::size_t position);

} // namespace kvarter::filter

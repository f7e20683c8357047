#pragma once
// CQL2 filters (OGC 21-065r2) for items and tiles: parse, check against a collection, evaluate.
// The parser is kvarter's own: no Debian 12 package parses CQL2 (GDAL's OGR SQL and GEOS read
// neither encoding; the CQL2 libraries, cql2-rs and pygeofilter, are not packaged), so this part
// holds a small recursive-descent parser for cql2-text and a reader of cql2-json that build the
// same tree (cql2_ast.hpp). Geometry literals are read by GEOS (WKT and GeoJSON readers).

#include "filter/cql2_ast.hpp"

#include <string>
#include <string_view>

namespace kvarter::filter {

enum class language { text, json };

// "cql2-text" or "cql2-json"; anything else is a bad_request naming filter-lang.
language parse_language(const std::string& name);

// The whole filter, or a bad_request naming the parameter `filter` whose message gives the
// character offset and what was expected there. Throws nothing else, whatever the input: this
// is the entry point a fuzz target calls.
node parse(std::string_view text, language lang);

} // namespace kvarter::filter

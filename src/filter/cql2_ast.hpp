#pragma once
// The syntax tree of a CQL2 filter (OGC 21-065r2), one tree for both encodings: cql2-text and
// cql2-json parse into the same nodes, so everything after parsing (type checking against the
// queryables, evaluation) has one implementation. Nodes are plain values (the vtzero manner):
// no handles, no virtual calls, cheap to copy into a request's bound filter.

#include "geometry/geometry.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kvarter::filter {

enum class op : std::uint8_t {
    // logical: boolean arguments
    and_, or_, not_,
    // comparisons: scalar arguments
    eq, ne, lt, le, gt, ge,
    like, between, in, is_null,
    // arithmetic: numbers
    add, sub, mul, div,
    // spatial: two geometry arguments
    s_intersects, s_within, s_contains, s_disjoint, s_equals, s_touches, s_overlaps, s_crosses,
    // leaves
    property, string, number, boolean, geometry, list, // list: the values after IN
};

// Where a property's values come from once the filter is checked against a collection.
enum class source : std::uint8_t { unbound, field, indicator, flag, geometry };

struct node {
    filter::op op = op::boolean;
    std::size_t position = 0; // offset of the node's first character in cql2-text; the JSON path's index in cql2-json
    std::string text; // property name, string literal
    double number = 0;
    bool boolean = false;
    geometry::geometry shape; // a geometry literal, in the filter's CRS until bound
    bool bbox = false; // the geometry literal was written as BBOX(...)/{"bbox": [...]}
    std::vector<node> args;
    // Set by bind(): where a property's values live.
    filter::source source = source::unbound;
    std::size_t index = 0; // field, indicator or flag index
};

bool is_logical(op o) noexcept;
bool is_comparison(op o) noexcept;
bool is_arithmetic(op o) noexcept;
bool is_spatial(op o) noexcept;
// The operator's name as cql2-json spells it ("and", "<=", "s_intersects", "isNull").
const char* json_name(op o) noexcept;

// A canonical one-line form, the same for a filter whatever its encoding (positions left out):
// what tests compare and messages quote.
std::string to_string(const node& n);

// Every property the filter names, in order of appearance, repeats included.
std::vector<std::string> property_names(const node& n);

} // namespace kvarter::filter

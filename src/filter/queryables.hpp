#pragma once
// What a filter on a collection may name, with types: the layer's fields, its indicators (the
// values of the request's year), the highlight flags and the geometry. /queryables lists exactly
// these, and bind() resolves names against them: one list for both.

#include "catalog/catalog.hpp"
#include "filter/cql2_ast.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kvarter::filter {

enum class value_kind : std::uint8_t { boolean, number, string, geometry };

struct queryable {
    std::string name;
    value_kind kind = value_kind::string;
    filter::source source = source::field;
    std::size_t index = 0; // into the layer's fields, indicators or highlight flags
};

// The name filters use for a feature's geometry (lon/lat, or filter-crs for literals).
inline constexpr const char* geometry_queryable = "geometry";

std::vector<queryable> queryables_of(const catalog::layer& l);
std::optional<queryable> find_queryable(const catalog::layer& l, const std::string& name);

const char* kind_name(value_kind k) noexcept;

} // namespace kvarter::filter

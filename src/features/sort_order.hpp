#pragma once
// sortby= on items (OGC API Features Part 5 draft, as pygeoapi and ldproxy serve it): a list of
// sortable properties, each "+name" (ascending, the default) or "-name". Ties keep going down
// the list and end at the feature id, so every order is total and a page boundary never moves.

#include "catalog/catalog.hpp"
#include "filter/queryables.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::features {

struct sort_key {
    filter::queryable property;
    bool descending = false;
};

// What sortby may name: the layer's fields and indicators (the values of the request's year).
std::vector<filter::queryable> sortables_of(const catalog::layer& l);

// Throws bad_request naming sortby for an empty key or a name that is not sortable.
std::vector<sort_key> parse_sortby(const std::string& text, const catalog::layer& l);

// Orders feature indexes by the keys, then by id. Nulls come last whichever the direction (as
// a missing value is no answer to "largest first"), strings by their UTF-8 bytes (code point order).
void sort_features(std::vector<std::uint32_t>& features, const catalog::layer& l, const std::vector<sort_key>& keys,
                   std::optional<int> year);

} // namespace kvarter::features

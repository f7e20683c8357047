#pragma once
// GeoJSON (RFC 7946) text for catalog features, written straight into a string.

#include "catalog/catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kvarter::features {

// Which properties a response carries, resolved once per request.
struct property_selection {
    std::vector<std::size_t> fields; // indexes into layer::fields
    std::vector<std::size_t> indicators; // indexes into layer::indicators
    bool year = false; // whether to write the "year" the indicators belong to

    static property_selection all(const catalog::layer& l);
};

// Coordinates rounded to `decimals` digits (7 is about 1 cm in lon/lat).
void write_geometry(std::string& out, const geometry::geometry& g, int decimals = 7);

// One Feature object; `year` picks the indicator values (nullopt: none written).
void write_feature(std::string& out, const catalog::layer& l, const catalog::feature& f,
                   const property_selection& selection, std::optional<int> year);

} // namespace kvarter::features

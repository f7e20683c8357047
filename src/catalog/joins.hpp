#pragma once
// The two joins of the load pipeline, kept apart from reading so each can be tested alone.

#include "catalog/catalog.hpp"
#include "catalog/config.hpp"

#include <optional>
#include <string>

namespace kvarter::catalog {

// Attaches the table's rows to `target` by key and year. `key_path` is the config key of
// the table ("indicators[0]") for messages; throws config_error for missing columns.
void join_indicators(layer& target, const indicator_table_config& table, const std::string& config_file,
                     const std::string& key_path);

// Gives every housing department, housing area, facility, renewal zone and Green Team
// feature the name of the district, deprived area, renewal zone and Green Team area it
// overlaps most, as derived fields. Needs analysis geometries and indexes built.
void join_areas(std::vector<layer>& layers);

// A number as tables write it (a decimal comma is read as a point); nullopt when not one.
std::optional<double> parse_number(std::string text);
// Keys match as text, except that numbers match by value ("07", "7" and "7.0" are one key).
std::string normalise_key(const std::string& raw);

// The name of the derived field a layer gets for an area role ("district", ...).
const char* area_field_name(layer_role role) noexcept;

} // namespace kvarter::catalog

#pragma once
// The query parameters the analyses share (a year with data, a layer), checked in one place so
// every endpoint answers a wrong one with the same 400 naming it; the rules under them (what a
// year is, unknown and repeated names) are http/params, as for every route.

#include "catalog/catalog.hpp"
#include "http/message.hpp"
#include "http/params.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>

namespace kvarter::analysis {

// The config's "analysis" key; throws not_found saying the server has none.
const catalog::analysis_config& analysis_of(const catalog::catalog& cat);

// The layer the analyses read by default: the configured screening layer, else the
// housing-department layer when it has an index, else the first layer with one; null if none.
const catalog::layer* default_index_layer(const catalog::catalog& cat);

// ?NAME= as a layer id (bad_request naming NAME when unknown), or `fallback` when absent
// (not_found when that is null too).
const catalog::layer& layer_param(const catalog::catalog& cat, const http::request& req, const std::string& name,
                                  const catalog::layer* fallback);

// ?NAME= as one of the layer's indicator years (default: its latest): http::year_param, then
// catalog::require_data_year, so bad_request naming NAME for text that is no year or a year
// without data, listing the years there are.
int year_param(const http::request& req, const catalog::layer& l, const std::string& name = "year");
std::optional<int> optional_year_param(const http::request& req, const catalog::layer& l, const std::string& name);

// A text field or a number field of a feature as text ("" when absent or null).
std::string field_text(const catalog::layer& l, const catalog::feature& f, const std::string& field);
using catalog::field_number;
// The indicator's value for the year, if the feature has one.
std::optional<double> indicator_value(const catalog::feature& f, std::size_t indicator, int year);

// Which of the indicators an answer rests on are published and which synthetic, so that an
// answer mixing them says so: {"published": [ids], "synthetic": [ids], "unstated": [ids],
// "indicators": {id: {provenance, source}}, "note": "…"}.
nlohmann::ordered_json provenance_json(const catalog::layer& l, const std::vector<std::size_t>& indicators);

// v rounded to `decimals`, written as an integer when whole (12345, not 12345.0).
nlohmann::ordered_json number_json(double v, int decimals);
nlohmann::ordered_json number_json(const std::optional<double>& v, int decimals); // null when absent

} // namespace kvarter::analysis

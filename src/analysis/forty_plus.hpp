#pragma once
// GET /analysis/forty-plus?year=Y[&since=Y0]: the "40 plus" housing departments, where more
// than 40 % (configurable) of the residents are outside the labour force; they are exempt from
// municipal allocation of tenants. Counts of departments and dwellings per status, and with
// since= the departments that moved in and out of 40 plus between the two years.

#include "catalog/catalog.hpp"
#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace kvarter::analysis {

enum class forty_plus_status { forty_plus, below, unknown };

// Strictly above the threshold is 40 plus; no value is unknown.
forty_plus_status classify_share(std::optional<double> share, double threshold) noexcept;

// Every feature of the layer for a year, aligned with layer::features.
std::vector<forty_plus_status> classify_layer(const catalog::layer& l, std::size_t indicator, double threshold, int year);

struct forty_plus_moves {
    std::vector<std::size_t> moved_in; // 40 plus now, below then
    std::vector<std::size_t> moved_out; // below now, 40 plus then
};

// Departments unknown in either year move neither way.
forty_plus_moves compare_years(const std::vector<forty_plus_status>& then, const std::vector<forty_plus_status>& now);

nlohmann::ordered_json forty_plus_answer(const catalog::catalog& cat, const http::request& req);

} // namespace kvarter::analysis

#include "catalog/gdal_source.hpp"
#include "catalog/joins.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <unordered_map>

namespace kvarter::catalog {

namespace {

std::string trim(std::string s) {
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

} // namespace

std::optional<double> parse_number(std::string text) {
    text = trim(std::move(text));
    if (text.empty()) return std::nullopt;
    // Danish spreadsheets write decimal commas.
    if (text.find('.') == std::string::npos) std::replace(text.begin(), text.end(), ',', '.');
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string normalise_key(const std::string& raw) {
    std::string text = trim(raw);
    if (auto n = parse_number(text); n && std::floor(*n) == *n && std::fabs(*n) < 1e15)
        return std::to_string(static_cast<long long>(*n));
    return text;
}

namespace {

// A cell of an indicator column: a number, or true/false (published yes/no figures such as
// "on the list") as 1/0; nullopt when empty or neither.
std::optional<double> indicator_cell(const std::string& cell) {
    const std::string text = trim(cell);
    if (text == "true") return 1.0;
    if (text == "false") return 0.0;
    return parse_number(text);
}

} // namespace

void join_indicators(layer& target, const indicator_table_config& table, const std::string& config_file,
                     const std::string& key_path) {
    auto fail = [&](const std::string& key, const std::string& detail) {
        throw config_error{config_file, key_path + "." + key, detail};
    };
    std::string why;
    auto ds = open_vector(table.source, why);
    if (!ds) fail("source", "GDAL cannot open \"" + table.source + "\": " + why);
    OGRLayer* src = pick_layer(*ds, table.source_layer);
    if (!src) fail("source_layer", "no table \"" + table.source_layer + "\" in \"" + table.source + "\"");
    OGRFeatureDefn& defn = *src->GetLayerDefn();
    auto column = [&](const std::string& key, const std::string& name) {
        return required_field(defn, name, "column", table.source, config_file, key_path + "." + key);
    };
    const int key_index = column("key", table.key);
    const int year_index = column("year", table.year);
    std::vector<int> value_indexes;
    for (const auto& c : table.columns) value_indexes.push_back(column("columns." + c.column, c.column));

    // Which feature each normalised key names.
    std::unordered_map<std::string, std::size_t> by_key;
    if (table.layer_key.empty()) {
        for (std::size_t i = 0; i < target.features.size(); ++i) by_key.emplace(normalise_key(target.features[i].id), i);
    } else {
        const auto f = target.field_index(table.layer_key);
        if (!f) fail("layer_key", "layer \"" + target.id + "\" exposes no field \"" + table.layer_key + "\"");
        for (std::size_t i = 0; i < target.features.size(); ++i)
            by_key.emplace(normalise_key(text_of(target.features[i].properties[*f])), i);
    }

    // Indicators of several tables on one layer line up in one list.
    std::vector<std::size_t> slot;
    for (const auto& c : table.columns) {
        auto existing = target.indicator_index(c.column);
        if (!existing) {
            target.indicators.push_back({c.column, c.label, c.unit, c.dir, c.origin, c.source_note});
            existing = target.indicators.size() - 1;
        }
        slot.push_back(*existing);
    }
    const std::size_t width = target.indicators.size();
    for (auto& ft : target.features)
        for (auto& [year, values] : ft.indicators) values.resize(width);

    layer_report::join report;
    report.source = table.source;
    std::set<std::string> unmatched;
    std::set<std::size_t> matched_features;
    std::set<int> years{target.years.begin(), target.years.end()};
    // Line numbers as a text editor shows them: the header is line 1.
    auto bad_cell = [&](std::size_t line, const std::string& column_name, const std::string& cell, const std::string& expected) {
        if (table.non_numbers == indicator_table_config::on_non_number::count) {
            ++report.bad_values;
            return;
        }
        throw config_error{table.source, "line " + std::to_string(line) + ", column " + column_name,
                           "\"" + cell + "\" is not " + expected + " (" + key_path + " of " + config_file + ")"};
    };
    std::size_t line = 1;
    for (auto& row : *src) {
        ++line;
        ++report.rows;
        const std::string key = normalise_key(row->GetFieldAsString(key_index));
        const std::string year_cell = row->GetFieldAsString(year_index);
        const auto year = parse_number(year_cell);
        if (!year || std::floor(*year) != *year) {
            bad_cell(line, table.year, year_cell, "a year");
            ++report.unmatched_rows;
            continue;
        }
        // Every row's cells are read, matched or not: a bad figure is bad wherever it sits.
        std::vector<std::optional<double>> cells(value_indexes.size());
        for (std::size_t c = 0; c < value_indexes.size(); ++c) {
            const std::string cell = row->GetFieldAsString(value_indexes[c]);
            cells[c] = indicator_cell(cell);
            if (!cells[c] && !trim(cell).empty()) bad_cell(line, table.columns[c].column, cell, "a number (or empty)");
        }
        auto it = by_key.find(key);
        if (it == by_key.end()) {
            ++report.unmatched_rows;
            unmatched.insert(key);
            continue;
        }
        ++report.matched_rows;
        matched_features.insert(it->second);
        const int y = static_cast<int>(*year);
        years.insert(y);
        report.first_line_of_year.try_emplace(y, line);
        auto& values = target.features[it->second].indicators[y];
        values.resize(width);
        for (std::size_t c = 0; c < cells.size(); ++c) values[slot[c]] = cells[c];
    }
    report.features_without_rows = target.features.size() - matched_features.size();
    for (const auto& k : unmatched) {
        if (report.unmatched_keys.size() == 5) break;
        report.unmatched_keys.push_back(k.empty() ? "\"\"" : k);
    }
    target.years.assign(years.begin(), years.end());
    target.report.joins.push_back(std::move(report));
}

} // namespace kvarter::catalog

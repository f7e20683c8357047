#pragma once
// The ministry's list rules for housing areas (almenboligloven), as data: one JSON file per
// rule set (geodata/rules/2010.json, 2013.json, 2018.json). Adding a rule set needs no code;
// a file that cannot be read is a config_error naming the file and the key.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::catalog {

enum class comparison { greater, greater_equal, less, less_equal };

const char* to_string(comparison c) noexcept; // ">", ">=", "<", "<="
bool holds(comparison c, double value, double threshold) noexcept;

// A value a relative threshold is measured against: a fixed number (per year if it changes),
// or the mean of an indicator over a whole layer that year, weighted by another indicator.
struct rule_reference {
    std::string id;
    std::optional<double> value; // the same every year
    bool unknown = false; // "value": null: no figure exists in the data; criteria relative to it are not evaluable
    std::map<int, double> by_year; // wins over `value` for the years it names
    std::string mean_of; // a layer id: the (weighted) mean over its features
    std::string indicator; // with mean_of: which indicator
    std::string weight; // with mean_of: the weighting indicator; empty: a plain mean
    std::string note;
};

struct rule_criterion {
    std::string id;
    std::string indicator; // an indicator of the housing-department layer, aggregated per area
    comparison op = comparison::greater;
    double value = 0; // the threshold; a factor when relative_to is set (0.55 = 55 % of the reference)
    std::string relative_to; // a rule_reference id; empty: `value` is absolute
    bool counts = true; // counted towards `required`; false: used only by categories
    std::string label_da;
    std::string law; // the law's wording, for the answer
};

// When a listed area falls in a category: a small expression over the evaluation.
struct rule_condition {
    enum class kind { listed, criterion, category, all, any, negation };
    kind type = kind::listed;
    std::string name; // criterion or category id
    int years = 1; // category: held in this year and each of the years - 1 before it
    std::vector<rule_condition> parts; // all, any, negation (one part)
};

struct rule_category {
    std::string id;
    std::string label_da;
    rule_condition when;
};

struct rule_set {
    std::string name; // the file's "name", used as ?rules=NAME
    std::string title;
    std::string source; // the legal source
    std::string note; // how the law's criteria map onto the data, in the file's words
    std::string file; // where it was read, for messages
    int in_force_from = 0; // the first year the rules apply to (the default for later years)
    double min_residents = 0; // areas with fewer residents are not eligible
    std::vector<rule_reference> references;
    std::vector<rule_criterion> criteria;
    std::size_t required = 1; // how many counting criteria must hold to be listed
    // Ordered from the mildest to the most severe; an area's category is the last that holds.
    std::vector<rule_category> categories;

    const rule_criterion* find_criterion(const std::string& id) const;
    const rule_reference* find_reference(const std::string& id) const;
};

// Parses one rule file's text; `file` names it in messages. Throws config_error.
rule_set parse_rule_set(const std::string& text, const std::string& file);
// Every *.json in `dir`, sorted by in_force_from then name. Throws config_error (also for
// two files with one name, or a folder without rule files).
std::vector<rule_set> load_rule_sets(const std::filesystem::path& dir);

} // namespace kvarter::catalog

#pragma once
// GET /analysis/housing-areas?year=Y&rules=NAME: the ministry's list rules (catalog/rule_set.hpp)
// applied to housing areas. The areas' figures come either from their departments (the
// departments' group field, in the sample the named estates: residents summed, every indicator
// the RESIDENT-WEIGHTED mean over the departments with both a value and a residents figure), or
// from the areas layer's own figures as published (analysis.housing_areas.values = "areas"). An
// area is listed when it has at least min_residents and at least `required` of the counting
// criteria hold; its category is the most severe that holds. A criterion whose value or
// threshold the data lacks is not evaluable: an area is then listed, not listed, or undecided
// (null) when the unknown criteria could tip it either way.

#include "catalog/catalog.hpp"
#include "catalog/rule_set.hpp"
#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::analysis {

// One department's numbers for one year.
struct unit_values {
    std::optional<double> residents;
    std::map<std::string, std::optional<double>> values; // indicator id -> value
};

// A housing area in one year.
struct area_values {
    std::string id;
    std::string name;
    std::vector<std::string> departments;
    double residents = 0; // summed over the departments with a residents figure
    std::size_t departments_with_residents = 0;
    std::map<std::string, std::optional<double>> values; // resident-weighted means or the area's own; nullopt: none
    bool has_geometry = true;
    std::string note; // why an area has no geometry, or how it was put together
    std::optional<bool> published_on_list; // the published list's verdict that year, where configured
    std::optional<bool> published_new;
};

// Sums residents and takes resident-weighted means: sum(r x) / sum(r) over the units with both r and x.
area_values aggregate_units(const std::vector<unit_values>& units);

struct year_data {
    std::map<std::string, area_values> areas; // by area id
    std::map<std::string, double> references; // rule_reference id -> its value that year
};

struct criterion_outcome {
    std::optional<double> value;
    std::optional<double> reference; // for relative thresholds
    std::optional<double> threshold; // absolute; nullopt when a relative one has no reference that year
    bool holds = false; // false too when the value or threshold is unknown
    bool evaluable = false; // both the value and the threshold are known
};

struct category_outcome {
    bool holds = false;
    std::string detail; // for conditions over several years: which years held
};

struct area_verdict {
    std::vector<criterion_outcome> criteria; // aligned with rule_set::criteria
    std::size_t met = 0; // counting criteria that hold
    std::size_t unknown = 0; // counting criteria that cannot be evaluated
    bool eligible = false;
    std::string reason; // why not eligible
    bool listed = false; // certainly listed
    bool undecided = false; // eligible, not certainly listed, but the unknown criteria could list it
    std::vector<category_outcome> categories; // aligned with rule_set::categories
    int category = -1; // the most severe category that holds for a listed area; -1: none
};

// Judges every area of `year`; a category "for the last N years" looks back in `years`, and a
// year missing there (or an area missing in it) breaks the run.
std::map<std::string, area_verdict> evaluate_rules(const catalog::rule_set& rules, const std::map<int, year_data>& years,
                                                   int year);

// The reference values of the rules for a year, from the catalog (fixed ones and layer means).
std::map<std::string, double> reference_values(const catalog::catalog& cat, const catalog::rule_set& rules, int year);

// Every year of the areas' figures (aggregated from the departments, or the areas' own), with references.
std::map<int, year_data> housing_area_years(const catalog::catalog& cat, const catalog::analysis_config& a,
                                            const catalog::rule_set& rules);

// The layer whose years the list analysis answers for: the areas (own figures) or the departments.
const catalog::layer& list_values_layer(const catalog::catalog& cat, const catalog::analysis_config& a);

// The rule set in force in `year`: the latest with in_force_from <= year, else the earliest.
const catalog::rule_set* rules_in_force(const catalog::analysis_config& a, int year);

nlohmann::ordered_json housing_areas_answer(const catalog::catalog& cat, const http::request& req);

} // namespace kvarter::analysis

#include "catalog/analysis_load.hpp"

#include "catalog/socio_index.hpp"
#include "core/error.hpp"

namespace kvarter::catalog {

namespace {

void check_field(const config& cfg, const catalog& c, const std::string& layer_id, const std::string& field,
                 const std::string& key) {
    const layer* l = c.find(layer_id);
    if (!l || l->field_index(field)) return;
    std::string known;
    for (const auto& f : l->fields) known += (known.empty() ? "" : ", ") + f.name;
    throw config_error{cfg.file.string(), key, "layer " + layer_id + " has no field \"" + field + "\"; it has " + known};
}

// Published list figures are judged by the rules in force that year: a year before every rule
// set is an error naming the figures' file and line, not a silent fallback to other rules.
void check_list_years(const config& cfg, const catalog& c, const analysis_config& a) {
    if (a.rule_sets.empty()) return;
    const layer* areas = c.find(a.areas_layer);
    if (!areas) return;
    const int first = a.rule_sets.front().in_force_from; // sorted by in_force_from
    for (int year : areas->years) {
        if (year >= first) continue;
        for (const auto& j : areas->report.joins)
            if (const auto line = j.first_line_of_year.find(year); line != j.first_line_of_year.end())
                throw config_error{j.source, "line " + std::to_string(line->second),
                                   "list year " + std::to_string(year) + " has no rule set in force: the rule sets in " +
                                       a.rules_dir.string() + " begin in " + std::to_string(first) +
                                       "; add a rule file for that year (" + cfg.file.string() + ")"};
        throw config_error{cfg.file.string(), "analysis.rules", "year " + std::to_string(year) + " of layer " + areas->id +
                                                                    " has no rule set in force (they begin in " + std::to_string(first) + ")"};
    }
}

// "2010: 0, 2011: 2": consecutive years with the same count share one entry ("1986–2009: 10"),
// so a layer with decades of some figures stays readable.
std::string unranked_by_year(const layer& l, const std::vector<index_weight>& weights) {
    std::string out;
    std::size_t i = 0;
    while (i < l.years.size()) {
        const auto count = compute_index(l, weights, l.years[i]).unranked;
        std::size_t j = i;
        while (j + 1 < l.years.size() && l.years[j + 1] == l.years[j] + 1 &&
               compute_index(l, weights, l.years[j + 1]).unranked == count)
            ++j;
        const std::string span = std::to_string(l.years[i]) + (j > i ? "–" + std::to_string(l.years[j]) : "");
        out += (out.empty() ? "" : ", ") + span + ": " + std::to_string(count);
        i = j + 1;
    }
    return out;
}

} // namespace

void prepare_analysis(const config& cfg, catalog& c) {
    if (!cfg.analysis) return;
    const auto& a = *cfg.analysis;
    const bool own_values = a.values_from == analysis_config::values_source::areas;
    if (!own_values && (a.housing_areas_given || !a.rule_sets.empty()))
        check_field(cfg, c, a.housing_layer, a.group_field, "analysis.housing_areas.group_field");
    if (own_values) check_list_years(cfg, c, a);
    if (a.forty_plus_given) check_field(cfg, c, a.forty_plus_layer, a.dwellings_field, "analysis.forty_plus.dwellings_field");

    for (auto& l : c.layers) {
        if (l.indicators.empty()) continue;
        for (const char* reserved : {soek_index_id, soek_quintile_id})
            if (l.indicator_index(reserved))
                throw config_error{cfg.file.string(), "indicators",
                                   std::string{"the column "} + reserved + " of layer " + l.id + " is reserved for the SØK index"};
        std::string problem;
        const auto weights = resolve_index_weights(l, a.index_weights, problem);
        if (weights.empty()) {
            l.report.socio_index = "no SØK index: " + problem;
            continue;
        }
        std::string used;
        for (const auto& w : weights) used += (used.empty() ? "" : ", ") + l.indicators[w.indicator].id;
        l.report.socio_index = "SØK index over " + std::to_string(weights.size()) + " indicators (" + used +
                               "); features without it by year: " + unranked_by_year(l, weights);
        append_socio_index(l, weights);
    }
    c.analysis = a;
}

} // namespace kvarter::catalog

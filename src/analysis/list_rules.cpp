#include "analysis/list_rules.hpp"

#include "analysis/analysis_params.hpp"
#include "catalog/socio_index.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace kvarter::analysis {

using json = nlohmann::ordered_json;
using catalog::rule_condition;

area_values aggregate_units(const std::vector<unit_values>& units) {
    area_values out;
    std::map<std::string, std::pair<double, double>> sums; // indicator -> (sum r x, sum r)
    for (const auto& u : units) {
        for (const auto& [id, v] : u.values) sums.try_emplace(id, 0.0, 0.0);
        if (!u.residents) continue;
        out.residents += *u.residents;
        ++out.departments_with_residents;
        for (const auto& [id, v] : u.values) {
            if (!v) continue;
            sums[id].first += *u.residents * *v;
            sums[id].second += *u.residents;
        }
    }
    for (const auto& [id, s] : sums)
        out.values[id] = s.second > 0 ? std::optional<double>{s.first / s.second} : std::nullopt;
    return out;
}

namespace {

std::string number_text(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

// Judges areas year by year, remembering each year so that "for the last N years" can look back.
class judge {
public:
    judge(const catalog::rule_set& rules, const std::map<int, year_data>& years) : m_rules{rules}, m_years{years} {}

    const std::map<std::string, area_verdict>& of_year(int year) {
        if (const auto it = m_memo.find(year); it != m_memo.end()) return it->second;
        std::map<std::string, area_verdict> out;
        const auto data = m_years.find(year);
        if (data != m_years.end())
            for (const auto& [id, area] : data->second.areas) out[id] = judge_area(area, data->second, year);
        return m_memo.emplace(year, std::move(out)).first->second;
    }

private:
    area_verdict judge_area(const area_values& area, const year_data& data, int year) {
        area_verdict v;
        for (const auto& c : m_rules.criteria) {
            criterion_outcome o;
            if (const auto it = area.values.find(c.indicator); it != area.values.end()) o.value = it->second;
            if (c.relative_to.empty()) {
                o.threshold = c.value;
            } else if (const auto ref = data.references.find(c.relative_to); ref != data.references.end()) {
                o.reference = ref->second;
                o.threshold = c.value * ref->second;
            }
            o.evaluable = o.value && o.threshold;
            o.holds = o.evaluable && catalog::holds(c.op, *o.value, *o.threshold);
            if (o.holds && c.counts) ++v.met;
            if (!o.evaluable && c.counts) ++v.unknown;
            v.criteria.push_back(o);
        }
        if (area.departments_with_residents == 0) {
            v.reason = "no resident figures for " + std::to_string(year);
        } else if (area.residents < m_rules.min_residents) {
            v.reason = "has " + number_text(area.residents) + " residents; the " + m_rules.name + " rules need at least " +
                       number_text(m_rules.min_residents);
        } else {
            v.eligible = true;
        }
        v.listed = v.eligible && v.met >= m_rules.required;
        v.undecided = v.eligible && !v.listed && v.met + v.unknown >= m_rules.required;
        for (std::size_t i = 0; i < m_rules.categories.size(); ++i) {
            category_outcome k;
            k.holds = test(m_rules.categories[i].when, v, area.id, year, k.detail);
            v.categories.push_back(k);
            if (k.holds && v.listed) v.category = static_cast<int>(i);
        }
        return v;
    }

    std::size_t category_index(const std::string& id) const {
        for (std::size_t i = 0; i < m_rules.categories.size(); ++i)
            if (m_rules.categories[i].id == id) return i;
        return m_rules.categories.size(); // the parser makes sure this does not happen
    }

    // `v` is this year's verdict so far: its criteria and the categories before the one tested.
    bool test(const rule_condition& c, const area_verdict& v, const std::string& area, int year, std::string& detail) {
        switch (c.type) {
        case rule_condition::kind::listed: return v.listed;
        case rule_condition::kind::criterion:
            for (std::size_t i = 0; i < m_rules.criteria.size(); ++i)
                if (m_rules.criteria[i].id == c.name) return v.criteria[i].holds;
            return false;
        case rule_condition::kind::all:
            for (const auto& p : c.parts)
                if (!test(p, v, area, year, detail)) return false;
            return true;
        case rule_condition::kind::any:
            for (const auto& p : c.parts)
                if (test(p, v, area, year, detail)) return true;
            return false;
        case rule_condition::kind::negation: return !test(c.parts.at(0), v, area, year, detail);
        case rule_condition::kind::category: return test_run(c, v, area, year, detail);
        }
        return false;
    }

    // The category held this year and in each of the c.years - 1 years before.
    bool test_run(const rule_condition& c, const area_verdict& v, const std::string& area, int year, std::string& detail) {
        const std::size_t k = category_index(c.name);
        if (k >= v.categories.size()) return false;
        if (c.years == 1) return v.categories[k].holds;
        std::vector<int> held;
        std::string broke;
        for (int back = 0; back < c.years; ++back) {
            const int y = year - back;
            bool ok = false;
            if (back == 0) {
                ok = v.categories[k].holds;
                if (!ok) broke = "not in " + std::to_string(y);
            } else if (!m_years.contains(y)) {
                broke = "no data for " + std::to_string(y);
            } else {
                const auto& earlier = of_year(y);
                const auto it = earlier.find(area);
                ok = it != earlier.end() && it->second.categories.at(k).holds;
                if (!ok) broke = it == earlier.end() ? "no data for " + std::to_string(y) : "not in " + std::to_string(y);
            }
            if (!ok) break;
            held.push_back(y);
        }
        if (held.empty()) return false; // not even this year: nothing worth saying
        std::string years;
        for (auto it = held.rbegin(); it != held.rend(); ++it) years += (years.empty() ? "" : ", ") + std::to_string(*it);
        const bool all = static_cast<int>(held.size()) == c.years;
        detail = c.name + " " + (all ? std::to_string(c.years) + " years running (" + years + ")"
                                     : "in " + (years.empty() ? std::string{"none"} : years) + " of the last " +
                                           std::to_string(c.years) + " years; " + broke);
        return all;
    }

    const catalog::rule_set& m_rules;
    const std::map<int, year_data>& m_years;
    std::map<int, std::map<std::string, area_verdict>> m_memo;
};

// sum(w x) / sum(w) over a layer's features that year (w = 1 without a weighting indicator).
std::optional<double> layer_mean(const catalog::layer& l, const std::string& indicator, const std::string& weight, int year) {
    const auto x = l.indicator_index(indicator);
    const auto w = weight.empty() ? std::nullopt : l.indicator_index(weight);
    if (!x || (!weight.empty() && !w)) return std::nullopt;
    double sum = 0, total = 0;
    for (const auto& f : l.features) {
        const auto v = indicator_value(f, *x, year);
        const auto r = w ? indicator_value(f, *w, year) : std::optional<double>{1.0};
        if (!v || !r) continue;
        sum += *r * *v;
        total += *r;
    }
    if (total <= 0) return std::nullopt;
    return sum / total;
}

json optional_number(const std::optional<double>& v, int decimals = 2) { return number_json(v, decimals); }

} // namespace

std::map<std::string, area_verdict> evaluate_rules(const catalog::rule_set& rules, const std::map<int, year_data>& years,
                                                   int year) {
    judge j{rules, years};
    return j.of_year(year);
}

std::map<std::string, double> reference_values(const catalog::catalog& cat, const catalog::rule_set& rules, int year) {
    std::map<std::string, double> out;
    for (const auto& ref : rules.references) {
        if (!ref.mean_of.empty()) {
            const auto* l = cat.find(ref.mean_of);
            if (!l) continue;
            if (const auto m = layer_mean(*l, ref.indicator, ref.weight, year)) out[ref.id] = *m;
        } else if (const auto it = ref.by_year.find(year); it != ref.by_year.end()) {
            out[ref.id] = it->second;
        } else if (ref.value) {
            out[ref.id] = *ref.value;
        }
    }
    return out;
}

namespace {

// The areas' own figures, as published: no aggregation.
std::map<int, year_data> own_area_years(const catalog::catalog& cat, const catalog::analysis_config& a,
                                        const catalog::rule_set& rules) {
    const catalog::layer& areas = list_values_layer(cat, a);
    const auto residents = areas.indicator_index(a.residents_indicator);
    if (!residents)
        throw not_found{"layer " + areas.id + " has no indicator \"" + a.residents_indicator + "\" with the areas' residents"};
    const auto status = a.published_status.empty() ? std::nullopt : areas.indicator_index(a.published_status);
    const auto fresh = a.published_new.empty() ? std::nullopt : areas.indicator_index(a.published_new);
    std::map<int, year_data> out;
    for (const int year : areas.years) {
        year_data data;
        data.references = reference_values(cat, rules, year);
        for (const auto& f : areas.features) {
            if (!f.indicators.contains(year)) continue; // not on that year's list
            area_values area;
            area.id = f.id;
            area.name = f.name;
            area.departments = f.members;
            area.has_geometry = f.has_geometry;
            area.note = field_text(areas, f, "reason");
            if (const auto r = indicator_value(f, *residents, year)) {
                area.residents = *r;
                area.departments_with_residents = 1;
            }
            auto flag = [&](const std::optional<std::size_t>& k) -> std::optional<bool> {
                if (!k) return std::nullopt;
                const auto v = indicator_value(f, *k, year);
                return v ? std::optional<bool>{*v != 0} : std::nullopt;
            };
            area.published_on_list = flag(status);
            area.published_new = flag(fresh);
            for (std::size_t k = 0; k < areas.indicators.size(); ++k) {
                const auto& ind = areas.indicators[k].id;
                if (k == *residents || k == status || k == fresh || ind == catalog::soek_index_id || ind == catalog::soek_quintile_id)
                    continue;
                area.values[ind] = indicator_value(f, k, year);
            }
            data.areas.emplace(area.id, std::move(area));
        }
        out.emplace(year, std::move(data));
    }
    return out;
}

} // namespace

const catalog::layer& list_values_layer(const catalog::catalog& cat, const catalog::analysis_config& a) {
    const bool own = a.values_from == catalog::analysis_config::values_source::areas;
    const auto* l = cat.find(own ? a.areas_layer : a.housing_layer);
    if (!l)
        throw not_found{own ? "no housing-area layer is configured (analysis.housing_areas.areas_layer)"
                            : "no housing-department layer is configured (analysis.housing_areas.layer)"};
    return *l;
}

std::map<int, year_data> housing_area_years(const catalog::catalog& cat, const catalog::analysis_config& a,
                                            const catalog::rule_set& rules) {
    if (a.values_from == catalog::analysis_config::values_source::areas) return own_area_years(cat, a, rules);
    const auto* deps = cat.find(a.housing_layer);
    if (!deps) throw not_found{"no housing-department layer is configured (analysis.housing_areas.layer)"};
    const auto residents = deps->indicator_index(a.residents_indicator);
    if (!residents)
        throw not_found{"layer " + deps->id + " has no indicator \"" + a.residents_indicator + "\" to weigh the areas by"};
    const auto* areas_layer = a.areas_layer.empty() ? nullptr : cat.find(a.areas_layer);

    // Area id -> its departments, in the layer's order; areas without departments are kept too.
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < deps->features.size(); ++i) {
        const std::string g = field_text(*deps, deps->features[i], a.group_field);
        if (!g.empty()) groups[g].push_back(i);
    }
    if (areas_layer)
        for (const auto& f : areas_layer->features) groups.try_emplace(f.id);

    std::map<int, year_data> out;
    for (const int year : deps->years) {
        year_data data;
        data.references = reference_values(cat, rules, year);
        for (const auto& [id, members] : groups) {
            std::vector<unit_values> units;
            std::vector<std::string> ids;
            for (const auto i : members) {
                const auto& f = deps->features[i];
                unit_values u;
                u.residents = indicator_value(f, *residents, year);
                for (std::size_t k = 0; k < deps->indicators.size(); ++k) {
                    const auto& ind = deps->indicators[k].id;
                    if (k == *residents || ind == catalog::soek_index_id || ind == catalog::soek_quintile_id) continue;
                    u.values[ind] = indicator_value(f, k, year);
                }
                units.push_back(std::move(u));
                ids.push_back(f.id);
            }
            area_values area = aggregate_units(units);
            area.id = id;
            const auto* outline = areas_layer ? areas_layer->find(id) : nullptr;
            area.name = outline ? outline->name : id;
            area.departments = std::move(ids);
            data.areas.emplace(id, std::move(area));
        }
        out.emplace(year, std::move(data));
    }
    return out;
}

const catalog::rule_set* rules_in_force(const catalog::analysis_config& a, int year) {
    const catalog::rule_set* pick = nullptr;
    for (const auto& r : a.rule_sets) // sorted by in_force_from
        if (r.in_force_from <= year) pick = &r;
    return pick ? pick : (a.rule_sets.empty() ? nullptr : &a.rule_sets.front());
}

namespace {

json optional_bool(const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); }

// The verdict as the answer states it: null when the unknown criteria could tip it.
json listed_json(const area_verdict& v) { return v.undecided ? json(nullptr) : json(v.listed); }

json criteria_json(const catalog::rule_set& rules, const year_data& data, int year) {
    json criteria = json::array();
    for (const auto& c : rules.criteria) {
        json cj{{"id", c.id}, {"label_da", c.label_da}, {"indicator", c.indicator}, {"op", catalog::to_string(c.op)}, {"value", number_json(c.value, 4)}};
        bool evaluable = true;
        if (!c.relative_to.empty()) {
            const auto ref = data.references.find(c.relative_to);
            evaluable = ref != data.references.end();
            cj["value_relative_to"] = c.relative_to;
            cj["reference"] = evaluable ? number_json(ref->second, 2) : json(nullptr);
            cj["threshold"] = evaluable ? number_json(c.value * ref->second, 2) : json(nullptr);
            if (!evaluable) {
                const auto* r = rules.find_reference(c.relative_to);
                cj["not_evaluable"] = "no value of " + c.relative_to + " for " + std::to_string(year) +
                                      (r && !r->note.empty() ? ": " + r->note : "");
            }
        } else {
            cj["threshold"] = number_json(c.value, 4);
        }
        cj["evaluable"] = evaluable;
        cj["counts"] = c.counts;
        if (!c.law.empty()) cj["law"] = c.law;
        criteria.push_back(cj);
    }
    return criteria;
}

// Label, unit and provenance of every indicator the answer shows.
json indicators_json(const catalog::layer& values_layer, const std::vector<const area_values*>& areas) {
    json out = json::object();
    for (const auto* area : areas)
        for (const auto& [id, v] : area->values) {
            if (out.contains(id)) continue;
            const auto k = values_layer.indicator_index(id);
            if (!k) continue;
            const auto& ind = values_layer.indicators[*k];
            out[id] = {{"label", ind.label}, {"unit", ind.unit}, {"provenance", catalog::to_string(ind.origin)}, {"source", ind.source_note}};
        }
    return out;
}

const catalog::rule_set& pick_rules(const catalog::analysis_config& a, const http::request& req, int year) {
    const catalog::rule_set* rules = rules_in_force(a, year);
    if (const std::string* name = req.param("rules")) {
        rules = nullptr;
        std::string known;
        for (const auto& r : a.rule_sets) {
            if (r.name == *name) rules = &r;
            known += (known.empty() ? "" : ", ") + r.name;
        }
        if (!rules) throw bad_request{"rules", "no rule set \"" + *name + "\"; there are " + known};
    }
    return *rules;
}

} // namespace

nlohmann::ordered_json housing_areas_answer(const catalog::catalog& cat, const http::request& req) {
    const auto& a = analysis_of(cat);
    http::check_params(req, {"year", "rules"});
    if (a.rule_sets.empty()) throw not_found{"no list rules are configured (analysis.rules names no folder of rule files)"};
    const auto& values_layer = list_values_layer(cat, a);
    const bool own = a.values_from == catalog::analysis_config::values_source::areas;
    const int year = year_param(req, values_layer);
    const catalog::rule_set& rules = pick_rules(a, req, year);
    // A "what if" with other rules is shown beside the published verdict, not scored against it.
    const bool in_force = rules_in_force(a, year) == &rules;

    const auto years = housing_area_years(cat, a, rules);
    const auto verdicts = evaluate_rules(rules, years, year);
    const auto& data = years.at(year);

    json categories = json::array();
    for (const auto& k : rules.categories) categories.push_back({{"id", k.id}, {"label_da", k.label_da}});

    // Listed areas first, the most severe category first, then by criteria met and name.
    std::vector<const area_values*> order;
    for (const auto& [id, area] : data.areas) order.push_back(&area);
    std::stable_sort(order.begin(), order.end(), [&](const area_values* x, const area_values* y) {
        const auto& vx = verdicts.at(x->id);
        const auto& vy = verdicts.at(y->id);
        if (vx.listed != vy.listed) return vx.listed;
        if (vx.category != vy.category) return vx.category > vy.category;
        if (vx.met != vy.met) return vx.met > vy.met;
        return x->name < y->name;
    });

    json areas = json::array();
    std::size_t listed = 0, undecided = 0, compared = 0, agree = 0;
    json differ = json::array();
    json by_category = json::object();
    for (const auto& k : rules.categories) by_category[k.id] = 0;
    for (const auto* area : order) {
        const auto& v = verdicts.at(area->id);
        json values = json::object();
        for (const auto& [id, x] : area->values) values[id] = optional_number(x);
        json held = json::array();
        for (std::size_t i = 0; i < rules.criteria.size(); ++i) {
            const auto& o = v.criteria[i];
            held.push_back({{"id", rules.criteria[i].id},
                            {"value", optional_number(o.value)},
                            {"threshold", optional_number(o.threshold)},
                            {"holds", o.evaluable ? json(o.holds) : json(nullptr)}});
        }
        json cats = json::array();
        for (std::size_t i = 0; i < rules.categories.size(); ++i) {
            json cj{{"id", rules.categories[i].id}, {"holds", v.undecided ? json(nullptr) : json(v.categories[i].holds)}};
            if (!v.categories[i].detail.empty()) cj["detail"] = v.categories[i].detail;
            cats.push_back(cj);
            if (v.listed && v.categories[i].holds) by_category[rules.categories[i].id] = by_category[rules.categories[i].id].get<int>() + 1;
        }
        json aj{{"id", area->id}, {"name", area->name}, {"departments", area->departments}};
        if (own) {
            aj["has_geometry"] = area->has_geometry;
            if (!area->note.empty()) aj["note"] = area->note;
        }
        aj["residents"] = number_json(area->residents, 0);
        aj["values"] = values;
        aj["criteria"] = held;
        aj["criteria_met"] = v.met;
        aj["criteria_unknown"] = v.unknown;
        aj["required"] = rules.required;
        aj["eligible"] = v.eligible;
        if (!v.eligible) aj["reason"] = v.reason;
        aj["listed"] = listed_json(v);
        aj["category"] = v.category >= 0 && !v.undecided ? json{{"id", rules.categories[v.category].id},
                                                                {"label_da", rules.categories[v.category].label_da}}
                                                          : json(nullptr);
        aj["categories"] = cats;
        if (own && (!a.published_status.empty() || !a.published_new.empty())) {
            aj["published"] = {{"on_list", optional_bool(area->published_on_list)}, {"new_on_list", optional_bool(area->published_new)}};
            json agrees = nullptr;
            if (in_force && area->published_on_list && !v.undecided) {
                agrees = *area->published_on_list == v.listed;
                ++compared;
                if (agrees.get<bool>()) ++agree;
                else differ.push_back({{"id", area->id}, {"name", area->name}, {"published", *area->published_on_list}, {"computed", v.listed}});
            }
            aj["agrees"] = agrees;
        }
        areas.push_back(aj);
        listed += v.listed ? 1 : 0;
        undecided += v.undecided ? 1 : 0;
    }

    json rules_json{{"name", rules.name},
                    {"title", rules.title},
                    {"source", rules.source},
                    {"in_force_from", rules.in_force_from},
                    {"in_force", in_force},
                    {"min_residents", number_json(rules.min_residents, 0)},
                    {"required", rules.required},
                    {"criteria", criteria_json(rules, data, year)},
                    {"categories", categories}};
    if (!rules.note.empty()) rules_json["note"] = rules.note;
    json out{{"year", year}, {"years", values_layer.years}, {"rules", rules_json}};
    if (own) {
        out["values_from"] = "areas";
        out["aggregation"] = "none: every figure is the area's own, as " + values_layer.id + " has it";
        out["layer"] = values_layer.id;
    } else {
        out["values_from"] = "departments";
        out["aggregation"] = "residents summed over the area's departments; every indicator the resident-weighted mean "
                             "over the departments with both a value and a residents figure that year";
    }
    out["indicators"] = indicators_json(values_layer, order);
    out["listed"] = listed;
    out["undecided"] = undecided;
    out["listed_by_category"] = by_category;
    if (own && !a.published_status.empty()) {
        out["agreement"] = in_force ? json{{"compared", compared}, {"agree", agree}, {"differ", differ}}
                                    : json{{"compared", 0}, {"note", "the " + rules.name + " rules were not in force in " +
                                                                         std::to_string(year) + ": a what-if, not compared with the published list"}};
    }
    out["areas"] = areas;
    return out;
}

} // namespace kvarter::analysis

#include "analysis/forty_plus.hpp"

#include "analysis/analysis_params.hpp"
#include "core/error.hpp"

#include <cmath>
#include <map>

namespace kvarter::analysis {

using json = nlohmann::ordered_json;

forty_plus_status classify_share(std::optional<double> share, double threshold) noexcept {
    if (!share) return forty_plus_status::unknown;
    return *share > threshold ? forty_plus_status::forty_plus : forty_plus_status::below;
}

std::vector<forty_plus_status> classify_layer(const catalog::layer& l, std::size_t indicator, double threshold, int year) {
    std::vector<forty_plus_status> out;
    out.reserve(l.features.size());
    for (const auto& f : l.features) out.push_back(classify_share(indicator_value(f, indicator, year), threshold));
    return out;
}

forty_plus_moves compare_years(const std::vector<forty_plus_status>& then, const std::vector<forty_plus_status>& now) {
    forty_plus_moves out;
    for (std::size_t i = 0; i < now.size() && i < then.size(); ++i) {
        if (now[i] == forty_plus_status::forty_plus && then[i] == forty_plus_status::below) out.moved_in.push_back(i);
        if (now[i] == forty_plus_status::below && then[i] == forty_plus_status::forty_plus) out.moved_out.push_back(i);
    }
    return out;
}

namespace {

const char* status_name(forty_plus_status s) {
    switch (s) {
    case forty_plus_status::forty_plus: return "forty_plus";
    case forty_plus_status::below: return "below";
    case forty_plus_status::unknown: return "no_data";
    }
    return "no_data";
}

json share_json(std::optional<double> v) { return number_json(v, 2); }

} // namespace

nlohmann::ordered_json forty_plus_answer(const catalog::catalog& cat, const http::request& req) {
    const auto& a = analysis_of(cat);
    http::check_params(req, {"year", "since"});
    const auto* l = cat.find(a.forty_plus_layer);
    if (!l) throw not_found{"no housing-department layer is configured for 40 plus (analysis.forty_plus.layer)"};
    const auto indicator = l->indicator_index(a.forty_plus_indicator);
    if (!indicator)
        throw not_found{"layer " + l->id + " has no indicator \"" + a.forty_plus_indicator + "\" (analysis.forty_plus.indicator)"};
    const int year = year_param(req, *l);
    const auto since = optional_year_param(req, *l, "since");
    if (since && *since >= year)
        throw bad_request{"since", "since must be a year before " + std::to_string(year) + ", got " + std::to_string(*since)};

    const auto now = classify_layer(*l, *indicator, a.forty_plus_threshold, year);
    const bool have_dwellings = l->field_index(a.dwellings_field).has_value();
    const auto district_field = l->field_index("district");

    struct tally {
        std::size_t departments = 0;
        std::int64_t dwellings = 0;
    };
    std::map<forty_plus_status, tally> tallies;
    json departments = json::array();
    for (std::size_t i = 0; i < l->features.size(); ++i) {
        const auto& f = l->features[i];
        const auto dwellings = field_number(*l, f, a.dwellings_field);
        auto& t = tallies[now[i]];
        ++t.departments;
        if (dwellings) t.dwellings += std::llround(*dwellings);
        json d{{"id", f.id},
               {"name", f.name},
               {"share", share_json(indicator_value(f, *indicator, year))},
               {"forty_plus", now[i] == forty_plus_status::unknown ? json(nullptr) : json(now[i] == forty_plus_status::forty_plus)},
               {"dwellings", number_json(dwellings, 0)}};
        if (const std::string area = field_text(*l, f, a.group_field); !area.empty()) d["housing_area"] = area;
        if (district_field) d["district"] = field_text(*l, f, "district");
        departments.push_back(d);
    }

    json counts = json::object();
    for (const auto s : {forty_plus_status::forty_plus, forty_plus_status::below, forty_plus_status::unknown})
        counts[status_name(s)] = {{"departments", tallies[s].departments},
                                  {"dwellings", have_dwellings ? json(tallies[s].dwellings) : json(nullptr)}};
    json out{{"year", year},
             {"layer", l->id},
             {"indicator", a.forty_plus_indicator},
             {"threshold", number_json(a.forty_plus_threshold, 4)},
             {"rule", "a department is 40 plus when " + a.forty_plus_indicator + " > " +
                          number_json(a.forty_plus_threshold, 4).dump() + "; 40 plus departments are exempt from municipal allocation"},
             {"provenance", provenance_json(*l, {*indicator})},
             {"counts", counts}};
    if (since) {
        const auto then = classify_layer(*l, *indicator, a.forty_plus_threshold, *since);
        const auto moves = compare_years(then, now);
        auto list = [&](const std::vector<std::size_t>& which) {
            json arr = json::array();
            for (const auto i : which) {
                const auto& f = l->features[i];
                arr.push_back({{"id", f.id},
                               {"name", f.name},
                               {"share_" + std::to_string(*since), share_json(indicator_value(f, *indicator, *since))},
                               {"share_" + std::to_string(year), share_json(indicator_value(f, *indicator, year))}});
            }
            return arr;
        };
        std::size_t was = 0;
        for (const auto s : then) was += s == forty_plus_status::forty_plus ? 1 : 0;
        out["since"] = *since;
        out["forty_plus_then"] = was;
        out["moved_in"] = list(moves.moved_in);
        out["moved_out"] = list(moves.moved_out);
    }
    out["departments"] = departments;
    return out;
}

} // namespace kvarter::analysis

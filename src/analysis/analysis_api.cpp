#include "analysis/analysis_api.hpp"

#include "analysis/analysis_params.hpp"

#include "analysis/forty_plus.hpp"
#include "analysis/list_rules.hpp"
#include "analysis/screening.hpp"
#include "analysis/socio_index_api.hpp"

namespace kvarter::analysis {

using http::request;
using http::response;
using http::route_params;

namespace {

using answer_fn = nlohmann::ordered_json (*)(const catalog::catalog&, const request&);

// Answers keep their members in the order written (ordered_json), which json_response would sort.
http::handler_fn serve(const catalog::catalog_holder* holder, answer_fn answer) {
    return [holder, answer](const request& req, const route_params&) {
        const auto cat = holder->get(); // one snapshot for the whole request
        response r;
        r.content_type = "application/json";
        r.body = answer(*cat, req).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        return r;
    };
}

// Which analyses this config makes available, so a client offers only those.
nlohmann::ordered_json analyses_answer(const catalog::catalog& cat, const request& req) {
    using json = nlohmann::ordered_json;
    only_params(req, {});
    json list = json::array();
    json rule_sets = json::array();
    auto add = [&](const char* id, const char* title) {
        list.push_back({{"id", id}, {"href", req.base_url() + "/analysis/" + id}, {"title", title}});
    };
    if (cat.analysis) {
        const auto& a = *cat.analysis;
        const auto* index_layer = default_index_layer(cat);
        if (index_layer) {
            add("index", "SØK index, rank and quintile per feature");
            add("screening", "Annual screening: deprived units not yet covered by area renewal");
        }
        const auto* values = cat.find(a.values_from == catalog::analysis_config::values_source::areas ? a.areas_layer : a.housing_layer);
        if (!a.rule_sets.empty() && values) add("housing-areas", "The ministry's list rules per housing area");
        const auto* forty = cat.find(a.forty_plus_layer);
        if (forty && forty->indicator_index(a.forty_plus_indicator)) add("forty-plus", "40 plus housing departments");
        for (const auto& r : a.rule_sets)
            rule_sets.push_back({{"name", r.name}, {"title", r.title}, {"in_force_from", r.in_force_from}, {"source", r.source}});
    }
    return {{"analyses", list}, {"rule_sets", rule_sets}};
}

} // namespace

std::vector<http::route> routes(const catalog::catalog_holder& holder) {
    const auto* h = &holder;
    const auto year = [](const std::string& what) { return http::doc::year(what + " (default: the latest with data)"); };
    const http::parameter_doc layer{"layer", "The layer whose features are ranked (default: the configured one)",
                                    R"({"type":"string"})", "housing-departments"};
    return {
        {"GET", "/analysis", "The analyses this server offers, and its list rule sets", serve(h, analyses_answer)},
        {"GET", "/analysis/index", "SØK index, rank and quintile per feature", serve(h, index_answer),
         {layer, year("The indicator year"),
          {"weights", "Indicator weights as id:weight pairs, comma-separated; indicators left out weigh 0 (default: the config's)",
           R"({"type":"string"})", "employment_rate:2,mean_income_dkk:1"}}},
        {"GET", "/analysis/screening", "Annual screening: deprived units not yet covered by area renewal",
         serve(h, screening_answer), {year("The screening year"), layer}},
        {"GET", "/analysis/housing-areas", "The ministry's list rules per housing area", serve(h, housing_areas_answer),
         {year("The list year"),
          {"rules", "The rule set to apply (see /analysis; default: the one in force that year)", R"({"type":"string"})",
           "2013"}}},
        {"GET", "/analysis/forty-plus", "40 plus housing departments, counts and moves", serve(h, forty_plus_answer),
         {year("The year counted"),
          {"since", "An earlier year: which departments became or stopped being 40 plus since then",
           R"({"type":"integer","minimum":1900,"maximum":2100})", ""}}},
    };
}

} // namespace kvarter::analysis

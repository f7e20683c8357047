#include "analysis/analysis_api.hpp"

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

} // namespace

std::vector<http::route> routes(const catalog::catalog_holder& holder) {
    const auto* h = &holder;
    return {
        {"GET", "/analysis/index", "SØK index, rank and quintile per feature (layer, year, weights=a:1,b:2)",
         serve(h, index_answer)},
        {"GET", "/analysis/screening", "Annual screening: deprived units not yet covered by area renewal (year, layer)",
         serve(h, screening_answer)},
        {"GET", "/analysis/housing-areas", "The ministry's list rules per housing area (year, rules)",
         serve(h, housing_areas_answer)},
        {"GET", "/analysis/forty-plus", "40 plus housing departments, counts and moves (year, since)",
         serve(h, forty_plus_answer)},
    };
}

} // namespace kvarter::analysis

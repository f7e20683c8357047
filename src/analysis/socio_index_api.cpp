#include "analysis/socio_index_api.hpp"

#include "analysis/analysis_params.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <numeric>

namespace kvarter::analysis {

using json = nlohmann::ordered_json;

std::vector<catalog::index_weight> request_weights(const catalog::catalog& cat, const catalog::layer& l,
                                                   const http::request& req) {
    const auto& a = analysis_of(cat);
    std::string problem;
    if (const std::string* text = req.param("weights")) {
        auto weights = catalog::resolve_index_weights(l, catalog::parse_weights(*text), problem);
        if (weights.empty()) throw bad_request{"weights", problem};
        return weights;
    }
    auto weights = catalog::resolve_index_weights(l, a.index_weights, problem);
    if (weights.empty()) throw bad_request{"layer", problem + "; name the weights with weights=indicator:weight,…"};
    return weights;
}

nlohmann::ordered_json index_answer(const catalog::catalog& cat, const http::request& req) {
    analysis_of(cat);
    http::check_params(req, {"layer", "year", "weights"});
    const auto& l = layer_param(cat, req, "layer", default_index_layer(cat));
    if (l.indicators.empty()) throw bad_request{"layer", "layer " + l.id + " has no indicators to build an index from"};
    const int year = year_param(req, l);
    const auto weights = request_weights(cat, l, req);
    const auto result = catalog::compute_index(l, weights, year);

    double total = 0;
    for (const auto& w : weights) total += w.weight;
    json indicators = json::array();
    json used = json::object();
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto& ind = l.indicators[weights[i].indicator];
        used[ind.id] = number_json(weights[i].weight, 4);
        indicators.push_back({{"id", ind.id},
                              {"label", ind.label},
                              {"direction", catalog::to_string(ind.dir)},
                              {"weight", number_json(weights[i].weight, 4)},
                              {"weight_share", number_json(weights[i].weight / total, 4)},
                              {"mean", number_json(result.means[i], 4)},
                              {"sd", number_json(result.sds[i], 4)},
                              {"provenance", catalog::to_string(ind.origin)}});
    }
    std::vector<std::size_t> components_used;
    for (const auto& w : weights) components_used.push_back(w.indicator);

    // Ranked features first (rank 1 = most deprived), then the ones without an index.
    std::vector<std::size_t> order(l.features.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto ra = result.entries[a].rank, rb = result.entries[b].rank;
        return (ra ? ra : SIZE_MAX) < (rb ? rb : SIZE_MAX);
    });
    json features = json::array();
    for (const auto f : order) {
        const auto& e = result.entries[f];
        const auto& ft = l.features[f];
        json components = json::object();
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const auto v = indicator_value(ft, weights[i].indicator, year);
            components[l.indicators[weights[i].indicator].id] = {
                {"value", number_json(v, 4)},
                {"z", e.index ? json(catalog::rounded_index(e.z[i])) : json(nullptr)}};
        }
        features.push_back({{"id", ft.id},
                            {"name", ft.name},
                            {"index", e.index ? json(catalog::rounded_index(*e.index)) : json(nullptr)},
                            {"rank", e.rank ? json(e.rank) : json(nullptr)},
                            {"quintile", e.quintile ? json(e.quintile) : json(nullptr)},
                            {"components", components}});
    }
    return {{"layer", l.id},
            {"year", year},
            {"weights", used},
            {"weights_from", req.param("weights") ? "request" : cat.analysis->index_weights ? "config" : "default"},
            {"definition", "z = (value - mean) / sd over the layer's features that year (population sd), signed so that "
                           "positive = worse; index = weighted mean of the z; higher = more deprived; rank 1 = most "
                           "deprived, ties share a rank; quintile = 5 - floor(5 (rank - 1) / ranked), 5 = most deprived fifth"},
            {"indicators", indicators},
            {"provenance", provenance_json(l, components_used)},
            {"ranked", result.ranked},
            {"unranked", result.unranked},
            {"features", features}};
}

} // namespace kvarter::analysis

#include "analysis/analysis_params.hpp"

#include "catalog/socio_index.hpp"
#include "core/error.hpp"
#include "http/params.hpp"

#include <algorithm>
#include <cmath>

namespace kvarter::analysis {

const catalog::analysis_config& analysis_of(const catalog::catalog& cat) {
    if (!cat.analysis)
        throw not_found{"no analyses are configured on this server: its config has no \"analysis\" key "
                        "(the index, screening, list rules and 40 plus need indicator data)"};
    return *cat.analysis;
}

const catalog::layer* default_index_layer(const catalog::catalog& cat) {
    const auto has_index = [](const catalog::layer* l) { return l && l->indicator_index(catalog::soek_index_id); };
    if (cat.analysis && !cat.analysis->screening_layer.empty()) return cat.find(cat.analysis->screening_layer);
    if (cat.analysis && has_index(cat.find(cat.analysis->housing_layer))) return cat.find(cat.analysis->housing_layer);
    for (const auto& l : cat.layers)
        if (has_index(&l)) return &l;
    return nullptr;
}

const catalog::layer& layer_param(const catalog::catalog& cat, const http::request& req, const std::string& name,
                                  const catalog::layer* fallback) {
    const std::string* id = req.param(name);
    if (!id) {
        if (!fallback) throw not_found{"no layer has indicators to analyse"};
        return *fallback;
    }
    if (const auto* l = cat.find(*id)) return *l;
    std::string known;
    for (const auto& l : cat.layers)
        if (!l.indicators.empty()) known += (known.empty() ? "" : ", ") + l.id;
    throw bad_request{name, "no layer \"" + *id + "\"; layers with indicators: " + (known.empty() ? "none" : known)};
}

std::optional<int> optional_year_param(const http::request& req, const catalog::layer& l, const std::string& name) {
    const auto y = http::year_param(req, name);
    if (y) catalog::require_data_year(l, *y, name);
    return y;
}

int year_param(const http::request& req, const catalog::layer& l, const std::string& name) {
    if (const auto y = optional_year_param(req, l, name)) return *y;
    if (l.years.empty()) throw bad_request{"layer", "layer " + l.id + " has no indicator data"};
    return l.years.back();
}

std::string field_text(const catalog::layer& l, const catalog::feature& f, const std::string& field) {
    const auto i = l.field_index(field);
    if (!i || *i >= f.properties.size()) return {};
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) return v;
            else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(v);
            else if constexpr (std::is_same_v<T, double>) return std::to_string(v);
            else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
            else return {};
        },
        f.properties[*i]);
}

std::optional<double> indicator_value(const catalog::feature& f, std::size_t indicator, int year) {
    const auto row = f.indicators.find(year);
    if (row == f.indicators.end() || indicator >= row->second.size()) return std::nullopt;
    return row->second[indicator];
}

nlohmann::ordered_json number_json(double v, int decimals) {
    if (!std::isfinite(v)) return nullptr;
    const double f = std::pow(10.0, decimals);
    const double r = std::round(v * f) / f;
    if (std::floor(r) == r && std::fabs(r) < 9e15) return static_cast<std::int64_t>(r);
    return r;
}

nlohmann::ordered_json number_json(const std::optional<double>& v, int decimals) {
    return v ? number_json(*v, decimals) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json provenance_json(const catalog::layer& l, const std::vector<std::size_t>& indicators) {
    using json = nlohmann::ordered_json;
    json by_kind{{"published", json::array()}, {"synthetic", json::array()}, {"unstated", json::array()}};
    json each = json::object();
    for (const auto k : indicators) {
        const auto& ind = l.indicators.at(k);
        by_kind[catalog::to_string(ind.origin)].push_back(ind.id);
        each[ind.id] = {{"provenance", catalog::to_string(ind.origin)}, {"source", ind.source_note}};
    }
    json out = by_kind;
    out["indicators"] = each;
    const auto& synthetic = by_kind["synthetic"];
    if (!synthetic.empty()) {
        std::string names;
        for (const auto& id : synthetic) names += (names.empty() ? "" : ", ") + id.get<std::string>();
        out["note"] = synthetic.size() == indicators.size()
                          ? "every figure this answer rests on is synthetic (" + names + "): not real statistics"
                          : "this answer mixes published and synthetic figures; synthetic: " + names;
    }
    return out;
}

} // namespace kvarter::analysis

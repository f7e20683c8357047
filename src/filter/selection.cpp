#include "filter/selection.hpp"

#include "core/error.hpp"
#include "filter/cql2.hpp"
#include "filter/evaluate.hpp"
#include "filter/queryables.hpp"
#include "geometry/ogc_crs.hpp"

#include <algorithm>

namespace kvarter::filter {

http::parameter_docs filter_parameter_docs(const std::string& what, const std::string& example) {
    return {{"filter", "A CQL2 expression selecting " + what + " (OGC API – Features Part 3); it may name what the queryables list",
             R"({"type":"string"})", example},
            http::doc::one_of("filter-lang", "The language of filter (default cql2-text)", {"cql2-text", "cql2-json"}, "cql2-text"),
            http::doc::one_of("filter-crs", "The CRS of the geometries in filter (default CRS84)", geometry::ogc_crs_uris(),
                              "http://www.opengis.net/def/crs/OGC/1.3/CRS84")};
}

std::optional<filter_params> read_filter_params(const http::request& req) {
    const std::string* text = req.param("filter");
    if (!text) return std::nullopt;
    const std::string* lang = req.param("filter-lang");
    const std::string* crs = req.param("filter-crs");
    filter_params out{parse(*text, lang ? parse_language(*lang) : language::text), {}};
    if (crs) out.crs = literal_crs::parse(*crs);
    return out;
}

selection::selection(const filter_params& params, const catalog::catalog& cat, const std::vector<std::size_t>& layers,
                     std::optional<int> year, const std::string& what) {
    const auto names = property_names(params.root);
    for (const auto index : layers) {
        const auto& l = cat.layers[index];
        per_layer p{index, nullptr, nullptr};
        if (std::all_of(names.begin(), names.end(), [&](const auto& n) { return find_queryable(l, n).has_value(); })) {
            p.bound = std::make_unique<bound_filter>(bind(params.root, l, params.crs));
            p.eval = std::make_unique<evaluator>(*p.bound, cat, l, year);
            if (m_key.empty()) m_key = to_string(p.bound->root);
        }
        m_layers.push_back(std::move(p));
    }
    if (m_key.empty())
        throw bad_request{"filter", "filter: no layer of " + what + " has every property the filter names (see each collection's queryables)"};
}

selection::~selection() = default;

bool selection::selects(std::size_t layer, const catalog::feature& f) const {
    for (const auto& p : m_layers)
        if (p.layer == layer) return p.eval && p.eval->matches(f);
    return true;
}

} // namespace kvarter::filter

#pragma once
// The filter parameters of a request (filter, filter-lang, filter-crs), and one filter applied
// across several layers (the layers of a tile, the housing departments of an overlay). Each
// layer takes the filter when its queryables hold every name the filter uses; in a layer that
// lacks one, nothing is selected (the filter cannot be true there). A filter no layer can take
// is a 400.

#include "catalog/catalog.hpp"
#include "filter/bind.hpp"
#include "filter/cql2_ast.hpp"
#include "http/message.hpp"
#include "http/parameter_doc.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::filter {

class evaluator;

struct filter_params {
    node root; // parsed, not yet checked
    literal_crs crs;
};

// nullopt when the request has no filter; bad_request naming filter, filter-lang or filter-crs.
std::optional<filter_params> read_filter_params(const http::request& req);
// How /api describes filter, filter-lang and filter-crs; `what` the filter selects.
http::parameter_docs filter_parameter_docs(const std::string& what, const std::string& example);

class selection {
public:
    // `layers`: indexes into cat.layers the filter applies to; `year` picks indicators and flags.
    selection(const filter_params& params, const catalog::catalog& cat, const std::vector<std::size_t>& layers,
              std::optional<int> year, const std::string& what);
    ~selection();
    selection(const selection&) = delete;
    selection& operator=(const selection&) = delete;

    // Whether the feature of layer cat.layers[layer] is selected; layers not given select all.
    bool selects(std::size_t layer, const catalog::feature& f) const;
    // The filter as checked (literals in lon/lat): the same text for the same selection.
    const std::string& key() const noexcept { return m_key; }

private:
    struct per_layer {
        std::size_t layer;
        std::unique_ptr<bound_filter> bound; // null: the layer lacks a name, selects nothing
        std::unique_ptr<evaluator> eval;
    };
    std::vector<per_layer> m_layers;
    std::string m_key;
};

} // namespace kvarter::filter

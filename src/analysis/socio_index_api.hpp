#pragma once
// GET /analysis/index?layer=ID&year=Y[&weights=a:1,b:2]: the SØK index of every feature of a
// layer for a year, with rank, quintile and the standardised components (catalog/socio_index.hpp
// has the definition). Without weights= it repeats what loading stored in soek_index/soek_quintile.

#include "catalog/catalog.hpp"
#include "catalog/socio_index.hpp"
#include "http/message.hpp"

#include <nlohmann/json.hpp>

namespace kvarter::analysis {

// The weights a request asks for (weights=) or the configured ones, resolved against the layer;
// throws bad_request naming "weights" (or "layer" when the configured ones do not fit it).
std::vector<catalog::index_weight> request_weights(const catalog::catalog& cat, const catalog::layer& l,
                                                   const http::request& req);

nlohmann::ordered_json index_answer(const catalog::catalog& cat, const http::request& req);

} // namespace kvarter::analysis

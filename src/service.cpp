#include "service.hpp"

#include "analysis/analysis_api.hpp"
#include "analysis/overlay_api.hpp"
#include "features/features_api.hpp"
#include "fonts/fonts_api.hpp"
#include "fonts/glyphs.hpp"
#include "proposals/ogc_items_api.hpp"
#include "proposals/proposals_api.hpp"
#include "proposals/proposals_views.hpp"
#include "tiles/ogc_tiles_api.hpp"
#include "tiles/tiles_api.hpp"
#include "web/static_files.hpp"

#include <nlohmann/json.hpp>

namespace kvarter {

using http::request;
using http::response;
using http::route_params;

std::unique_ptr<http::router> make_router(const catalog::catalog_holder& holder, tiles::tile_cache& cache,
                                          proposals::proposal_store* store, const proposals::token_list* tokens) {
    // Proposals live outside the catalog: the features API and the tiles ask the store per request.
    const auto proposal_views = store ? proposals::views(*store) : proposals::view_set{};
    const auto& tile_classes = tiles::ogc_tiles_conformance();
    std::vector<std::string> classes{tile_classes.begin(), tile_classes.end()};
    if (store && tokens) for (const char* c : proposals::ogc_items_conformance()) classes.emplace_back(c);
    auto routes = features::routes(holder, proposal_views.collections, std::move(classes));
    for (auto& r : tiles::routes(holder, cache, proposal_views.tile_layers)) routes.push_back(std::move(r));
    if (store && tokens) for (auto& r : proposals::routes(holder, *store, *tokens)) routes.push_back(std::move(r));
    for (auto& r : analysis::routes(holder)) routes.push_back(std::move(r));
    // The fonts on this machine do not change while it runs: one glyph server for the process.
    static const fonts::glyph_server glyphs;
    for (auto& r : fonts::routes(glyphs)) routes.push_back(std::move(r));
    for (auto& r : analysis::overlay_routes(holder, holder.get()->max_polygon_vertices)) routes.push_back(std::move(r));
    for (auto& r : web::routes(holder)) routes.push_back(std::move(r));
    const auto* h = &holder;

    routes.push_back({"GET", "/health", "Liveness and what is loaded", [h](const request&, const route_params&) {
                          const auto cat = h->get();
                          std::size_t features = 0;
                          for (const auto& l : cat->layers) features += l.features.size();
                          return http::json_response({{"status", "ok"},
                                                      {"layers", cat->layers.size()},
                                                      {"features", features},
                                                      {"generation", h->generation()}});
                      }});

    // /metrics and /api read the router itself, which exists only once the table is complete.
    auto self = std::make_shared<const http::router*>(nullptr);
    routes.push_back({"GET", "/metrics", "Prometheus metrics", [self](const request&, const route_params&) {
                          response r;
                          r.content_type = "text/plain; version=0.0.4";
                          r.body = (*self)->stats().prometheus_text();
                          return r;
                      }});
    routes.push_back({"GET", "/api", "This API as OpenAPI 3.0", [self, h](const request& req, const route_params&) {
                          return http::json_response(
                              http::openapi_document((*self)->routes(), h->get()->title, req.base_url()), 200,
                              "application/vnd.oai.openapi+json;version=3.0");
                      }});
    auto r = std::make_unique<http::router>(std::move(routes), [h] { return h->get()->write_origins; });
    // Writes (they may wait for the store's lock) and the analyses (the overlay runs GEOS on a
    // caller's polygon, the index recomputes with a caller's weights, a proposal's report is an
    // overlay) run on the server's worker pool, so a request thread never waits for them.
    for (const auto& route : r->routes()) {
        const bool write = route.method != "GET" && route.method != "HEAD" && route.method != "OPTIONS";
        const bool store_write = write && (route.pattern.starts_with("/proposals") ||
                                           route.pattern.starts_with("/collections/proposals"));
        const bool analysis = route.pattern.starts_with("/analysis/") || route.pattern == "/proposals/{id}/report";
        if (store_write || analysis) r->offload(route.method, route.pattern);
    }
    *self = r.get();
    return r;
}

} // namespace kvarter

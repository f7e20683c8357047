#include "fonts/fonts_api.hpp"

#include <nlohmann/json.hpp>

namespace kvarter::fonts {

using http::request;
using http::response;
using http::route_params;

std::vector<http::route> routes(const glyph_server& server) {
    const auto* s = &server;
    return {
        {"GET", "/fonts", "The font names a style's text-font may use",
         [s](const request&, const route_params&) { return http::json_response(nlohmann::json(s->font_names())); }},
        {"GET", "/fonts/{fontstack}/{range}.pbf",
         "SDF glyphs of 256 code points (range N-(N+255)) for MapLibre; fontstack: comma-separated font names",
         [s](const request&, const route_params& p) {
             response r;
             r.content_type = "application/x-protobuf";
             r.body = s->glyphs(p.at("fontstack"), p.at("range"));
             r.set_header("Cache-Control", "public, max-age=86400");
             return r;
         }},
    };
}

} // namespace kvarter::fonts

#include "tiles/tiles_api.hpp"

#include "core/error.hpp"
#include "filter/selection.hpp"
#include "http/etag.hpp"
#include "http/gzip.hpp"
#include "http/params.hpp"
#include "tiles/mvt_spec.hpp"
#include "tiles/ogc_tiles_api.hpp"
#include "tiles/tile_renderer.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <memory>
#include <optional>

namespace kvarter::tiles {

using json = nlohmann::json;
using http::request;
using http::response;
using http::route_params;

namespace {

std::uint32_t parse_coordinate(const std::string& name, const std::string& text) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw bad_request{name, name + " must be a whole number, got \"" + text + "\""};
    return v;
}

const char* tilejson_type(value_type t) {
    switch (t) {
    case value_type::boolean: return "Boolean";
    case value_type::integer:
    case value_type::real: return "Number";
    case value_type::string: return "String";
    }
    return "String";
}

// What the features of a tileset layer (or its label points) carry, for vector_layers.
json vector_layer_fields(const catalog::catalog& cat, const catalog::tile_layer& tl, const std::vector<std::size_t>& field_list) {
    const auto& l = cat.layers[tl.layer];
    json fields = json::object();
    for (auto f : field_list) fields[l.fields[f].name] = tilejson_type(l.fields[f].type);
    for (auto i : tl.indicators) fields[l.indicators[i].id] = "Number";
    for (const auto& [name, type] : highlight_fields(cat, tl)) fields[name] = type;
    if (l.text_ids && !l.field_index("id")) fields["id"] = "String"; // only where the tiles carry it
    return fields;
}

// Per indicator the layer's tiles carry: published (with its source), synthetic or derived.
json indicator_provenance(const catalog::layer& l, const catalog::tile_layer& tl) {
    json out = json::object();
    for (auto i : tl.indicators) {
        const auto& ind = l.indicators[i];
        out[ind.id] = {{"provenance", catalog::to_string(ind.origin)}, {"source", ind.source_note}};
    }
    return out;
}

json tilejson(const catalog::catalog& cat, const catalog::tileset& ts, const std::string& base, const dynamic_list& dynamic) {
    geometry::box extent;
    json layers = json::array();
    for (const auto& tl : ts.layers) {
        const auto& l = cat.layers[tl.layer];
        extent.expand(l.lonlat_extent);
        json vl{{"id", l.id},
                {"description", l.title},
                {"minzoom", tl.minzoom},
                {"maxzoom", tl.maxzoom},
                {"fields", vector_layer_fields(cat, tl, tl.fields)}};
        if (!tl.indicators.empty()) vl["kvarter:provenance"] = indicator_provenance(l, tl);
        if (l.derived) vl["kvarter:derived"] = l.derived->rule;
        layers.push_back(vl);
        if (!tl.labels) continue;
        json fields = vector_layer_fields(cat, tl, tl.label_fields);
        fields["name"] = "String";
        layers.push_back({{"id", catalog::label_layer_name(l)},
                          {"description", l.title + ": one label point per feature, inside its largest part, "
                                                    "with the feature's id, properties and name"},
                          {"minzoom", tl.minzoom},
                          {"maxzoom", tl.maxzoom},
                          {"fields", fields}});
    }
    for (const auto& d : dynamic) {
        json fields = json::object();
        for (const auto& [name, type] : d->fields()) fields[name] = type;
        layers.push_back(
            {{"id", d->name()}, {"description", d->description()}, {"minzoom", 0}, {"maxzoom", max_zoom}, {"fields", fields}});
    }
    if (extent.empty()) extent = {-180, -85.0511, 180, 85.0511};
    const int minzoom = ts.minzoom(), maxzoom = ts.maxzoom();
    json out{{"tilejson", "3.0.0"},
             {"name", ts.name},
             {"description", ts.description.empty() ? ts.title : ts.description},
             {"scheme", "xyz"},
             {"tiles", json::array({base + "/tiles/" + ts.name + "/{z}/{x}/{y}.mvt"})},
             {"minzoom", minzoom},
             {"maxzoom", maxzoom},
             {"bounds", json::array({extent.min_x, extent.min_y, extent.max_x, extent.max_y})},
             {"center", json::array({(extent.min_x + extent.max_x) / 2, (extent.min_y + extent.max_y) / 2,
                                     std::clamp(11, minzoom, maxzoom)})},
             {"vector_layers", layers}};
    if (!cat.attribution.empty()) out["attribution"] = cat.attribution;
    return out;
}

// The cached tile as the request asks for it: 304 on a matching ETag, 204 when empty, gzip when
// accepted (compressed then, once, and kept with the tile).
response tile_bytes(const request& req, tile_cache& cache, const std::shared_ptr<const cached_tile>& tile) {
    response r;
    r.content_type = mvt_media_type;
    r.set_header("Cache-Control", "public, max-age=300");
    if (tile->raw().empty()) { // no body to code: one tag, and Vary as on the tiles it stands beside
        r.set_header("ETag", tile->etag());
        r.set_header("Vary", "Accept-Encoding");
        r.status = http::none_match_fails(req.header("if-none-match"), tile->etag()) ? 304 : 204;
        r.content_type.clear();
        return r;
    }
    const auto chosen = http::choose_variant(req, r, tile->etag());
    if (chosen == http::variant::not_modified) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    r.body = chosen == http::variant::gzipped ? cache.gzipped(tile) : tile->raw();
    return r;
}

} // namespace

const catalog::tileset& tileset_named(const catalog::catalog& cat, const std::string& name) {
    const auto* t = cat.find_tileset(name);
    if (!t) throw not_found{"no tileset \"" + name + "\""};
    return *t;
}

response tile_response(const catalog::catalog_holder& holder, tile_cache& cache, const dynamic_list& dynamic,
                       const request& req, const tile_address& at) {
    const auto cat = holder.get();
    const catalog::tileset* ts = nullptr;
    const catalog::layer* only = nullptr;
    if (at.collection.empty()) {
        ts = &tileset_named(*cat, at.tileset);
    } else {
        only = cat->find(at.collection);
        if (!only) throw not_found{"no tiled collection \"" + at.collection + "\""};
        ts = cat->first_tiling(*only).first;
        if (!ts) throw not_found{"collection \"" + at.collection + "\" is in no tileset, so it has no tiles"};
    }
    http::check_params(req, {"year", "filter", "filter-lang", "filter-crs"});
    const tile_id id{static_cast<int>(std::min<std::uint32_t>(parse_coordinate("z", at.z), 99)),
                     parse_coordinate("x", at.x), parse_coordinate("y", at.y)};
    validate(id);
    const int year = http::year_param(req).value_or(default_year(*cat));
    std::optional<filter::selection> selected;
    if (const auto params = filter::read_filter_params(req)) {
        std::vector<std::size_t> layers;
        for (const auto& tl : ts->layers)
            if (!only || &cat->layers[tl.layer] == only) layers.push_back(tl.layer);
        selected.emplace(*params, *cat, layers, year, only ? "collection " + only->id : "tileset " + ts->name);
    }
    const auto generation = holder.generation();
    const std::string where = std::to_string(id.z) + "/" + std::to_string(id.x) + "/" + std::to_string(id.y);

    // A collection's tiles hold its layer alone, without the layers outside the catalog.
    const std::string key = (only ? "collection:" + only->id : ts->name) + "/" + where + "@" + std::to_string(year) +
                            (selected ? "?" + selected->key() : "");
    auto cached = cache.find(key, generation);
    if (!cached) {
        cached = make_cached_tile(render_tile(*cat, *ts, id, year, only, selected ? &*selected : nullptr));
        cache.insert(key, generation, cached);
    }
    // Layers outside the catalog (proposals) change with writes: the tile with them is cached
    // under their versions beside the catalog's tile, which a write leaves as it is.
    if (!only && !dynamic.empty()) {
        std::string dynamic_key = key;
        for (const auto& d : dynamic) dynamic_key += "#" + std::to_string(d->version());
        if (auto with_dynamic = cache.find(dynamic_key, generation)) {
            cached = std::move(with_dynamic);
        } else {
            std::string dynamic_bytes;
            for (const auto& d : dynamic) dynamic_bytes += d->render(id, ts->extent, ts->buffer);
            if (!dynamic_bytes.empty()) cached = make_cached_tile(cached->raw() + dynamic_bytes);
            cache.insert(dynamic_key, generation, cached);
        }
    }
    return tile_bytes(req, cache, cached);
}

namespace {

// Styles name their sources "kvarter:/tiles/…"; answers point them at the requesting host.
std::string rewrite_style(const std::string& text, const std::string& base) {
    std::string out;
    out.reserve(text.size() + 256);
    const std::string marker = "\"kvarter:/";
    std::size_t at = 0;
    for (std::size_t hit = text.find(marker); hit != std::string::npos; hit = text.find(marker, at)) {
        out.append(text, at, hit - at);
        out += "\"" + base + "/";
        at = hit + marker.size();
    }
    out.append(text, at, std::string::npos);
    return out;
}

} // namespace

http::parameter_docs tile_parameter_docs() {
    return http::parameter_docs{http::doc::year("The indicator year of the tile's properties and highlight flags "
                                                "(default: each layer's latest)")} +
           filter::filter_parameter_docs("the features drawn (each layer whose queryables hold every name used)",
                                         "employment_rate < 70");
}

std::vector<http::route> routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                std::vector<std::shared_ptr<const dynamic_layer>> dynamic) {
    const auto* h = &holder;
    auto* c = &cache;
    auto dyn = std::make_shared<const dynamic_list>(std::move(dynamic));
    std::vector<http::route> out{
        {"GET", "/tiles/{tileset}/tilejson.json", "TileJSON 3.0 of a tileset",
         [h, dyn](const request& req, const route_params& p) {
             const auto cat = h->get();
             http::check_params(req, {});
             return http::json_response(tilejson(*cat, tileset_named(*cat, p.at("tileset")), req.base_url(), *dyn));
         }},
        {"GET", "/tiles/{tileset}/{z}/{x}/{y}.mvt",
         "A Mapbox Vector Tile",
         [h, c, dyn](const request& req, const route_params& p) {
             return tile_response(*h, *c, *dyn, req, {p.at("tileset"), {}, p.at("z"), p.at("x"), p.at("y")});
         },
         tile_parameter_docs()},
        {"GET", "/styles/{name}.json", "A MapLibre style",
         [h](const request& req, const route_params& p) {
             const auto cat = h->get();
             auto it = cat->styles.find(p.at("name"));
             if (it == cat->styles.end()) throw not_found{"no style \"" + p.at("name") + "\""};
             response r;
             r.body = rewrite_style(it->second, req.base_url());
             return r;
         }},
    };
    for (auto& r : ogc_tiles_routes(holder, cache, dyn)) out.push_back(std::move(r));
    return out;
}

} // namespace kvarter::tiles

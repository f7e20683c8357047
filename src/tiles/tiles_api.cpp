#include "tiles/tiles_api.hpp"

#include "core/error.hpp"
#include "filter/selection.hpp"
#include "http/gzip.hpp"
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

constexpr const char* mvt_type = "application/vnd.mapbox-vector-tile";

const catalog::tileset& find_tileset(const catalog::catalog& cat, const std::string& name) {
    const auto* t = cat.find_tileset(name);
    if (!t) throw not_found{"no tileset \"" + name + "\""};
    return *t;
}

std::uint32_t parse_coordinate(const std::string& name, const std::string& text) {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        throw bad_request{name, name + " must be a whole number, got \"" + text + "\""};
    return v;
}

int parse_year(const request& req, const catalog::catalog& cat) {
    const std::string* text = req.param("year");
    if (!text) return default_year(cat);
    int y = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), y);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || y < 1900 || y > 2100)
        throw bad_request{"year", "year must be a year from 1900 to 2100, got \"" + *text + "\""};
    return y;
}

void only_params(const request& req, std::initializer_list<const char*> allowed) {
    for (const auto& [name, v] : req.query) {
        bool ok = false;
        for (const char* a : allowed) ok |= name == a;
        if (!ok) throw bad_request{name, "unknown parameter \"" + name + "\""};
    }
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

using dynamic_list = std::vector<std::shared_ptr<const dynamic_layer>>;

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

response tile(const catalog::catalog_holder& holder, tile_cache& cache, const dynamic_list& dynamic, const request& req,
              const route_params& p) {
    const auto cat = holder.get();
    const auto& ts = find_tileset(*cat, p.at("tileset"));
    only_params(req, {"year", "filter", "filter-lang", "filter-crs"});
    const tile_id id{static_cast<int>(std::min<std::uint32_t>(parse_coordinate("z", p.at("z")), 99)),
                     parse_coordinate("x", p.at("x")), parse_coordinate("y", p.at("y"))};
    validate(id);
    const int year = parse_year(req, *cat);
    std::optional<filter::selection> selected;
    if (const auto params = filter::read_filter_params(req)) {
        std::vector<std::size_t> layers;
        for (const auto& tl : ts.layers) layers.push_back(tl.layer);
        selected.emplace(*params, *cat, layers, year, "tileset " + ts.name);
    }

    const std::string key = ts.name + "/" + std::to_string(id.z) + "/" + std::to_string(id.x) + "/" +
                            std::to_string(id.y) + "@" + std::to_string(year) +
                            (selected ? "?" + selected->key() : "");
    const auto generation = holder.generation();
    auto cached = cache.find(key, generation);
    if (!cached) {
        cached = make_cached_tile(render_tile(*cat, ts, id, year, selected ? &*selected : nullptr));
        cache.insert(key, generation, cached);
    }
    // Layers outside the catalog (proposals) change with writes: the tile with them is cached
    // under their versions beside the catalog's tile, which a write leaves as it is.
    if (!dynamic.empty()) {
        std::string dynamic_key = key;
        for (const auto& d : dynamic) dynamic_key += "#" + std::to_string(d->version());
        if (auto with_dynamic = cache.find(dynamic_key, generation)) {
            cached = std::move(with_dynamic);
        } else {
            std::string dynamic_bytes;
            for (const auto& d : dynamic) dynamic_bytes += d->render(id, ts.extent, ts.buffer);
            if (!dynamic_bytes.empty()) cached = make_cached_tile(cached->raw + dynamic_bytes);
            cache.insert(dynamic_key, generation, cached);
        }
    }

    response r;
    r.content_type = mvt_type;
    r.set_header("ETag", cached->etag);
    r.set_header("Cache-Control", "public, max-age=300");
    r.set_header("Vary", "Accept-Encoding");
    if (req.header("if-none-match") == cached->etag || req.header("if-none-match") == "*") {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    if (cached->raw.empty()) {
        r.status = 204;
        r.content_type.clear();
        return r;
    }
    if (http::accepts_gzip(req.header("accept-encoding"))) {
        r.body = cached->gzipped;
        r.set_header("Content-Encoding", "gzip");
    } else {
        r.body = cached->raw;
    }
    return r;
}

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

std::vector<http::route> routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                std::vector<std::shared_ptr<const dynamic_layer>> dynamic) {
    const auto* h = &holder;
    auto* c = &cache;
    auto dyn = std::make_shared<const dynamic_list>(std::move(dynamic));
    return {
        {"GET", "/tiles", "The vector tilesets",
         [h](const request& req, const route_params&) {
             const auto cat = h->get();
             const std::string base = req.base_url();
             json list = json::array();
             for (const auto& ts : cat->tilesets)
                 list.push_back({{"name", ts.name},
                                 {"title", ts.title},
                                 {"tilejson", base + "/tiles/" + ts.name + "/tilejson.json"},
                                 {"tiles", base + "/tiles/" + ts.name + "/{z}/{x}/{y}.mvt"}});
             json styles = json::array();
             for (const auto& [name, text] : cat->styles) styles.push_back({{"name", name}, {"url", base + "/styles/" + name + ".json"}});
             return http::json_response({{"tilesets", list}, {"styles", styles}});
         }},
        {"GET", "/tiles/{tileset}/tilejson.json", "TileJSON 3.0 of a tileset",
         [h, dyn](const request& req, const route_params& p) {
             const auto cat = h->get();
             only_params(req, {});
             return http::json_response(tilejson(*cat, find_tileset(*cat, p.at("tileset")), req.base_url(), *dyn));
         }},
        {"GET", "/tiles/{tileset}/{z}/{x}/{y}.mvt", "A Mapbox Vector Tile (year=Y picks the indicator year; filter, filter-lang, filter-crs select features)",
         [h, c, dyn](const request& req, const route_params& p) { return tile(*h, *c, *dyn, req, p); }},
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
}

} // namespace kvarter::tiles

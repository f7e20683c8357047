#include "tiles/ogc_tiles_api.hpp"

#include "core/error.hpp"
#include "geometry/web_mercator.hpp"
#include "http/params.hpp"
#include "tiles/mvt_spec.hpp"
#include "tiles/tile_math.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace kvarter::tiles {

using json = nlohmann::json;
using http::link;
using http::request;
using http::response;
using http::route_params;

namespace {

constexpr const char* tms_id = "WebMercatorQuad";
constexpr const char* tms_uri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
constexpr const char* mercator_crs = "http://www.opengis.net/def/crs/EPSG/0/3857";
constexpr const char* crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* rel_tiling_scheme = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
constexpr const char* rel_geodata = "http://www.opengis.net/def/rel/ogc/1.0/geodata";
// The standard's pixel size (0.28 mm) that turns a cell size into a scale denominator.
constexpr double standard_pixel_metres = 0.00028;
constexpr int tile_pixels = 256;

void require_web_mercator_quad(const std::string& name) {
    if (name != tms_id)
        throw not_found{"no tile matrix set \"" + name + "\"; kvarter tiles in WebMercatorQuad only"};
}

// OGC 17-083r4's WebMercatorQuad, zoom 0 to max_zoom: the same for every request, built once.
// Beside the 2.0 names it carries the 1.0 ones (17-083r2: identifier, supportedCRS, boundingBox's
// corners, each matrix's identifier and topLeftCorner), which is all that GDAL 3.6's OGC API
// client reads; 2.0 allows members it does not define, and newer clients read the 2.0 names.
const json& web_mercator_quad() {
    static const json definition = [] {
        json matrices = json::array();
        for (int z = 0; z <= max_zoom; ++z) {
            const double tiles = geometry::web_mercator::tiles_per_side(z);
            const double cell = 2 * geometry::web_mercator::half_world / tile_pixels / tiles;
            matrices.push_back({{"id", std::to_string(z)},
                                {"scaleDenominator", cell / standard_pixel_metres},
                                {"cellSize", cell},
                                {"cornerOfOrigin", "topLeft"},
                                {"pointOfOrigin", json::array({-geometry::web_mercator::half_world, geometry::web_mercator::half_world})},
                                {"identifier", std::to_string(z)},
                                {"topLeftCorner", json::array({-geometry::web_mercator::half_world, geometry::web_mercator::half_world})},
                                {"tileWidth", tile_pixels},
                                {"tileHeight", tile_pixels},
                                {"matrixWidth", tiles},
                                {"matrixHeight", tiles}});
        }
        return json{{"id", tms_id},
                    {"title", "Google Maps Compatible for the World"},
                    {"uri", tms_uri},
                    {"crs", mercator_crs},
                    {"orderedAxes", json::array({"X", "Y"})},
                    {"wellKnownScaleSet", "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible"},
                    {"boundingBox", {{"crs", mercator_crs},
                                     {"lowerLeft", json::array({-geometry::web_mercator::half_world, -geometry::web_mercator::half_world})},
                                     {"upperRight", json::array({geometry::web_mercator::half_world, geometry::web_mercator::half_world})},
                                     {"lowerCorner", json::array({-geometry::web_mercator::half_world, -geometry::web_mercator::half_world})},
                                     {"upperCorner", json::array({geometry::web_mercator::half_world, geometry::web_mercator::half_world})}}},
                    {"tileMatrices", matrices},
                    {"identifier", tms_id},
                    {"supportedCRS", mercator_crs}};
    }();
    return definition;
}

// The rows and columns that hold data at each zoom, so clients ask for no tile outside them.
json matrix_limits(const geometry::box& lonlat, int minzoom, int maxzoom) {
    json limits = json::array();
    if (lonlat.empty()) return limits;
    for (int z = minzoom; z <= maxzoom; ++z) {
        const auto top_left = tile_containing({lonlat.min_x, lonlat.max_y}, z);
        const auto bottom_right = tile_containing({lonlat.max_x, lonlat.min_y}, z);
        limits.push_back({{"tileMatrix", std::to_string(z)},
                          {"minTileRow", top_left.y},
                          {"maxTileRow", bottom_right.y},
                          {"minTileCol", top_left.x},
                          {"maxTileCol", bottom_right.x}});
    }
    return limits;
}

int geometry_dimension(geometry::kind k) {
    switch (k) {
    case geometry::kind::point: return 0;
    case geometry::kind::line: return 1;
    case geometry::kind::polygon: return 2;
    }
    return 2;
}

json layer_entry(const catalog::layer& l, const catalog::tile_layer& tl, const std::string& base) {
    return {{"id", l.id},
            {"title", l.title},
            {"dataType", "vector"},
            {"geometryDimension", geometry_dimension(l.geometry_kind)},
            {"minTileMatrix", std::to_string(tl.minzoom)},
            {"maxTileMatrix", std::to_string(std::min(tl.maxzoom, max_zoom))},
            {"links", json::array({link(base + "/collections/" + l.id, rel_geodata, "application/json", l.title)})}};
}

json bounding_box(const geometry::box& lonlat) {
    return {{"lowerLeft", json::array({lonlat.min_x, lonlat.min_y})},
            {"upperRight", json::array({lonlat.max_x, lonlat.max_y})},
            {"crs", crs84}};
}

// What a tileset's metadata and its entry in a list share. `path`: the tileset's URL without
// the tile matrix set, e.g. base + "/tiles/default".
json tileset_links(const std::string& self, const std::string& base, const std::string& tiles_path) {
    json item = link(tiles_path + "/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}", "item", mvt_media_type,
                     "A tile: {tileMatrix} is the zoom, {tileRow} the row from the top, {tileCol} the column");
    item["templated"] = true;
    return json::array({link(self, "self", "application/json", "This tileset"),
                        link(base + "/tileMatrixSets/WebMercatorQuad", rel_tiling_scheme, "application/json",
                             "The tile matrix set"),
                        item});
}

json tileset_summary(const std::string& title, const std::string& self, const std::string& base,
                     const std::string& tiles_path) {
    return {{"title", title},
            {"dataType", "vector"},
            {"crs", mercator_crs},
            {"tileMatrixSetURI", tms_uri},
            // Tile Set Metadata 2.0 wants the definition itself named, beside the registered URI.
            {"tileMatrixSetDefinition", base + "/tileMatrixSets/WebMercatorQuad"},
            {"links", tileset_links(self, base, tiles_path)}};
}

struct tiled_layer {
    const catalog::layer* layer;
    const catalog::tile_layer* entry;
};

json tileset_metadata(const std::string& title, const std::string& description, const std::string& self,
                      const std::string& base, const std::string& tiles_path, const std::vector<tiled_layer>& layers,
                      const std::string& attribution) {
    geometry::box extent;
    int minzoom = max_zoom, maxzoom = 0;
    json layer_list = json::array();
    for (const auto& [l, tl] : layers) {
        extent.expand(l->lonlat_extent);
        minzoom = std::min(minzoom, tl->minzoom);
        maxzoom = std::max(maxzoom, std::min(tl->maxzoom, max_zoom));
        layer_list.push_back(layer_entry(*l, *tl, base));
    }
    json out = tileset_summary(title, self, base, tiles_path);
    if (!description.empty()) out["description"] = description;
    out["mediaTypes"] = json::array({mvt_media_type});
    out["tileMatrixSetLimits"] = matrix_limits(extent, minzoom, maxzoom);
    if (!extent.empty()) out["boundingBox"] = bounding_box(extent);
    if (!layer_list.empty()) out["layers"] = layer_list;
    if (!attribution.empty()) out["license"] = attribution;
    return out;
}

std::vector<tiled_layer> layers_of(const catalog::catalog& cat, const catalog::tileset& ts) {
    std::vector<tiled_layer> out;
    for (const auto& tl : ts.layers) out.push_back({&cat.layers[tl.layer], &tl});
    return out;
}

// The collection's layer and its first tiling; not_found when it has no tiles of its own.
tiled_layer tiled_collection(const catalog::catalog& cat, const std::string& id) {
    const auto* l = cat.find(id);
    if (!l) throw not_found{"no tiled collection \"" + id + "\""};
    const auto [ts, tl] = cat.first_tiling(*l);
    if (!ts) throw not_found{"collection \"" + id + "\" is in no tileset, so it has no tiles"};
    return {l, tl};
}

} // namespace

const std::vector<const char*>& ogc_tiles_conformance() {
    static const std::vector<const char*> classes{
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/dataset-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
    };
    return classes;
}

std::vector<http::route> ogc_tiles_routes(const catalog::catalog_holder& holder, tile_cache& cache,
                                          std::shared_ptr<const dynamic_list> dynamic) {
    const auto* h = &holder;
    auto* c = &cache;
    return {
        {"GET", "/tiles", "The vector tilesets (an OGC API – Tiles list, with TileJSON links) and the styles",
         [h](const request& req, const route_params&) {
             http::check_params(req, {});
             const auto cat = h->get();
             const std::string base = req.base_url();
             json list = json::array();
             for (const auto& ts : cat->tilesets) {
                 const std::string path = base + "/tiles/" + ts.name;
                 json entry = tileset_summary(ts.title, path, base, path);
                 entry["name"] = ts.name;
                 entry["tilejson"] = path + "/tilejson.json";
                 entry["tiles"] = path + "/{z}/{x}/{y}.mvt";
                 list.push_back(entry);
             }
             json styles = json::array();
             for (const auto& [name, text] : cat->styles) styles.push_back({{"name", name}, {"url", base + "/styles/" + name + ".json"}});
             return http::json_response(
                 {{"links", json::array({link(base + "/tiles", "self", "application/json", "The tilesets")})},
                  {"tilesets", list},
                  {"styles", styles}});
         }},
        {"GET", "/tileMatrixSets", "The tile matrix sets (OGC API – Tiles): WebMercatorQuad",
         [](const request& req, const route_params&) {
             http::check_params(req, {});
             const std::string self = req.base_url() + "/tileMatrixSets/WebMercatorQuad";
             return http::json_response(
                 {{"tileMatrixSets", json::array({{{"id", tms_id},
                                                   {"title", "Google Maps Compatible for the World"},
                                                   {"uri", tms_uri},
                                                   {"links", json::array({link(self, "self", "application/json")})}}})}});
         }},
        {"GET", "/tileMatrixSets/{tileMatrixSetId}", "A tile matrix set's definition (OGC 17-083r4 JSON)",
         [](const request& req, const route_params& p) {
             http::check_params(req, {});
             require_web_mercator_quad(p.at("tileMatrixSetId"));
             return http::json_response(web_mercator_quad());
         }},
        {"GET", "/tiles/{tileset}", "A tileset's metadata (OGC API – Tiles)",
         [h](const request& req, const route_params& p) {
             http::check_params(req, {});
             const auto cat = h->get();
             const auto& ts = tileset_named(*cat, p.at("tileset"));
             const std::string base = req.base_url(), path = base + "/tiles/" + ts.name;
             json out = tileset_metadata(ts.title, ts.description, path, base, path, layers_of(*cat, ts), cat->attribution);
             out["links"].push_back(link(path + "/tilejson.json", "alternate", "application/json", "TileJSON 3.0"));
             return http::json_response(out);
         }},
        {"GET", "/tiles/{tileset}/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
         "A tile of a tileset by OGC API – Tiles, the same bytes as /tiles/{tileset}/{z}/{x}/{y}.mvt",
         [h, c, dynamic](const request& req, const route_params& p) {
             require_web_mercator_quad(p.at("tileMatrixSetId"));
             return tile_response(*h, *c, *dynamic, req,
                                  {p.at("tileset"), {}, p.at("tileMatrix"), p.at("tileCol"), p.at("tileRow")});
         },
         tile_parameter_docs()},
        {"GET", "/collections/{collectionId}/tiles", "The tilesets of one collection (OGC API – Tiles)",
         [h](const request& req, const route_params& p) {
             http::check_params(req, {});
             const auto cat = h->get();
             const auto [l, tl] = tiled_collection(*cat, p.at("collectionId"));
             const std::string base = req.base_url(), path = base + "/collections/" + l->id + "/tiles";
             return http::json_response(
                 {{"links", json::array({link(path, "self", "application/json", "The tilesets of " + l->title)})},
                  {"tilesets", json::array({tileset_summary(l->title, path + "/WebMercatorQuad", base, path)})}});
         }},
        {"GET", "/collections/{collectionId}/tiles/{tileMatrixSetId}", "One collection's tileset metadata",
         [h](const request& req, const route_params& p) {
             http::check_params(req, {});
             require_web_mercator_quad(p.at("tileMatrixSetId"));
             const auto cat = h->get();
             const auto tiled = tiled_collection(*cat, p.at("collectionId"));
             const std::string base = req.base_url(), path = base + "/collections/" + tiled.layer->id + "/tiles";
             return http::json_response(tileset_metadata(tiled.layer->title, tiled.layer->description,
                                                         path + "/WebMercatorQuad", base, path, {tiled},
                                                         cat->attribution));
         }},
        {"GET", "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
         "A tile holding one collection alone",
         [h, c, dynamic](const request& req, const route_params& p) {
             require_web_mercator_quad(p.at("tileMatrixSetId"));
             return tile_response(*h, *c, *dynamic, req,
                                  {{}, p.at("collectionId"), p.at("tileMatrix"), p.at("tileCol"), p.at("tileRow")});
         },
         tile_parameter_docs()},
    };
}

} // namespace kvarter::tiles

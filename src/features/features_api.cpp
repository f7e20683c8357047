#include "features/features_api.hpp"

#include "core/error.hpp"
#include "features/geojson_writer.hpp"
#include "features/items_query.hpp"
#include "features/sort_order.hpp"
#include "filter/evaluate.hpp"
#include "filter/queryables.hpp"
#include "filter/selection.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <ctime>
#include <limits>
#include <memory>

namespace kvarter::features {

using json = nlohmann::json;
using http::request;
using http::response;
using http::route_params;
using http::link;

namespace {

constexpr const char* crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr const char* geojson_type = "application/geo+json";

const catalog::layer& find_layer(const catalog::catalog& c, const std::string& id) {
    const auto* l = c.find(id);
    if (!l) throw not_found{"no collection \"" + id + "\""};
    return *l;
}

const char* schema_type(value_type t) {
    switch (t) {
    case value_type::boolean: return "boolean";
    case value_type::integer: return "integer";
    case value_type::real: return "number";
    case value_type::string: return "string";
    }
    return "string";
}

json offered_crs_list() {
    json list = json::array();
    for (const auto& c : geometry::ogc_crses()) list.push_back(c.uri);
    return list;
}

// `tiled`: some tileset draws the layer, so it has tiles of its own (OGC API – Tiles).
json collection_json(const catalog::layer& l, const std::string& base, bool tiled) {
    const std::string self = base + "/collections/" + l.id;
    json c{{"id", l.id},
           {"title", l.title},
           {"itemType", "feature"},
           {"crs", offered_crs_list()},
           {"links", json::array({link(self, "self", "application/json", l.title),
                                  link(self + "/items", "items", geojson_type, l.title + " as GeoJSON"),
                                  link(self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                                       "application/schema+json", "Queryables"),
                                  link(self + "/sortables", "http://www.opengis.net/def/rel/ogc/1.0/sortables",
                                       "application/schema+json", "Sortables"),
                                  link(self + "/schema", "describedby", "application/schema+json", "Schema of the features")})},
           {"storageCrs", crs84},
           {"kvarter:role", catalog::to_string(l.role)},
           {"kvarter:name_field", l.name_field},
           {"kvarter:featureCount", l.features.size()}};
    if (tiled)
        c["links"].push_back(link(self + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                                  "application/json", "Vector tiles of " + l.title));
    if (!l.description.empty()) c["description"] = l.description;
    if (!l.lonlat_extent.empty()) {
        const auto& e = l.lonlat_extent;
        c["extent"] = {{"spatial", {{"bbox", json::array({json::array({e.min_x, e.min_y, e.max_x, e.max_y})})}, {"crs", crs84}}}};
    }
    if (!l.indicators.empty()) {
        json indicators = json::array();
        for (const auto& i : l.indicators)
            indicators.push_back({{"id", i.id},
                                  {"label", i.label},
                                  {"unit", i.unit},
                                  {"direction", catalog::to_string(i.dir)},
                                  {"provenance", catalog::to_string(i.origin)},
                                  {"source", i.source_note}});
        c["kvarter:indicators"] = indicators;
        c["kvarter:years"] = l.years;
    }
    if (l.derived) {
        json d{{"method", l.derived->method}, {"from", l.derived->from}, {"rule", l.derived->rule}};
        if (!l.derived->note.empty()) d["note"] = l.derived->note;
        c["kvarter:derived"] = d;
    }
    return c;
}

std::string now_iso() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// The request's own URL with `offset` replaced, for next/prev links.
std::string page_url(const request& req, const std::string& base, std::size_t offset) {
    std::string url = base + req.path + "?";
    bool first = true;
    for (const auto& [k, v] : req.query) {
        if (k == "offset") continue;
        url += (first ? "" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
        first = false;
    }
    return url + (first ? "" : "&") + "offset=" + std::to_string(offset);
}

// Features in `crs`, which the Content-Crs header names (Features Part 2).
response geojson(std::string body, const geometry::ogc_crs& crs) {
    response r;
    r.content_type = geojson_type;
    r.body = std::move(body);
    r.set_header("Content-Crs", "<" + crs.uri + ">");
    return r;
}

// ---- collections outside the catalog (proposals): asked afresh on every request ----

using dynamic_list = std::vector<std::shared_ptr<const dynamic_collection>>;

const dynamic_collection* find_dynamic(const catalog::catalog& cat, const dynamic_list& dynamic, const std::string& id) {
    if (cat.find(id)) return nullptr;
    for (const auto& d : dynamic)
        if (d->id() == id) return d.get();
    return nullptr;
}

json dynamic_collection_json(const dynamic_collection& d, const std::string& base) {
    const std::string self = base + "/collections/" + d.id();
    json c{{"id", d.id()},
           {"title", d.title()},
           {"description", d.description()},
           {"itemType", "feature"},
           {"crs", offered_crs_list()},
           {"links", json::array({link(self, "self", "application/json", d.title()),
                                  link(self + "/items", "items", geojson_type, d.title() + " as GeoJSON"),
                                  link(self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                                       "application/schema+json", "Queryables"),
                                  link(self + "/schema", "describedby", "application/schema+json", "Schema of the features")})},
           {"storageCrs", crs84},
           {"kvarter:writable", true}};
    if (const auto e = d.extent(); !e.empty())
        c["extent"] = {{"spatial", {{"bbox", json::array({json::array({e.min_x, e.min_y, e.max_x, e.max_y})})}, {"crs", crs84}}}};
    return c;
}

response dynamic_queryables(const dynamic_collection& d, const request& req) {
    json props = json::object();
    for (const auto& [name, type] : d.properties()) props[name] = {{"type", type}, {"title", name}};
    return http::json_response({{"$schema", "https://json-schema.org/draft/2019-09/schema"},
                                {"$id", req.base_url() + "/collections/" + d.id() + "/queryables"},
                                {"type", "object"},
                                {"title", d.title()},
                                {"properties", props},
                                {"additionalProperties", false}},
                               200, "application/schema+json");
}

// OGC API – Features Part 5 (schemas): the geometry's role and format, named even for a
// collection with no feature yet, so that a client (QGIS) can draw the first one.
json geometry_schema(geometry::kind k) {
    const char* format = k == geometry::kind::point  ? "geometry-point-or-multipoint"
                         : k == geometry::kind::line ? "geometry-linestring-or-multilinestring"
                                                     : "geometry-polygon-or-multipolygon";
    return {{"x-ogc-role", "primary-geometry"}, {"format", format}};
}

response feature_schema(const std::string& id, const std::string& title, json properties, geometry::kind k,
                        const request& req) {
    properties["geometry"] = geometry_schema(k);
    return http::json_response({{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                                {"$id", req.base_url() + "/collections/" + id + "/schema"},
                                {"type", "object"},
                                {"title", title},
                                {"properties", properties}},
                               200, "application/schema+json");
}

response dynamic_items(const dynamic_collection& d, const request& req) {
    for (const auto& [name, v] : req.query)
        if (name != "bbox" && name != "bbox-crs" && name != "crs" && name != "limit" && name != "offset" && name != "f" &&
            name != "datetime")
            throw bad_request{name, "unknown parameter \"" + name + "\"; " + d.id() +
                                        " items take bbox, bbox-crs, crs, limit, offset"};
    const std::vector<geometry::box> boxes =
        req.param("bbox") ? parse_bbox(*req.param("bbox"), parse_crs(req, "bbox-crs")) : std::vector<geometry::box>{};
    const std::size_t limit = http::count_param(req, "limit", default_limit, 1, max_limit);
    const std::size_t offset = http::count_param(req, "offset", 0, 0, std::numeric_limits<std::size_t>::max());
    const auto& crs = parse_crs(req, "crs");
    const auto page = d.items(boxes, limit, offset, geometry::to_ogc_crs{crs});
    std::string out = "{\"type\":\"FeatureCollection\",\"numberMatched\":" + std::to_string(page.matched) +
                      ",\"numberReturned\":" + std::to_string(page.features.size()) + ",\"timeStamp\":\"" + now_iso() +
                      "\",\"features\":[";
    for (std::size_t i = 0; i < page.features.size(); ++i) out += (i ? "," : "") + page.features[i];
    const std::string base = req.base_url();
    const std::size_t first = std::min(offset, page.matched);
    json links = json::array({link(base + req.target, "self", geojson_type, "this page"),
                              link(base + "/collections/" + d.id(), "collection", "application/json", d.title())});
    if (first + page.features.size() < page.matched)
        links.push_back(link(page_url(req, base, first + page.features.size()), "next", geojson_type, "next page"));
    if (first > 0) links.push_back(link(page_url(req, base, first > limit ? first - limit : 0), "prev", geojson_type, "previous page"));
    out += "],\"links\":" + links.dump() + "}";
    return geojson(std::move(out), crs);
}

response dynamic_feature(const dynamic_collection& d, const request& req, const std::string& feature_id) {
    for (const auto& [name, v] : req.query)
        if (name != "f" && name != "crs") throw bad_request{name, "unknown parameter \"" + name + "\""};
    const auto& crs = parse_crs(req, "crs");
    auto found = d.item(feature_id, geometry::to_ogc_crs{crs});
    if (!found) throw not_found{"collection " + d.id() + " has no feature \"" + feature_id + "\""};
    std::string* f = &found->feature;
    const std::string base = req.base_url();
    const std::string self = base + "/collections/" + d.id() + "/items/" + http::percent_encode(feature_id);
    f->pop_back(); // reopen the feature object to add its links
    *f += ",\"links\":" +
          json::array({link(self, "self", geojson_type), link(base + "/collections/" + d.id(), "collection", "application/json")})
              .dump() +
          "}";
    auto r = geojson(std::move(*f), crs);
    r.set_header("ETag", found->etag);
    return r;
}

response landing(const catalog::catalog_holder& holder, const request& req) {
    // A person typing the server's address gets the map; programs asking for JSON get the landing page.
    if (req.header("accept").find("text/html") != std::string::npos) {
        response r;
        r.status = 302;
        r.content_type.clear();
        r.set_header("Location", "/map/");
        return r;
    }
    const auto cat = holder.get();
    const std::string base = req.base_url();
    json body{{"title", cat->title},
              {"description", cat->description.empty() ? "kvarter: Copenhagen's deprived urban areas as OGC API – Features"
                                                         : cat->description},
              {"links", json::array({link(base + "/", "self", "application/json", "This document"),
                                     link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                                          "The API definition"),
                                     link(base + "/conformance", "conformance", "application/json", "Conformance classes"),
                                     link(base + "/collections", "data", "application/json", "The collections"),
                                     link(base + "/tileMatrixSets", "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                                          "application/json", "The tile matrix sets")})}};
    if (!cat->tilesets.empty())
        body["links"].push_back(link(base + "/tiles", "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                                     "application/json", "The vector tilesets"));
    if (!cat->attribution.empty()) body["attribution"] = cat->attribution;
    return http::json_response(body);
}

// `more`: the classes other parts of the API meet (the tiles'), after the features' own.
response conformance(const std::vector<std::string>& more) {
    json classes = json::array({"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
                                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                                // Part 3 and CQL2 (OGC 21-065r2): what filter= evaluates on catalog collections.
                                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
                                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                                "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                                "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
                                "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                                "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
                                "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
                                "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
                                "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic"});
    for (const auto& c : more) classes.push_back(c);
    return http::json_response({{"conformsTo", classes}});
}

response collections(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req) {
    const auto cat = holder.get();
    const std::string base = req.base_url();
    json list = json::array();
    for (const auto& l : cat->layers) list.push_back(collection_json(l, base, cat->first_tiling(l).first));
    for (const auto& d : dynamic)
        if (!cat->find(d->id())) list.push_back(dynamic_collection_json(*d, base));
    return http::json_response(
        {{"links", json::array({link(base + "/collections", "self", "application/json")})}, {"collections", list}});
}

response collection(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req, const route_params& p) {
    const auto cat = holder.get();
    if (const auto* d = find_dynamic(*cat, dynamic, p.at("collectionId")))
        return http::json_response(dynamic_collection_json(*d, req.base_url()));
    const auto& l = find_layer(*cat, p.at("collectionId"));
    return http::json_response(collection_json(l, req.base_url(), cat->first_tiling(l).first));
}

// A JSON Schema of the properties a collection's filters or sorts may name (Part 3 queryables,
// Part 5 draft sortables): one shape for both, from the list filter/ and sort_order resolve against.
response property_schema(const catalog::layer& l, const std::vector<filter::queryable>& list, const request& req,
                         const std::string& what) {
    json props = json::object();
    for (const auto& q : list) {
        json p{{"title", q.name}};
        switch (q.source) {
        case filter::source::field:
            p["type"] = schema_type(l.fields[q.index].type);
            if (l.fields[q.index].derived) p["description"] = "the area it overlaps most, computed at load";
            break;
        case filter::source::indicator: {
            // Indicators are properties of an item for its year; each says whether its figures are published or synthetic.
            const auto& i = l.indicators[q.index];
            std::string said = catalog::to_string(i.origin);
            if (!i.source_note.empty()) said += ": " + i.source_note;
            p = {{"type", "number"}, {"title", i.label}, {"description", said}, {"x-kvarter-provenance", catalog::to_string(i.origin)}};
            break;
        }
        case filter::source::flag:
            p["type"] = q.kind == filter::value_kind::boolean ? "boolean" : "string";
            p["description"] = "highlight flag, for the request's year";
            break;
        default:
            p.update(geometry_schema(l.geometry_kind));
            p["description"] = "the feature's geometry; literals in filter-crs (default CRS84)";
            break;
        }
        props[q.name] = p;
    }
    return http::json_response({{"$schema", "https://json-schema.org/draft/2019-09/schema"},
                                {"$id", req.base_url() + "/collections/" + l.id + "/" + what},
                                {"type", "object"},
                                {"title", l.title},
                                {"properties", props},
                                {"additionalProperties", false}},
                               200, "application/schema+json");
}

response queryables(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req, const route_params& p) {
    const auto cat = holder.get();
    if (const auto* d = find_dynamic(*cat, dynamic, p.at("collectionId"))) return dynamic_queryables(*d, req);
    const auto& l = find_layer(*cat, p.at("collectionId"));
    return property_schema(l, filter::queryables_of(l), req, "queryables");
}

response sortables(const catalog::catalog_holder& holder, const request& req, const route_params& p) {
    const auto cat = holder.get();
    const auto& l = find_layer(*cat, p.at("collectionId"));
    return property_schema(l, sortables_of(l), req, "sortables");
}

// The features filter= and sortby= consider: all, or those the spatial index finds for the bbox
// or for the box a spatial filter implies.
std::vector<std::uint32_t> candidates(const catalog::layer& l, const items_query& q) {
    std::vector<geometry::box> boxes = q.boxes;
    if (q.filter && q.filter->bounds) boxes = {*q.filter->bounds}; // bbox, if any, is still tested per feature
    std::vector<std::uint32_t> out;
    if (boxes.empty()) {
        out.resize(l.features.size());
        for (std::uint32_t i = 0; i < out.size(); ++i) out[i] = i;
        return out;
    }
    for (const auto& b : boxes) {
        auto hits = l.lonlat_index.query(b);
        out.insert(out.end(), hits.begin(), hits.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::uint32_t> matching(const catalog::catalog& cat, const catalog::layer& l, const items_query& q) {
    std::optional<filter::evaluator> cql2;
    if (q.filter) cql2.emplace(*q.filter, cat, l, q.year);
    std::vector<std::uint32_t> out;
    for (auto i : candidates(l, q))
        if (q.matches(l, l.features[i]) && (!cql2 || cql2->matches(l.features[i]))) out.push_back(i);
    if (!q.sort.empty()) sort_features(out, l, q.sort, q.year);
    return out;
}

response schema(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req, const route_params& p) {
    const auto cat = holder.get();
    if (const auto* d = find_dynamic(*cat, dynamic, p.at("collectionId"))) {
        json props = json::object();
        for (const auto& [name, type] : d->properties()) props[name] = {{"type", type}, {"title", name}};
        return feature_schema(d->id(), d->title(), props, d->geometry_kind(), req);
    }
    const auto& l = find_layer(*cat, p.at("collectionId"));
    json props = json::object();
    for (const auto& f : l.fields) props[f.name] = {{"type", schema_type(f.type)}, {"title", f.name}};
    for (const auto& i : l.indicators)
        if (!props.contains(i.id)) props[i.id] = {{"type", "number"}, {"title", i.label}};
    return feature_schema(l.id, l.title, props, l.geometry_kind, req);
}

response items(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req, const route_params& p) {
    const auto cat = holder.get();
    if (const auto* d = find_dynamic(*cat, dynamic, p.at("collectionId"))) return dynamic_items(*d, req);
    const auto& l = find_layer(*cat, p.at("collectionId"));
    const items_query q = parse_items_query(req, l);
    const std::vector<std::uint32_t> matched = matching(*cat, l, q);

    const std::size_t first = std::min(q.offset, matched.size());
    const std::size_t last = std::min(matched.size(), first + q.limit);
    std::string out = "{\"type\":\"FeatureCollection\",\"numberMatched\":" + std::to_string(matched.size()) +
                      ",\"numberReturned\":" + std::to_string(last - first) + ",\"timeStamp\":\"" + now_iso() +
                      "\",\"features\":[";
    const feature_crs crs{*q.crs, *cat};
    for (std::size_t i = first; i < last; ++i) {
        if (i > first) out.push_back(',');
        write_feature(out, l, l.features[matched[i]], q.selection, q.year, &crs);
    }
    const std::string base = req.base_url();
    json links = json::array({link(base + req.target, "self", geojson_type, "this page"),
                              link(base + "/collections/" + l.id, "collection", "application/json", l.title)});
    if (last < matched.size()) links.push_back(link(page_url(req, base, last), "next", geojson_type, "next page"));
    if (first > 0)
        links.push_back(link(page_url(req, base, first > q.limit ? first - q.limit : 0), "prev", geojson_type, "previous page"));
    out += "],\"links\":" + links.dump() + "}";
    return geojson(std::move(out), *q.crs);
}

response item(const catalog::catalog_holder& holder, const dynamic_list& dynamic, const request& req, const route_params& p) {
    const auto cat = holder.get();
    if (const auto* d = find_dynamic(*cat, dynamic, p.at("collectionId"))) return dynamic_feature(*d, req, p.at("featureId"));
    const auto& l = find_layer(*cat, p.at("collectionId"));
    const auto* f = l.find(p.at("featureId"));
    if (!f) throw not_found{"collection " + l.id + " has no feature \"" + p.at("featureId") + "\""};
    const items_query q = parse_items_query(req, l, true);
    std::string out;
    const feature_crs crs{*q.crs, *cat};
    write_feature(out, l, *f, q.selection, q.year, &crs);
    const std::string base = req.base_url();
    const std::string self = base + "/collections/" + l.id + "/items/" + http::percent_encode(f->id);
    out.pop_back(); // reopen the feature object to add its links
    out += ",\"links\":" +
           json::array({link(self, "self", geojson_type), link(base + "/collections/" + l.id, "collection", "application/json")})
               .dump() +
           "}";
    return geojson(std::move(out), *q.crs);
}

} // namespace

std::vector<http::route> routes(const catalog::catalog_holder& holder,
                                std::vector<std::shared_ptr<const dynamic_collection>> dynamic,
                                std::vector<std::string> more_conformance) {
    const auto* h = &holder;
    auto dyn = std::make_shared<const dynamic_list>(std::move(dynamic));
    auto classes = std::make_shared<const std::vector<std::string>>(std::move(more_conformance));
    using namespace http::doc;
    const auto year_doc = year("The indicator year of the joined indicators and highlight flags (default: the latest with data); "
                               "a year the collection has no data for is a 400 that lists those it has");
    const http::parameter_docs item_docs{year_doc, {"properties", "Comma-separated properties to return (default: all)",
                                                    R"({"type":"array","items":{"type":"string"}})", "navn,employment_rate"},
                                         crs_doc(), f({"json", "geojson"})};
    return {
        {"GET", "/", "Landing page", [h](const request& r, const route_params&) { return landing(*h, r); }},
        {"GET", "/conformance", "Conformance classes",
         [classes](const request&, const route_params&) { return conformance(*classes); }},
        {"GET", "/collections", "The collections", [h, dyn](const request& r, const route_params&) { return collections(*h, *dyn, r); }},
        {"GET", "/collections/{collectionId}", "One collection",
         [h, dyn](const request& r, const route_params& p) { return collection(*h, *dyn, r, p); }},
        {"GET", "/collections/{collectionId}/schema", "JSON Schema of the features, geometry type included (Features Part 5)",
         [h, dyn](const request& r, const route_params& p) { return schema(*h, *dyn, r, p); }},
        {"GET", "/collections/{collectionId}/queryables", "Properties that filter items",
         [h, dyn](const request& r, const route_params& p) { return queryables(*h, *dyn, r, p); }},
        {"GET", "/collections/{collectionId}/sortables", "Properties that sortby may name",
         [h](const request& r, const route_params& p) { return sortables(*h, r, p); }},
        {"GET", "/collections/{collectionId}/items",
         "Features; besides the parameters below, property=value keeps features whose property (a queryable) equals the value",
         [h, dyn](const request& r, const route_params& p) { return items(*h, *dyn, r, p); },
         http::parameter_docs{bbox_doc(), bbox_crs_doc(), limit(default_limit, max_limit), offset(),
                              {"datetime", "Accepted for OGC clients; no collection has a time extent, so every feature passes",
                               R"({"type":"string"})", "2013-01-01T00:00:00Z"},
                              sortby("-employment_rate,navn")} +
             item_docs + filter::filter_parameter_docs("features", "employment_rate < 70 AND navn LIKE '%e%'")},
        {"GET", "/collections/{collectionId}/items/{featureId}", "One feature",
         [h, dyn](const request& r, const route_params& p) { return item(*h, *dyn, r, p); }, item_docs},
    };
}

} // namespace kvarter::features

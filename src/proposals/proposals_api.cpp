#include "proposals/proposals_api.hpp"

#include "http/json_body.hpp"

#include "analysis/overlay.hpp"
#include "core/error.hpp"
#include "features/items_query.hpp"
#include "proposals/ogc_items_api.hpp"
#include "proposals/proposals_views.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <limits>

namespace kvarter::proposals {

using json = nlohmann::json;
using http::request;
using http::response;
using http::route_params;
using http::link;

namespace {

constexpr const char* geojson_type = "application/geo+json";

std::int64_t id_of(const route_params& p) {
    const auto id = parse_proposal_id(p.at("id"));
    if (!id) throw not_found{"no proposal \"" + p.at("id") + "\""};
    return *id;
}

[[noreturn]] void no_proposal(std::int64_t id) { throw not_found{"no proposal " + std::to_string(id)}; }

json body_of(const request& req) { return http::json_body(req, "a GeoJSON Feature"); }

// One proposal as a Feature with its links.
response feature_response(const request& req, const proposal& p, unsigned status) {
    const std::string base = req.base_url();
    const std::string self = base + "/proposals/" + std::to_string(p.id);
    std::string out;
    write_feature(out, p);
    out.pop_back(); // reopen the feature object to add its links
    out += ",\"links\":" +
           json::array({link(self, "self", geojson_type), link(self + "/report", "describedby", "application/json"),
                        link(base + "/collections/proposals/items/" + std::to_string(p.id), "alternate", geojson_type)})
               .dump() +
           "}";
    response r;
    r.status = status;
    r.content_type = geojson_type;
    r.body = std::move(out);
    r.set_header("ETag", proposal_etag(p));
    return r;
}

response list(const proposal_store& store, const request& req) {
    for (const auto& [name, v] : req.query)
        if (name != "bbox" && name != "limit" && name != "offset")
            throw bad_request{name, "unknown parameter \"" + name + "\"; /proposals takes bbox, limit, offset"};
    std::optional<geometry::box> bbox;
    if (const std::string* text = req.param("bbox")) {
        const auto boxes = features::parse_bbox(*text);
        if (boxes.size() != 1) throw bad_request{"bbox", "a bbox across the antimeridian is not supported here"};
        bbox = boxes.front();
    }
    const std::size_t limit = http::count_param(req, "limit", features::default_limit, 1, features::max_limit);
    const std::size_t offset = http::count_param(req, "offset", 0, 0, std::numeric_limits<std::size_t>::max());
    const auto page = store.list(limit, offset, bbox);
    std::string out = "{\"type\":\"FeatureCollection\",\"numberMatched\":" + std::to_string(page.matched) +
                      ",\"numberReturned\":" + std::to_string(page.items.size()) + ",\"features\":[";
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        if (i) out.push_back(',');
        write_feature(out, page.items[i]);
    }
    const std::string base = req.base_url();
    json links = json::array({link(base + req.target, "self", geojson_type)});
    if (offset + page.items.size() < page.matched) {
        std::string next = base + "/proposals?limit=" + std::to_string(limit) + "&offset=" + std::to_string(offset + page.items.size());
        if (bbox) next += "&bbox=" + http::percent_encode(*req.param("bbox"));
        links.push_back(link(next, "next", geojson_type));
    }
    out += "],\"links\":" + links.dump() + "}";
    response r;
    r.content_type = geojson_type;
    r.body = std::move(out);
    return r;
}

std::optional<int> year_of(const request& req) {
    for (const auto& [name, v] : req.query)
        if (name != "year") throw bad_request{name, "unknown parameter \"" + name + "\"; the report takes year"};
    const std::string* text = req.param("year");
    if (!text) return std::nullopt;
    int y = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), y);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size())
        throw bad_request{"year", "year must be an integer, got \"" + *text + "\""};
    return y;
}

http::parameter_doc proposals_bbox_doc() {
    auto doc = features::bbox_doc();
    doc.description = "Proposals whose geometry meets the box minx,miny,maxx,maxy in CRS84 (not across the antimeridian)";
    return doc;
}

} // namespace

std::vector<http::route> routes(const catalog::catalog_holder& holder, proposal_store& store, const token_list& tokens) {
    const auto* h = &holder;
    auto* s = &store;
    const auto* t = &tokens;
    std::vector<http::route> out{
        {"POST", "/proposals", "Add a proposal (a GeoJSON Feature; needs a bearer token)",
         [s, t](const request& req, const route_params&) {
             const std::string& writer = t->authorize(req);
             const auto p = s->create(body_of(req), writer);
             auto r = feature_response(req, p, 201);
             r.set_header("Location", req.base_url() + "/proposals/" + std::to_string(p.id));
             return r;
         },
         {},
         "application/geo+json"},
        {"GET", "/proposals", "The proposals",
         [s](const request& req, const route_params&) { return list(*s, req); },
         {proposals_bbox_doc(), http::doc::limit(features::default_limit, features::max_limit), http::doc::offset()}},
        {"GET", "/proposals/{id}", "One proposal",
         [s](const request& req, const route_params& p) {
             const auto id = id_of(p);
             const auto found = s->get(id);
             if (!found) no_proposal(id);
             return feature_response(req, *found, 200);
         }},
        {"PUT", "/proposals/{id}", "Replace a proposal (needs a bearer token)",
         [s, t](const request& req, const route_params& p) {
             const std::string& writer = t->authorize(req);
             const auto id = id_of(p);
             const json body = body_of(req);
             if (body.is_object() && body.contains("id") && body["id"] != json(id) && body["id"] != json(std::to_string(id)))
                 throw bad_request{"id", "the body's id " + body["id"].dump() + " is not the id in the path, " + std::to_string(id)};
             const auto replaced = s->replace(id, body, writer);
             if (!replaced) no_proposal(id);
             return feature_response(req, *replaced, 200);
         },
         {},
         "application/geo+json"},
        {"DELETE", "/proposals/{id}", "Delete a proposal (needs a bearer token)",
         [s, t](const request& req, const route_params& p) {
             t->authorize(req);
             const auto id = id_of(p);
             if (!s->remove(id)) no_proposal(id);
             response r;
             r.status = 204;
             r.content_type.clear();
             return r;
         }},
        {"GET", "/proposals/{id}/report", "The overlay report of a stored proposal",
         [h, s](const request& req, const route_params& p) {
             const auto id = id_of(p);
             const auto year = year_of(req);
             const auto found = s->get(id);
             if (!found) no_proposal(id);
             json report = analysis::overlay_report(*h->get(), found->lonlat, year);
             report["proposal"] = {{"id", found->id}, {"name", found->name}, {"status", found->status},
                                   {"href", req.base_url() + "/proposals/" + std::to_string(found->id)}};
             return http::json_response(report);
         },
         {http::doc::year("The indicator year of the report (default: the latest)")}},
    };
    for (auto& r : ogc_item_routes(store, tokens)) out.push_back(std::move(r));
    return out;
}

} // namespace kvarter::proposals

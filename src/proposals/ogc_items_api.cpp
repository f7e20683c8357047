#include "proposals/ogc_items_api.hpp"

#include "core/error.hpp"
#include "features/geojson_writer.hpp"
#include "geometry/ogc_crs.hpp"
#include "http/json_body.hpp"
#include "proposals/proposals_views.hpp"

#include <nlohmann/json.hpp>


namespace kvarter::proposals {

using json = nlohmann::json;
using http::request;
using http::response;
using http::route_params;

namespace {

constexpr const char* items_path = "/collections/proposals/items";
// A PATCH reads, merges and writes; another write in between makes it start again, this often.
constexpr int patch_attempts = 3;

std::int64_t feature_id_of(const route_params& p) {
    const auto id = parse_proposal_id(p.at("featureId"));
    if (!id) throw not_found{"collection proposals has no feature \"" + p.at("featureId") + "\""};
    return *id;
}

[[noreturn]] void no_feature(std::int64_t id) {
    throw not_found{"collection proposals has no feature " + std::to_string(id)};
}

// The body's CRS, from Content-Crs ("<uri>"); CRS84 without one.
const geometry::ogc_crs& content_crs(const request& req) {
    std::string value = req.header("content-crs");
    if (value.empty()) return geometry::crs84();
    if (value.size() > 2 && value.front() == '<' && value.back() == '>') value = value.substr(1, value.size() - 2);
    if (const auto* c = geometry::find_ogc_crs(value)) return *c;
    std::string known;
    for (const auto& c : geometry::ogc_crses()) known += (known.empty() ? "<" : ">, <") + c.uri;
    throw bad_request{"Content-Crs", "Content-Crs \"" + req.header("content-crs") + "\" is not offered; the CRSs are " +
                                         known + ">"};
}

// Every position of a GeoJSON coordinates array moved into lon/lat; what is not a position is
// left for the proposal's own checks to name.
void to_lonlat(json& coordinates, const geometry::from_ogc_crs& from) {
    if (!coordinates.is_array()) return;
    if (coordinates.size() >= 2 && coordinates[0].is_number() && coordinates[1].is_number()) {
        const auto p = from.apply({coordinates[0].get<double>(), coordinates[1].get<double>()});
        coordinates[0] = p.x;
        coordinates[1] = p.y;
        return;
    }
    for (auto& c : coordinates) to_lonlat(c, from);
}

// The request's Feature with its geometry in lon/lat, as the store takes it.
json feature_body(const request& req) {
    json feature = http::json_body(req, "a GeoJSON Feature");
    const auto& crs = content_crs(req);
    if (crs.uri != geometry::crs84().uri && feature.is_object() && feature.contains("geometry") &&
        feature["geometry"].is_object() && feature["geometry"].contains("coordinates"))
        to_lonlat(feature["geometry"]["coordinates"], geometry::from_ogc_crs{crs});
    return feature;
}

void check_body_id(const json& body, std::int64_t id) {
    if (body.is_object() && body.contains("id") && body["id"] != json(id) && body["id"] != json(std::to_string(id)))
        throw bad_request{"id", "the body's id " + body["id"].dump() + " is not the id in the path, " + std::to_string(id)};
}

// Refuses the write when the request's If-Match no longer holds for the stored proposal.
proposal_store::precondition if_match(const request& req) {
    const std::string header = req.header("if-match");
    if (header.empty()) return {};
    return [header](const proposal& current) {
        if (!if_match_holds(header, current))
            throw precondition_failed{"If-Match " + header + " does not hold: the proposal is now " +
                                      proposal_etag(current) + "; read it again and redo the change"};
    };
}

response item_response(const request& req, const proposal& p, unsigned status) {
    response r;
    r.status = status;
    r.content_type = features::geojson_type;
    write_feature(r.body, p);
    r.set_header("ETag", proposal_etag(p));
    r.set_header("Content-Crs", "<" + geometry::crs84().uri + ">");
    if (status == 201) r.set_header("Location", req.base_url() + items_path + "/" + std::to_string(p.id));
    return r;
}

// RFC 7396 on the stored Feature, written back only if nothing else wrote in between.
response patch(proposal_store& store, const std::string& writer, const request& req, std::int64_t id) {
    const json patch_body = feature_body(req);
    if (!patch_body.is_object()) throw bad_request{"body", "a merge patch must be a JSON object"};
    check_body_id(patch_body, id);
    const auto asked = if_match(req);
    for (int attempt = 1;; ++attempt) {
        const auto base = store.get(id);
        if (!base) no_feature(id);
        std::string text;
        write_feature(text, *base);
        json merged = json::parse(text);
        merged.merge_patch(patch_body);
        const std::string base_tag = proposal_etag(*base);
        bool raced = false; // another write came between the read and this one: merge again
        try {
            const auto updated = store.replace(id, merged, writer, [&](const proposal& current) {
                if (asked) asked(current);
                if (proposal_etag(current) != base_tag) {
                    raced = true;
                    throw precondition_failed{"the proposal kept changing while it was patched; send the patch again"};
                }
            });
            if (!updated) no_feature(id);
            return item_response(req, *updated, 200);
        } catch (const precondition_failed&) {
            if (!raced || attempt == patch_attempts) throw;
        }
    }
}

} // namespace

const std::vector<const char*>& ogc_items_conformance() {
    static const std::vector<const char*> classes{
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    };
    return classes;
}

std::vector<http::route> ogc_item_routes(proposal_store& store, const token_list& tokens) {
    auto* s = &store;
    const auto* t = &tokens;
    return {
        {"POST", items_path, "Add a proposal (OGC API – Features Part 4; a GeoJSON Feature, Content-Crs; needs a token)",
         [s, t](const request& req, const route_params&) {
             const std::string& writer = t->authorize(req);
             return item_response(req, s->create(feature_body(req), writer), 201);
         },
         {},
         "application/geo+json"},
        {"PUT", std::string{items_path} + "/{featureId}", "Replace a proposal (If-Match; needs a token)",
         [s, t](const request& req, const route_params& p) {
             const std::string& writer = t->authorize(req);
             const auto id = feature_id_of(p);
             const json body = feature_body(req);
             check_body_id(body, id);
             const auto replaced = s->replace(id, body, writer, if_match(req));
             if (!replaced) no_feature(id);
             return item_response(req, *replaced, 200);
         },
         {},
         "application/geo+json"},
        {"PATCH", std::string{items_path} + "/{featureId}", "Update a proposal with a JSON merge patch (If-Match; needs a token)",
         [s, t](const request& req, const route_params& p) {
             const std::string& writer = t->authorize(req);
             return patch(*s, writer, req, feature_id_of(p));
         },
         {},
         "application/merge-patch+json"},
        {"DELETE", std::string{items_path} + "/{featureId}", "Delete a proposal (If-Match; needs a token)",
         [s, t](const request& req, const route_params& p) {
             t->authorize(req);
             const auto id = feature_id_of(p);
             if (!s->remove(id, if_match(req))) no_feature(id);
             response r;
             r.status = 204;
             r.content_type.clear();
             return r;
         }},
    };
}

} // namespace kvarter::proposals

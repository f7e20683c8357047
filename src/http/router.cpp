#include "http/router.hpp"

#include "core/error.hpp"
#include "http/cors.hpp"
#include "http/gzip.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>

namespace kvarter::http {

using json = nlohmann::json;

const std::string& route_params::at(const std::string& name) const {
    for (const auto& [k, v] : values)
        if (k == name) return v;
    throw std::logic_error{"route has no parameter " + name};
}

response json_response(const json& body, unsigned status, const std::string& content_type) {
    response r;
    r.status = status;
    r.content_type = content_type;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

json link(const std::string& href, const std::string& rel, const std::string& type, const std::string& title) {
    json l{{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty()) l["title"] = title;
    return l;
}

response problem(unsigned status, const std::string& title, const std::string& detail, const std::string& parameter) {
    json body{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
    if (!parameter.empty()) {
        body["parameter"] = parameter;
        body["invalid-params"] = json::array({{{"name", parameter}, {"reason", detail}}});
    }
    return json_response(body, status, "application/problem+json");
}

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    if (path.empty() || path[0] != '/') return out;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

// A pattern segment is a literal, "{name}", or "{name}suffix" (as in "{y}.mvt"); a last segment
// "{name...}" takes the rest of the path, one or more segments joined by '/' (static files).
bool match(const std::string& pattern, std::string_view path, route_params& params) {
    const auto want = split_path(pattern);
    const auto have = split_path(path);
    const bool tail = !want.empty() && want.back().starts_with('{') && want.back().ends_with("...}");
    if (tail ? have.size() < want.size() : want.size() != have.size()) return false;
    params.values.clear();
    for (std::size_t i = 0; i < want.size(); ++i) {
        const auto w = want[i];
        const auto h = have[i];
        if (tail && i + 1 == want.size()) {
            std::string rest{h};
            for (std::size_t j = i + 1; j < have.size(); ++j) (rest += '/') += have[j];
            params.values.emplace_back(std::string{w.substr(1, w.size() - 5)}, std::move(rest));
            break;
        }
        if (w.starts_with('{')) {
            const auto close = w.find('}');
            const auto suffix = w.substr(close + 1);
            if (h.size() <= suffix.size() || !h.ends_with(suffix)) return false;
            params.values.emplace_back(std::string{w.substr(1, close - 1)}, std::string{h.substr(0, h.size() - suffix.size())});
        } else if (w != h) {
            return false;
        }
    }
    return true;
}

bool compressible(const std::string& content_type) {
    return content_type.find("json") != std::string::npos || content_type.starts_with("text/") ||
           content_type.find("javascript") != std::string::npos ||
           content_type.find("vnd.mapbox-vector-tile") != std::string::npos ||
           content_type.find("xml") != std::string::npos;
}

} // namespace

router::router(std::vector<route> routes, write_origins_fn write_origins)
    : m_routes{std::move(routes)}, m_write_origins{std::move(write_origins)} {}

response router::dispatch(const request& req, std::string& matched, bool may_write) const {
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    route_params params;
    std::string allowed;
    for (const auto& r : m_routes) {
        if (!match(r.pattern, req.path, params)) continue;
        if (r.method == method) {
            matched = r.pattern;
            return r.handler(req, params);
        }
        matched = r.pattern;
        allowed += (allowed.empty() ? "" : ", ") + r.method;
    }
    if (allowed.empty()) throw not_found{"nothing at " + req.path};
    if (method == "OPTIONS") {
        response r;
        r.status = 204;
        r.content_type.clear();
        r.set_header("Allow", allowed + ", OPTIONS");
        // A page of an origin that may not write is not told it may (see http/cors.hpp).
        std::string preflight;
        for (std::size_t start = 0; start < allowed.size();) {
            const auto comma = std::min(allowed.find(", ", start), allowed.size());
            const std::string m = allowed.substr(start, comma - start);
            if (may_write || !is_write(m)) preflight += m + ", ";
            start = comma + 2;
        }
        r.set_header("Access-Control-Allow-Methods", preflight + "OPTIONS");
        r.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Crs, If-Match, If-None-Match");
        r.set_header("Access-Control-Max-Age", "86400");
        return r;
    }
    auto r = problem(405, "Method Not Allowed", req.method + " is not allowed on " + req.path + "; allowed: " + allowed);
    r.set_header("Allow", allowed);
    return r;
}

void router::offload(const std::string& method, const std::string& pattern) { m_offloaded.emplace_back(method, pattern); }

// Asked for every request before it is answered: only the dozen offloaded patterns are matched,
// not the whole table, and HEAD goes where GET goes, as in dispatch.
bool router::offloaded(const request& req) const {
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    route_params params;
    for (const auto& [m, pattern] : m_offloaded)
        if (m == method && match(pattern, req.path, params)) return true;
    return false;
}

response router::handle(const request& req, std::string* matched_route) const {
    const auto start = std::chrono::steady_clock::now();
    std::string matched = "(none)";
    response res;
    // Only a browser page sends Origin; the configured list is looked at only then.
    const bool may_write = req.header("origin").empty() ||
                           origin_may_write(req, m_write_origins ? m_write_origins() : std::vector<std::string>{});
    try {
        if (is_write(req.method) && !may_write) refuse_write_from_origin(req);
        res = dispatch(req, matched, may_write);
    } catch (const bad_request& e) {
        res = problem(400, "Bad Request", e.what(), e.parameter());
    } catch (const not_found& e) {
        res = problem(404, "Not Found", e.what());
    } catch (const unauthorized& e) {
        res = problem(401, "Unauthorized", e.what());
        res.set_header("WWW-Authenticate", "Bearer");
    } catch (const forbidden& e) {
        res = problem(403, "Forbidden", e.what());
    } catch (const precondition_failed& e) {
        res = problem(412, "Precondition Failed", e.what(), "If-Match");
    } catch (const geometry_error& e) {
        res = problem(400, "Bad Request", e.what(), "geometry");
    } catch (const unavailable& e) {
        res = problem(503, "Service Unavailable", e.what());
        res.set_header("Retry-After", std::to_string(e.retry_after_seconds()));
    } catch (const std::exception& e) {
        spdlog::error("{} {}: {}", req.method, req.target, e.what());
        res = problem(500, "Internal Server Error", "the server failed to answer; the log has the reason");
    }

    set_cors_headers(req, res, may_write);
    if (compressible(res.content_type) && res.body.size() > 1024 && !res.find_header("Content-Encoding")) {
        if (choose_gzip(req, res)) res.body = gzip(res.body);
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    m_metrics.record(req.method, matched, res.status, took.count());
    if (matched_route) *matched_route = std::move(matched);
    return res;
}

namespace {

// Path parameters are named alike on every route; the numeric ones are tile and zoom numbers.
json path_parameter(const std::string& name) {
    static const std::map<std::string, std::string> descriptions{
        {"collectionId", "A collection's id (see /collections)"},
        {"featureId", "A feature's id within the collection"},
        {"tileset", "A tileset's id (see /tiles)"},
        {"tileMatrixSetId", "The tile matrix set: WebMercatorQuad"},
        {"tileMatrix", "The zoom level"},
        {"tileRow", "The tile's row, counted from the top"},
        {"tileCol", "The tile's column, counted from the west"},
        {"z", "The zoom level"},
        {"x", "The tile's column, counted from the west"},
        {"y", "The tile's row, counted from the top"},
        {"id", "A proposal's id"},
        {"fontstack", "Comma-separated font names"},
        {"range", "A range of 256 code points, e.g. 0-255"},
        {"name", "A style's name"},
        {"path", "A file of the map viewer"}};
    static const std::set<std::string> numbers{"tileMatrix", "tileRow", "tileCol", "z", "x", "y"};
    const auto d = descriptions.find(name);
    return {{"name", name},
            {"in", "path"},
            {"required", true},
            {"description", d == descriptions.end() ? name : d->second},
            {"schema", {{"type", numbers.count(name) ? "integer" : "string"}}}};
}

// "get" "/collections/{collectionId}/items" -> "get_collections_collectionId_items": unique per route.
std::string operation_id(const std::string& method, const std::string& pattern) {
    std::string id = method;
    for (char c : pattern) {
        if (std::isalnum(static_cast<unsigned char>(c))) id += c;
        else if (c == '/' && id.back() != '_') id += '_';
    }
    if (id.back() == '_' && pattern.size() > 1) id += "folder"; // "/map/" beside "/map"
    while (id.back() == '_') id.pop_back();
    return id;
}

// A parameter's example as the JSON value of its schema's type ("5" is 5 for an integer,
// "1,2,3,4" is [1,2,3,4] for an array of numbers), as OpenAPI wants it.
json example_value(const json& schema, const std::string& text) {
    const std::string type = schema.value("type", "string");
    const auto scalar = [](const std::string& item_type, const std::string& t) -> json {
        if (item_type == "integer") return std::stoll(t);
        if (item_type == "number") return std::stod(t);
        return t;
    };
    if (type != "array") return scalar(type, text);
    const std::string item_type = schema.contains("items") ? schema["items"].value("type", "string") : "string";
    json out = json::array();
    for (std::size_t start = 0;;) {
        const auto comma = text.find(',', start);
        out.push_back(scalar(item_type, text.substr(start, comma - start)));
        if (comma == std::string::npos) return out;
        start = comma + 1;
    }
}

} // namespace

json openapi_document(const std::vector<route>& routes, const std::string& title, const std::string& base_url) {
    json paths = json::object();
    for (const auto& r : routes) {
        std::string method = r.method;
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
        json op{{"summary", r.summary},
                {"operationId", operation_id(method, r.pattern)},
                {"responses",
                 {{"2XX", {{"description", "success"}}},
                  {"default",
                   {{"description", "a problem (RFC 9457): 4XX names the parameter at fault"},
                    {"content", {{"application/problem+json", {{"schema", {{"type", "object"}}}}}}}}}}}};
        json parameters = json::array();
        for (std::size_t open = r.pattern.find('{'); open != std::string::npos; open = r.pattern.find('{', open + 1)) {
            const auto close = r.pattern.find('}', open);
            std::string name = r.pattern.substr(open + 1, close - open - 1);
            if (name.ends_with("...")) name.resize(name.size() - 3);
            parameters.push_back(path_parameter(name));
        }
        for (const auto& q : r.query) {
            json p{{"name", q.name}, {"in", "query"}, {"required", q.required}, {"description", q.description},
                   {"schema", json::parse(q.schema)}};
            if (p["schema"].value("type", "") == "array") { // bbox=1,2,3,4 and sortby=a,-b: one comma-separated value
                p["style"] = "form";
                p["explode"] = false;
            }
            if (!q.example.empty()) p["example"] = example_value(p["schema"], q.example);
            parameters.push_back(std::move(p));
        }
        if (!parameters.empty()) op["parameters"] = parameters;
        if (!r.body.empty())
            op["requestBody"] = {{"required", true}, {"content", {{r.body, {{"schema", {{"type", "object"}}}}}}}};
        std::string key = r.pattern; // OpenAPI has no rest-of-path parameter: "{path...}" is shown as "{path}"
        if (const auto dots = key.find("...}"); dots != std::string::npos) key.erase(dots, 3);
        paths[key][method] = op;
    }
    return {{"openapi", "3.0.3"},
            {"info", {{"title", title}, {"version", "0.1"}}},
            {"servers", json::array({{{"url", base_url}}})},
            {"paths", paths}};
}

} // namespace kvarter::http

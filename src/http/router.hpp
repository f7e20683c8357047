#pragma once
// The route table: the single list of what the server answers. Matching, 404/405, HEAD and
// OPTIONS, and the one place where exceptions become RFC 9457 problem responses.

#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/parameter_doc.hpp"

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <string>
#include <vector>

namespace kvarter::http {

// Values of the {placeholders} in a route's pattern, in order of appearance.
struct route_params {
    std::vector<std::pair<std::string, std::string>> values;
    const std::string& at(const std::string& name) const;
};

using handler_fn = std::function<response(const request&, const route_params&)>;

struct route {
    std::string method; // "GET", "POST", …
    std::string pattern; // "/collections/{collectionId}/items"
    std::string summary; // one line for the API description
    handler_fn handler;
    parameter_docs query = {}; // the query parameters it takes, as /api shows them
    std::string body = {};     // the media type of the request body it reads, if any
};

response json_response(const nlohmann::json& body, unsigned status = 200,
                       const std::string& content_type = "application/json");
// A link object of OGC API answers (RFC 8288 relation, media type, optional title).
nlohmann::json link(const std::string& href, const std::string& rel, const std::string& type,
                    const std::string& title = {});
response problem(unsigned status, const std::string& title, const std::string& detail,
                 const std::string& parameter = {});

class router {
public:
    // The origins besides the server's own whose pages may write, asked per write request (so a
    // reload of the config changes them); none when not given.
    using write_origins_fn = std::function<std::vector<std::string>()>;
    explicit router(std::vector<route> routes, write_origins_fn write_origins = {});

    // Never throws: every failure becomes a problem response. Applies CORS and gzip.
    // `matched_route`, when given, receives the route pattern answered ("(none)" if no route).
    response handle(const request& req, std::string* matched_route = nullptr) const;
    // Marks a route as slow work (a write, a heavy analysis): the server runs it on its worker
    // pool, never on a request thread.
    void offload(const std::string& method, const std::string& pattern);
    bool offloaded(const request& req) const;
    const std::vector<route>& routes() const noexcept { return m_routes; }
    metrics& stats() const noexcept { return m_metrics; }

private:
    response dispatch(const request& req, std::string& matched_pattern, bool may_write) const;
    std::vector<route> m_routes;
    write_origins_fn m_write_origins;
    std::vector<std::pair<std::string, std::string>> m_offloaded; // method, pattern
    mutable metrics m_metrics;
}; // class router

// OpenAPI 3.0 description of the routes, served at /api.
nlohmann::json openapi_document(const std::vector<route>& routes, const std::string& title, const std::string& base_url);

} // namespace kvarter::http

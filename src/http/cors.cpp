#include "http/cors.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace kvarter::http {

namespace {

// "http://host:port" -> "host:port": what the Host header of a same-origin request holds.
std::string authority_of(const std::string& origin) {
    const auto scheme_end = origin.find("://");
    return scheme_end == std::string::npos ? std::string{} : origin.substr(scheme_end + 3);
}

} // namespace

bool is_write(const std::string& method) noexcept {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool origin_may_write(const request& req, const std::vector<std::string>& write_origins) {
    const std::string origin = req.header("origin");
    if (origin.empty()) return true;
    if (!req.header("host").empty() && authority_of(origin) == req.header("host")) return true;
    return std::find(write_origins.begin(), write_origins.end(), origin) != write_origins.end();
}

void refuse_write_from_origin(const request& req) {
    // An origin is ASCII (RFC 6454); anything else in the header is not echoed into the JSON answer.
    std::string origin = req.header("origin");
    for (char& c : origin)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
    throw forbidden{"a page from " + origin + " may not write here; the server's proposals.write_origins lists the origins that may"};
}

void set_cors_headers(const request& req, response& res, bool may_write) {
    const std::string origin = req.header("origin");
    const bool writing = is_write(req.method) || (req.method == "OPTIONS" && is_write(req.header("access-control-request-method")));
    if (writing && may_write && !origin.empty()) {
        res.set_header("Access-Control-Allow-Origin", origin);
        res.set_header("Vary", "Origin");
    } else {
        res.set_header("Access-Control-Allow-Origin", "*");
    }
    res.set_header("Access-Control-Expose-Headers", "ETag, Location, Content-Encoding, Content-Crs");
}

} // namespace kvarter::http

#pragma once
// Cross-origin rules. Anyone may read: answers carry Access-Control-Allow-Origin: *. A write
// (POST, PUT, PATCH, DELETE) sent by a browser page is accepted only from the server's own origin
// (the map viewer) or one the config lists (proposals.write_origins): otherwise a page elsewhere
// could make a planner's browser write with credentials it holds. Clients that are not browsers
// send no Origin and are judged by their token alone.

#include "http/message.hpp"

#include <string>
#include <vector>

namespace kvarter::http {

bool is_write(const std::string& method) noexcept;

// Whether the request's Origin may write: none (not a browser), the Host's own, or a listed one.
bool origin_may_write(const request& req, const std::vector<std::string>& write_origins);

// Throws forbidden naming the request's origin, which may not write.
[[noreturn]] void refuse_write_from_origin(const request& req);

// Access-Control-* headers of an answer: the origin itself for a write (or its preflight) that
// may write, else *.
void set_cors_headers(const request& req, response& res, bool may_write);

} // namespace kvarter::http

#pragma once

#include "http/message.hpp"

#include <string>
#include <string_view>

namespace kvarter::http {

// gzip (RFC 1952) of `data` with zlib.
std::string gzip(std::string_view data, int level = 6);
std::string gunzip(std::string_view data);

// True when an Accept-Encoding value (RFC 9110 12.5.3) accepts gzip: "gzip" (or its alias
// "x-gzip") with q above 0, or else "*" with q above 0. An explicit "gzip;q=0" refuses gzip
// whatever "*" says; codings and parameters compare case-insensitively.
bool accepts_gzip(std::string_view accept_encoding);

// The one place an answer chooses gzip or raw bytes: sets Vary (the answer depends on
// Accept-Encoding either way) and, when the request accepts gzip, Content-Encoding: gzip.
// Returns whether the body must be the gzipped bytes.
bool choose_gzip(const request& req, response& r);

} // namespace kvarter::http

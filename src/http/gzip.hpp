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

// For an answer kept as raw bytes (strong tag `raw_etag`) that may also be sent gzipped: which copy
// the request gets. Sets Vary and the chosen copy's own ETag (http::gzip_etag for the gzipped one),
// and Content-Encoding when gzipped. not_modified when If-None-Match names that tag: the caller
// answers 304, which carries no Content-Encoding (RFC 9110 15.4.5).
enum class variant { raw, gzipped, not_modified };
variant choose_variant(const request& req, response& r, const std::string& raw_etag);

} // namespace kvarter::http

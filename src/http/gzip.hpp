#pragma once

#include <string>
#include <string_view>

namespace kvarter::http {

// gzip (RFC 1952) of `data` with zlib.
std::string gzip(std::string_view data, int level = 6);
std::string gunzip(std::string_view data);

// True when an Accept-Encoding header value accepts gzip (and does not refuse it with q=0).
bool accepts_gzip(std::string_view accept_encoding);

} // namespace kvarter::http

#pragma once
// Entity tags (RFC 9110 8.8.3) and the two conditional headers that compare them (13.1.1, 13.1.2):
// the one implementation tiles, static files and proposals share.

#include <string>
#include <string_view>

namespace kvarter::http {

// A strong tag from the bytes themselves (FNV-1a, 64 bits, as 16 hex digits in quotes): equal bytes
// get equal tags across reloads and processes, so a cache in front may keep them.
std::string strong_etag(std::string_view bytes);

// The tag of the gzip-coded copy of a representation tagged `etag`. A strong tag names one
// sequence of bytes, so the coded copy needs its own (RFC 9110 8.8.1): "\"…-gzip\"".
std::string gzip_etag(std::string_view etag);

// If-None-Match holds (the answer is 304) when it is "*" or lists a tag equal to `etag` under weak
// comparison: W/ is ignored on either side.
bool none_match_fails(std::string_view if_none_match, std::string_view etag);

// If-Match holds when it is "*" or lists a tag equal to `etag` under strong comparison: a weak tag
// never matches.
bool if_match_holds(std::string_view if_match, std::string_view etag);

} // namespace kvarter::http

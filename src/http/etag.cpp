#include "http/etag.hpp"

#include <cstdint>
#include <cstdio>

namespace kvarter::http {

namespace {

// Calls fn(tag) for each member of a comma-separated list of entity tags, blanks trimmed, until
// fn returns true; returns whether one did. A client's tag may hold a comma (RFC 9110 8.8.3 allows
// it), but kvarter's own are hex digits, so one split at commas never breaks a tag it could match.
template <class Fn>
bool any_tag(std::string_view list, Fn&& fn) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view tag = list.substr(0, comma);
        const auto first = tag.find_first_not_of(" \t");
        const auto last = tag.find_last_not_of(" \t");
        if (first != std::string_view::npos && fn(tag.substr(first, last - first + 1))) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

std::string_view without_weak(std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; }

} // namespace

std::string strong_etag(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char tag[24];
    std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(h));
    return tag;
}

std::string gzip_etag(std::string_view etag) {
    if (etag.size() < 2 || etag.back() != '"') return std::string{etag} + "-gzip";
    std::string out{etag.substr(0, etag.size() - 1)};
    return out + "-gzip\"";
}

bool none_match_fails(std::string_view if_none_match, std::string_view etag) {
    if (if_none_match.empty() || etag.empty()) return false;
    return any_tag(if_none_match, [&](std::string_view tag) {
        return tag == "*" || without_weak(tag) == without_weak(etag);
    });
}

bool if_match_holds(std::string_view if_match, std::string_view etag) {
    return any_tag(if_match, [&](std::string_view tag) {
        return tag == "*" || (!tag.starts_with("W/") && !etag.starts_with("W/") && tag == etag);
    });
}

} // namespace kvarter::http

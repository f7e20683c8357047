#include "http/gzip.hpp"

#include "core/error.hpp"
#include "http/etag.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace kvarter::http {

std::string gzip(std::string_view data, int level) {
    z_stream z{};
    // 15 window bits + 16: write a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw error{"deflateInit2 failed"};
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw error{"gzip failed"};
    return out;
}

std::string gunzip(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK) throw error{"inflateInit2 failed"};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) throw error{"not valid gzip data"};
    return out;
}

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The q of one Accept-Encoding item's parameters ("; q=0.5"): 1 when absent, 0 when unreadable,
// so that a malformed weight never turns gzip on.
double quality(std::string_view params) {
    while (!params.empty()) {
        const auto semi = params.find(';');
        const std::string_view param = trimmed(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        const auto eq = param.find('=');
        if (eq == std::string_view::npos || trimmed(param.substr(0, eq)) != "q") continue;
        const std::string value{trimmed(param.substr(eq + 1))};
        char* end = nullptr;
        const double q = std::strtod(value.c_str(), &end);
        return value.empty() || end != value.c_str() + value.size() ? 0.0 : q;
    }
    return 1.0;
}

} // namespace

bool accepts_gzip(std::string_view header) {
    std::string lower(header);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    std::optional<double> gzip_q;
    std::optional<double> any_q;
    std::string_view rest = lower;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        const auto semi = item.find(';');
        const std::string_view coding = trimmed(item.substr(0, semi));
        const double q = semi == std::string_view::npos ? 1.0 : quality(item.substr(semi + 1));
        if (coding == "gzip" || coding == "x-gzip") gzip_q = std::max(gzip_q.value_or(0.0), q);
        else if (coding == "*") any_q = q;
    }
    if (gzip_q) return *gzip_q > 0;
    return any_q.value_or(0.0) > 0;
}

namespace {

// Added to what the answer varies by already (Origin, for a cross-origin write).
void vary_by_encoding(response& r) {
    const std::string* vary = r.find_header("Vary");
    if (!vary) r.set_header("Vary", "Accept-Encoding");
    else if (vary->find("Accept-Encoding") == std::string::npos) r.set_header("Vary", *vary + ", Accept-Encoding");
}

} // namespace

bool choose_gzip(const request& req, response& r) {
    vary_by_encoding(r);
    if (!accepts_gzip(req.header("accept-encoding"))) return false;
    r.set_header("Content-Encoding", "gzip");
    return true;
}

variant choose_variant(const request& req, response& r, const std::string& raw_etag) {
    const bool gzipped = accepts_gzip(req.header("accept-encoding"));
    const std::string etag = gzipped ? gzip_etag(raw_etag) : raw_etag;
    r.set_header("ETag", etag);
    if (none_match_fails(req.header("if-none-match"), etag)) {
        vary_by_encoding(r); // on the 304 as on the 200 it stands for
        return variant::not_modified;
    }
    return choose_gzip(req, r) ? variant::gzipped : variant::raw;
}

} // namespace kvarter::http

#include "core/error.hpp"
#include "http/message.hpp"

#include <cctype>

namespace kvarter::http {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s, bool plus_is_space, const char* what) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            const int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
            const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) throw bad_request{what, std::string{"malformed percent escape in the "} + what};
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (plus_is_space && s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

} // namespace

void parse_target(request& req) {
    std::string_view target = req.target;
    const auto q = target.find('?');
    req.path = decode(target.substr(0, q), false, "path");
    req.query.clear();
    if (q == std::string_view::npos) return;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        req.query.emplace_back(decode(pair.substr(0, eq), true, "query"),
                               eq == std::string_view::npos ? std::string{} : decode(pair.substr(eq + 1), true, "query"));
    }
}

std::string percent_encode(const std::string& s) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        }
    }
    return out;
}

std::string request::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
}

const std::string* request::param(const std::string& name) const {
    for (const auto& [k, v] : query)
        if (k == name) return &v;
    return nullptr;
}

std::string request::base_url() const {
    std::string host = header("host");
    // The Host header ends up in links: keep only what a host name and port can hold.
    const bool plausible = !host.empty() && host.size() < 256 &&
                           host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                               std::string::npos;
    if (!plausible) host = "localhost";
    std::string scheme = header("x-forwarded-proto");
    if (scheme != "https") scheme = "http";
    return scheme + "://" + host;
}

void response::set_header(const std::string& name, const std::string& value) {
    for (auto& [k, v] : headers) {
        if (k == name) {
            v = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

const std::string* response::find_header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return &v;
    return nullptr;
}

} // namespace kvarter::http

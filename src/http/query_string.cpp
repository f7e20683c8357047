#include "core/error.hpp"
#include "http/message.hpp"

#include <cctype>
#include <cstdint>
#include <string_view>

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

// Whether `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
// Hand-written: neither the standard library nor a package we use has a validator to call.
bool is_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        static constexpr std::uint32_t least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

// Decoded text every later part can put into JSON: bad UTF-8 is the client's 400, not our 500.
std::string decode_utf8(std::string_view s, bool plus_is_space, const char* what, const std::string& parameter) {
    std::string out = decode(s, plus_is_space, what);
    if (!is_utf8(out))
        throw bad_request{parameter, std::string{"the "} + what + " is not UTF-8 once percent-decoded" +
                                         (parameter.empty() || parameter == what ? "" : " (in " + parameter + ")")};
    return out;
}

} // namespace

void parse_target(request& req) {
    std::string_view target = req.target;
    // Raw bytes reach the answers' links and messages as they came: control characters and spaces
    // are refused (RFC 3986 wants them percent-encoded); raw UTF-8, as curl sends "Nørrebro", is
    // taken, and bad UTF-8 is refused below with the part it is in.
    for (const char ch : target)
        if (const auto c = static_cast<unsigned char>(ch); c <= 0x20 || c == 0x7F)
            throw bad_request{"target", "the request target holds a control character or space; percent-encode it (RFC 3986)"};
    if (!is_utf8(target)) throw bad_request{"target", "the request target is not UTF-8; percent-encode other bytes (RFC 3986)"};
    const auto q = target.find('?');
    req.path = decode_utf8(target.substr(0, q), false, "path", "path");
    req.query.clear();
    if (q == std::string_view::npos) return;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        std::string name = decode_utf8(pair.substr(0, eq), true, "query", "query");
        std::string value = eq == std::string_view::npos ? std::string{} : decode_utf8(pair.substr(eq + 1), true, "query", name);
        req.query.emplace_back(std::move(name), std::move(value));
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

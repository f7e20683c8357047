#include "core/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace kvarter::json_text {

void append_string(std::string& out, std::string_view s) {
    out.push_back('"');
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

void append_number(std::string& out, double v, int decimals) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    if (ec != std::errc{}) {
        out += "null";
        return;
    }
    char* dot = std::find(buf, end, '.');
    if (dot != end) {
        while (end > dot && (end[-1] == '0')) --end;
        if (end == dot + 1) end = dot;
    }
    std::string_view text{buf, static_cast<std::size_t>(end - buf)};
    if (text == "-0") text = "0";
    out += text;
}

void append_integer(std::string& out, long long v) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, end);
}

void append_value(std::string& out, const value& v) {
    std::visit(
        [&out](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += x ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                append_integer(out, x);
            } else if constexpr (std::is_same_v<T, double>) {
                if (!std::isfinite(x)) {
                    out += "null";
                } else {
                    char buf[32];
                    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
                    out.append(buf, end);
                }
            } else {
                append_string(out, x);
            }
        },
        v);
}

} // namespace kvarter::json_text

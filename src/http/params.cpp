#include "http/params.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace kvarter::http {

namespace {

// The whole of `text` as a T; nothing when it is empty, has anything else or overflows.
template <class T>
std::optional<T> whole(std::string_view text) {
    T v{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> out;
    while (true) {
        const auto at = text.find(sep);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + 1);
    }
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// ?NAME= as an integer of at least `low`; nothing when absent.
std::optional<std::size_t> count_param(const request& req, const std::string& name, std::size_t low) {
    const std::string* text = req.param(name);
    if (!text) return std::nullopt;
    const auto v = whole<std::size_t>(*text);
    // Digits too many for size_t are still a count, only a huge one: as large as can be.
    const bool huge = !v && !text->empty() && text->find_first_not_of("0123456789") == std::string::npos;
    if (huge) return std::numeric_limits<std::size_t>::max();
    if (!v || *v < low)
        throw bad_request{name, name + " must be an integer from " + std::to_string(low) + ", got \"" + *text + "\""};
    return v;
}

} // namespace

int parse_year(std::string_view text, const std::string& name) {
    const auto y = whole<int>(text);
    if (!y || *y < first_year || *y > last_year)
        throw bad_request{name, name + " must be a year from " + std::to_string(first_year) + " to " +
                                    std::to_string(last_year) + ", got \"" + std::string{text} + "\""};
    return *y;
}

std::optional<int> year_param(const request& req, const std::string& name) {
    const std::string* text = req.param(name);
    if (!text) return std::nullopt;
    return parse_year(*text, name);
}

std::size_t limit_param(const request& req, std::size_t fallback) {
    return std::min(count_param(req, "limit", 1).value_or(fallback), max_limit);
}

std::size_t offset_param(const request& req) { return count_param(req, "offset", 0).value_or(0); }

std::array<double, 4> bbox_numbers(const std::string& text, const std::string& name, const char* axes) {
    const auto parts = split(text, ',');
    if (parts.size() != 4 && parts.size() != 6)
        throw bad_request{name, name + " must be 4 numbers " + axes + " (or 6 with heights), got \"" + text + "\""};
    std::vector<double> n;
    for (const auto p : parts) {
        const auto v = whole<double>(p);
        if (!v || !std::isfinite(*v))
            throw bad_request{name, name + " holds \"" + std::string{p} + "\", which is not a finite number"};
        n.push_back(*v);
    }
    if (n.size() == 6) return {n[0], n[1], n[3], n[4]};
    return {n[0], n[1], n[2], n[3]};
}

std::vector<geometry::box> lonlat_bbox(double min_lon, double min_lat, double max_lon, double max_lat, const std::string& name) {
    for (double lon : {min_lon, max_lon})
        if (lon < -180 || lon > 180) throw bad_request{name, name + ": longitude outside -180..180"};
    for (double lat : {min_lat, max_lat})
        if (lat < -90 || lat > 90) throw bad_request{name, name + ": latitude outside -90..90"};
    if (min_lat > max_lat) throw bad_request{name, name + ": the lower latitude is above the upper one"};
    if (min_lon > max_lon) return {{min_lon, min_lat, 180, max_lat}, {-180, min_lat, max_lon, max_lat}};
    return {{min_lon, min_lat, max_lon, max_lat}};
}

std::vector<geometry::box> parse_lonlat_bbox(const std::string& text, const std::string& name) {
    const auto n = bbox_numbers(text, name, "minLon,minLat,maxLon,maxLat");
    return lonlat_bbox(n[0], n[1], n[2], n[3], name);
}

void check_params(const request& req, const allowed_params& allowed) {
    std::set<std::string_view> seen;
    for (const auto& [name, value] : req.query) {
        const bool known = std::find(allowed.names.begin(), allowed.names.end(), name) != allowed.names.end() ||
                           (allowed.also && allowed.also(name));
        if (!known) {
            const std::string takes = !allowed.hint.empty() ? allowed.hint
                                      : allowed.names.empty() ? "this route takes no parameters"
                                                              : "this route takes " + joined(allowed.names);
            throw bad_request{name, "unknown parameter \"" + name + "\"; " + takes};
        }
        if (!seen.insert(name).second) throw bad_request{name, "parameter \"" + name + "\" is given more than once"};
    }
}

} // namespace kvarter::http

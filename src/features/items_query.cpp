#include "features/items_query.hpp"

#include "catalog/gdal_source.hpp"
#include "core/error.hpp"
#include "filter/selection.hpp"
#include "geometry/box_predicate.hpp"

#include <charconv>
#include <cmath>

namespace kvarter::features {

namespace {

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(sep, start);
        out.push_back(text.substr(start, at - start));
        if (at == std::string::npos) break;
        start = at + 1;
    }
    return out;
}

std::optional<double> to_double(const std::string& s) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::size_t parse_count(const std::string& name, const std::string& text, std::size_t low, std::size_t high) {
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < static_cast<long long>(low) ||
        v > static_cast<long long>(high))
        throw bad_request{name, name + " must be an integer from " + std::to_string(low) + " to " + std::to_string(high) +
                                    ", got \"" + text + "\""};
    return static_cast<std::size_t>(v);
}

// Equality of a stored value and the text of a query parameter: numbers by value, text exactly.
bool equals(const value& v, const std::string& text) {
    return std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return text.empty() || text == "null";
            else if constexpr (std::is_same_v<T, bool>) return text == (x ? "true" : "false");
            else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>) {
                const auto n = to_double(text);
                return n && *n == static_cast<double>(x);
            } else return x == text;
        },
        v);
}

} // namespace

namespace {

// The 4 numbers of a bbox (the 6-number form loses its heights).
std::vector<double> bbox_numbers(const std::string& text, const std::string& parameter, const char* axes) {
    const auto parts = split(text, ',');
    if (parts.size() != 4 && parts.size() != 6)
        throw bad_request{parameter, parameter + " must be 4 numbers " + axes + " (or 6 with heights), got \"" + text + "\""};
    std::vector<double> n;
    for (const auto& p : parts) {
        const auto v = to_double(p);
        if (!v) throw bad_request{parameter, parameter + " holds \"" + p + "\", which is not a number"};
        n.push_back(*v);
    }
    if (n.size() == 6) n = {n[0], n[1], n[3], n[4]};
    return n;
}

std::vector<geometry::box> lonlat_boxes(double min_x, double min_y, double max_x, double max_y, const std::string& parameter) {
    for (double lon : {min_x, max_x})
        if (lon < -180 || lon > 180) throw bad_request{parameter, parameter + ": longitude outside -180..180"};
    for (double lat : {min_y, max_y})
        if (lat < -90 || lat > 90) throw bad_request{parameter, parameter + ": latitude outside -90..90"};
    if (min_y > max_y) throw bad_request{parameter, parameter + ": the lower latitude is above the upper one"};
    // A west edge east of the east edge crosses the antimeridian: two boxes.
    if (min_x > max_x) return {{min_x, min_y, 180, max_y}, {-180, min_y, max_x, max_y}};
    return {{min_x, min_y, max_x, max_y}};
}

} // namespace

std::vector<geometry::box> parse_bbox(const std::string& text, const std::string& parameter) {
    const auto n = bbox_numbers(text, parameter, "minLon,minLat,maxLon,maxLat");
    return lonlat_boxes(n[0], n[1], n[2], n[3], parameter);
}

std::vector<geometry::box> parse_bbox(const std::string& text, const geometry::ogc_crs& crs, const std::string& parameter) {
    if (crs.uri == geometry::crs84().uri) return parse_bbox(text, parameter);
    if (crs.latitude_first) {
        const auto n = bbox_numbers(text, parameter, "minLat,minLon,maxLat,maxLon (EPSG:4326 orders latitude first)");
        return lonlat_boxes(n[1], n[0], n[3], n[2], parameter);
    }
    const auto n = bbox_numbers(text, parameter, "minX,minY,maxX,maxY");
    if (n[0] > n[2] || n[1] > n[3])
        throw bad_request{parameter, parameter + ": in " + crs.uri + " the minimum must not exceed the maximum"};
    return {geometry::to_lonlat({n[0], n[1], n[2], n[3]}, crs)};
}

const geometry::ogc_crs& parse_crs(const http::request& req, const std::string& parameter) {
    const std::string* text = req.param(parameter);
    if (!text) return geometry::crs84();
    if (const auto* c = geometry::find_ogc_crs(*text)) return *c;
    std::string known;
    for (const auto& c : geometry::ogc_crses()) known += (known.empty() ? "" : ", ") + c.uri;
    throw bad_request{parameter, parameter + " \"" + *text + "\" is not offered; the CRSs are " + known};
}

std::optional<int> resolve_year(const http::request& req, const catalog::layer& l) {
    const std::string* text = req.param("year");
    if (!text) return l.years.empty() ? std::nullopt : std::optional<int>{l.years.back()};
    int y = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), y);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size())
        throw bad_request{"year", "year must be an integer, got \"" + *text + "\""};
    if (l.years.empty()) return std::nullopt; // no indicators to pick a year of
    if (std::find(l.years.begin(), l.years.end(), y) == l.years.end()) {
        std::string known;
        for (int k : l.years) known += (known.empty() ? "" : ", ") + std::to_string(k);
        throw bad_request{"year", "collection " + l.id + " has indicators for " + known + ", not " + *text};
    }
    return y;
}

items_query parse_items_query(const http::request& req, const catalog::layer& l, bool for_single_item) {
    items_query q;
    q.selection = property_selection::all(l);
    q.year = resolve_year(req, l);
    q.crs = &parse_crs(req, "crs");
    for (const auto& [name, text] : req.query) {
        if (name == "year" || name == "crs") continue;
        if (name == "f") {
            if (text != "json" && text != "geojson")
                throw bad_request{"f", "f must be json or geojson, got \"" + text + "\""};
        } else if (name == "properties") {
            q.selection = {};
            if (text.empty()) continue;
            for (const auto& p : split(text, ',')) {
                if (auto i = l.indicator_index(p)) q.selection.indicators.push_back(*i);
                else if (auto f = l.field_index(p)) q.selection.fields.push_back(*f);
                else if (p == "year" && !l.indicators.empty()) q.selection.year = true;
                else throw bad_request{"properties", "collection " + l.id + " has no property \"" + p + "\""};
            }
        } else if (for_single_item) {
            throw bad_request{name, "unknown parameter \"" + name + "\"; a single feature takes year, properties, crs and f"};
        } else if (name == "bbox") {
            q.boxes = parse_bbox(text, parse_crs(req, "bbox-crs"));
        } else if (name == "bbox-crs") {
            parse_crs(req, "bbox-crs"); // checked here too, so that a bad one is refused without a bbox
        } else if (name == "limit") {
            q.limit = parse_count("limit", text, 1, max_limit);
        } else if (name == "offset") {
            q.offset = parse_count("offset", text, 0, std::numeric_limits<int>::max());
        } else if (name == "filter" || name == "filter-lang" || name == "filter-crs" || name == "sortby") {
            // Read after the loop: the filter needs its language and CRS whatever their order.
        } else if (name == "datetime") {
            // No collection has a temporal extent, so every feature passes a datetime filter.
        } else if (auto f = l.field_index(name)) {
            q.filters.emplace_back(*f, text);
        } else {
            throw bad_request{name, "unknown parameter \"" + name + "\"; collection " + l.id +
                                        " is queryable by the properties listed at /collections/" + l.id + "/queryables"};
        }
    }
    if (!for_single_item) {
        q.filter = parse_filter_params(req, l);
        if (const auto* sortby = req.param("sortby")) q.sort = parse_sortby(*sortby, l);
    }
    return q;
}

std::shared_ptr<const filter::bound_filter> parse_filter_params(const http::request& req, const catalog::layer& l) {
    auto params = filter::read_filter_params(req);
    if (!params) return nullptr;
    return std::make_shared<const filter::bound_filter>(filter::bind(std::move(params->root), l, params->crs));
}

bool items_query::matches(const catalog::layer& l, const catalog::feature& f) const {
    for (const auto& [field, text] : filters)
        if (!equals(f.properties[field], text)) return false;
    if (boxes.empty()) return true;
    if (!f.has_geometry) return false;
    for (const auto& b : boxes)
        if (geometry::intersects(f.lonlat, b)) return true;
    return false;
}

http::parameter_doc bbox_doc() {
    return {"bbox",
            "Features whose geometry meets the box minx,miny,maxx,maxy (in bbox-crs, default CRS84); a west edge "
            "greater than the east edge crosses the antimeridian",
            R"({"type":"array","minItems":4,"maxItems":6,"items":{"type":"number"}})", "12.5,55.6,12.7,55.75"};
}

http::parameter_doc bbox_crs_doc() {
    return http::doc::one_of("bbox-crs", "The CRS of bbox (OGC API – Features Part 2)", geometry::ogc_crs_uris(),
                             "http://www.opengis.net/def/crs/EPSG/0/4326");
}

http::parameter_doc crs_doc() {
    return http::doc::one_of("crs", "The CRS of the answer's geometry (OGC API – Features Part 2), named again in the Content-Crs header",
                             geometry::ogc_crs_uris(), "http://www.opengis.net/def/crs/EPSG/0/25832");
}

} // namespace kvarter::features

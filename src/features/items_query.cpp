#include "features/items_query.hpp"

#include "catalog/gdal_source.hpp"
#include "core/error.hpp"
#include "filter/selection.hpp"
#include "geometry/box_predicate.hpp"
#include "http/params.hpp"

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

std::vector<geometry::box> parse_bbox(const std::string& text, const geometry::ogc_crs& crs, const std::string& parameter) {
    if (crs.uri == geometry::crs84().uri) return http::parse_lonlat_bbox(text, parameter);
    if (crs.latitude_first) {
        const auto n = http::bbox_numbers(text, parameter, "minLat,minLon,maxLat,maxLon (EPSG:4326 orders latitude first)");
        return http::lonlat_bbox(n[1], n[0], n[3], n[2], parameter);
    }
    const auto n = http::bbox_numbers(text, parameter, "minX,minY,maxX,maxY");
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
    const auto y = http::year_param(req);
    if (l.years.empty()) return std::nullopt; // no indicators to pick a year of
    if (!y) return l.years.back();
    catalog::require_data_year(l, *y, "year");
    return y;
}

namespace {

// The parameters items take: the fixed ones, a single item fewer, and (on a list) any field
// of the layer as property=value.
http::allowed_params items_params(const catalog::layer& l, bool for_single_item) {
    using names = std::vector<std::string>;
    if (for_single_item)
        return http::allowed_params{names{"year", "crs", "f", "properties"}, nullptr,
                                    "a single feature takes year, properties, crs and f"};
    return http::allowed_params{
        names{"year", "crs", "f", "properties", "bbox", "bbox-crs", "limit", "offset", "filter", "filter-lang", "filter-crs",
              "sortby", "datetime"},
        [&l](const std::string& name) { return l.field_index(name).has_value(); },
        "collection " + l.id + " is queryable by the properties listed at /collections/" + l.id + "/queryables"};
}

} // namespace

items_query parse_items_query(const http::request& req, const catalog::layer& l, bool for_single_item) {
    http::check_params(req, items_params(l, for_single_item));
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
            continue; // check_params let through only what a single feature takes
        } else if (name == "bbox") {
            q.boxes = parse_bbox(text, parse_crs(req, "bbox-crs"));
        } else if (name == "bbox-crs") {
            parse_crs(req, "bbox-crs"); // checked here too, so that a bad one is refused without a bbox
        } else if (name == "limit") {
            q.limit = http::limit_param(req, default_limit);
        } else if (name == "offset") {
            q.offset = http::offset_param(req);
        } else if (name == "filter" || name == "filter-lang" || name == "filter-crs" || name == "sortby") {
            // Read after the loop: the filter needs its language and CRS whatever their order.
        } else if (name == "datetime") {
            // No collection has a temporal extent, so every feature passes a datetime filter.
        } else if (auto f = l.field_index(name)) {
            q.filters.emplace_back(*f, text);
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

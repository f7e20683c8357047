#include "analysis/overlay_api.hpp"

#include "http/json_body.hpp"

#include "analysis/lookup.hpp"
#include "analysis/overlay.hpp"
#include "catalog/highlights.hpp"
#include "core/error.hpp"
#include "filter/selection.hpp"

#include <charconv>
#include <cmath>

namespace kvarter::analysis {

using json = nlohmann::json;
using http::request;
using http::route_params;

namespace {

double coordinate(const request& req, const std::string& name, double limit) {
    const std::string* text = req.param(name);
    if (!text) throw bad_request{name, name + " is required"};
    double v = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || !std::isfinite(v))
        throw bad_request{name, name + " must be a number, got \"" + *text + "\""};
    if (v < -limit || v > limit) throw bad_request{name, name + " must be within ±" + std::to_string(static_cast<int>(limit))};
    return v;
}

std::optional<int> year_of(const request& req, const json& body) {
    if (const std::string* text = req.param("year")) {
        int y = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), y);
        if (text->empty() || ec != std::errc{} || end != text->data() + text->size())
            throw bad_request{"year", "year must be an integer, got \"" + *text + "\""};
        return y;
    }
    if (body.is_object() && body.contains("year")) {
        if (!body["year"].is_number_integer()) throw bad_request{"year", "year must be an integer"};
        return body["year"].get<int>();
    }
    return std::nullopt;
}

std::vector<std::size_t> department_layers(const catalog::catalog& cat) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < cat.layers.size(); ++i)
        if (cat.layers[i].role == catalog::layer_role::housing_department) out.push_back(i);
    return out;
}

} // namespace

std::vector<http::route> overlay_routes(const catalog::catalog_holder& holder, std::size_t max_vertices) {
    const auto* h = &holder;
    return {
        {"POST", "/analysis/overlay", "Overlay of a proposed polygon (GeoJSON, lon/lat) on every layer",
         [h, max_vertices](const request& req, const route_params&) {
             const json body = http::json_body(req, "a GeoJSON Polygon or MultiPolygon, or a Feature with one");
             const auto polygon = parse_polygon(body, max_vertices);
             const auto cat = h->get();
             const auto year = year_of(req, body);
             const auto params = filter::read_filter_params(req);
             if (!params) return http::json_response(overlay_report(*cat, polygon, year));
             const filter::selection departments{*params, *cat, department_layers(*cat), year.value_or(catalog::default_year(*cat)),
                                                 "the overlay's housing departments"};
             return http::json_response(overlay_report(*cat, polygon, year, &departments));
         },
         http::parameter_docs{http::doc::year("The indicator year of the report (or the body's \"year\"; default: the latest)")} +
             filter::filter_parameter_docs("the housing departments the report counts", "employment_rate < 70"),
         "application/geo+json"},
        {"GET", "/lookup", "What lies at a point (lon, lat)",
         [h](const request& req, const route_params&) {
             for (const auto& [name, v] : req.query)
                 if (name != "lon" && name != "lat") throw bad_request{name, "unknown parameter \"" + name + "\"; lookup takes lon and lat"};
             return http::json_response(lookup(*h->get(), coordinate(req, "lon", 180), coordinate(req, "lat", 90)));
         },
         {{"lon", "Longitude, WGS 84 degrees", R"({"type":"number","minimum":-180,"maximum":180})", "12.57", true},
          {"lat", "Latitude, WGS 84 degrees", R"({"type":"number","minimum":-90,"maximum":90})", "55.68", true}}},
    };
}

} // namespace kvarter::analysis

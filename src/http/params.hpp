#pragma once
// The query parameters every route shares, each with one rule written once, so that the same
// wrong value gets the same 400 (problem+json naming the parameter) on every route:
//   year     an integer from 1900 to 2100; a route that needs indicator data for it then asks
//            catalog::require_data_year, which says which years there are
//   bbox     4 numbers (or 6, the OGC 3D form, whose heights are dropped), each finite: min lon,
//            min lat, max lon, max lat, longitudes in -180..180, latitudes in -90..90 and the
//            lower latitude not above the upper; a west edge east of the east edge crosses the
//            antimeridian (OGC API Features 7.15.3) and gives two boxes
//   limit    an integer from 1; above max_limit it is clamped to max_limit (OGC API Features
//            7.15.2: a larger limit "SHALL NOT result in an error"), the default is the route's
//   offset   an integer from 0
//   the set  each route names the parameters it takes: an unknown one, or one given twice, is
//            refused naming it

#include "geometry/geometry.hpp"
#include "http/message.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvarter::http {

inline constexpr int first_year = 1900;
inline constexpr int last_year = 2100;
inline constexpr std::size_t max_limit = 10000;

// `text` as a year; bad_request naming `name` otherwise.
int parse_year(std::string_view text, const std::string& name = "year");
// ?NAME= as a year; nothing when absent.
std::optional<int> year_param(const request& req, const std::string& name = "year");

// ?limit= (the route's `fallback` when absent) and ?offset= (0 when absent).
std::size_t limit_param(const request& req, std::size_t fallback);
std::size_t offset_param(const request& req);

// The 4 numbers of a bbox in the order written (the 6-number form loses its heights); each
// finite. `axes` names the order for the message ("minLon,minLat,maxLon,maxLat").
std::array<double, 4> bbox_numbers(const std::string& text, const std::string& name, const char* axes);
// A lon/lat bbox as the box(es) it covers: two when it crosses the antimeridian.
std::vector<geometry::box> lonlat_bbox(double min_lon, double min_lat, double max_lon, double max_lat,
                                       const std::string& name = "bbox");
std::vector<geometry::box> parse_lonlat_bbox(const std::string& text, const std::string& name = "bbox");

// The parameters a route takes: refuses the first one not in `allowed` (and not accepted by
// `also`, for routes that take open sets such as property names) and the first one given
// twice. The message lists `allowed`, or says `hint` instead when there is one.
struct allowed_params {
    allowed_params(std::initializer_list<std::string> fixed) : names{fixed} {}
    allowed_params(std::vector<std::string> fixed, std::function<bool(const std::string&)> open, std::string says)
        : names{std::move(fixed)}, also{std::move(open)}, hint{std::move(says)} {}

    std::vector<std::string> names;
    std::function<bool(const std::string& name)> also; // empty: none
    std::string hint;
};
void check_params(const request& req, const allowed_params& allowed);

} // namespace kvarter::http

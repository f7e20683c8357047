#pragma once
// The query parameters of /collections/{id}/items, checked against the collection.

#include "catalog/catalog.hpp"
#include "features/geojson_writer.hpp"
#include "features/sort_order.hpp"
#include "filter/bind.hpp"
#include "geometry/ogc_crs.hpp"
#include "http/message.hpp"
#include "http/parameter_doc.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::features {

constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 10000;

struct items_query {
    std::vector<geometry::box> boxes; // lon/lat; two when the bbox crosses the antimeridian; empty: no bbox
    std::size_t limit = default_limit;
    std::size_t offset = 0;
    property_selection selection;
    std::optional<int> year; // resolved: the requested year or the layer's latest
    std::vector<std::pair<std::size_t, std::string>> filters; // field index, value to equal
    std::shared_ptr<const filter::bound_filter> filter; // filter= (CQL2), checked against the collection; null: none
    std::vector<sort_key> sort; // sortby=; empty: the layer's order
    const geometry::ogc_crs* crs = nullptr; // the answer's CRS (crs=); CRS84 unless asked

    bool matches(const catalog::layer& l, const catalog::feature& f) const;
};

// Throws bad_request naming the parameter. `for_single_item` allows only year, properties and f.
items_query parse_items_query(const http::request& req, const catalog::layer& l, bool for_single_item = false);

// Parses "minx,miny,maxx,maxy" (or the 6-number 3D form) in lon/lat.
std::vector<geometry::box> parse_bbox(const std::string& text, const std::string& parameter = "bbox");
// The same in one of the offered CRSs (bbox-crs), given as the lon/lat box(es) that hold it.
std::vector<geometry::box> parse_bbox(const std::string& text, const geometry::ogc_crs& crs,
                                      const std::string& parameter = "bbox");
// The offered CRS a parameter (crs, bbox-crs) names; CRS84 when absent; 400 listing them otherwise.
const geometry::ogc_crs& parse_crs(const http::request& req, const std::string& parameter);
std::optional<int> resolve_year(const http::request& req, const catalog::layer& l);

// How /api describes bbox, bbox-crs and crs, as the functions above read them.
http::parameter_doc bbox_doc();
http::parameter_doc bbox_crs_doc();
http::parameter_doc crs_doc();

// filter, filter-lang and filter-crs: the CQL2 filter checked against the layer, or null when
// the request has none. Throws bad_request naming the parameter at fault.
std::shared_ptr<const filter::bound_filter> parse_filter_params(const http::request& req, const catalog::layer& l);

} // namespace kvarter::features

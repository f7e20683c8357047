#pragma once
// A parsed filter checked against one collection before anything is evaluated: every property
// named is a queryable, types agree (a string is never compared with a number), the whole
// filter is a boolean, and geometry literals are moved from filter-crs into lon/lat.

#include "catalog/catalog.hpp"
#include "filter/cql2_ast.hpp"

#include <memory>
#include <optional>
#include <string>

namespace kvarter::geometry {
class crs_transform;
}

namespace kvarter::filter {

// The CRS geometry literals are written in (filter-crs): one of the CRSs crs= offers. CRS84
// (lon, lat) by default; EPSG:4326 is lat, lon as that CRS defines; EPSG:25832 and EPSG:3857
// are transformed to lon/lat with PROJ, once per request.
class literal_crs {
public:
    literal_crs(); // CRS84
    // An OGC CRS URI (http://www.opengis.net/def/crs/EPSG/0/25832); bad_request naming
    // filter-crs, listing the offered ones, otherwise.
    static literal_crs parse(const std::string& uri);
    geometry::geometry to_lonlat(const geometry::geometry& g) const;
    bool keeps_boxes() const noexcept { return !m_transform; } // axes swapped at most: a box stays a box

private:
    bool m_swap = false;
    std::shared_ptr<const geometry::crs_transform> m_transform;
};

struct bound_filter {
    node root;
    bool uses_flags = false; // evaluation needs the highlight flags of each feature
    // Every matching feature's lon/lat bounds intersect this box: candidates come from the spatial index.
    std::optional<geometry::box> bounds;
};

// Throws bad_request("filter") naming the property or the expression at fault and its position.
bound_filter bind(node root, const catalog::layer& l, const literal_crs& crs = {});

} // namespace kvarter::filter

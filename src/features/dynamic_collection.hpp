#pragma once
// A collection whose features live outside the immutable catalog (the planners' proposals), so
// the features API asks it afresh on every request: a write is visible to the next read. The
// API consults these after the catalog's layers, for /collections, /collections/{id},
// /collections/{id}/queryables, /collections/{id}/items and /collections/{id}/items/{featureId}.

#include "geometry/geometry.hpp"
#include "geometry/ogc_crs.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::features {

struct dynamic_page {
    std::size_t matched = 0; // every feature the query matches
    std::vector<std::string> features; // the page: GeoJSON Feature objects as text
};

class dynamic_collection {
public:
    virtual ~dynamic_collection() = default;

    virtual std::string id() const = 0;
    virtual std::string title() const = 0;
    virtual std::string description() const = 0;
    // Property name and JSON Schema type ("string", "integer", …), for /queryables.
    virtual std::vector<std::pair<std::string, std::string>> properties() const = 0;
    // What its geometries are (polygons may be multi), so that even an empty collection says it.
    virtual geometry::kind geometry_kind() const = 0;
    // The lon/lat extent of what is there now; empty when there is nothing.
    virtual geometry::box extent() const = 0;
    // Features touching any of `boxes` (lon/lat; none: every feature), by id, `limit` from `offset`,
    // their geometry written in `crs`.
    virtual dynamic_page items(const std::vector<geometry::box>& boxes, std::size_t limit, std::size_t offset,
                               const geometry::to_ogc_crs& crs) const = 0;
    // One GeoJSON Feature object; nullopt when there is no such feature.
    virtual std::optional<std::string> item(const std::string& feature_id, const geometry::to_ogc_crs& crs) const = 0;
}; // class dynamic_collection

} // namespace kvarter::features

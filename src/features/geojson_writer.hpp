#pragma once
// GeoJSON (RFC 7946) text for catalog features, written straight into a string.

#include "catalog/catalog.hpp"
#include "geometry/ogc_crs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kvarter::features {

// RFC 7946's media type, for every GeoJSON answer (items, proposals).
inline constexpr const char* geojson_type = "application/geo+json";

// Which properties a response carries, resolved once per request.
struct property_selection {
    std::vector<std::size_t> fields; // indexes into layer::fields
    std::vector<std::size_t> indicators; // indexes into layer::indicators
    bool year = false; // whether to write the "year" the indicators belong to

    static property_selection all(const catalog::layer& l);
};

// Coordinates rounded to `decimals` digits (7 is about 1 cm in lon/lat).
void write_geometry(std::string& out, const geometry::geometry& g, int decimals = 7);

// Lon/lat geometry written in `crs` (nullptr: as it is, in CRS84), rounded to that CRS's decimals.
void write_geometry_in(std::string& out, const geometry::geometry& lonlat, const geometry::to_ogc_crs* crs);

// How an answer in one of the offered CRSs gets a catalog feature's coordinates: from a geometry
// the load already made in it (lon/lat, the analysis CRS, Web Mercator), else by one PROJ
// transformation made for the request.
class feature_crs {
public:
    feature_crs(const geometry::ogc_crs& target, const catalog::catalog& cat);
    const geometry::ogc_crs& target() const noexcept { return *m_target; }
    void write_geometry(std::string& out, const catalog::feature& f) const;

private:
    enum class stored { lonlat, analysis, mercator, none };
    const geometry::ogc_crs* m_target;
    stored m_stored = stored::none;
    std::optional<geometry::to_ogc_crs> m_transform; // when m_stored is none
}; // class feature_crs

// One Feature object; `year` picks the indicator values (nullopt: none written); `crs`: nullptr
// for CRS84.
void write_feature(std::string& out, const catalog::layer& l, const catalog::feature& f,
                   const property_selection& selection, std::optional<int> year, const feature_crs* crs = nullptr);

} // namespace kvarter::features

#pragma once
// The coordinate reference systems the OGC APIs take and give by URI (OGC API – Features Part 2),
// and the transformation of lon/lat geometry into them and of their boxes back to lon/lat. The
// catalog stores lon/lat (CRS84); every other CRS is one PROJ transformation made per request.

#include "geometry/crs_transform.hpp"
#include "geometry/geometry.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvarter::geometry {

struct ogc_crs {
    std::string uri; // "http://www.opengis.net/def/crs/EPSG/0/25832"
    std::string definition; // what make_srs takes: "EPSG:25832"
    bool latitude_first = false; // EPSG:4326 orders latitude before longitude, as that CRS defines
    int decimals = 7; // what keeps about a centimetre: 7 in degrees, 2 in metres
};

// CRS84 first (the default), then EPSG:4326, EPSG:25832 (the Danish municipalities' own) and EPSG:3857.
const std::vector<ogc_crs>& ogc_crses();
const ogc_crs& crs84();
// nullptr when the URI is none of ogc_crses().
const ogc_crs* find_ogc_crs(std::string_view uri);
// The URIs of ogc_crses(), in order, for the API's description of crs= and its kin.
std::vector<std::string> ogc_crs_uris();

// Lon/lat geometry into one of the CRSs, in that CRS's axis order.
class to_ogc_crs {
public:
    explicit to_ogc_crs(const ogc_crs& target);

    const ogc_crs& target() const noexcept { return *m_target; }
    bool identity() const noexcept { return !m_transform && !m_target->latitude_first; }
    void apply(geometry& lonlat) const;

private:
    const ogc_crs* m_target;
    std::optional<crs_transform> m_transform; // none for CRS84 and EPSG:4326: the same datum
}; // class to_ogc_crs

// Positions given in one of the CRSs (in its axis order) into lon/lat: a request body's Content-Crs.
class from_ogc_crs {
public:
    explicit from_ogc_crs(const ogc_crs& source);
    xy apply(xy p) const;

private:
    const ogc_crs* m_source;
    std::optional<crs_transform> m_transform;
}; // class from_ogc_crs

// A box given in one of the CRSs (its axis order) as the lon/lat box that holds it: the edges are
// sampled, since a straight edge in metres is curved in degrees.
box to_lonlat(const box& b, const ogc_crs& from);

} // namespace kvarter::geometry

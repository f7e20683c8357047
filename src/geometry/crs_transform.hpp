#pragma once
// Coordinate transformation through OGR, which drives PROJ. Axis order is always
// x = easting/longitude, y = northing/latitude, whatever the CRS's official order.

#include "geometry/geometry.hpp"

#include <ogr_spatialref.h>

#include <memory>
#include <string>

namespace kvarter::geometry {

// "EPSG:25832", a WKT, a PROJ string: anything OSRSetFromUserInput takes. Throws
// geometry_error naming the definition when PROJ does not know it.
OGRSpatialReference make_srs(const std::string& definition);

class crs_transform {
public:
    crs_transform(const OGRSpatialReference& from, const OGRSpatialReference& to);

    // Transforms every coordinate in place; throws geometry_error if PROJ fails on any.
    void apply(geometry& g) const;
    xy apply(xy p) const;
    void apply(path& p) const;
    OGRCoordinateTransformation* native() const noexcept { return m_transform.get(); }

private:
    struct deleter {
        void operator()(OGRCoordinateTransformation* t) const noexcept { OGRCoordinateTransformation::DestroyCT(t); }
    };
    std::unique_ptr<OGRCoordinateTransformation, deleter> m_transform;
}; // class crs_transform

} // namespace kvarter::geometry

#include "geometry/label_point.hpp"

#include "geometry/geos.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace kvarter::geometry {

namespace {

// A polygon part's area: its exterior less its holes, whichever way the rings wind.
double part_area(const std::vector<path>& part) {
    double a = std::abs(signed_area(part.at(0)));
    for (std::size_t i = 1; i < part.size(); ++i) a -= std::abs(signed_area(part[i]));
    return a;
}

const std::vector<path>& largest_part(const geometry& polygon) {
    const std::vector<path>* best = &polygon.parts.front();
    double best_area = part_area(*best);
    for (const auto& part : polygon.parts) {
        const double a = part_area(part);
        if (a > best_area) {
            best = &part;
            best_area = a;
        }
    }
    return *best;
}

// The centre of the part's largest inscribed circle: GEOS refines a grid of cells until the
// circle is known to `tolerance`. Its first vertex is the centre (the second the nearest edge
// point). nullopt when GEOS fails, or the centre is not strictly inside, which it should be: a
// check costs one point-in-polygon test at load and keeps the promise the tiles rely on.
std::optional<xy> inscribed_centre(geos_context& geos, const GEOSGeometry* part, double tolerance) {
    GEOSGeometry* radius = GEOSMaximumInscribedCircle_r(geos.get(), part, tolerance);
    if (radius == nullptr) {
        geos.take_error(); // the point on surface is next; the message would mislead a later error
        return std::nullopt;
    }
    const geom_ptr owned{radius, geom_deleter{geos.get()}};
    const auto line = from_geos(geos, owned.get(), kind::line);
    if (line.empty() || line.parts[0][0].empty()) return std::nullopt;
    const xy centre = line.parts[0][0].front();
    const geom_ptr point{GEOSGeom_createPointFromXY_r(geos.get(), centre.x, centre.y), geom_deleter{geos.get()}};
    if (!point || GEOSContains_r(geos.get(), part, point.get()) != 1) {
        geos.take_error();
        return std::nullopt;
    }
    return centre;
}

std::optional<xy> point_on_surface(geos_context& geos, const GEOSGeometry* part) {
    const auto surface = checked(geos, GEOSPointOnSurface_r(geos.get(), part), "label point");
    const auto point = from_geos(geos, surface.get(), kind::point);
    if (point.empty()) return std::nullopt;
    return point.parts[0][0].front();
}

} // namespace

std::optional<xy> label_point(const geometry& polygon) {
    if (polygon.type != kind::polygon || polygon.empty()) return std::nullopt;
    const geometry part{kind::polygon, false, {largest_part(polygon)}};
    auto& geos = this_thread_geos();
    const auto in_geos = to_geos(geos, part);
    // Relative to the part's size, so a district and a courtyard are both placed to about 1 %.
    const box b = part.bounds();
    const double tolerance = std::min(b.max_x - b.min_x, b.max_y - b.min_y) / 100;
    if (tolerance > 0)
        if (auto centre = inscribed_centre(geos, in_geos.get(), tolerance)) return centre;
    return point_on_surface(geos, in_geos.get());
}

} // namespace kvarter::geometry

#include "geometry/crs_transform.hpp"

#include "core/error.hpp"

#include <vector>

namespace kvarter::geometry {

OGRSpatialReference make_srs(const std::string& definition) {
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(definition.c_str()) != OGRERR_NONE)
        throw geometry_error{"unknown coordinate reference system \"" + definition + "\""};
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

crs_transform::crs_transform(const OGRSpatialReference& from, const OGRSpatialReference& to) {
    OGRSpatialReference source{from};
    OGRSpatialReference target{to};
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m_transform.reset(OGRCreateCoordinateTransformation(&source, &target));
    if (!m_transform) throw geometry_error{"no coordinate transformation between the two reference systems"};
}

void crs_transform::apply(path& p) const {
    if (p.empty()) return;
    std::vector<double> xs(p.size()), ys(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        xs[i] = p[i].x;
        ys[i] = p[i].y;
    }
    std::vector<int> ok(p.size());
    if (!m_transform->Transform(p.size(), xs.data(), ys.data(), nullptr, ok.data()))
        throw geometry_error{"coordinate transformation failed"};
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (!ok[i]) throw geometry_error{"coordinate transformation failed"};
        p[i] = {xs[i], ys[i]};
    }
}

void crs_transform::apply(geometry& g) const {
    for (auto& part : g.parts)
        for (auto& p : part) apply(p);
}

xy crs_transform::apply(xy p) const {
    path one{p};
    apply(one);
    return one[0];
}

} // namespace kvarter::geometry

#include "geometry/ogc_crs.hpp"

#include <utility>

namespace kvarter::geometry {

namespace {

constexpr const char* epsg_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";

void swap_axes(geometry& g) {
    for (auto& part : g.parts)
        for (auto& p : part)
            for (auto& v : p) std::swap(v.x, v.y);
}

bool same_datum_as_lonlat(const ogc_crs& c) { return c.uri == crs84().uri || c.uri == epsg_4326; }

} // namespace

const std::vector<ogc_crs>& ogc_crses() {
    static const std::vector<ogc_crs> list{
        {"http://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84", false, 7},
        {epsg_4326, "EPSG:4326", true, 7},
        {"http://www.opengis.net/def/crs/EPSG/0/25832", "EPSG:25832", false, 2},
        {"http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857", false, 2},
    };
    return list;
}

const ogc_crs& crs84() { return ogc_crses().front(); }

const ogc_crs* find_ogc_crs(std::string_view uri) {
    for (const auto& c : ogc_crses())
        if (c.uri == uri) return &c;
    return nullptr;
}

to_ogc_crs::to_ogc_crs(const ogc_crs& target) : m_target{&target} {
    if (!same_datum_as_lonlat(target)) m_transform.emplace(make_srs("OGC:CRS84"), make_srs(target.definition));
}

void to_ogc_crs::apply(geometry& lonlat) const {
    if (m_transform) m_transform->apply(lonlat);
    if (m_target->latitude_first) swap_axes(lonlat);
}

from_ogc_crs::from_ogc_crs(const ogc_crs& source) : m_source{&source} {
    if (!same_datum_as_lonlat(source)) m_transform.emplace(make_srs(source.definition), make_srs("OGC:CRS84"));
}

xy from_ogc_crs::apply(xy p) const {
    if (m_source->latitude_first) std::swap(p.x, p.y);
    return m_transform ? m_transform->apply(p) : p;
}

box to_lonlat(const box& b, const ogc_crs& from) {
    if (from.latitude_first) return {b.min_y, b.min_x, b.max_y, b.max_x};
    if (same_datum_as_lonlat(from)) return b;
    constexpr int steps = 16;
    path edge;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        const double x = b.min_x + t * (b.max_x - b.min_x), y = b.min_y + t * (b.max_y - b.min_y);
        edge.insert(edge.end(), {{x, b.min_y}, {x, b.max_y}, {b.min_x, y}, {b.max_x, y}});
    }
    crs_transform{make_srs(from.definition), make_srs("OGC:CRS84")}.apply(edge);
    box out;
    for (const auto& p : edge) out.expand(p);
    return out;
}

std::vector<std::string> ogc_crs_uris() {
    std::vector<std::string> out;
    for (const auto& c : ogc_crses()) out.push_back(c.uri);
    return out;
}

} // namespace kvarter::geometry

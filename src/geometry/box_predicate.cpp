#include "geometry/box_predicate.hpp"

namespace kvarter::geometry {

namespace {

bool on_segment(xy a, xy b, xy p) {
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
           p.y <= std::max(a.y, b.y);
}

bool segments_cross(xy a, xy b, xy c, xy d) {
    const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
    return (d1 == 0 && on_segment(c, d, a)) || (d2 == 0 && on_segment(c, d, b)) || (d3 == 0 && on_segment(a, b, c)) ||
           (d4 == 0 && on_segment(a, b, d));
}

bool segment_meets_box(xy a, xy b, const box& r) {
    if (r.contains(a) || r.contains(b)) return true;
    const xy corners[4] = {{r.min_x, r.min_y}, {r.max_x, r.min_y}, {r.max_x, r.max_y}, {r.min_x, r.max_y}};
    for (int i = 0; i < 4; ++i)
        if (segments_cross(a, b, corners[i], corners[(i + 1) % 4])) return true;
    return false;
}

bool path_meets_box(const path& p, const box& r) {
    if (p.size() == 1) return r.contains(p[0]);
    for (std::size_t i = 0; i + 1 < p.size(); ++i)
        if (segment_meets_box(p[i], p[i + 1], r)) return true;
    return false;
}

} // namespace

bool contains(const std::vector<path>& polygon, xy p) {
    bool inside = false;
    for (const auto& ring : polygon) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const xy a = ring[i], b = ring[j];
            if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
        }
    }
    return inside;
}

bool intersects(const geometry& g, const box& b) {
    if (!g.bounds().intersects(b)) return false;
    for (const auto& part : g.parts) {
        for (const auto& p : part)
            if (path_meets_box(p, b)) return true;
        // A polygon can hold the whole rectangle without any edge touching it.
        if (g.type == kind::polygon && contains(part, {b.min_x, b.min_y})) return true;
    }
    return false;
}

} // namespace kvarter::geometry

#include "geometry/crossings.hpp"

#include <algorithm>
#include <vector>

namespace kvarter::geometry {

namespace {

struct edge {
    xy a, b;
    std::size_t ring; // which ring, so that neighbours on one ring are not counted
    std::size_t index; // position on the ring
    std::size_t ring_size; // edges on the ring
};

// The interiors cross: each edge's ends lie strictly on either side of the other.
bool properly_cross(const edge& e, const edge& f) {
    const double d1 = cross(e.a, e.b, f.a), d2 = cross(e.a, e.b, f.b);
    const double d3 = cross(f.a, f.b, e.a), d4 = cross(f.a, f.b, e.b);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

bool adjacent(const edge& e, const edge& f) {
    if (e.ring != f.ring) return false;
    const auto gap = e.index > f.index ? e.index - f.index : f.index - e.index;
    return gap == 1 || gap + 1 == e.ring_size;
}

} // namespace

std::size_t count_crossings(const geometry& g, std::size_t stop_after) {
    if (g.type != kind::polygon) return 0;
    std::vector<edge> edges;
    std::size_t ring = 0;
    for (const auto& part : g.parts)
        for (const auto& r : part) {
            const std::size_t n = r.size() < 2 ? 0 : r.size() - 1;
            for (std::size_t i = 0; i < n; ++i) edges.push_back({r[i], r[i + 1], ring, i, n});
            ++ring;
        }
    // Sweep along x: only edges whose x ranges overlap can cross.
    std::sort(edges.begin(), edges.end(),
              [](const edge& e, const edge& f) { return std::min(e.a.x, e.b.x) < std::min(f.a.x, f.b.x); });
    std::size_t found = 0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const auto& e = edges[i];
        const double right = std::max(e.a.x, e.b.x);
        const double low = std::min(e.a.y, e.b.y), high = std::max(e.a.y, e.b.y);
        for (std::size_t j = i + 1; j < edges.size(); ++j) {
            const auto& f = edges[j];
            if (std::min(f.a.x, f.b.x) > right) break;
            if (std::max(f.a.y, f.b.y) < low || std::min(f.a.y, f.b.y) > high || adjacent(e, f)) continue;
            if (properly_cross(e, f) && ++found > stop_after) return found;
        }
    }
    return found;
}

} // namespace kvarter::geometry

#include "geometry/pixel_grid.hpp"

#include "geometry/geos.hpp"
#include "geometry/web_mercator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>

namespace kvarter::geometry {

namespace {

using web_mercator::half_world;

__extension__ using int128 = __int128; // exact for products of 32-bit differences

struct point {
    std::int64_t x, y;
    friend bool operator==(const point&, const point&) = default;
};

int orientation(point a, point b, point c) {
    const int128 d = static_cast<int128>(b.x - a.x) * (c.y - a.y) - static_cast<int128>(b.y - a.y) * (c.x - a.x);
    return (d > 0) - (d < 0);
}

bool on_segment(point a, point b, point p) { // p collinear with a-b
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y && p.y <= std::max(a.y, b.y);
}

// Whether segments a-b and c-d share any point, touching included.
bool segments_meet(point a, point b, point c, point d) {
    const int o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b);
    if (o1 != o2 && o3 != o4) return true;
    return (o1 == 0 && on_segment(a, b, c)) || (o2 == 0 && on_segment(a, b, d)) || (o3 == 0 && on_segment(c, d, a)) ||
           (o4 == 0 && on_segment(c, d, b));
}

// p strictly inside the closed ring (p on no edge of it, which the caller has made sure of).
bool inside_ring(std::span<const point> ring, point p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 2; i + 1 < ring.size(); j = i++) {
        const point a = ring[i], b = ring[j];
        if ((a.y > p.y) != (b.y > p.y)) {
            // Crossing of the ray to +x: compare p.x with the edge's x at p.y, exactly.
            const int side = orientation(b, a, p) * (a.y > b.y ? 1 : -1);
            if (side > 0) in = !in;
        }
    }
    return in;
}

double pixels_per_metre(int z, int extent) { return std::ldexp(static_cast<double>(extent), z) / (2 * half_world); }

// Clamped to half a world of 2^30 pixels beyond the edges, so that what lies past them (a pole
// is infinitely far in Mercator) still fits the 32-bit grid the tiles keep (packed_geometry.hpp),
// and is never in a tile.
xy to_grid(xy mercator, double scale) {
    constexpr double far = 1 << 29;
    const double world = 2 * half_world * scale;
    auto grid = [&](double v) { return std::round(std::clamp(v, -far, world + far)); };
    return {grid((mercator.x + half_world) * scale), grid((half_world - mercator.y) * scale)};
}

} // namespace

// No boundaries meeting (touches included) means one vertex settles each containment. The rings
// are copied into fixed arrays: this runs for every clipped feature of a tile, so no heap.
bool plainly_valid(const geometry& g) {
    constexpr std::size_t max_segments = 64; // the test is quadratic
    constexpr std::size_t max_rings = 16;
    std::array<point, max_segments + max_rings> points;
    std::array<std::size_t, max_rings + 1> starts{}; // ring k is points[starts[k], starts[k + 1])
    std::array<std::size_t, max_rings> part_of{};
    std::size_t rings = 0, used = 0;
    for (std::size_t p = 0; p < g.parts.size(); ++p)
        for (const auto& ring : g.parts[p]) {
            if (ring.size() < 4 || !(ring.front() == ring.back())) return false;
            if (rings == max_rings || used + ring.size() > points.size() ||
                used + ring.size() - (rings + 1) > max_segments) // segments so far: points less one per ring
                return false;
            starts[rings] = used;
            part_of[rings] = p;
            for (const auto& c : ring) {
                points[used++] = {static_cast<std::int64_t>(c.x), static_cast<std::int64_t>(c.y)};
                if (used - starts[rings] > 1 && points[used - 2] == points[used - 1]) return false;
            }
            starts[++rings] = used;
        }
    auto ring = [&](std::size_t k) { return std::span<const point>{points.data() + starts[k], starts[k + 1] - starts[k]}; };
    for (std::size_t ri = 0; ri < rings; ++ri) {
        const auto r = ring(ri);
        const std::size_t n = r.size() - 1; // segments of this ring
        for (std::size_t i = 0; i < n; ++i) {
            // Neighbours share one vertex; collinear and pointing back is a fold.
            const point a = r[i], b = r[i + 1], c = r[(i + 2) % n]; // r[n] is r[0]
            if (orientation(a, b, c) == 0 && (on_segment(a, b, c) || on_segment(b, c, a))) return false;
            for (std::size_t j = i + 2; j < n; ++j) {
                if (i == 0 && j == n - 1) continue; // the closing neighbour
                if (segments_meet(r[i], r[i + 1], r[j], r[j + 1])) return false;
            }
            for (std::size_t rj = ri + 1; rj < rings; ++rj) {
                const auto other = ring(rj);
                for (std::size_t j = 0; j + 1 < other.size(); ++j)
                    if (segments_meet(r[i], r[i + 1], other[j], other[j + 1])) return false;
            }
        }
    }
    for (std::size_t ri = 0; ri < rings; ++ri) {
        const bool hole = ri > 0 && part_of[ri - 1] == part_of[ri];
        for (std::size_t rj = 0; rj < rings; ++rj) {
            if (rj == ri) continue;
            const bool same_part = part_of[rj] == part_of[ri];
            const bool rj_shell = rj == 0 || part_of[rj - 1] != part_of[rj];
            const bool in = inside_ring(ring(rj), ring(ri)[0]);
            if (hole && same_part && rj_shell && !in) return false; // a hole outside its shell
            if (hole && same_part && !rj_shell && in) return false; // a hole inside another hole
            if (!hole && !same_part && rj_shell && in) return false; // a part inside another part
        }
    }
    return true;
}

xy to_pixel_grid(xy mercator, int z, int extent) { return to_grid(mercator, pixels_per_metre(z, extent)); }

geometry to_pixel_grid(const geometry& mercator, int z, int extent) {
    const double scale = pixels_per_metre(z, extent);
    return map_positions(mercator, [scale](xy c) { return to_grid(c, scale); });
}

geometry snapped_valid(geometry g) {
    if (g.type != kind::polygon || g.empty()) return g;
    // GEOS cannot even build a ring of fewer than 4 positions; such a ring is the encoder's to drop.
    for (const auto& part : g.parts)
        for (const auto& ring : part)
            if (ring.size() < 4) return g;
    if (plainly_valid(g)) return g;
    auto& geos = this_thread_geos();
    auto in = to_geos(geos, g);
    if (invalid_reason(geos, in.get()).empty()) return g;
    auto fixed = from_geos(geos, make_valid(geos, in.get()).get(), kind::polygon);
    for (auto& part : fixed.parts)
        for (auto& ring : part)
            for (auto& p : ring) p = {std::round(p.x), std::round(p.y)};
    return fixed;
}

} // namespace kvarter::geometry

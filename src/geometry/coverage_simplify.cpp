#include "geometry/coverage_simplify.hpp"

#include "core/parallel_for.hpp"
#include "geometry/geos.hpp"
#include "geometry/spatial_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace kvarter::geometry {

namespace {

struct xy_hash {
    std::size_t operator()(const xy& p) const noexcept {
        std::uint64_t a = 0, b = 0;
        std::memcpy(&a, &p.x, sizeof a);
        std::memcpy(&b, &p.y, sizeof b);
        return std::hash<std::uint64_t>{}(a * 0x9E3779B97F4A7C15ULL ^ b);
    }
};

bool less(const xy& a, const xy& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); }

// A ring without its closing point and without repeated consecutive points, with room for the
// closing point put back later: rings and arcs are most of a big layer's memory, so none keeps
// the spare half of a growing vector.
path open_ring(const path& ring) {
    path out;
    out.reserve(ring.size());
    for (const auto& p : ring)
        if (out.empty() || !(out.back() == p)) out.push_back(p);
    while (out.size() > 1 && out.front() == out.back()) out.pop_back();
    return out;
}

double segment_distance(const xy& p, const xy& a, const xy& b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return std::sqrt(ex * ex + ey * ey);
}

void douglas_peucker(const path& p, std::size_t first, std::size_t last, double tolerance, std::vector<bool>& keep) {
    // An explicit stack: long arcs (coastlines) would recurse too deep.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        auto [a, b] = stack.back();
        stack.pop_back();
        double worst = -1;
        std::size_t at = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = segment_distance(p[i], p[a], p[b]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance) {
            keep[at] = true;
            stack.emplace_back(a, at);
            stack.emplace_back(at, b);
        }
    }
}

// The points of p marked in `keep`, in a path of exactly that size.
path kept_points(const path& p, const std::vector<bool>& keep) {
    path out;
    out.reserve(static_cast<std::size_t>(std::count(keep.begin(), keep.end(), true)));
    for (std::size_t i = 0; i < p.size(); ++i)
        if (keep[i]) out.push_back(p[i]);
    return out;
}

// A closed arc keeps its start and the point farthest from it, then simplifies both halves.
path simplify_closed(const path& ring, double tolerance) {
    if (ring.size() < 4 || tolerance <= 0) return ring;
    const std::size_t last = ring.size() - 1; // == index of the closing point
    std::size_t far = 1;
    double best = -1;
    for (std::size_t i = 1; i < last; ++i) {
        const double d = std::hypot(ring[i].x - ring[0].x, ring[i].y - ring[0].y);
        if (d > best) {
            best = d;
            far = i;
        }
    }
    std::vector<bool> keep(ring.size(), false);
    keep[0] = keep[far] = keep[last] = true;
    douglas_peucker(ring, 0, far, tolerance, keep);
    douglas_peucker(ring, far, last, tolerance, keep);
    return kept_points(ring, keep);
}

// Neighbours must share vertices for their common border to be found. Where one ring has a
// vertex that lies on a segment of another (a T-junction, as when a straight run of a border
// was stored without the point where a third area meets it), that vertex is inserted into
// the other ring too. `tolerance` absorbs the rounding of reprojected coordinates.
void node_rings(std::vector<path*>& rings, double tolerance) {
    // Segment k of the whole list is ring_of[k]'s segment k - ring_start[ring_of[k]].
    std::vector<std::uint32_t> ring_of;
    std::vector<std::size_t> ring_start;
    std::vector<box> boxes;
    std::size_t vertices = 0;
    for (const path* ring : rings) vertices += ring->size();
    ring_of.reserve(vertices);
    ring_start.reserve(rings.size());
    boxes.reserve(vertices);
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const path& ring = *rings[r];
        ring_start.push_back(boxes.size());
        for (std::size_t i = 0; i < ring.size(); ++i) {
            const xy a = ring[i], b = ring[(i + 1) % ring.size()];
            ring_of.push_back(static_cast<std::uint32_t>(r));
            boxes.push_back({std::min(a.x, b.x) - tolerance, std::min(a.y, b.y) - tolerance, std::max(a.x, b.x) + tolerance,
                             std::max(a.y, b.y) + tolerance});
        }
    }
    const std::size_t segments = boxes.size();
    // The index holds its own copy: the boxes go at once (on a big layer these lists are the
    // load's largest passing use of memory), and vertex k is read from its ring, not copied.
    const spatial_index index{boxes};
    boxes = {};
    struct insert {
        std::size_t segment;
        double t; // where along it
        xy p;
    };
    // Every vertex against every segment near it, on every core, each worker into its own list.
    std::vector<std::vector<insert>> found(parallel_workers());
    parallel_for(segments, [&](std::size_t k, std::size_t worker) {
        const xy p = (*rings[ring_of[k]])[k - ring_start[ring_of[k]]];
        index.visit({p.x, p.y, p.x, p.y}, [&](std::uint32_t s) {
            const path& ring = *rings[ring_of[s]];
            const std::size_t i = s - ring_start[ring_of[s]];
            const xy a = ring[i], b = ring[(i + 1) % ring.size()];
            if (p == a || p == b) return;
            if (segment_distance(p, a, b) > tolerance) return;
            const double dx = b.x - a.x, dy = b.y - a.y;
            const double t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy);
            if (t <= 0 || t >= 1) return;
            found[worker].push_back({s, t, p});
        });
    }, 1024);
    std::vector<insert> inserts;
    for (auto& f : found) inserts.insert(inserts.end(), f.begin(), f.end());
    if (inserts.empty()) return;
    // By segment, then along it; the point breaks ties so that the result does not depend on the threads.
    std::sort(inserts.begin(), inserts.end(), [](const insert& x, const insert& y) {
        if (x.segment != y.segment) return x.segment < y.segment;
        if (x.t != y.t) return x.t < y.t;
        return less(x.p, y.p);
    });
    auto next = inserts.begin();
    for (std::size_t r = 0; r < rings.size(); ++r) {
        path& ring = *rings[r];
        if (next == inserts.end() || ring_of[next->segment] != r) continue;
        path noded;
        noded.reserve(ring.size() + 8);
        for (std::size_t i = 0; i < ring.size(); ++i) {
            noded.push_back(ring[i]);
            for (; next != inserts.end() && next->segment == ring_start[r] + i; ++next)
                if (!(noded.back() == next->p)) noded.push_back(next->p);
        }
        ring = std::move(noded);
    }
}

} // namespace

void node_coverage(std::vector<geometry*>& polygons, double tolerance) {
    // Work on open rings, then close them again.
    std::vector<path*> rings;
    for (auto* g : polygons) {
        if (!g || g->type != kind::polygon) continue;
        for (auto& part : g->parts)
            for (auto& ring : part) {
                ring = open_ring(ring);
                rings.push_back(&ring);
            }
    }
    node_rings(rings, tolerance);
    for (auto* r : rings)
        if (!r->empty()) r->push_back(r->front());
}

path simplify_path(const path& p, double tolerance) {
    if (p.size() < 3 || tolerance <= 0) return p;
    std::vector<bool> keep(p.size(), false);
    keep.front() = keep.back() = true;
    douglas_peucker(p, 0, p.size() - 1, tolerance, keep);
    return kept_points(p, keep);
}

namespace {

// Every vertex of every ring marked when it is a junction: a point met with different neighbours
// in different rings, or in 3+ rings. Found by sorting the vertices by place rather than with a
// hash map of every point, which cost ~80 B a vertex at load (a 100k-block city has a million).
std::vector<bool> junctions(const std::vector<const path*>& rings, const std::vector<std::size_t>& ring_start) {
    struct vertex {
        xy p;
        std::uint32_t ring;
        std::uint32_t i;
    };
    std::vector<vertex> vertices;
    vertices.reserve(ring_start.back());
    for (std::size_t r = 0; r < rings.size(); ++r)
        for (std::size_t i = 0; i < rings[r]->size(); ++i)
            vertices.push_back({(*rings[r])[i], static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(i)});
    std::sort(vertices.begin(), vertices.end(), [](const vertex& a, const vertex& b) {
        if (!(a.p == b.p)) return less(a.p, b.p);
        return a.ring != b.ring ? a.ring < b.ring : a.i < b.i;
    });
    auto neighbours = [&](const vertex& v) {
        const path& r = *rings[v.ring];
        const std::size_t n = r.size();
        return std::pair{r[(v.i + n - 1) % n], r[(v.i + 1) % n]};
    };
    std::vector<bool> junction(ring_start.back(), false);
    for (std::size_t first = 0, end = 0; first < vertices.size(); first = end) {
        end = first + 1;
        while (end < vertices.size() && vertices[end].p == vertices[first].p) ++end;
        // Each later visit is compared with the first, in ring order.
        const auto [prev, next] = neighbours(vertices[first]);
        bool is_junction = false;
        for (std::size_t k = first + 1; k < end && !is_junction; ++k) {
            const auto [p, q] = neighbours(vertices[k]);
            is_junction = !((p == prev && q == next) || (p == next && q == prev));
        }
        if (is_junction)
            for (std::size_t k = first; k < end; ++k) junction[ring_start[vertices[k].ring] + vertices[k].i] = true;
    }
    return junction;
}

std::uint64_t hash_of(const path& p) {
    std::uint64_t h = p.size();
    for (const auto& q : p) h = h * 0x100000001B3ULL ^ xy_hash{}(q);
    return h;
}

bool path_less(const path& a, const path& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), less);
}

} // namespace

coverage_topology::coverage_topology(std::vector<geometry> inputs) {
    std::vector<std::vector<std::vector<path>>> rings(inputs.size()); // open, noded
    m_inputs.resize(inputs.size(), input::empty);
    for (std::size_t g = 0; g < inputs.size(); ++g) {
        geometry& geom = inputs[g];
        if (geom.empty()) continue;
        if (geom.type != kind::polygon) {
            m_inputs[g] = input::kept;
            m_kept.emplace(g, std::move(geom));
            continue;
        }
        m_inputs[g] = geom.multi ? input::multipolygon : input::polygon;
        for (const auto& part : geom.parts) {
            std::vector<path> open;
            for (const auto& ring : part) open.push_back(open_ring(ring));
            rings[g].push_back(std::move(open));
        }
        geom = {}; // its rings are in `rings` now
    }
    std::vector<bool> junction;
    {
        std::vector<path*> all;
        box extent;
        for (auto& parts : rings)
            for (auto& part : parts)
                for (auto& r : part) {
                    all.push_back(&r);
                    for (const auto& p : r) extent.expand(p);
                }
        // A millionth of the extent (2 cm over Copenhagen): below a pixel at every zoom that is
        // simplified, above how far reprojection bends a straight border between its vertices.
        if (!extent.empty()) node_rings(all, std::max(extent.max_x - extent.min_x, extent.max_y - extent.min_y) * 1e-6);
        std::vector<std::size_t> ring_start{0};
        for (const auto* r : all) ring_start.push_back(ring_start.back() + r->size());
        junction = junctions({all.begin(), all.end()}, ring_start);
    }

    // Cut rings into arcs at junctions; one stored arc per distinct sequence of points, found by
    // its hash among the stored arcs (no second copy of each arc as a key).
    std::unordered_multimap<std::uint64_t, std::uint32_t> arc_ids;
    auto store = [&](path canonical, bool closed) -> std::uint32_t {
        const std::uint64_t h = hash_of(canonical);
        for (auto [it, last] = arc_ids.equal_range(h); it != last; ++it)
            if (m_arcs[it->second] == canonical) return it->second;
        const auto id = static_cast<std::uint32_t>(m_arcs.size());
        arc_ids.emplace(h, id);
        canonical.shrink_to_fit(); // kept for every zoom
        m_arcs.push_back(std::move(canonical));
        m_closed.push_back(closed);
        return id;
    };
    auto intern = [&](path arc, bool closed) -> std::pair<std::uint32_t, bool> {
        if (closed) {
            // A ring with no junction: start at its least point, in the direction of the lesser neighbour.
            path body{arc.begin(), arc.end() - 1};
            const auto start = std::min_element(body.begin(), body.end(), less) - body.begin();
            std::rotate(body.begin(), body.begin() + start, body.end());
            path forward = std::move(body);
            forward.push_back(forward.front());
            path backward{forward.rbegin(), forward.rend()};
            const bool use_backward = path_less(backward, forward);
            return {store(use_backward ? std::move(backward) : std::move(forward), true), use_backward};
        }
        path reversed{arc.rbegin(), arc.rend()};
        const bool use_reversed = path_less(reversed, arc);
        return {store(use_reversed ? std::move(reversed) : std::move(arc), false), use_reversed};
    };

    m_polygons.resize(inputs.size());
    std::size_t vertex = 0; // index into `junction`, in the order the rings were listed
    for (std::size_t g = 0; g < inputs.size(); ++g) {
        for (const auto& part : rings[g]) {
            std::vector<ring_ref> refs;
            for (const auto& r : part) {
                ring_ref ref;
                const std::size_t n = r.size();
                std::vector<std::size_t> cuts;
                for (std::size_t i = 0; i < n; ++i)
                    if (junction[vertex + i]) cuts.push_back(i);
                vertex += n;
                if (n < 3) {
                    refs.push_back(ref); // a degenerate ring stays empty and is dropped on output
                    continue;
                }
                if (cuts.empty()) {
                    path closed = r;
                    closed.push_back(r.front());
                    ref.arcs.push_back(intern(std::move(closed), true));
                } else {
                    for (std::size_t c = 0; c < cuts.size(); ++c) {
                        const std::size_t from = cuts[c], to = cuts[(c + 1) % cuts.size()];
                        path arc;
                        for (std::size_t i = from;; i = (i + 1) % n) {
                            arc.push_back(r[i]);
                            if (i == to && arc.size() > 1) break;
                        }
                        ref.arcs.push_back(intern(std::move(arc), false));
                    }
                }
                refs.push_back(std::move(ref));
            }
            m_polygons[g].parts.push_back(std::move(refs));
        }
        rings[g] = {}; // its arcs are stored now
    }
}

geometry coverage_topology::assemble(std::size_t g, const std::vector<path>& simplified, bool& changed) const {
    geometry result;
    result.type = kind::polygon;
    result.multi = m_inputs[g] == input::multipolygon;
    for (std::size_t p = 0; p < m_polygons[g].parts.size(); ++p) {
        std::vector<path> part;
        for (std::size_t r = 0; r < m_polygons[g].parts[p].size(); ++r) {
            path ring;
            for (const auto& [arc, reversed] : m_polygons[g].parts[p][r].arcs) {
                const path& s = simplified[arc];
                changed |= s.size() != m_arcs[arc].size();
                const std::size_t skip = ring.empty() ? 0 : 1; // the junction both arcs hold
                if (reversed) ring.insert(ring.end(), s.rbegin() + static_cast<std::ptrdiff_t>(skip), s.rend());
                else ring.insert(ring.end(), s.begin() + static_cast<std::ptrdiff_t>(skip), s.end());
            }
            if (!ring.empty() && !(ring.front() == ring.back())) ring.push_back(ring.front());
            if (ring.size() < 4) {
                if (r == 0) break; // the exterior collapsed: the whole part goes
                continue;
            }
            part.push_back(std::move(ring));
        }
        if (!part.empty()) result.parts.push_back(std::move(part));
    }
    return result;
}

std::vector<path> coverage_topology::simplify_arcs(double tolerance) const {
    // Tolerance per arc; halved for the arcs of any polygon that came out invalid.
    std::vector<double> arc_tolerance(m_arcs.size(), tolerance);
    std::vector<path> simplified(m_arcs.size());
    std::vector<char> dirty(m_arcs.size(), 1); // not vector<bool>: threads write neighbouring items
    std::vector<char> invalid(m_inputs.size(), 0);

    // Arcs are simplified, and polygons put together and checked, on every core: each item is
    // written by one thread. Which arcs to redo is decided after, in one thread, since
    // neighbouring polygons share arcs.
    for (int attempt = 0; attempt < 8; ++attempt) {
        parallel_for(m_arcs.size(), [&](std::size_t a, std::size_t) {
            if (!dirty[a]) return;
            simplified[a] = m_closed[a] ? simplify_closed(m_arcs[a], arc_tolerance[a]) : simplify_path(m_arcs[a], arc_tolerance[a]);
            dirty[a] = 0;
        });
        parallel_for(m_inputs.size(), [&](std::size_t g, std::size_t) {
            invalid[g] = 0;
            if (m_inputs[g] == input::empty || m_inputs[g] == input::kept) return;
            bool changed = false;
            const geometry assembled = assemble(g, simplified, changed);
            if (changed && !assembled.empty() && tolerance > 0) {
                auto& geos = this_thread_geos();
                invalid[g] = !invalid_reason(geos, to_geos(geos, assembled).get()).empty();
            }
        });
        bool retry = false;
        for (std::size_t g = 0; g < m_inputs.size(); ++g) {
            if (!invalid[g]) continue;
            for (const auto& part : m_polygons[g].parts)
                for (const auto& ring : part)
                    for (const auto& [arc, reversed] : ring.arcs) {
                        arc_tolerance[arc] = attempt == 6 ? 0 : arc_tolerance[arc] / 2;
                        dirty[arc] = 1;
                    }
            retry = true;
        }
        if (!retry) break;
    }
    return simplified;
}

geometry coverage_topology::geometry_of(std::size_t g, const std::vector<path>& arcs) const {
    switch (m_inputs[g]) {
    case input::empty: return {};
    case input::kept: return m_kept.at(g);
    default: {
        bool changed = false;
        return assemble(g, arcs, changed);
    }
    }
}

std::size_t coverage_topology::vertex_bound(std::size_t g, const std::vector<path>& arcs) const {
    if (m_inputs[g] == input::kept) return m_kept.at(g).vertex_count();
    std::size_t n = 0;
    for (const auto& part : m_polygons[g].parts)
        for (const auto& ring : part) {
            for (const auto& [arc, reversed] : ring.arcs) n += arcs[arc].size();
            ++n; // the closing point
        }
    return n;
}

std::vector<geometry> coverage_topology::simplify(double tolerance) const {
    const auto arcs = simplify_arcs(tolerance);
    std::vector<geometry> out(m_inputs.size());
    parallel_for(m_inputs.size(), [&](std::size_t g, std::size_t) { out[g] = geometry_of(g, arcs); });
    return out;
}

} // namespace kvarter::geometry

#include "geometry/coverage_simplify.hpp"

#include "geometry/geos.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace kvarter::geometry;

namespace {

// The border two neighbours share: from (10, 0) up to (10, 10), wiggling ±0.1 across x = 10
// at every unit, so that a tolerance of 0.5 straightens it and 0.05 keeps it.
path wiggly_border() {
    path p;
    for (int i = 0; i <= 10; ++i) p.push_back({10 + (i % 2 ? 0.1 : 0.0) * (i % 4 == 1 ? 1 : -1), double(i)});
    return p;
}

geometry polygon(path ring) {
    ring.push_back(ring.front());
    return {kind::polygon, false, {{ring}}};
}

// West of the border (x from 0) and east of it (x to 20), each ring counter-clockwise.
geometry west() {
    path ring{{0, 0}};
    for (const auto& p : wiggly_border()) ring.push_back(p);
    ring.push_back({0, 10});
    return polygon(ring);
}

geometry east() {
    path border = wiggly_border();
    std::reverse(border.begin(), border.end());
    path ring{{20, 0}, {20, 10}};
    for (const auto& p : border) ring.push_back(p);
    ring.erase(ring.end() - 1); // (10, 0) closes the ring: polygon() repeats the first point
    ring.insert(ring.begin(), {10, 0});
    return polygon(ring);
}

double segment_distance(xy p, xy a, xy b) {
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    const double t = len2 == 0 ? 0 : std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double distance_to_ring(xy p, const path& ring) {
    double best = INFINITY;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) best = std::min(best, segment_distance(p, ring[i], ring[i + 1]));
    return best;
}

// The vertices of g on the shared border's strip (9.5 <= x <= 10.5).
std::set<std::pair<double, double>> border_vertices(const geometry& g) {
    std::set<std::pair<double, double>> out;
    for (const auto& c : g.parts.at(0).at(0))
        if (c.x >= 9.5 && c.x <= 10.5) out.emplace(c.x, c.y);
    return out;
}

} // namespace

TEST(coverage_simplify, shared_borders_stay_shared_and_no_gap_or_overlap_opens) {
    const geometry a = west(), b = east();
    const coverage_topology topology{{a, b}};
    const auto out = topology.simplify(0.5);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_LT(out[0].vertex_count(), a.vertex_count());
    EXPECT_LT(out[1].vertex_count(), b.vertex_count());
    EXPECT_EQ(border_vertices(out[0]), border_vertices(out[1])) << "both sides of the border keep the same vertices";

    auto& geos = this_thread_geos();
    const auto ga = to_geos(geos, out[0]), gb = to_geos(geos, out[1]);
    EXPECT_NEAR(area(geos, intersection(geos, ga.get(), gb.get()).get()), 0, 1e-9) << "no overlap";
    EXPECT_NEAR(area(geos, ga.get()) + area(geos, gb.get()), 200, 1e-9) << "no gap: the two still fill the 20 x 10 box";
}

TEST(coverage_simplify, rings_stay_valid_and_closed) {
    const geometry a = west(), b = east();
    auto& geos = this_thread_geos();
    for (const double tolerance : {0.05, 0.5, 3.0, 50.0}) {
        for (const auto& g : coverage_topology{{a, b}}.simplify(tolerance)) {
            ASSERT_EQ(g.type, kind::polygon);
            for (const auto& part : g.parts)
                for (const auto& ring : part) {
                    ASSERT_GE(ring.size(), 4u) << "tolerance " << tolerance;
                    EXPECT_EQ(ring.front(), ring.back());
                }
            EXPECT_EQ(invalid_reason(geos, to_geos(geos, g).get()), "") << "tolerance " << tolerance;
        }
    }
}

TEST(coverage_simplify, every_input_vertex_stays_within_the_tolerance) {
    const geometry a = west(), b = east();
    for (const double tolerance : {0.05, 0.15, 0.5}) {
        const auto out = coverage_topology{{a, b}}.simplify(tolerance);
        for (std::size_t i = 0; i < 2; ++i)
            for (const auto& v : (i ? b : a).parts[0][0])
                EXPECT_LE(distance_to_ring(v, out[i].parts[0][0]), tolerance + 1e-12)
                    << "polygon " << i << " vertex " << v.x << "," << v.y << " tolerance " << tolerance;
    }
    // Below the wiggle every bend stays (only the points on x = 10, which lie on the straight line
    // between two bends, may go).
    const auto kept = border_vertices(coverage_topology{{a, b}}.simplify(0.05)[0]);
    for (const auto& v : wiggly_border())
        if (v.x != 10) { EXPECT_TRUE(kept.contains({v.x, v.y})) << v.x << "," << v.y; }
}

TEST(coverage_simplify, shares_one_arc_for_the_common_border) {
    const geometry a = west(), b = east();
    const coverage_topology both{{a, b}};
    const coverage_topology alone{{a}};
    // West alone is one closed ring; with its neighbour it splits at the two junctions into the
    // shared border and the rest of each ring: 3 arcs, not 4.
    EXPECT_EQ(alone.arc_count(), 1u);
    EXPECT_EQ(both.arc_count(), 3u);
}

TEST(coverage_simplify, inputs_come_back_one_at_a_time_within_their_vertex_bound_and_others_as_they_were) {
    // The tileset build packs a zoom from geometry_of one input at a time, its arrays sized by
    // vertex_bound: the pieces must give what simplify gives, and the bound must hold.
    geometry line;
    line.type = kind::line;
    line.parts = {{{{0, 0}, {1, 1}, {2, 0}}}};
    const coverage_topology topology{{west(), geometry{}, line, east()}};
    ASSERT_EQ(topology.size(), 4u);
    for (const double tolerance : {0.0, 0.5, 3.0}) {
        const auto arcs = topology.simplify_arcs(tolerance);
        const auto whole = topology.simplify(tolerance);
        for (std::size_t g = 0; g < topology.size(); ++g) {
            const auto one = topology.geometry_of(g, arcs);
            EXPECT_EQ(one.parts, whole[g].parts) << g;
            EXPECT_GE(topology.vertex_bound(g, arcs), one.vertex_count()) << g << " tolerance " << tolerance;
        }
        EXPECT_TRUE(topology.geometry_of(1, arcs).empty()) << "an empty input stays empty";
        EXPECT_EQ(topology.geometry_of(2, arcs).parts, line.parts) << "a line is no polygon: kept as it came";
        EXPECT_EQ(topology.geometry_of(2, arcs).type, kind::line);
    }
}

TEST(coverage_simplify, douglas_peucker_keeps_the_ends_and_what_lies_beyond_the_tolerance) {
    const path p{{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0.1}, {5, 0}};
    const path out = simplify_path(p, 0.5);
    EXPECT_EQ(out.front(), p.front());
    EXPECT_EQ(out.back(), p.back());
    EXPECT_NE(std::find(out.begin(), out.end(), xy{3, 5}), out.end()) << "the spike is 5 away";
    EXPECT_EQ(std::find(out.begin(), out.end(), xy{1, 0.1}), out.end());
    EXPECT_EQ(simplify_path(p, 10), (path{{0, 0}, {5, 0}}));
    EXPECT_EQ(simplify_path(p, 0.01), p);
}

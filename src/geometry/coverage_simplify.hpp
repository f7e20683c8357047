#pragma once
// Simplification that keeps a coverage a coverage: polygons that share a border (the
// districts) get the same simplified border on both sides, so no gap or overlap opens.
// Borders are cut into arcs at the points where neighbours change (as TopoJSON does),
// each distinct arc is simplified once with Douglas-Peucker, and the rings are put
// back together from the simplified arcs.

#include "geometry/geometry.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace kvarter::geometry {

class coverage_topology {
public:
    // Polygon geometries; others are kept as they are, and empty ones stay empty. Shared borders
    // must share vertices exactly. Only the arcs are kept of the polygons.
    explicit coverage_topology(std::vector<geometry> inputs);

    // The arcs simplified with the given tolerance (same units as the coordinates) so that every
    // polygon they make is valid: a polygon whose simplified form is invalid is retried with its
    // arcs at half the tolerance (on both sides of each arc), down to the original arcs.
    std::vector<path> simplify_arcs(double tolerance) const;
    // Input g put together from arcs that simplify_arcs made: one at a time, so that a layer is
    // never held whole in a second form.
    geometry geometry_of(std::size_t g, const std::vector<path>& arcs) const;
    // At least geometry_of(g, arcs).vertex_count(), without putting it together.
    std::size_t vertex_bound(std::size_t g, const std::vector<path>& arcs) const;
    // Every input simplified: geometry_of each over simplify_arcs(tolerance).
    std::vector<geometry> simplify(double tolerance) const;

    std::size_t size() const noexcept { return m_inputs.size(); }

    std::size_t arc_count() const noexcept { return m_arcs.size(); }

private:
    // Input g put back together from the simplified arcs; `changed` set when an arc lost vertices.
    geometry assemble(std::size_t g, const std::vector<path>& simplified, bool& changed) const;

    struct ring_ref {
        std::vector<std::pair<std::uint32_t, bool>> arcs; // arc index, reversed
    };
    struct polygon_ref {
        std::vector<std::vector<ring_ref>> parts; // parts[i][0] exterior, then holes
    };
    std::vector<path> m_arcs; // canonical direction; closed arcs start and end at the same point
    std::vector<bool> m_closed; // an arc that is a whole ring with no junction
    std::vector<polygon_ref> m_polygons; // one per input; empty parts for non-polygons
    enum class input : std::uint8_t { empty, polygon, multipolygon, kept };
    std::vector<input> m_inputs;
    std::map<std::size_t, geometry> m_kept; // the inputs that are no polygons, as they came
}; // class coverage_topology

// Inserts into each polygon ring the vertices of other rings that lie on its segments (within
// `tolerance`), so that neighbours share every vertex of their common border. Do it in the CRS
// the data was drawn in: a straight border bends when reprojected, and the point where a third
// area meets it would no longer lie on it.
void node_coverage(std::vector<geometry*>& polygons, double tolerance);

// Douglas-Peucker on an open path, keeping both ends.
path simplify_path(const path& p, double tolerance);

} // namespace kvarter::geometry

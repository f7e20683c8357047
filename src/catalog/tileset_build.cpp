#include "catalog/tileset_build.hpp"

#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "geometry/coverage_simplify.hpp"
#include "geometry/label_point.hpp"
#include "geometry/pixel_grid.hpp"
#include "geometry/web_mercator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace kvarter::catalog {

namespace {

// Past zoom 18 a pixel of a 4096 grid is under 4 cm: simplifying gains nothing, and keeping a
// snapped copy per zoom would only cost memory. The grid is kept in 32-bit whole pixels, so a finer
// extent stops sooner: 2^z tiles of `extent` pixels and the buffer must stay below 2^31.
int last_snapped_zoom(int extent) {
    int z = 18;
    while (z > 0 && (std::int64_t{1} << z) * (extent + 1) >= (std::int64_t{1} << 31)) --z;
    return z;
}

// At the layer's last zoom no finer tile follows: map clients stretch its tiles over every deeper
// zoom, magnifying its error, so it is simplified a quarter as much, which keeps the outline
// within the rounding to whole pixels that ST_AsMVTGeom's grid snapping gives.
constexpr double last_zoom_share = 0.25;

double simplify_px_at(const tileset_layer_config& lc, int z) {
    return z == lc.maxzoom ? lc.simplify_px * last_zoom_share : lc.simplify_px;
}

// One label point per feature. In Web Mercator, not the analysis CRS: the point marks a place on
// the map as drawn, so it is found in the very geometry the tiles draw, with no reprojection to
// nudge it across the edge of a thin part, and "largest part" and "far from the edges" are
// measured as the reader sees them (Mercator keeps shapes, and its scale hardly changes across
// a city).
std::vector<std::optional<geometry::xy>> label_points_of(const layer& l) {
    std::vector<std::optional<geometry::xy>> points(l.features.size());
    parallel_for(l.features.size(), [&](std::size_t f, std::size_t) {
        if (l.features[f].has_geometry) points[f] = geometry::label_point(geometry::web_mercator::from_lonlat(l.features[f].lonlat));
    });
    return points;
}

// Label points for a layer whose tileset entry asks for them. The built-in tileset asks by role,
// before geometry is known, so there a layer of points or lines just goes without; a tileset file
// asking for them on such a layer is told.
void add_labels(const tileset_config& tc, const std::string& key, const layer& l,
                std::map<std::size_t, std::vector<std::optional<geometry::xy>>>& points_by_layer, tile_layer& tl) {
    if (l.geometry_kind != geometry::kind::polygon) {
        if (tc.file.empty()) return;
        throw config_error{tc.file, key + ".labels",
                           "label points are for polygon layers; layer " + l.id + " has " +
                               (l.geometry_kind == geometry::kind::point ? "points" : "lines")};
    }
    const std::string name = label_layer_name(l);
    for (const auto& other : tc.layers)
        if (other.layer == name)
            throw config_error{tc.file, key + ".labels", "the tileset has a layer " + name + " already, the name of these labels"};
    auto it = points_by_layer.find(tl.layer);
    if (it == points_by_layer.end()) it = points_by_layer.emplace(tl.layer, label_points_of(l)).first;
    tl.labels = true;
    tl.label_points = it->second;
    for (auto f : tl.fields)
        if (l.fields[f].name != "name") tl.label_fields.push_back(f);
}

struct zoom_grid {
    int z;
    int extent;
};

// Features go through pack_zoom this many at a time.
constexpr std::size_t pack_batch = 8192;

// Every feature, in order: mercator_of(f) (its Web Mercator geometry as drawn at this zoom) put
// in the zoom's pixel grid, checked and repaired after snapping, and packed. A batch at a time,
// on every core, so that beside the packed zooms only a batch is ever held unpacked; `vertices`,
// at least what the zoom will hold, sizes the arrays once.
template <class MercatorOf>
void pack_zoom(std::size_t features, std::size_t vertices, zoom_grid grid, geometry::packed_geometries& packed,
               MercatorOf&& mercator_of) {
    packed.reserve(features, vertices);
    std::vector<geometry::geometry> batch;
    for (std::size_t first = 0; first < features; first += pack_batch) {
        batch.assign(std::min(pack_batch, features - first), {});
        parallel_for(batch.size(), [&](std::size_t i, std::size_t) {
            batch[i] = geometry::snapped_valid(geometry::to_pixel_grid(mercator_of(first + i), grid.z, grid.extent));
        });
        for (const auto& g : batch) packed.push_back(g);
    }
    packed.shrink_to_fit();
}

std::size_t lonlat_vertices(const layer& l) {
    std::size_t n = 0;
    for (const auto& f : l.features) n += f.lonlat.vertex_count();
    return n;
}

} // namespace

void build_tilesets(const config& cfg, catalog& c) {
    // One topology per layer, shared by every tileset and zoom that simplifies it.
    std::map<std::size_t, geometry::coverage_topology> topologies;
    std::map<std::size_t, std::vector<std::optional<geometry::xy>>> label_points; // the same for label points
    for (const auto& tc : cfg.tilesets) {
        tileset t;
        t.name = tc.name;
        t.title = tc.title;
        t.description = tc.description;
        t.extent = tc.extent;
        t.buffer = tc.buffer;
        for (std::size_t i = 0; i < tc.layers.size(); ++i) {
            const auto& lc = tc.layers[i];
            const std::string key = "layers[" + std::to_string(i) + "]";
            tile_layer tl;
            for (std::size_t k = 0; k < c.layers.size(); ++k)
                if (c.layers[k].id == lc.layer) tl.layer = k;
            const layer& l = c.layers[tl.layer];
            tl.minzoom = lc.minzoom;
            tl.maxzoom = lc.maxzoom;
            if (lc.properties) {
                for (std::size_t p = 0; p < lc.properties->size(); ++p) {
                    const auto& name = (*lc.properties)[p];
                    if (auto ind = l.indicator_index(name)) tl.indicators.push_back(*ind);
                    else if (auto f = l.field_index(name)) tl.fields.push_back(*f);
                    else
                        throw config_error{tc.file, key + ".properties[" + std::to_string(p) + "]",
                                           "layer " + l.id + " has no property \"" + name + "\""};
                }
            } else {
                for (std::size_t f = 0; f < l.fields.size(); ++f)
                    if (!l.indicator_index(l.fields[f].name)) tl.fields.push_back(f); // the yearly value wins
                for (std::size_t f = 0; f < l.indicators.size(); ++f) tl.indicators.push_back(f);
            }

            if (lc.labels) add_labels(tc, key, l, label_points, tl);

            const bool simplify = lc.simplify_px > 0 && l.geometry_kind != geometry::kind::point;
            if (simplify && l.geometry_kind == geometry::kind::polygon && !topologies.contains(tl.layer)) {
                std::vector<geometry::geometry> inputs(l.features.size());
                parallel_for(l.features.size(), [&](std::size_t f, std::size_t) {
                    if (l.features[f].has_geometry) inputs[f] = geometry::web_mercator::from_lonlat(l.features[f].lonlat);
                });
                topologies.emplace(tl.layer, geometry::coverage_topology{std::move(inputs)});
            }
            for (int z = lc.minzoom; z <= std::min(lc.maxzoom, last_snapped_zoom(tc.extent)); ++z) {
                const double tolerance = simplify_px_at(lc, z) * geometry::web_mercator::tile_size(z) / tc.extent;
                auto& packed = tl.pixel.emplace_back();
                const zoom_grid grid{z, tc.extent};
                if (simplify && l.geometry_kind == geometry::kind::polygon) {
                    const auto& topology = topologies.at(tl.layer);
                    const auto arcs = topology.simplify_arcs(tolerance);
                    std::size_t bound = 0;
                    for (std::size_t f = 0; f < topology.size(); ++f) bound += topology.vertex_bound(f, arcs);
                    pack_zoom(l.features.size(), bound, grid, packed, [&](std::size_t f) { return topology.geometry_of(f, arcs); });
                } else {
                    pack_zoom(l.features.size(), lonlat_vertices(l), grid, packed, [&](std::size_t f) {
                        auto g = geometry::web_mercator::from_lonlat(l.features[f].lonlat);
                        if (simplify)
                            for (auto& part : g.parts)
                                for (auto& p : part) p = geometry::simplify_path(p, tolerance);
                        return g;
                    });
                }
            }
            t.layers.push_back(std::move(tl));
        }
        c.tilesets.push_back(std::move(t));
    }
}

} // namespace kvarter::catalog

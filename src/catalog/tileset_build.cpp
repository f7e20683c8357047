#include "catalog/tileset_build.hpp"

#include "core/error.hpp"
#include "geometry/coverage_simplify.hpp"
#include "geometry/label_point.hpp"
#include "geometry/pixel_grid.hpp"
#include "geometry/web_mercator.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace kvarter::catalog {

namespace {

// Past this zoom a pixel of a 4096 grid is under 4 cm: simplifying gains nothing, and keeping
// a snapped copy per zoom would only cost memory.
constexpr int last_snapped_zoom = 18;

// fn(i) for i in [0, n) on every core: snapping and checking is per feature and needs no order.
template <class Fn>
void parallel_for(std::size_t n, Fn&& fn) {
    const std::size_t threads = std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
    if (threads == 1 || n < 256) {
        for (std::size_t i = 0; i < n; ++i) fn(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&] {
        try {
            for (std::size_t i; (i = next.fetch_add(64)) < n;)
                for (std::size_t j = i; j < std::min(n, i + 64); ++j) fn(j);
        } catch (...) {
            std::lock_guard lock{failure_mutex};
            if (!failure) failure = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

// One label point per feature. In Web Mercator, not the analysis CRS: the point marks a place on
// the map as drawn, so it is found in the very geometry the tiles draw, with no reprojection to
// nudge it across the edge of a thin part, and "largest part" and "far from the edges" are
// measured as the reader sees them (Mercator keeps shapes, and its scale hardly changes across
// a city).
std::vector<std::optional<geometry::xy>> label_points_of(const layer& l) {
    std::vector<std::optional<geometry::xy>> points(l.features.size());
    parallel_for(l.features.size(), [&](std::size_t f) {
        if (l.features[f].has_geometry) points[f] = geometry::label_point(l.features[f].mercator);
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
                std::vector<const geometry::geometry*> inputs;
                for (const auto& f : l.features) inputs.push_back(f.has_geometry ? &f.mercator : nullptr);
                topologies.emplace(tl.layer, geometry::coverage_topology{inputs});
            }
            for (int z = lc.minzoom; z <= std::min(lc.maxzoom, last_snapped_zoom); ++z) {
                const double tolerance = lc.simplify_px * geometry::web_mercator::tile_size(z) / tc.extent;
                std::vector<geometry::geometry> simplified;
                if (simplify && l.geometry_kind == geometry::kind::polygon) {
                    simplified = topologies.at(tl.layer).simplify(tolerance);
                } else if (simplify) {
                    for (const auto& f : l.features) {
                        geometry::geometry g = f.mercator;
                        for (auto& part : g.parts)
                            for (auto& p : part) p = geometry::simplify_path(p, tolerance);
                        simplified.push_back(std::move(g));
                    }
                }
                std::vector<geometry::geometry> snapped(l.features.size());
                parallel_for(l.features.size(), [&](std::size_t f) {
                    const auto& g = simplify ? simplified[f] : l.features[f].mercator;
                    snapped[f] = geometry::snapped_valid(geometry::to_pixel_grid(g, z, tc.extent));
                });
                std::vector<geometry::box> boxes;
                boxes.reserve(snapped.size());
                for (const auto& g : snapped) boxes.push_back(g.bounds());
                tl.pixel.push_back(std::move(snapped));
                tl.pixel_bounds.push_back(std::move(boxes));
            }
            t.layers.push_back(std::move(tl));
        }
        c.tilesets.push_back(std::move(t));
    }
}

} // namespace kvarter::catalog

#include "catalog/joins.hpp"
#include "core/error.hpp"
#include "geometry/coverage_simplify.hpp"

#include <cmath>
#include <map>

namespace kvarter::catalog {

namespace {

constexpr double world_width = 2 * 20037508.342789244; // EPSG:3857 metres
// Past this zoom a pixel of a 4096 grid is under 4 cm: simplifying gains nothing.
constexpr int last_generalised_zoom = 18;

} // namespace

void build_tilesets(const config& cfg, catalog& c) {
    // One topology per layer, shared by every tileset and zoom that simplifies it.
    std::map<std::size_t, geometry::coverage_topology> topologies;
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

            if (lc.simplify_px > 0 && l.geometry_kind != geometry::kind::point) {
                const int last = std::min(lc.maxzoom, last_generalised_zoom);
                if (l.geometry_kind == geometry::kind::polygon && !topologies.contains(tl.layer)) {
                    std::vector<const geometry::geometry*> inputs;
                    for (const auto& f : l.features) inputs.push_back(f.has_geometry ? &f.mercator : nullptr);
                    topologies.emplace(tl.layer, geometry::coverage_topology{inputs});
                }
                for (int z = lc.minzoom; z <= last; ++z) {
                    const double tolerance = lc.simplify_px * world_width / (tc.extent * std::ldexp(1.0, z));
                    if (l.geometry_kind == geometry::kind::polygon) {
                        tl.generalised.push_back(topologies.at(tl.layer).simplify(tolerance));
                    } else {
                        std::vector<geometry::geometry> lines;
                        for (const auto& f : l.features) {
                            geometry::geometry g = f.mercator;
                            for (auto& part : g.parts)
                                for (auto& p : part) p = geometry::simplify_path(p, tolerance);
                            lines.push_back(std::move(g));
                        }
                        tl.generalised.push_back(std::move(lines));
                    }
                }
            }
            t.layers.push_back(std::move(tl));
        }
        c.tilesets.push_back(std::move(t));
    }
}

} // namespace kvarter::catalog

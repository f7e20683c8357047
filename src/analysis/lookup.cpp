#include "analysis/lookup.hpp"

#include "analysis/analysis_crs.hpp"
#include "catalog/gdal_source.hpp"
#include "geometry/box_predicate.hpp"

#include <cmath>
#include <map>

namespace kvarter::analysis {

using json = nlohmann::json;

namespace {

double distance_to(const geometry::geometry& g, geometry::xy p) {
    double best = INFINITY;
    for (const auto& part : g.parts) {
        if (g.type == geometry::kind::polygon && geometry::contains(part, p)) return 0;
        for (const auto& path : part) {
            if (path.size() == 1) best = std::min(best, std::hypot(path[0].x - p.x, path[0].y - p.y));
            for (std::size_t i = 0; i + 1 < path.size(); ++i) {
                const auto a = path[i], b = path[i + 1];
                const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
                const double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0;
                best = std::min(best, std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y));
            }
        }
    }
    return best;
}

// The facility's kind: its "kind" property when it has one, else its layer.
std::string kind_of(const catalog::layer& l, const catalog::feature& f) {
    if (const auto k = l.field_index("kind")) {
        const std::string text = catalog::text_of(f.properties[*k]);
        if (!text.empty()) return text;
    }
    return l.id;
}

} // namespace

json lookup(const catalog::catalog& cat, double lon, double lat) {
    const geometry::xy p = to_analysis_crs(cat).apply(geometry::xy{lon, lat});
    json layers = json::object();
    struct nearest {
        double distance = INFINITY;
        const catalog::layer* layer = nullptr;
        const catalog::feature* feature = nullptr;
    };
    std::map<std::string, nearest> nearest_by_kind;
    for (const auto& l : cat.layers) {
        if (l.role == catalog::layer_role::facility) {
            // Widen the search until something is found, then once more to be sure nothing nearer
            // lies just outside the box that found it.
            for (double reach = 250; reach < 1e6; reach *= 2) {
                bool found = false;
                for (const auto i : l.analysis_index.query({p.x - reach, p.y - reach, p.x + reach, p.y + reach})) {
                    const auto& f = l.features[i];
                    if (!f.has_geometry) continue;
                    const double d = distance_to(f.analysis, p);
                    auto& best = nearest_by_kind[kind_of(l, f)];
                    if (d < best.distance) best = {d, &l, &f};
                    found = true;
                }
                if (found) {
                    const double farthest = std::max_element(nearest_by_kind.begin(), nearest_by_kind.end(), [](const auto& a, const auto& b) {
                                                return a.second.distance < b.second.distance;
                                            })->second.distance;
                    if (farthest <= reach) break;
                }
            }
            continue;
        }
        json hits = json::array();
        if (l.geometry_kind == geometry::kind::polygon) {
            for (const auto i : l.analysis_index.query({p.x, p.y, p.x, p.y})) {
                const auto& f = l.features[i];
                if (!f.has_geometry) continue;
                bool inside = false;
                for (const auto& part : f.analysis.parts) inside |= geometry::contains(part, p);
                if (inside) hits.push_back({{"id", f.id}, {"name", f.name}});
            }
        }
        layers[l.id] = {{"role", catalog::to_string(l.role)}, {"features", hits}};
    }
    json facilities = json::array();
    for (const auto& [kind, n] : nearest_by_kind) {
        if (!n.feature) continue;
        facilities.push_back({{"kind", kind},
                              {"layer", n.layer->id},
                              {"id", n.feature->id},
                              {"name", n.feature->name},
                              {"distance_m", std::round(n.distance * 10) / 10}});
    }
    return {{"point", {{"lon", lon}, {"lat", lat}}}, {"layers", layers}, {"nearest_facilities", facilities}};
}

} // namespace kvarter::analysis

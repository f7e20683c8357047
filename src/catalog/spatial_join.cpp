#include "catalog/joins.hpp"
#include "geometry/geos.hpp"

#include <algorithm>

namespace kvarter::catalog {

const char* area_field_name(layer_role role) noexcept {
    switch (role) {
    case layer_role::district: return "district";
    case layer_role::deprived_area: return "deprived_area";
    case layer_role::renewal_zone: return "renewal_zone";
    case layer_role::green_team: return "green_team";
    default: return "";
    }
}

namespace {

constexpr layer_role area_roles[] = {layer_role::district, layer_role::deprived_area, layer_role::renewal_zone,
                                     layer_role::green_team};

bool gets_area_fields(layer_role role) {
    switch (role) {
    case layer_role::housing_department:
    case layer_role::housing_area:
    case layer_role::facility:
    case layer_role::renewal_zone:
    case layer_role::green_team: return true;
    default: return false;
    }
}

// The GEOS geometries of one area layer, built once for all the features joined to it.
struct area_set {
    const layer* source;
    std::uint32_t layer_index;
    std::vector<geometry::geom_ptr> shapes;
    std::vector<geometry::prepared_ptr> prepared;
};

struct overlap {
    std::size_t feature;
    double amount; // area for polygons, 1 for points and lines that touch
};

std::vector<overlap> overlaps(geometry::geos_context& geos, const area_set& areas, const GEOSGeometry* g,
                              const feature& ft) {
    std::vector<overlap> out;
    const bool polygonal = ft.analysis.type == geometry::kind::polygon;
    const double own_area = polygonal ? geometry::area(geos, g) : 0;
    for (auto i : areas.source->analysis_index.query(ft.analysis_bounds)) {
        const auto& p = areas.prepared[i];
        if (!p || !geometry::intersects(geos, p.get(), g)) continue;
        if (!polygonal) {
            out.push_back({i, 1});
            continue;
        }
        double a = own_area;
        if (!geometry::contains(geos, p.get(), g)) {
            auto cut = geometry::intersection(geos, areas.shapes[i].get(), g);
            a = geometry::area(geos, cut.get());
        }
        if (a > 0) out.push_back({i, a});
    }
    std::stable_sort(out.begin(), out.end(), [](const overlap& a, const overlap& b) { return a.amount > b.amount; });
    return out;
}

} // namespace

void join_areas(std::vector<layer>& layers) {
    auto& geos = geometry::this_thread_geos();
    std::vector<area_set> sets;
    for (auto role : area_roles) {
        for (const auto& l : layers) {
            if (l.role != role) continue;
            area_set set{&l, static_cast<std::uint32_t>(&l - layers.data()), {}, {}};
            for (const auto& ft : l.features) {
                if (!ft.has_geometry || ft.analysis.type != geometry::kind::polygon) {
                    set.shapes.emplace_back(nullptr, geometry::geom_deleter{geos.get()});
                    set.prepared.emplace_back(nullptr, geometry::prepared_deleter{geos.get()});
                    continue;
                }
                set.shapes.push_back(geometry::to_geos(geos, ft.analysis));
                set.prepared.push_back(geometry::prepare(geos, set.shapes.back().get()));
            }
            sets.push_back(std::move(set));
        }
    }

    for (auto& target : layers) {
        if (!gets_area_fields(target.role)) continue;
        // One derived field per area role present, plus the full list of renewal zones.
        std::vector<std::pair<layer_role, std::size_t>> slots;
        std::optional<std::size_t> all_zones_slot;
        auto add_field = [&](std::string name) {
            if (target.field_index(name)) name = "in_" + name;
            target.fields.push_back({name, value_type::string, true});
            return target.fields.size() - 1;
        };
        for (auto role : area_roles) {
            if (role == target.role) continue;
            const bool present = std::any_of(sets.begin(), sets.end(), [&](const area_set& s) { return s.source->role == role; });
            if (!present) continue;
            slots.emplace_back(role, add_field(area_field_name(role)));
            if (role == layer_role::renewal_zone) all_zones_slot = add_field("renewal_zones");
        }
        if (slots.empty()) continue;
        for (auto& ft : target.features) {
            ft.properties.resize(target.fields.size());
            if (!ft.has_geometry) continue;
            auto g = geometry::to_geos(geos, ft.analysis);
            bool placed = false;
            for (const auto& [role, slot] : slots) {
                std::vector<std::pair<double, std::string>> hits;
                for (const auto& set : sets) {
                    if (set.source->role != role) continue;
                    for (const auto& o : overlaps(geos, set, g.get(), ft)) {
                        hits.emplace_back(o.amount, set.source->features[o.feature].name);
                        ft.areas.push_back({set.layer_index, static_cast<std::uint32_t>(o.feature), o.amount});
                    }
                }
                if (hits.empty()) continue;
                placed = true;
                std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
                ft.properties[slot] = hits.front().second;
                if (role == layer_role::renewal_zone && all_zones_slot) {
                    std::string all;
                    for (const auto& h : hits) all += (all.empty() ? "" : "; ") + h.second;
                    ft.properties[*all_zones_slot] = all;
                }
            }
            if (placed) ++target.report.spatially_joined;
        }
    }
}

} // namespace kvarter::catalog

#include "analysis/screening.hpp"

#include "analysis/analysis_params.hpp"
#include "analysis/socio_index_api.hpp"
#include "catalog/highlights.hpp"
#include "catalog/socio_index.hpp"
#include "core/error.hpp"
#include "geometry/geos.hpp"

#include <algorithm>
#include <cmath>

namespace kvarter::analysis {

using json = nlohmann::ordered_json;

std::vector<double> covered_shares(const std::vector<const geometry::geometry*>& units,
                                   const std::vector<const geometry::geometry*>& zones) {
    auto& geos = geometry::this_thread_geos();
    std::vector<double> out(units.size(), 0.0);
    std::vector<geometry::geom_ptr> owned;
    std::vector<const GEOSGeometry*> parts;
    for (const auto* z : zones)
        if (z && !z->empty() && z->type == geometry::kind::polygon) {
            owned.push_back(geometry::to_geos(geos, *z));
            parts.push_back(owned.back().get());
        }
    if (owned.empty()) return out;
    auto zone_union = geometry::unite(geos, parts);
    const auto prepared = geometry::prepare(geos, zone_union.get());
    geometry::box union_box;
    for (const auto* z : zones)
        if (z && z->type == geometry::kind::polygon) union_box.expand(z->bounds());

    for (std::size_t i = 0; i < units.size(); ++i) {
        const auto* u = units[i];
        if (!u || u->empty() || u->type != geometry::kind::polygon || !u->bounds().intersects(union_box)) continue;
        auto g = geometry::to_geos(geos, *u);
        const double whole = geometry::area(geos, g.get());
        if (whole <= 0 || !geometry::intersects(geos, prepared.get(), g.get())) continue;
        if (geometry::contains(geos, prepared.get(), g.get())) {
            out[i] = 1.0;
            continue;
        }
        auto cut = geometry::intersection(geos, zone_union.get(), g.get());
        out[i] = std::min(1.0, geometry::area(geos, cut.get()) / whole);
    }
    return out;
}

namespace {

double round_share(double v) { return std::round(v * 1e4) / 1e4; }

// The districts a unit lies in, from the spatial join, with the share of the unit in each.
json districts_of(const catalog::catalog& cat, const catalog::layer& l, const catalog::feature& f) {
    json out = json::array();
    if (l.role == catalog::layer_role::district) {
        out.push_back({{"id", f.id}, {"name", f.name}, {"share", 1.0}});
        return out;
    }
    double own = 0;
    if (f.has_geometry && f.analysis.type == geometry::kind::polygon) {
        auto& geos = geometry::this_thread_geos();
        own = geometry::area(geos, geometry::to_geos(geos, f.analysis).get());
    }
    for (const auto& a : f.areas) {
        const auto& area_layer = cat.layers[a.layer];
        if (area_layer.role != catalog::layer_role::district) continue;
        const auto& d = area_layer.features[a.feature];
        const double share = own > 0 ? std::min(1.0, a.overlap / own) : 1.0;
        out.push_back({{"id", d.id}, {"name", d.name}, {"share", round_share(share)}});
    }
    return out;
}

} // namespace

nlohmann::ordered_json screening_answer(const catalog::catalog& cat, const http::request& req) {
    const auto& a = analysis_of(cat);
    http::check_params(req, {"year", "layer"});
    const auto& l = layer_param(cat, req, "layer", default_index_layer(cat));
    if (l.indicators.empty()) throw bad_request{"layer", "layer " + l.id + " has no indicators to screen by"};
    const int year = year_param(req, l);
    const auto weights = request_weights(cat, l, req);
    const auto index = catalog::compute_index(l, weights, year);

    // The renewal zones active that year, over every renewal-zone layer.
    std::vector<const geometry::geometry*> zones;
    std::vector<std::pair<const catalog::layer*, const catalog::feature*>> active;
    json active_json = json::array();
    for (const auto& zl : cat.layers) {
        if (zl.role != catalog::layer_role::renewal_zone) continue;
        for (const auto& z : zl.features) {
            if (!z.has_geometry || !catalog::active_in(zl, z, year)) continue;
            zones.push_back(&z.analysis);
            active.emplace_back(&zl, &z);
            json zj{{"id", z.id}, {"name", z.name}};
            if (const auto s = field_number(zl, z, "start_year")) zj["start_year"] = static_cast<int>(*s);
            if (const auto e = field_number(zl, z, "end_year")) zj["end_year"] = static_cast<int>(*e);
            active_json.push_back(zj);
        }
    }

    std::vector<std::size_t> screened;
    for (std::size_t i = 0; i < l.features.size(); ++i)
        if (index.entries[i].quintile >= a.screening_quintile) screened.push_back(i);
    std::sort(screened.begin(), screened.end(),
              [&](std::size_t x, std::size_t y) { return index.entries[x].rank < index.entries[y].rank; });
    std::vector<const geometry::geometry*> units;
    for (const auto i : screened) units.push_back(l.features[i].has_geometry ? &l.features[i].analysis : nullptr);
    const auto shares = covered_shares(units, zones);

    json candidates = json::array();
    json covered = json::array();
    for (std::size_t k = 0; k < screened.size(); ++k) {
        const auto& f = l.features[screened[k]];
        const auto& e = index.entries[screened[k]];
        json zones_over = json::array();
        if (shares[k] > 0) {
            // Which of the active zones do the covering, each on its own.
            for (std::size_t z = 0; z < zones.size(); ++z)
                if (covered_shares({units[k]}, {zones[z]})[0] > 0) zones_over.push_back(active[z].second->name);
        }
        json unit{{"id", f.id},
                  {"name", f.name},
                  {"index", catalog::rounded_index(*e.index)},
                  {"rank", e.rank},
                  {"quintile", e.quintile},
                  {"covered_share", round_share(shares[k])},
                  {"covered_by", zones_over},
                  {"districts", districts_of(cat, l, f)}};
        (shares[k] >= a.renewal_cover_share ? covered : candidates).push_back(unit);
    }
    std::vector<std::size_t> components_used;
    for (const auto& w : weights) components_used.push_back(w.indicator);
    return {{"year", year},
            {"layer", l.id},
            {"provenance", provenance_json(l, components_used)},
            {"threshold", {{"quintile", a.screening_quintile},
                           {"meaning", "units in SØK quintile " + std::to_string(a.screening_quintile) +
                                           (a.screening_quintile < 5 ? " or worse" : "") + " (5 = the most deprived fifth)"}}},
            {"renewal_cover_share", a.renewal_cover_share},
            {"active_renewal_zones", active_json},
            {"screened", screened.size()},
            {"ranked", index.ranked},
            {"unranked", index.unranked},
            {"candidates", candidates},
            {"already_covered", covered}};
}

} // namespace kvarter::analysis

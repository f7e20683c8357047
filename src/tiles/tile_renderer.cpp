#include "tiles/tile_renderer.hpp"

#include "geometry/geos.hpp"
#include "tiles/add_feature.hpp"
#include "tiles/mvt_encoder.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>

namespace kvarter::tiles {

namespace {

using catalog::layer_role;

bool inside(const geometry::box& inner, const geometry::box& outer) {
    return inner.min_x >= outer.min_x && inner.max_x <= outer.max_x && inner.min_y >= outer.min_y &&
           inner.max_y <= outer.max_y;
}

geometry::xy mercator_to_lonlat(geometry::xy m) {
    constexpr double r = 6378137.0;
    return {m.x / r * 180 / M_PI, (2 * std::atan(std::exp(m.y / r)) - M_PI / 2) * 180 / M_PI};
}

std::optional<std::int64_t> integer_field(const catalog::layer& l, const catalog::feature& f, const std::string& name) {
    const auto i = l.field_index(name);
    if (!i) return std::nullopt;
    const auto& v = f.properties[*i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

// "active", "finished" or "planned" for a feature with start_year/end_year fields.
std::string status_in(const catalog::layer& l, const catalog::feature& f, int year) {
    const auto start = integer_field(l, f, "start_year");
    const auto end = integer_field(l, f, "end_year");
    if (start && year < *start) return "planned";
    if (end && year > *end) return "finished";
    return "active";
}

// The flags a style highlights with, so that it needs no second request.
void add_highlights(const catalog::catalog& cat, const catalog::layer& l, const catalog::feature& f, int year,
                    std::vector<std::pair<std::string, value>>& props) {
    switch (l.role) {
    case layer_role::deprived_area: props.emplace_back("deprived", true); return;
    case layer_role::renewal_zone: props.emplace_back("renewal_status", status_in(l, f, year)); break;
    case layer_role::green_team: props.emplace_back("green_team_status", status_in(l, f, year)); break;
    default: break;
    }
    if (f.areas.empty() && l.role != layer_role::housing_department && l.role != layer_role::housing_area &&
        l.role != layer_role::facility)
        return;
    bool deprived = false, renewal_active = false, green_team_active = false;
    for (const auto& a : f.areas) {
        const auto& area_layer = cat.layers[a.layer];
        const auto& area = area_layer.features[a.feature];
        switch (area_layer.role) {
        case layer_role::deprived_area: deprived = true; break;
        case layer_role::renewal_zone: renewal_active |= status_in(area_layer, area, year) == "active"; break;
        case layer_role::green_team: green_team_active |= status_in(area_layer, area, year) == "active"; break;
        default: break;
        }
    }
    if (l.role != layer_role::deprived_area) props.emplace_back("in_deprived_area", deprived);
    if (l.role != layer_role::renewal_zone) props.emplace_back("renewal_active", renewal_active);
    if (l.role != layer_role::green_team) props.emplace_back("green_team_active", green_team_active);
}

// Rounding to the tile grid can fold a thin polygon onto itself; GDAL's MVT writer checks
// again after snapping, and so do we: repair, and snap the repaired form once more.
geometry::geometry snap_valid(geometry::geometry g) {
    if (g.type != geometry::kind::polygon || g.empty()) return g;
    auto& geos = geometry::this_thread_geos();
    // Rings that collapsed to fewer than 3 distinct points are the encoder's to drop; GEOS
    // cannot even build them, so only whole rings are checked here.
    for (const auto& part : g.parts)
        for (const auto& ring : part)
            if (ring.size() < 4) return g;
    auto in = geometry::to_geos(geos, g);
    if (geometry::invalid_reason(geos, in.get()).empty()) return g;
    auto fixed = geometry::from_geos(geos, geometry::make_valid(geos, in.get()).get(), geometry::kind::polygon);
    for (auto& part : fixed.parts)
        for (auto& ring : part)
            for (auto& p : ring) p = {std::round(p.x), std::round(p.y)};
    return fixed;
}

} // namespace

int default_year(const catalog::catalog& cat) {
    int latest = 0;
    for (const auto& l : cat.layers)
        if (!l.years.empty()) latest = std::max(latest, l.years.back());
    if (latest) return latest;
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

std::vector<std::pair<std::string, std::string>> highlight_fields(const catalog::catalog& cat, const catalog::tile_layer& tl) {
    const auto& l = cat.layers[tl.layer];
    std::vector<std::pair<std::string, std::string>> out;
    if (!l.indicators.empty()) out.emplace_back("year", "Number");
    switch (l.role) {
    case layer_role::deprived_area: out.emplace_back("deprived", "Boolean"); return out;
    case layer_role::renewal_zone: out.emplace_back("renewal_status", "String"); break;
    case layer_role::green_team: out.emplace_back("green_team_status", "String"); break;
    default: break;
    }
    if (l.role == layer_role::district || l.role == layer_role::none) return out;
    if (l.role != layer_role::deprived_area) out.emplace_back("in_deprived_area", "Boolean");
    if (l.role != layer_role::renewal_zone) out.emplace_back("renewal_active", "Boolean");
    if (l.role != layer_role::green_team) out.emplace_back("green_team_active", "Boolean");
    return out;
}

geometry::geometry snap_valid_in_tile(geometry::geometry g) { return snap_valid(std::move(g)); }

geometry::geometry clip(const geometry::geometry& g, const geometry::box& box) {
    if (inside(g.bounds(), box)) return g;
    if (g.type == geometry::kind::point) {
        geometry::geometry out;
        out.type = g.type;
        out.multi = g.multi;
        for (const auto& part : g.parts)
            if (box.contains(part[0][0])) out.parts.push_back(part);
        return out;
    }
    auto& geos = geometry::this_thread_geos();
    auto in = geometry::to_geos(geos, g);
    auto cut = geometry::checked(geos, GEOSClipByRect_r(geos.get(), in.get(), box.min_x, box.min_y, box.max_x, box.max_y),
                                 "clipping to the tile");
    return geometry::from_geos(geos, cut.get(), g.type);
}

std::string render_tile(const catalog::catalog& cat, const catalog::tileset& ts, const tile_id& tile, int year) {
    const geometry::box bounds = mercator_bounds(tile);
    const double pad = (bounds.max_x - bounds.min_x) * ts.buffer / ts.extent;
    const geometry::box buffered{bounds.min_x - pad, bounds.min_y - pad, bounds.max_x + pad, bounds.max_y + pad};
    const auto sw = mercator_to_lonlat({buffered.min_x, buffered.min_y});
    const auto ne = mercator_to_lonlat({buffered.max_x, buffered.max_y});
    const geometry::box lonlat_query{sw.x, sw.y, ne.x, ne.y};
    const tile_transform to_tile{tile, static_cast<std::uint32_t>(ts.extent)};

    tile_builder builder;
    std::vector<std::pair<std::string, value>> props;
    for (const auto& tl : ts.layers) {
        if (tile.z < tl.minzoom || tile.z > tl.maxzoom) continue;
        const auto& l = cat.layers[tl.layer];
        const auto candidates = l.lonlat_index.query(lonlat_query);
        if (candidates.empty()) continue;
        layer_builder layer{builder, l.id, static_cast<std::uint32_t>(ts.extent)};
        for (const auto i : candidates) {
            const auto& f = l.features[i];
            if (!f.has_geometry) continue;
            if (!f.mercator_bounds.intersects(buffered)) continue;
            const auto& g = tl.geometry_at(l, i, tile.z);
            if (g.empty()) continue;
            const auto clipped = inside(f.mercator_bounds, buffered) ? g : clip(g, buffered);
            if (clipped.empty()) continue;
            props.clear();
            for (auto field : tl.fields) props.emplace_back(l.fields[field].name, f.properties[field]);
            if (!tl.indicators.empty()) {
                props.emplace_back("year", std::int64_t{year});
                const auto row = f.indicators.find(year);
                if (row != f.indicators.end())
                    for (auto ind : tl.indicators)
                        if (ind < row->second.size() && row->second[ind]) props.emplace_back(l.indicators[ind].id, *row->second[ind]);
            }
            add_highlights(cat, l, f, year, props);
            // MVT ids are integers: numeric ids as they are, others by their place in the layer.
            std::uint64_t id = i + 1;
            if (!f.numeric_id || std::from_chars(f.id.data(), f.id.data() + f.id.size(), id).ec != std::errc{}) {
                id = i + 1;
                if (!l.field_index("id")) props.emplace_back("id", f.id);
            }
            add_feature(layer, id, snap_valid(to_tile.apply(clipped)), props);
        }
    }
    return builder.serialize();
}

} // namespace kvarter::tiles

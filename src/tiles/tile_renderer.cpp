#include "tiles/tile_renderer.hpp"

#include "geometry/geos.hpp"
#include "geometry/pixel_grid.hpp"
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
                    detail::feature_builder& out) {
    switch (l.role) {
    case layer_role::deprived_area: out.add_property("deprived", true); return;
    case layer_role::renewal_zone: out.add_property("renewal_status", status_in(l, f, year)); break;
    case layer_role::green_team: out.add_property("green_team_status", status_in(l, f, year)); break;
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
    if (l.role != layer_role::deprived_area) out.add_property("in_deprived_area", deprived);
    if (l.role != layer_role::renewal_zone) out.add_property("renewal_active", renewal_active);
    if (l.role != layer_role::green_team) out.add_property("green_team_active", green_team_active);
}

// Shifted from the zoom's pixel grid into the tile's and rounded (a clip adds vertices between
// pixels), then checked again.
geometry::geometry into_tile(geometry::geometry g, geometry::xy shift) {
    for (auto& part : g.parts)
        for (auto& path : part)
            for (auto& p : path) p = {std::round(p.x + shift.x), std::round(p.y + shift.y)};
    return geometry::snapped_valid(std::move(g));
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

geometry::geometry snap_valid_in_tile(geometry::geometry g) { return geometry::snapped_valid(std::move(g)); }

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
    // The tile in its zoom's pixel grid, and the shift from there into the tile's own grid.
    const double extent = ts.extent;
    const geometry::xy origin{tile.x * extent, tile.y * extent};
    const geometry::box pixel_buffered{origin.x - ts.buffer, origin.y - ts.buffer, origin.x + extent + ts.buffer,
                                       origin.y + extent + ts.buffer};
    const geometry::xy shift{-origin.x, -origin.y};

    tile_builder builder;
    for (const auto& tl : ts.layers) {
        if (tile.z < tl.minzoom || tile.z > tl.maxzoom) continue;
        const auto& l = cat.layers[tl.layer];
        const auto candidates = l.lonlat_index.query(lonlat_query);
        if (candidates.empty()) continue;
        const bool id_property = !l.field_index("id");
        layer_builder layer{builder, l.id, static_cast<std::uint32_t>(ts.extent)};
        // Keys every feature of the layer carries, interned once for the tile.
        std::vector<std::uint32_t> field_keys, indicator_keys;
        for (auto field : tl.fields) field_keys.push_back(layer.key_index(l.fields[field].name));
        for (auto ind : tl.indicators) indicator_keys.push_back(layer.key_index(l.indicators[ind].id));
        const bool precomputed = tl.has_pixel(tile.z);
        for (const auto i : candidates) {
            // Snapped at load: the box says whether the feature is in the tile, whole, or crosses it.
            const geometry::box* pixel_box = precomputed ? &tl.pixel_box_at(i, tile.z) : nullptr;
            if (pixel_box ? !pixel_box->intersects(pixel_buffered) : !l.features[i].mercator_bounds.intersects(buffered))
                continue;
            const auto& f = l.features[i];
            if (!f.has_geometry) continue;
            // MVT ids are integers: numeric ids as they are, others by their place in the layer.
            std::uint64_t id = i + 1;
            const bool numeric = f.numeric_id && std::from_chars(f.id.data(), f.id.data() + f.id.size(), id).ec == std::errc{};
            if (!numeric) id = i + 1;
            auto properties = [&](detail::feature_builder& out) {
                for (std::size_t k = 0; k < tl.fields.size(); ++k) out.add_property(field_keys[k], f.properties[tl.fields[k]]);
                if (!tl.indicators.empty()) {
                    out.add_property("year", std::int64_t{year});
                    const auto row = f.indicators.find(year);
                    if (row != f.indicators.end())
                        for (std::size_t k = 0; k < tl.indicators.size(); ++k) {
                            const auto ind = tl.indicators[k];
                            if (ind < row->second.size() && row->second[ind]) out.add_property(indicator_keys[k], *row->second[ind]);
                        }
                }
                add_highlights(cat, l, f, year, out);
                if (!numeric && id_property) out.add_property("id", f.id);
            };
            if (pixel_box) {
                // Snapped and checked at load: a feature wholly in the tile is only shifted.
                const auto& pixel = tl.pixel_at(i, tile.z);
                if (pixel.empty()) continue;
                if (inside(*pixel_box, pixel_buffered)) {
                    add_feature(layer, id, pixel, shift, properties);
                    continue;
                }
                auto clipped = clip(pixel, pixel_buffered);
                if (!clipped.empty()) add_feature(layer, id, into_tile(std::move(clipped), shift), {0, 0}, properties);
                continue;
            }
            const auto clipped = inside(f.mercator_bounds, buffered) ? f.mercator : clip(f.mercator, buffered);
            if (!clipped.empty()) add_feature(layer, id, geometry::snapped_valid(to_tile.apply(clipped)), {0, 0}, properties);
        }
    }
    return builder.serialize();
}

} // namespace kvarter::tiles

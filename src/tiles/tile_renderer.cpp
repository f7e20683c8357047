#include "tiles/tile_renderer.hpp"

#include "catalog/highlights.hpp"
#include "geometry/geos.hpp"
#include "geometry/pixel_grid.hpp"
#include "geometry/web_mercator.hpp"
#include "tiles/add_feature.hpp"
#include "tiles/mvt_encoder.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace kvarter::tiles {

namespace {

using catalog::layer_role;

bool inside(const geometry::box& inner, const geometry::box& outer) {
    return inner.min_x >= outer.min_x && inner.max_x <= outer.max_x && inner.min_y >= outer.min_y &&
           inner.max_y <= outer.max_y;
}

// The flags a style highlights with, so that it needs no second request (catalog/highlights.hpp).
void add_highlights(const catalog::catalog& cat, const catalog::layer& l, const catalog::feature& f, int year,
                    detail::feature_builder& out) {
    const auto flags = catalog::highlight_flags(l);
    const auto values = catalog::highlight_values(cat, l, f, year);
    for (std::size_t i = 0; i < flags.size(); ++i)
        if (!is_null(values[i])) out.add_property(flags[i].name, values[i]);
}

// Shifted from the zoom's pixel grid into the tile's and rounded (a clip adds vertices between
// pixels), then checked again.
geometry::geometry into_tile(geometry::geometry g, geometry::xy shift) {
    for (auto& part : g.parts)
        for (auto& path : part)
            for (auto& p : path) p = {std::round(p.x + shift.x), std::round(p.y + shift.y)};
    return geometry::snapped_valid(std::move(g));
}

// Where a tile lies in each grid its features come in: Web Mercator for zooms cut from the
// layer's geometry, the zoom's pixel grid for those snapped at load.
struct tile_frame {
    tile_frame(const catalog::tileset& ts, const tile_id& tile)
        : id{tile}, extent{static_cast<double>(ts.extent)}, to_tile{tile, static_cast<std::uint32_t>(ts.extent)},
          origin{tile.x * extent, tile.y * extent} {
        const geometry::box bounds = mercator_bounds(tile);
        const double pad = (bounds.max_x - bounds.min_x) * ts.buffer / ts.extent;
        buffered = {bounds.min_x - pad, bounds.min_y - pad, bounds.max_x + pad, bounds.max_y + pad};
        pixel_buffered = {origin.x - ts.buffer, origin.y - ts.buffer, origin.x + extent + ts.buffer,
                          origin.y + extent + ts.buffer};
    }

    tile_id id;
    double extent;
    geometry::box buffered; // Web Mercator, the tile and its buffer
    tile_transform to_tile;
    geometry::xy origin; // the tile's top-left corner in its zoom's pixel grid
    geometry::box pixel_buffered; // the tile and its buffer in that grid
    geometry::xy shift() const { return {-origin.x, -origin.y}; } // from that grid into the tile's
    // The same in whole pixels: snapped zooms keep their grids within 32 bits (catalog/tileset_build.cpp).
    geometry::int_xy int_shift() const { return {static_cast<std::int32_t>(-origin.x), static_cast<std::int32_t>(-origin.y)}; }
};

// MVT ids are integers: numeric ids as they are, others by their place in the layer (the text id
// then goes in an "id" property).
struct mvt_id {
    std::uint64_t value = 0;
    bool numeric = false;
};

mvt_id mvt_id_of(const catalog::feature& f, std::size_t index) {
    if (const auto id = f.integer_id()) return {*id, true};
    return {index + 1, false};
}

// What a tileset layer's features carry besides geometry: the chosen fields, the indicators of the
// year, the highlight flags and a text id. The keys every feature shares are interned once per
// tile layer.
class feature_properties {
public:
    feature_properties(const catalog::catalog& cat, const catalog::tile_layer& tl, const std::vector<std::size_t>& fields,
                       int year, layer_builder& layer)
        : m_cat{cat}, m_layer{cat.layers[tl.layer]}, m_tile_layer{tl}, m_fields{fields}, m_year{year},
          m_id_property{!m_layer.field_index("id")} {
        for (auto field : fields) m_field_keys.push_back(layer.key_index(m_layer.fields[field].name));
        for (auto ind : tl.indicators) m_indicator_keys.push_back(layer.key_index(m_layer.indicators[ind].id));
    }

    void write(const catalog::feature& f, const mvt_id& id, detail::feature_builder& out) const {
        for (std::size_t k = 0; k < m_fields.size(); ++k) out.add_property(m_field_keys[k], f.properties[m_fields[k]]);
        const auto& indicators = m_tile_layer.indicators;
        if (!indicators.empty()) {
            out.add_property("year", std::int64_t{m_year});
            const auto row = f.indicators.find(m_year);
            if (row != f.indicators.end())
                for (std::size_t k = 0; k < indicators.size(); ++k) {
                    const auto ind = indicators[k];
                    if (ind < row->second.size() && row->second[ind]) out.add_property(m_indicator_keys[k], *row->second[ind]);
                }
        }
        add_highlights(m_cat, m_layer, f, m_year, out);
        if (!id.numeric && m_id_property) out.add_property("id", f.id);
    }

private:
    const catalog::catalog& m_cat;
    const catalog::layer& m_layer;
    const catalog::tile_layer& m_tile_layer;
    const std::vector<std::size_t>& m_fields;
    int m_year;
    bool m_id_property; // a text id goes in "id" unless the layer has a field of that name
    std::vector<std::uint32_t> m_field_keys;
    std::vector<std::uint32_t> m_indicator_keys;
}; // class feature_properties

// The layer's features that touch the tile and its buffer, clipped to them.
void add_layer(const catalog::catalog& cat, const tile_frame& frame, const catalog::tile_layer& tl,
               const std::vector<std::uint32_t>& candidates, int year, tile_builder& builder) {
    const auto& l = cat.layers[tl.layer];
    layer_builder layer{builder, l.id, static_cast<std::uint32_t>(frame.extent)};
    const feature_properties props{cat, tl, tl.fields, year, layer};
    const int z = frame.id.z;
    const geometry::packed_geometries* zoom = tl.has_pixel(z) ? &tl.pixel_zoom(z) : nullptr;
    for (const auto i : candidates) {
        // Snapped at load: the box says whether the feature is in the tile, whole, or crosses it.
        if (zoom ? !zoom->bounds(i).intersects(frame.pixel_buffered) : !l.features[i].mercator_bounds.intersects(frame.buffered))
            continue;
        const auto& f = l.features[i];
        if (!f.has_geometry) continue;
        const mvt_id id = mvt_id_of(f, i);
        auto properties = [&](detail::feature_builder& out) { props.write(f, id, out); };
        if (zoom) {
            // Snapped and checked at load: a feature wholly in the tile is only shifted.
            if (zoom->empty(i)) continue;
            if (zoom->bounds(i).inside(frame.pixel_buffered)) {
                add_feature(layer, id.value, *zoom, i, frame.int_shift(), properties);
                continue;
            }
            auto clipped = clip(zoom->at(i), frame.pixel_buffered);
            if (!clipped.empty()) add_feature(layer, id.value, into_tile(std::move(clipped), frame.shift()), {0, 0}, properties);
            continue;
        }
        auto mercator = geometry::web_mercator::from_lonlat(f.lonlat);
        const auto clipped = inside(f.mercator_bounds, frame.buffered) ? std::move(mercator) : clip(mercator, frame.buffered);
        if (!clipped.empty())
            add_feature(layer, id.value, geometry::snapped_valid(frame.to_tile.apply(clipped)), {0, 0}, properties);
    }
}

// The label point in the tile's grid when this tile owns it. The tiles of a zoom split its pixel
// grid into half-open squares, [x * extent, (x + 1) * extent) across and the same down, so every
// point has exactly one tile. A point in a tile's buffer stays out: the neighbour it lies in has
// it, and a label in both tiles would be drawn twice.
std::optional<geometry::xy> owned_label(const geometry::xy& mercator, const tile_frame& frame) {
    const geometry::xy p = geometry::to_pixel_grid(mercator, frame.id.z, static_cast<int>(frame.extent));
    const geometry::xy in_tile{p.x - frame.origin.x, p.y - frame.origin.y};
    if (in_tile.x < 0 || in_tile.x >= frame.extent || in_tile.y < 0 || in_tile.y >= frame.extent) return std::nullopt;
    return in_tile;
}

// "<layer>-labels": one point per feature whose label point is in the tile, with the feature's id,
// its properties in the layer and its name.
void add_labels(const catalog::catalog& cat, const tile_frame& frame, const catalog::tile_layer& tl,
                const std::vector<std::uint32_t>& candidates, int year, tile_builder& builder) {
    const auto& l = cat.layers[tl.layer];
    layer_builder layer{builder, catalog::label_layer_name(l), static_cast<std::uint32_t>(frame.extent)};
    const feature_properties props{cat, tl, tl.label_fields, year, layer};
    const auto name_key = layer.key_index("name");
    geometry::geometry point; // one position, moved to each label in turn
    point.type = geometry::kind::point;
    point.parts.push_back({geometry::path(1)});
    for (const auto i : candidates) {
        const auto& label = tl.label_points[i];
        if (!label) continue;
        const auto in_tile = owned_label(*label, frame);
        if (!in_tile) continue;
        const auto& f = l.features[i];
        const mvt_id id = mvt_id_of(f, i);
        auto properties = [&](detail::feature_builder& out) {
            out.add_property(name_key, f.name);
            props.write(f, id, out);
        };
        point.parts[0][0][0] = *in_tile;
        add_feature(layer, id.value, point, {0, 0}, properties);
    }
}

} // namespace

int default_year(const catalog::catalog& cat) { return catalog::default_year(cat); }

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
    auto cut = geometry::clip_by_rect(geos, in.get(), box);
    return geometry::from_geos(geos, cut.get(), g.type);
}

std::string render_tile(const catalog::catalog& cat, const catalog::tileset& ts, const tile_id& tile, int year,
                        const catalog::layer* only, const filter::selection* selected) {
    const tile_frame frame{ts, tile};
    const auto sw = geometry::web_mercator::to_lonlat({frame.buffered.min_x, frame.buffered.min_y});
    const auto ne = geometry::web_mercator::to_lonlat({frame.buffered.max_x, frame.buffered.max_y});
    const geometry::box lonlat_query{sw.x, sw.y, ne.x, ne.y};

    tile_builder builder;
    for (const auto& tl : ts.layers) {
        if (tile.z < tl.minzoom || tile.z > tl.maxzoom) continue;
        const auto& l = cat.layers[tl.layer];
        if (only && only != &l) continue;
        auto candidates = l.lonlat_index.query(lonlat_query);
        if (selected) std::erase_if(candidates, [&](std::uint32_t i) { return !selected->selects(tl.layer, l.features[i]); });
        if (candidates.empty()) continue;
        add_layer(cat, frame, tl, candidates, year, builder);
        if (tl.labels) add_labels(cat, frame, tl, candidates, year, builder);
    }
    return builder.serialize();
}

} // namespace kvarter::tiles

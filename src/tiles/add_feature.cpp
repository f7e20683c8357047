#include "tiles/add_feature.hpp"

#include <cmath>
#include <limits>
#include <span>
#include <string>

namespace kvarter::tiles {

namespace {

std::int32_t tile_coordinate(double v) {
    constexpr double low = std::numeric_limits<std::int32_t>::min();
    constexpr double high = std::numeric_limits<std::int32_t>::max();
    if (!std::isfinite(v) || v != std::trunc(v) || v < low || v > high)
        throw format_error{"tile coordinate " + std::to_string(v) +
                           " is not a 32-bit integer; coordinates within a geometry must be integers (spec 4.3)"};
    return static_cast<std::int32_t>(v);
}

std::int32_t tile_coordinate(std::int64_t v) {
    if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max())
        throw format_error{"tile coordinate " + std::to_string(v) + " is not within 32 bits (spec 4.3)"};
    return static_cast<std::int32_t>(v);
}

template <class Path>
std::uint32_t point_count(const Path& p) {
    if (p.size() > max_command_count)
        throw format_error{"a path of " + std::to_string(p.size()) + " points does not fit one command (spec 4.3.1)"};
    return static_cast<std::uint32_t>(p.size());
}

void set_points(detail::feature_builder& f, const geometry::path& p, geometry::xy shift) {
    for (const auto& c : p) f.set_point(tile_coordinate(c.x + shift.x), tile_coordinate(c.y + shift.y));
}

// One feature of type Builder from every path of g, each begun by start_path(f, path, index in
// its part), then its id and properties. A feature left without geometry is rolled back (the
// builder's destructor), so an empty geometry adds nothing.
template <class Builder, class StartPath>
void build(layer_builder& layer, std::uint64_t id, const geometry::geometry& g, geometry::xy shift,
           property_writer& add_properties, StartPath start_path) {
    Builder f{layer};
    for (const auto& part : g.parts)
        for (std::size_t i = 0; i < part.size(); ++i) {
            start_path(f, part[i], i);
            set_points(f, part[i], shift);
        }
    if (!f.has_geometry()) return;
    f.set_id(id);
    add_properties(f);
    f.commit();
}

// The same from a packed geometry.
template <class Builder, class StartPath>
void build(layer_builder& layer, std::uint64_t id, const geometry::packed_geometries& zoom, std::size_t i,
           geometry::int_xy shift, property_writer& add_properties, StartPath start_path) {
    Builder f{layer};
    zoom.for_each_path(i, [&](geometry::packed_path path, std::size_t index) {
        start_path(f, path, index);
        for (const geometry::int_xy c : path)
            f.set_point(tile_coordinate(std::int64_t{c.x} + shift.x), tile_coordinate(std::int64_t{c.y} + shift.y));
    });
    if (!f.has_geometry()) return;
    f.set_id(id);
    add_properties(f);
    f.commit();
}

// The builder for each kind, and how it begins a path: one place for both geometry forms.
template <class Geometry, class... Args>
void build_by_kind(geometry::kind type, layer_builder& layer, std::uint64_t id, const Geometry& g, Args&&... args) {
    switch (type) {
    case geometry::kind::point:
        build<point_feature_builder>(layer, id, g, std::forward<Args>(args)...,
                                     [](auto& f, const auto& p, std::size_t) { f.add_points(point_count(p)); });
        break;
    case geometry::kind::line:
        build<linestring_feature_builder>(layer, id, g, std::forward<Args>(args)...,
                                          [](auto& f, const auto& p, std::size_t) { f.add_linestring(point_count(p)); });
        break;
    case geometry::kind::polygon:
        build<polygon_feature_builder>(layer, id, g, std::forward<Args>(args)..., [](auto& f, const auto& p, std::size_t i) {
            f.add_ring(point_count(p), i == 0 ? ring_role::exterior : ring_role::interior);
        });
        break;
    }
}

} // namespace

void add_feature(layer_builder& layer, std::uint64_t id, const geometry::geometry& g,
                 const std::vector<std::pair<std::string, value>>& properties) {
    auto write = [&](detail::feature_builder& f) {
        for (const auto& [key, v] : properties) f.add_property(key, v);
    };
    add_feature(layer, id, g, {0, 0}, write);
}

void add_feature(layer_builder& layer, std::uint64_t id, const geometry::geometry& g, geometry::xy shift,
                 property_writer add_properties) {
    build_by_kind(g.type, layer, id, g, shift, add_properties);
}

void add_feature(layer_builder& layer, std::uint64_t id, const geometry::packed_geometries& zoom, std::size_t i,
                 geometry::int_xy shift, property_writer add_properties) {
    build_by_kind(zoom.type(i), layer, id, zoom, i, shift, add_properties);
}

} // namespace kvarter::tiles

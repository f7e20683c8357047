#pragma once
// One kvarter geometry, already in tile coordinates, written with the builder its kind needs.

#include "core/value.hpp"
#include "geometry/geometry.hpp"
#include "geometry/packed_geometry.hpp"
#include "tiles/mvt_encoder.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::tiles {

// Adds a feature's properties with feature_builder::add_property, straight from where they live:
// a callable taken by reference, without std::function's allocation per feature.
class property_writer {
public:
    template <class Fn>
    property_writer(Fn& fn) noexcept // NOLINT(google-explicit-constructor): a callable is the point
        : m_fn{&fn}, m_call{[](void* f, detail::feature_builder& b) { (*static_cast<Fn*>(f))(b); }} {}
    void operator()(detail::feature_builder& b) const { m_call(m_fn, b); }

private:
    void* m_fn;
    void (*m_call)(void*, detail::feature_builder&);
}; // class property_writer

// Coordinates plus `shift` must be integer-valued doubles within 32 bits (tile_transform and
// the pixel grid give those); anything else throws format_error (spec 4.3). Polygon parts are
// {exterior, holes...}, in either winding. Null properties are left out, and a geometry that
// collapses entirely writes nothing.
void add_feature(layer_builder& layer, std::uint64_t id, const geometry::geometry& g, geometry::xy shift,
                 property_writer add_properties);

// The same for geometry i of a zoom packed at load (catalog::tile_layer::pixel), shifted by whole
// pixels into the tile: no copy of it is made.
void add_feature(layer_builder& layer, std::uint64_t id, const geometry::packed_geometries& zoom, std::size_t i,
                 geometry::int_xy shift, property_writer add_properties);

void add_feature(layer_builder& layer, std::uint64_t id, const geometry::geometry& tile_coords_geometry,
                 const std::vector<std::pair<std::string, value>>& properties);

} // namespace kvarter::tiles

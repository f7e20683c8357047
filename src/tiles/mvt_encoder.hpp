#pragma once
// A Mapbox Vector Tile 2.1 encoder with a builder API in the manner of vtzero, written on protozero:
//
//     tile_builder tile;
//     layer_builder districts{tile, "districts"};
//     polygon_feature_builder f{districts};
//     f.set_id(7);
//     f.add_ring(5);
//     f.set_point(0, 0); f.set_point(0, 10); f.set_point(10, 10); f.set_point(10, 0); f.set_point(0, 0);
//     f.add_property("name", value{std::string{"Nørrebro"}});
//     f.commit();
//     std::string bytes = tile.serialize();
//
// Builders take integer tile coordinates (clipping and snapping happen before, in tile_math and
// geometry). They repair what the spec forbids but the input cannot help: repeated points,
// collapsed rings and ring winding. Calls out of order are asserts, bad data throws format_error.

#include "core/value.hpp"
#include "tiles/mvt_geometry.hpp"
#include "tiles/mvt_spec.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kvarter::tiles {

namespace detail {
struct layer_data;
class feature_builder;
} // namespace detail

class tile_builder {
public:
    tile_builder();
    ~tile_builder();
    tile_builder(const tile_builder&) = delete;
    tile_builder& operator=(const tile_builder&) = delete;

    // Layers in creation order, features in commit order; layers without features are left
    // out, so a tile with nothing in it is the empty string.
    std::string serialize() const;

private:
    friend class layer_builder;
    std::vector<std::unique_ptr<detail::layer_data>> m_layers;
}; // class tile_builder

// A handle on one layer of a tile_builder, which owns the layer; the handle may go first.
class layer_builder {
public:
    // Throws format_error when the tile already has a layer of that name (spec 4.1) or extent is 0.
    layer_builder(tile_builder& tile, std::string name, std::uint32_t extent = 4096);

    const std::string& name() const noexcept;
    std::uint32_t extent() const noexcept;
    std::size_t feature_count() const noexcept;
    std::size_t key_count() const noexcept;
    // Interns a key for the whole layer, for add_property(key index, value): a caller writing
    // the same keys for every feature hashes each once per tile, not once per feature. A key
    // no committed feature uses stays in the table (the spec allows it).
    std::uint32_t key_index(std::string_view key);
    std::size_t value_count() const noexcept;

private:
    friend class detail::feature_builder;
    detail::layer_data* m_layer;
}; // class layer_builder

namespace detail {

// What all three feature builders share. Properties are interned into the layer's key and value
// tables as they arrive (no copy of each) and taken out again unless the feature is committed, so
// a builder dropped early (an exception while reading a source row) leaves the layer as it was.
// Hence one feature builder per layer at a time, as in vtzero.
class feature_builder {
public:
    feature_builder(const feature_builder&) = delete;
    feature_builder& operator=(const feature_builder&) = delete;

    void set_id(std::uint64_t id);
    // A null value is left out: an MVT value must hold exactly one typed field (spec 4.1).
    void add_property(std::string_view key, const value& v);
    // The same with a key from layer_builder::key_index.
    void add_property(std::uint32_t key_index, const value& v);
    // One vertex of the point list, line or ring begun last, in tile coordinates.
    void set_point(std::int32_t x, std::int32_t y);
    void set_point(tile_point p) { set_point(p.x, p.y); }

    // Ends the geometry and tells whether any is left after dropping repeated points and
    // degenerate parts; a caller that asks before adding properties interns none in vain.
    bool has_geometry();
    // Writes the feature and returns true, or returns false and writes nothing when no
    // geometry is left.
    bool commit();
    // Forgets the feature; the layer's features, keys and values stay as they were.
    void rollback();

protected:
    feature_builder(layer_builder& layer, geom_type type);
    ~feature_builder(); // rolls back a feature that was not committed

    void begin_part(std::uint32_t count, bool exterior = true);

private:
    void encode_geometry();

    layer_data* m_layer;
    geom_type m_type;
    std::optional<std::uint64_t> m_id;
    std::size_t m_key_mark; // the layer's table sizes when this feature began, for rollback
    std::size_t m_value_mark;
    bool m_encoded = false; // the geometry is in the layer's command stream
    bool m_done = false;
}; // class feature_builder

} // namespace detail

// A point or multipoint: add_point(x, y), or add_points(n) then n set_point() calls.
class point_feature_builder : public detail::feature_builder {
public:
    explicit point_feature_builder(layer_builder& layer) : feature_builder{layer, geom_type::point} {}

    void add_point(std::int32_t x, std::int32_t y);
    void add_points(std::uint32_t count) { begin_part(count); }
}; // class point_feature_builder

// A linestring or multilinestring: per line, add_linestring(n) then n set_point() calls.
class linestring_feature_builder : public detail::feature_builder {
public:
    explicit linestring_feature_builder(layer_builder& layer) : feature_builder{layer, geom_type::linestring} {}

    void add_linestring(std::uint32_t count) { begin_part(count); }
}; // class linestring_feature_builder

enum class ring_role { exterior, interior };

// A polygon or multipolygon: per ring, add_ring(n, role) then n set_point() calls. An exterior
// ring starts a polygon, interior rings are holes of the polygon started last. The ring may be
// closed or open and wound either way: the builder orients it as spec 4.3.4.4 wants.
class polygon_feature_builder : public detail::feature_builder {
public:
    explicit polygon_feature_builder(layer_builder& layer) : feature_builder{layer, geom_type::polygon} {}

    void add_ring(std::uint32_t count, ring_role role = ring_role::exterior) {
        begin_part(count, role == ring_role::exterior);
    }
}; // class polygon_feature_builder

} // namespace kvarter::tiles

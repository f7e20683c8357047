#pragma once
// The catalog: an immutable snapshot of every loaded layer, shared by all request threads
// (std::shared_ptr<const catalog>) and replaced whole on reload, never edited in place.

#include "catalog/config.hpp"
#include "core/value.hpp"
#include "geometry/geometry.hpp"
#include "geometry/packed_geometry.hpp"
#include "geometry/spatial_index.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kvarter::catalog {

struct field {
    std::string name;
    value_type type = value_type::string;
    bool derived = false; // computed at load (spatial join), not read from the source
};

struct indicator {
    std::string id;
    std::string label;
    std::string unit;
    direction dir = direction::neutral;
    provenance origin = provenance::unstated;
    std::string source_note;
};

// A feature of an area layer (district, deprived area, renewal zone, Green Team) that a
// feature overlaps, found by the spatial join at load.
struct area_ref {
    std::uint32_t layer; // index into catalog::layers
    std::uint32_t feature;
    double overlap; // m² for polygons, 1 for points and lines
};

struct feature {
    std::string id; // stable across restarts: the id_field's value or the source's feature id
    bool numeric_id = false;
    std::string name;
    bool has_geometry = false;
    geometry::geometry analysis; // in the analysis CRS (metres)
    geometry::geometry lonlat; // WGS84, x = longitude; web_mercator::from_lonlat gives the tiles' copy
    geometry::box lonlat_bounds;
    geometry::box analysis_bounds;
    geometry::box mercator_bounds; // also holds every simplified form, which keeps a subset of the vertices
    std::vector<value> properties; // aligned with layer::fields
    // year -> values aligned with layer::indicators; a missing value is nullopt.
    std::map<int, std::vector<std::optional<double>>> indicators;
    std::vector<area_ref> areas; // every area it overlaps, largest first within each layer
    std::vector<std::string> members; // a derived feature: the ids of the features it was built from

    // The id as an integer when it is one (MVT ids are integers; other ids travel as text).
    std::optional<std::uint64_t> integer_id() const noexcept;
};

// What loading a layer found, for `kvarter check` and the startup log.
struct layer_report {
    std::size_t features = 0;
    std::size_t repaired = 0;
    std::size_t without_geometry = 0;
    std::size_t emptied_by_repair = 0; // invalid input whose repair left nothing of its kind
    std::vector<std::string> repair_examples; // "id: reason"
    struct join {
        std::string source;
        std::size_t rows = 0;
        std::size_t matched_rows = 0;
        std::size_t unmatched_rows = 0;
        std::vector<std::string> unmatched_keys; // distinct table keys with no feature (first few)
        std::size_t features_without_rows = 0;
        std::size_t bad_values = 0; // cells that were neither empty nor a number (tables that count them)
        std::map<int, std::size_t> first_line_of_year; // where each year first appears, for messages
    };
    std::vector<join> joins;
    std::size_t spatially_joined = 0;
    std::string socio_index; // what the SØK index was built from, or why the layer has none; empty: no analysis
    std::vector<std::string> derivation_lines; // a derived layer: what it was built from, a line per feature or group
};

// How a derived layer was made, for its metadata and `kvarter check`.
struct derivation {
    std::string method; // "union", "renewal_programmes", "inside"
    std::vector<std::string> from; // layer ids
    std::string rule; // the rule in plain words
    std::string note; // the config's own words
};

class layer {
public:
    std::string id;
    std::string title;
    std::string description;
    layer_role role = layer_role::none;
    std::string name_field; // the field features are named by; empty: their ids
    std::optional<catalog::derivation> derived; // set: computed at load from other layers
    geometry::kind geometry_kind = geometry::kind::polygon;
    std::vector<field> fields;
    std::vector<feature> features;
    std::vector<indicator> indicators;
    std::vector<int> years; // ascending
    bool text_ids = false; // some feature's id is no integer (tiles then carry it as an "id" property)
    geometry::box lonlat_extent;
    geometry::spatial_index lonlat_index;
    geometry::spatial_index analysis_index;
    layer_report report;

    std::optional<std::size_t> field_index(const std::string& name) const;
    std::optional<std::size_t> indicator_index(const std::string& name) const;
    const feature* find(const std::string& feature_id) const;
    // Call once the features are final: builds the id map, the indexes and the extent.
    void build_indexes();

private:
    std::unordered_map<std::string, std::size_t> m_by_id;
}; // class layer

// The one rule for a year a route needs indicator data for: throws bad_request naming
// `parameter` and listing the layer's years unless the layer has data for `year`.
void require_data_year(const layer& l, int year, const std::string& parameter = "year");

// A number field of a feature (integers widened), or nothing when the field is absent, null or text.
std::optional<double> field_number(const layer& l, const feature& f, const std::string& field);

// A tileset ready to cut tiles from: which layers, from which zoom, with which properties,
// and their geometry in Web Mercator simplified once per zoom at load.
struct tile_layer {
    std::size_t layer = 0; // index into catalog::layers
    int minzoom = 0;
    int maxzoom = 22;
    std::vector<std::size_t> fields; // indexes into the layer's fields
    std::vector<std::size_t> indicators; // indexes into the layer's indicators
    // pixel[z - minzoom] for the zooms from minzoom to min(maxzoom, 18): every feature, in order,
    // simplified for that zoom, in the zoom's pixel grid (geometry/pixel_grid.hpp), checked and
    // repaired after snapping, packed with its box (geometry/packed_geometry.hpp). A tile holding a
    // feature whole only shifts it. Deeper zooms project the layer's lon/lat geometry and cut it tile by tile.
    std::vector<geometry::packed_geometries> pixel;
    // "labels" on a polygon layer: beside it, a point layer (label_layer_name) with one point per
    // feature for styles to write its name at. label_points[feature] is that point in Web Mercator
    // (geometry/label_point.hpp), nullopt for a feature without geometry. The points carry the
    // layer's properties, with label_fields for its fields: every field but one called "name",
    // whose place the feature's name takes.
    bool labels = false;
    std::vector<std::optional<geometry::xy>> label_points;
    std::vector<std::size_t> label_fields;

    bool has_pixel(int z) const { return z >= minzoom && static_cast<std::size_t>(z - minzoom) < pixel.size(); }
    const geometry::packed_geometries& pixel_zoom(int z) const { return pixel[static_cast<std::size_t>(z - minzoom)]; }
};

// The MVT layer of a labelled layer's label points: "<layer id>-labels".
inline std::string label_layer_name(const layer& l) { return l.id + "-labels"; }

struct tileset {
    std::string name;
    std::string title;
    std::string description;
    int extent = 4096;
    int buffer = 64;
    std::vector<tile_layer> layers;
    int minzoom() const;
    int maxzoom() const;
};

class catalog {
public:
    std::string title;
    std::string description;
    std::string attribution;
    std::string analysis_crs;
    std::size_t max_polygon_vertices = 10000; // largest polygon a request may send
    std::vector<std::string> write_origins;   // proposals.write_origins: other origins whose pages may write
    std::vector<layer> layers;
    std::vector<tileset> tilesets;
    std::map<std::string, std::string> styles; // name -> MapLibre style JSON text, checked at load
    std::filesystem::path web_dir; // the map viewer's files, served at /map/
    std::optional<analysis_config> analysis; // the config's "analysis" key with its rule sets; nullopt: none

    const layer* find(const std::string& layer_id) const;
    const tileset* find_tileset(const std::string& name) const;
    // The first tileset that draws the layer, and the layer's entry in it; nullptr when none does.
    std::pair<const tileset*, const tile_layer*> first_tiling(const layer& l) const;
    const layer* first_with_role(layer_role role) const;
}; // class catalog

} // namespace kvarter::catalog

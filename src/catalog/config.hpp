#pragma once
// The configuration file: which layers to load, from where, and which indicator tables
// to join to them. Parsing is strict: an unknown key is an error, not a silent default.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::catalog {

enum class layer_role { none, district, deprived_area, renewal_zone, green_team, housing_department, housing_area, facility };
enum class direction { higher_is_better, higher_is_worse, neutral };

const char* to_string(layer_role role) noexcept;
const char* to_string(direction d) noexcept;

struct layer_config {
    std::string id;
    std::string title;
    std::string description;
    std::string source; // a path made absolute against the config's folder, or a GDAL connection string
    std::string source_layer; // empty: the source's first layer
    std::string source_crs; // empty: the CRS the source declares
    std::string id_field; // empty: the source's feature id
    std::string name_field;
    layer_role role = layer_role::none;
    std::optional<std::vector<std::string>> properties; // nullopt: all of the source's fields
};

struct indicator_column {
    std::string column; // the table's column, also the indicator's id
    std::string label;
    std::string unit;
    direction dir = direction::neutral;
};

struct indicator_table_config {
    std::string source;
    std::string source_layer;
    std::string layer; // the id of the layer the rows join to
    std::string key; // the table's column holding the layer key
    std::string layer_key; // the layer's field matched against `key`; empty: the layer's id_field
    std::string year; // the table's year column
    std::vector<indicator_column> columns;
};

// One layer of a vector tileset (tiles/*.json).
struct tileset_layer_config {
    std::string layer; // a layer id
    int minzoom = 0;
    int maxzoom = 22;
    double simplify_px = 1.0; // Douglas-Peucker tolerance in tile pixels (of the extent grid)
    std::optional<std::vector<std::string>> properties; // nullopt: every field
};

struct tileset_config {
    std::string name;
    std::string title;
    std::string description;
    std::string file; // where it was defined, for messages; empty for the built-in default
    int extent = 4096;
    int buffer = 64; // in extent units, around each tile
    std::vector<tileset_layer_config> layers;
};

struct server_config {
    std::size_t tile_cache_bytes = 64u << 20;
    std::size_t body_limit_bytes = 1 << 20;
    std::size_t header_limit_bytes = 16 * 1024;
    int idle_timeout_seconds = 30;
};

struct config {
    std::filesystem::path file;
    std::string title = "kvarter";
    std::string description;
    std::string analysis_crs = "EPSG:25832";
    std::string attribution;
    std::vector<layer_config> layers;
    std::vector<indicator_table_config> indicators;
    std::vector<tileset_config> tilesets; // never empty: without a "tilesets" folder, one with every layer
    std::filesystem::path styles_dir; // MapLibre styles; empty: none
    server_config server;
};

// Reads and validates the file; throws config_error naming the file and the key.
config load_config(const std::filesystem::path& file);
// The same from text, with relative sources resolved against `file`'s folder.
config parse_config(const std::string& text, const std::filesystem::path& file);

} // namespace kvarter::catalog

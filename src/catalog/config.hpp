#pragma once
// The configuration file: which layers to load, from where, and which indicator tables
// to join to them. Parsing is strict: an unknown key is an error, not a silent default.

#include "catalog/rule_set.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::catalog {

enum class layer_role { none, district, deprived_area, renewal_zone, green_team, housing_department, housing_area, facility };
enum class direction { higher_is_better, higher_is_worse, neutral };
// Where an indicator's figures come from: a published statistic (with its source), numbers made
// up to exercise the analyses, or computed by kvarter from published ones (the SØK index of
// published components; one synthetic component makes the result synthetic). Shown with every
// figure, per indicator.
enum class provenance { unstated, published, synthetic, derived };

const char* to_string(layer_role role) noexcept;
const char* to_string(direction d) noexcept;
const char* to_string(provenance p) noexcept;

// A layer computed at load from layers loaded before it, instead of read from a source.
struct derive_config {
    enum class method {
        union_of_members, // one feature per group of a table of (group, member) rows: the union of its members
        renewal_programmes, // one zone per area-renewal programme, outlined from its tagged buildings
        inside_areas, // the features of `from` lying in the areas of `within`, cut to them
    };
    method how = method::union_of_members;
    std::string from; // the layer it is built from
    std::string note; // the config's own words, shown with the rule in the layer's metadata
    // union_of_members: the table (any GDAL source, usually CSV) and its columns.
    std::string members;
    std::string group_key = "group_id";
    std::string group_name = "group_name";
    std::string member_key = "member_id"; // empty cells: a group without members, kept without geometry
    std::string match_field; // the field of `from` that member_key names; empty: its id
    std::string member_name; // optional column checked against the member's name
    std::string reason; // optional column: why the member belongs, or why a group has none
    // renewal_programmes: the buildings' tag field, the tag -> programme table and the programmes.
    std::string tag_field;
    std::string tags; // columns tag, programme_id, note
    std::string programmes; // columns programme_id, name, end_year, end_year_source
    double closing_m = 60; // buildings closer than twice this are outlined as one part
    int assumed_years = 5; // a programme without a known end year ends this many years after its start
    // inside_areas
    std::string within;
    double min_share = 0.5; // the share of a feature's area that must lie in the areas
    int start_year = 0; // 0: none
};

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
    std::optional<derive_config> derive; // set: computed at load, `source` is empty
};

struct indicator_column {
    std::string column; // the table's column, also the indicator's id
    std::string label;
    std::string unit;
    direction dir = direction::neutral;
    provenance origin = provenance::unstated;
    std::string source_note; // the publisher and table for published figures, how they were made for synthetic ones
};

struct indicator_table_config {
    std::string source;
    std::string source_layer;
    std::string layer; // the id of the layer the rows join to
    std::string key; // the table's column holding the layer key
    std::string layer_key; // the layer's field matched against `key`; empty: the layer's id_field
    std::string year; // the table's year column
    std::vector<indicator_column> columns;
    // A cell that is neither empty nor a number: stops the load naming file, line and column, or
    // (for messy sources a user takes as they are) is counted in the report and left empty.
    enum class on_non_number { error, count };
    on_non_number non_numbers = on_non_number::error;
};

// One layer of a vector tileset (tiles/*.json).
struct tileset_layer_config {
    std::string layer; // a layer id
    int minzoom = 0;
    int maxzoom = 22;
    double simplify_px = 1.0; // Douglas-Peucker tolerance in tile pixels (of the extent grid)
    std::optional<std::vector<std::string>> properties; // nullopt: every field
    bool labels = false; // a "<layer>-labels" layer of one label point per feature (polygon layers)
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
    int idle_timeout_seconds = 30; // a kept-alive connection waiting for its next request
    int request_timeout_seconds = 30; // reading one request, first byte to last
    std::size_t max_connections = 1024; // past it: a 503 and close
    std::size_t keepalive_requests = 1000; // requests per connection
    int shutdown_timeout_seconds = 10; // SIGTERM: how long in-flight requests may take
    std::size_t worker_threads = 2; // reloads, proposal writes, overlay analyses
    std::size_t worker_queue = 64; // waiting beyond those running; past it: a 503
    std::size_t slow_request_ms = 1000; // answers slower than this are logged as warnings
    std::size_t max_polygon_vertices = 10000;
};

// The "analysis" key: the socio-economic index (SØK) and its screening, the ministry's list
// rules for housing areas and the 40 plus departments. Layer ids left empty are resolved by
// role (the first housing_department / housing_area layer); see README "Analyses".
struct analysis_config {
    // indicator id -> weight, in the config's order; nullopt: every indicator of a layer that has a
    // direction, weight 1. Weights are relative (normalised to sum 1).
    std::optional<std::vector<std::pair<std::string, double>>> index_weights;
    int screening_quintile = 5; // units in this quintile or worse (5 = the most deprived fifth) are screened
    double renewal_cover_share = 0.5; // units at least this much covered by active renewal zones are left out
    std::string screening_layer; // empty: the housing-department layer, else the first layer with an index
    std::string housing_layer; // the departments that make up housing areas
    std::string group_field = "housing_area"; // the departments' field naming their area
    std::string areas_layer; // the areas' outlines and names (its ids match group_field); may be empty
    std::string residents_indicator = "residents"; // the weight of resident-weighted means
    // Where an area's figures come from: aggregated from its departments, or the areas layer's
    // own (published) values, read as they are.
    enum class values_source { departments, areas };
    values_source values_from = values_source::departments;
    std::string published_status; // with areas: an indicator of the areas layer, 1 when the area was on the published list
    std::string published_new; // with areas: 1 when the area entered the published list that year
    std::filesystem::path rules_dir; // empty: no rule sets
    std::vector<rule_set> rule_sets;
    std::string forty_plus_layer;
    std::string forty_plus_indicator = "outside_labour_force_share";
    double forty_plus_threshold = 40; // a department is 40 plus when its share is strictly above this
    std::string dwellings_field = "dwellings";
    // Whether the config named these parts; defaults that do not fit the data leave the part
    // unavailable, named ones that do not fit are errors.
    bool housing_areas_given = false;
    bool forty_plus_given = false;
};

// The "proposals" key: where planners' proposals are stored and who may write them.
struct proposals_config {
    std::string store; // a GeoPackage path made absolute against the config's folder, or "PG:…"; empty: the default
    std::filesystem::path tokens_file; // "token name" lines; empty: none (KVARTER_TOKENS only)
    std::size_t max_vertices = 10000; // largest polygon a proposal may have
    // Origins ("https://plan.example.dk") besides the server's own whose browser pages may write.
    std::vector<std::string> write_origins;
    std::size_t write_wait_ms = 2000; // a write waits at most this for the store's lock, then 503
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
    std::filesystem::path web_dir; // the map viewer's built files, served at /map/ ("web", default ../web/dist)
    server_config server;
    proposals_config proposals;
    std::optional<analysis_config> analysis; // nullopt: the config has no "analysis" key
};

// Reads and validates the file; throws config_error naming the file and the key.
config load_config(const std::filesystem::path& file);
// The same from text, with relative sources resolved against `file`'s folder.
config parse_config(const std::string& text, const std::filesystem::path& file);

} // namespace kvarter::catalog

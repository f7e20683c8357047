#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "catalog/rule_set.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::catalog;
using ::testing::HasSubstr;

namespace {

const char* two_squares = R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},
 "features":[
  {"type":"Feature","properties":{"nr":1,"navn":"Vest"},"geometry":{"type":"Polygon","coordinates":[[[720000,6170000],[721000,6170000],[721000,6171000],[720000,6171000],[720000,6170000]]]}},
  {"type":"Feature","properties":{"nr":2,"navn":"Øst"},"geometry":{"type":"Polygon","coordinates":[[[721000,6170000],[722000,6170000],[722000,6171000],[721000,6171000],[721000,6170000]]]}}]})";

// Writes the squares and the config text into a folder; returns the config's path.
std::filesystem::path setup(const std::string& name, const std::string& config_text, const std::string& csv = {}) {
    const auto dir = test::temp_dir("config-" + name);
    test::write_file(dir / "squares.geojson", two_squares);
    if (!csv.empty()) test::write_file(dir / "values.csv", csv);
    test::write_file(dir / "kvarter.json", config_text);
    return dir / "kvarter.json";
}

std::string error_of(const std::filesystem::path& file) {
    try {
        load_catalog(load_config(file));
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string good_layer = R"({"id":"districts","source":"squares.geojson","id_field":"nr","name_field":"navn","role":"district"})";

} // namespace

TEST(config, a_good_config_loads_with_defaults) {
    const auto file = setup("good", R"({"layers":[)" + good_layer + "]}");
    const auto cfg = load_config(file);
    EXPECT_EQ(cfg.analysis_crs, "EPSG:25832");
    ASSERT_EQ(cfg.layers.size(), 1u);
    EXPECT_EQ(cfg.layers[0].role, layer_role::district);
    EXPECT_EQ(cfg.layers[0].title, "districts");
    EXPECT_FALSE(cfg.layers[0].properties.has_value());
    EXPECT_TRUE(std::filesystem::path{cfg.layers[0].source}.is_absolute());
    const auto cat = load_catalog(cfg);
    EXPECT_EQ(cat->layers[0].features.size(), 2u);
}

TEST(config, bad_json_names_the_file) {
    const auto file = setup("json", R"({"layers": [)");
    EXPECT_THAT(error_of(file), HasSubstr(file.string()));
    EXPECT_THAT(error_of(file), HasSubstr("not valid JSON"));
}

TEST(config, a_number_out_of_range_is_a_config_error_naming_the_file) {
    // Found by fuzzing: 1e999 threw the JSON library's out_of_range past the config's own errors.
    for (const char* text : {R"({"max_polygon_vertices": 1e999, "layers": []})", "666E766"}) {
        const auto file = setup("huge-number", text);
        EXPECT_THAT(error_of(file), HasSubstr(file.string())) << text;
        EXPECT_THAT(error_of(file), HasSubstr("too large")) << text;
    }
    try {
        parse_rule_set(R"({"name": "x", "threshold": 1e999})", "rules.json");
        FAIL() << "accepted";
    } catch (const config_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("rules.json"));
    }
}

TEST(config, a_source_name_too_long_for_the_file_system_is_just_no_file) {
    // Found by fuzzing: std::filesystem::exists threw "File name too long" out of the parser.
    const std::string source(5000, 'x');
    const auto cfg = parse_config(R"({"layers":[{"id":"d","source":")" + source + R"(","id_field":"nr","role":"district"}]})",
                                  "/fuzz/kvarter.json");
    ASSERT_EQ(cfg.layers.size(), 1u);
    EXPECT_EQ(cfg.layers[0].source, "/fuzz/" + source);
}

TEST(config, a_rule_sets_first_year_is_a_year) {
    // Found by fuzzing: 1e300 was cast to int (undefined behaviour) instead of refused.
    for (const char* from : {"1e300", "-5", "2013.5"}) {
        try {
            parse_rule_set(std::string{R"({"name": "x", "in_force_from": )"} + from + "}", "rules.json");
            FAIL() << from << " accepted";
        } catch (const config_error& e) {
            EXPECT_THAT(e.what(), HasSubstr("in_force_from")) << from;
        }
    }
}

TEST(config, an_unknown_key_is_named_with_its_path) {
    EXPECT_THAT(error_of(setup("unknown-top", R"({"layers":[)" + good_layer + R"(],"colour":"red"})")),
                HasSubstr(": colour: unknown key"));
    const auto layer = R"({"id":"x","source":"squares.geojson","rolle":"district"})";
    EXPECT_THAT(error_of(setup("unknown-layer", std::string{R"({"layers":[)"} + layer + "]}")),
                HasSubstr("layers[0].rolle: unknown key"));
}

TEST(config, a_missing_field_is_named) {
    EXPECT_THAT(error_of(setup("missing", R"({"layers":[{"id":"x"}]})")),
                HasSubstr("layers[0].source: missing; expected a string"));
    EXPECT_THAT(error_of(setup("no-layers", R"({"title":"x"})")), HasSubstr("layers: missing"));
}

TEST(config, an_unknown_role_lists_the_known_ones) {
    const auto e = error_of(setup("role", R"({"layers":[{"id":"x","source":"squares.geojson","role":"distrct"}]})"));
    EXPECT_THAT(e, HasSubstr("layers[0].role: unknown role \"distrct\""));
    EXPECT_THAT(e, HasSubstr("deprived_area"));
}

TEST(config, wrong_types_and_duplicate_ids_are_errors) {
    EXPECT_THAT(error_of(setup("type", R"({"layers":[{"id":7,"source":"squares.geojson"}]})")),
                HasSubstr("layers[0].id: expected a string"));
    EXPECT_THAT(error_of(setup("dup", R"({"layers":[)" + good_layer + "," + good_layer + "]}")),
                HasSubstr("layers[1].id: duplicate layer id"));
    EXPECT_THAT(error_of(setup("badid", R"({"layers":[{"id":"a b","source":"squares.geojson"}]})")),
                HasSubstr("layers[0].id: expected letters"));
}

TEST(config, a_source_gdal_cannot_open_is_named_with_gdals_reason) {
    const auto e = error_of(setup("source", R"({"layers":[{"id":"x","source":"nowhere.gpkg"}]})"));
    EXPECT_THAT(e, HasSubstr("layers[0].source: GDAL cannot open"));
    EXPECT_THAT(e, HasSubstr("nowhere.gpkg"));
}

TEST(config, fields_that_the_source_lacks_are_named_with_the_fields_it_has) {
    const auto e = error_of(setup("field", R"({"layers":[{"id":"x","source":"squares.geojson","id_field":"nummer"}]})"));
    EXPECT_THAT(e, HasSubstr("layers[0].id_field: no field \"nummer\""));
    EXPECT_THAT(e, HasSubstr("nr, navn"));
    EXPECT_THAT(error_of(setup("props", R"({"layers":[{"id":"x","source":"squares.geojson","properties":["navn","areal"]}]})")),
                HasSubstr("layers[0].properties[1]: no field \"areal\""));
}

TEST(config, a_join_key_not_in_the_table_is_named) {
    const std::string indicators =
        R"(,"indicators":[{"source":"values.csv","layer":"districts","key":"bydel","year":"year",
           "columns":{"share":{"label":"Andel","unit":"%","direction":"higher_is_worse"}}}]})";
    const auto e = error_of(setup("join", R"({"layers":[)" + good_layer + "]" + indicators, "nr,year,share\n1,2012,3\n"));
    EXPECT_THAT(e, HasSubstr("indicators[0].key: no column \"bydel\""));
    EXPECT_THAT(e, HasSubstr("nr, year, share"));
}

TEST(config, indicators_must_name_a_layer_and_a_direction) {
    EXPECT_THAT(error_of(setup("join-layer", R"({"layers":[)" + good_layer +
                                                 R"(],"indicators":[{"source":"values.csv","layer":"bydele","key":"nr","year":"year","columns":{"share":{"label":"A","direction":"neutral"}}}]})")),
                HasSubstr("indicators[0].layer: no layer with id \"bydele\""));
    EXPECT_THAT(error_of(setup("join-dir", R"({"layers":[)" + good_layer +
                                               R"(],"indicators":[{"source":"values.csv","layer":"districts","key":"nr","year":"year","columns":{"share":{"label":"A","direction":"up"}}}]})")),
                HasSubstr("indicators[0].columns.share.direction: unknown direction \"up\""));
}

TEST(config, the_analysis_crs_must_be_projected) {
    EXPECT_THAT(error_of(setup("crs", R"({"analysis_crs":"EPSG:4326","layers":[)" + good_layer + "]}")),
                HasSubstr("analysis_crs: expected a projected CRS"));
    EXPECT_THAT(error_of(setup("crs2", R"({"analysis_crs":"EPSG:0","layers":[)" + good_layer + "]}")),
                HasSubstr("analysis_crs: unknown coordinate reference system"));
}

TEST(config, server_limits_are_read) {
    const auto cfg = load_config(setup("server", R"({"layers":[)" + good_layer +
                                                     R"(],"server":{"body_limit_bytes":1000,"idle_timeout_seconds":5}})"));
    EXPECT_EQ(cfg.server.body_limit_bytes, 1000u);
    EXPECT_EQ(cfg.server.idle_timeout_seconds, 5);
    EXPECT_THAT(error_of(setup("server-bad", R"({"layers":[)" + good_layer + R"(],"server":{"body_limit_bytes":-1}})")),
                HasSubstr("server.body_limit_bytes: expected a positive integer"));
}

TEST(config, every_server_limit_and_the_store_wait_are_keys) {
    const auto cfg = load_config(setup(
        "server-all", R"({"layers":[)" + good_layer +
                          R"(],"server":{"request_timeout_seconds":7,"max_connections":9,"keepalive_requests":11,)"
                          R"("shutdown_timeout_seconds":13,"worker_threads":3,"worker_queue":17,"slow_request_ms":19},)"
                          R"("proposals":{"write_wait_ms":23}})"));
    EXPECT_EQ(cfg.server.request_timeout_seconds, 7);
    EXPECT_EQ(cfg.server.max_connections, 9u);
    EXPECT_EQ(cfg.server.keepalive_requests, 11u);
    EXPECT_EQ(cfg.server.shutdown_timeout_seconds, 13);
    EXPECT_EQ(cfg.server.worker_threads, 3u);
    EXPECT_EQ(cfg.server.worker_queue, 17u);
    EXPECT_EQ(cfg.server.slow_request_ms, 19u);
    EXPECT_EQ(cfg.proposals.write_wait_ms, 23u);
    EXPECT_THAT(error_of(setup("server-bad-queue", R"({"layers":[)" + good_layer + R"(],"server":{"worker_queue":0}})")),
                HasSubstr("server.worker_queue: expected a positive integer"));
    EXPECT_THAT(error_of(setup("server-typo", R"({"layers":[)" + good_layer + R"(],"server":{"max_conections":5}})")),
                HasSubstr("max_conections"));
}

#include "core/json_text.hpp"
#include "features/geojson_writer.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace kvarter;
using json = nlohmann::json;

TEST(json_text, numbers_are_rounded_to_the_requested_decimals_without_trailing_zeros) {
    std::string out;
    json_text::append_number(out, 12.123456789, 7);
    EXPECT_EQ(out, "12.1234568");
    out.clear();
    json_text::append_number(out, 55.5, 7);
    EXPECT_EQ(out, "55.5");
    out.clear();
    json_text::append_number(out, -0.00000001, 7);
    EXPECT_EQ(out, "0");
    out.clear();
    json_text::append_number(out, 3.0, 7);
    EXPECT_EQ(out, "3");
}

TEST(json_text, strings_are_escaped_and_danish_letters_kept) {
    std::string out;
    json_text::append_string(out, "Ø \"x\"\n\\\x01");
    EXPECT_EQ(out, "\"Ø \\\"x\\\"\\n\\\\\\u0001\"");
    EXPECT_EQ(json::parse(out).get<std::string>(), "Ø \"x\"\n\\\x01");
}

TEST(geojson_writer, a_feature_has_its_id_geometry_properties_and_indicators_for_the_year) {
    catalog::layer l;
    l.id = "x";
    l.fields = {{"navn", value_type::string, false}, {"n", value_type::integer, false}};
    l.indicators = {{"share", "Andel", "%", catalog::direction::higher_is_worse}};
    l.years = {2012, 2013};
    catalog::feature f;
    f.id = "a-1";
    f.has_geometry = true;
    f.lonlat.type = geometry::kind::polygon;
    f.lonlat.parts.push_back({{{12.000000049, 55.0}, {12.1, 55.0}, {12.1, 55.1}, {12.000000049, 55.0}}});
    f.properties = {std::string{"Nørrebro"}, std::int64_t{7}};
    f.indicators[2013] = {41.5};

    std::string out;
    features::write_feature(out, l, f, features::property_selection::all(l), 2013);
    const auto j = json::parse(out);
    EXPECT_EQ(j["id"], "a-1");
    EXPECT_EQ(j["geometry"]["type"], "Polygon");
    EXPECT_EQ(j["geometry"]["coordinates"][0][0][0].get<double>(), 12.0);
    EXPECT_EQ(j["properties"]["navn"], "Nørrebro");
    EXPECT_EQ(j["properties"]["n"], 7);
    EXPECT_EQ(j["properties"]["year"], 2013);
    EXPECT_EQ(j["properties"]["share"], 41.5);

    out.clear();
    features::write_feature(out, l, f, features::property_selection::all(l), 2012);
    EXPECT_TRUE(json::parse(out)["properties"]["share"].is_null()); // no row that year

    f.has_geometry = false;
    f.id = "17";
    f.numeric_id = true;
    out.clear();
    features::write_feature(out, l, f, {}, std::nullopt);
    const auto bare = json::parse(out);
    EXPECT_EQ(bare["id"], 17);
    EXPECT_TRUE(bare["geometry"].is_null());
    EXPECT_TRUE(bare["properties"].empty());
}

TEST(geojson_writer, multi_geometries_keep_their_type) {
    geometry::geometry g;
    g.type = geometry::kind::point;
    g.multi = true;
    g.parts.push_back({{{1, 2}}});
    std::string out;
    features::write_geometry(out, g);
    EXPECT_EQ(out, R"({"type":"MultiPoint","coordinates":[[1,2]]})");
}

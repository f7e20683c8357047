#include "core/error.hpp"
#include "features/items_query.hpp"
#include "http/params.hpp"

#include <gtest/gtest.h>

using namespace kvarter;

namespace {

catalog::layer sample_layer() {
    catalog::layer l;
    l.id = "deps";
    l.fields = {{"navn", value_type::string, false}, {"dwellings", value_type::integer, false}};
    l.indicators = {{"share", "Andel", "%", catalog::direction::higher_is_worse}};
    l.years = {2010, 2013};
    return l;
}

http::request get(const std::string& target) {
    http::request r;
    r.target = target;
    http::parse_target(r);
    return r;
}

std::string parameter_of(const std::string& target) {
    const auto l = sample_layer();
    try {
        features::parse_items_query(get(target), l);
    } catch (const bad_request& e) {
        return e.parameter();
    }
    return "(accepted)";
}

} // namespace

TEST(items_query, defaults) {
    const auto l = sample_layer();
    const auto q = features::parse_items_query(get("/x"), l);
    EXPECT_EQ(q.limit, 100u);
    EXPECT_EQ(q.offset, 0u);
    EXPECT_EQ(q.year, 2013); // the latest
    EXPECT_TRUE(q.boxes.empty());
    EXPECT_EQ(q.selection.fields.size(), 2u);
}

TEST(items_query, bad_values_name_their_parameter) {
    EXPECT_EQ(parameter_of("/x?limit=-1"), "limit");
    EXPECT_EQ(parameter_of("/x?limit=0"), "limit");
    EXPECT_EQ(parameter_of("/x?limit=5&limit=6"), "limit");
    EXPECT_EQ(parameter_of("/x?year=1899"), "year");
    EXPECT_EQ(parameter_of("/x?limit=abc"), "limit");
    EXPECT_EQ(parameter_of("/x?offset=-5"), "offset");
    EXPECT_EQ(parameter_of("/x?bbox=1,2,3"), "bbox");
    EXPECT_EQ(parameter_of("/x?bbox=1,2,x,4"), "bbox");
    EXPECT_EQ(parameter_of("/x?bbox=12,56,13,55"), "bbox");
    EXPECT_EQ(parameter_of("/x?bbox=12,55,200,56"), "bbox");
    EXPECT_EQ(parameter_of("/x?year=2011"), "year");
    EXPECT_EQ(parameter_of("/x?year=next"), "year");
    EXPECT_EQ(parameter_of("/x?properties=navn,colour"), "properties");
    EXPECT_EQ(parameter_of("/x?colour=red"), "colour");
    EXPECT_EQ(parameter_of("/x?f=html"), "f");
    EXPECT_EQ(parameter_of("/x?limit=10000&offset=3&bbox=12,55,13,56&year=2010&navn=A&f=json"), "(accepted)");
}

// OGC API Features 7.15.2: a limit above the server's maximum is no error, it is the maximum.
TEST(items_query, a_limit_above_the_maximum_is_clamped_to_it) {
    const auto l = sample_layer();
    EXPECT_EQ(features::parse_items_query(get("/x?limit=10001"), l).limit, 10000u);
    EXPECT_EQ(features::parse_items_query(get("/x?limit=99999999999999999999999"), l).limit, 10000u);
    EXPECT_EQ(features::parse_items_query(get("/x?limit=7"), l).limit, 7u);
}

TEST(items_query, bbox_across_the_antimeridian_is_two_boxes) {
    const auto boxes = http::parse_lonlat_bbox("170,-10,-170,10");
    ASSERT_EQ(boxes.size(), 2u);
    EXPECT_EQ(boxes[0].max_x, 180);
    EXPECT_EQ(boxes[1].min_x, -180);
    EXPECT_EQ(http::parse_lonlat_bbox("12,55,0,13,56,100").size(), 1u); // 3D form
}

TEST(items_query, filters_match_numbers_by_value_and_text_exactly) {
    const auto l = sample_layer();
    catalog::feature f;
    f.properties = {std::string{"Nørrebro"}, std::int64_t{40}};
    EXPECT_TRUE(features::parse_items_query(get("/x?navn=N%C3%B8rrebro"), l).matches(l, f));
    EXPECT_FALSE(features::parse_items_query(get("/x?navn=n%C3%B8rrebro"), l).matches(l, f));
    EXPECT_TRUE(features::parse_items_query(get("/x?dwellings=40.0"), l).matches(l, f));
    EXPECT_FALSE(features::parse_items_query(get("/x?dwellings=41"), l).matches(l, f));
}

TEST(items_query, properties_select_fields_indicators_and_year) {
    const auto l = sample_layer();
    const auto q = features::parse_items_query(get("/x?properties=dwellings,share"), l);
    EXPECT_EQ(q.selection.fields, std::vector<std::size_t>{1});
    EXPECT_EQ(q.selection.indicators, std::vector<std::size_t>{0});
    EXPECT_FALSE(q.selection.year);
}

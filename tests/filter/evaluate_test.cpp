// Checking a filter against a collection and evaluating it: types, the three-valued logic of
// CQL2 for nulls, LIKE, arithmetic, indicators of the chosen year, highlight flags and the
// spatial functions with their literals in filter-crs.

#include "core/error.hpp"
#include "filter/bind.hpp"
#include "filter/cql2.hpp"
#include "filter/evaluate.hpp"
#include "support/refusal.hpp"

#include <gtest/gtest.h>

using namespace kvarter;

namespace {

geometry::geometry square(double x0, double y0, double x1, double y1) {
    geometry::geometry g;
    g.type = geometry::kind::polygon;
    g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
    return g;
}

catalog::feature make_feature(std::string id, std::vector<value> props, std::optional<geometry::geometry> g = {}) {
    catalog::feature f;
    f.id = std::move(id);
    f.properties = std::move(props);
    if (g) {
        f.has_geometry = true;
        f.lonlat = *g;
        f.lonlat_bounds = g->bounds();
    }
    return f;
}

// Two layers: deprived areas and housing departments that lie in them or not.
catalog::catalog make_catalog() {
    catalog::catalog c;
    catalog::layer areas;
    areas.id = "areas";
    areas.role = catalog::layer_role::deprived_area;
    areas.features.push_back(make_feature("a", {}, square(12.0, 55.0, 12.1, 55.1)));
    c.layers.push_back(std::move(areas));

    catalog::layer l;
    l.id = "deps";
    l.role = catalog::layer_role::housing_department;
    l.fields = {{"navn", value_type::string}, {"residents", value_type::integer}, {"rooftop", value_type::boolean},
                {"share", value_type::real}};
    l.indicators = {{"outside_work", "Outside work", "%"}};
    l.years = {2012, 2013};
    auto inside = make_feature("1", {std::string{"Mjølnerparken"}, std::int64_t{1500}, true, 0.5}, square(12.01, 55.01, 12.02, 55.02));
    inside.indicators[2013] = {41.5};
    inside.indicators[2012] = {std::nullopt};
    inside.areas = {{0, 0, 1.0}};
    auto outside = make_feature("2", {std::string{"Tingbjerg"}, std::int64_t{900}, value{}, value{}}, square(12.5, 55.5, 12.6, 55.6));
    outside.indicators[2013] = {20.0};
    auto nowhere = make_feature("3", {std::string{"Ukendt_"}, value{}, false, 2.0});
    l.features = {std::move(inside), std::move(outside), std::move(nowhere)};
    c.layers.push_back(std::move(l));
    return c;
}

const catalog::catalog& city() {
    static const catalog::catalog c = make_catalog();
    return c;
}

// The ids of the department features the filter selects, "1,2".
std::string selected(const std::string& text, std::optional<int> year = 2013, const filter::literal_crs& crs = {},
                     filter::language lang = filter::language::text) {
    const auto& l = city().layers[1];
    const auto bound = filter::bind(filter::parse(text, lang), l, crs);
    const filter::evaluator e{bound, city(), l, year};
    std::string out;
    for (const auto& f : l.features)
        if (e.matches(f)) out += (out.empty() ? "" : ",") + f.id;
    return out;
}

std::string bind_error(const std::string& text) {
    return test::refusal_of([&] { filter::bind(filter::parse(text, filter::language::text), city().layers[1]); }, "filter");
}

} // namespace

TEST(cql2_evaluate, comparisons_on_fields) {
    EXPECT_EQ(selected("residents > 1000"), "1");
    EXPECT_EQ(selected("residents <= 1500"), "1,2");
    EXPECT_EQ(selected("navn = 'Tingbjerg'"), "2");
    EXPECT_EQ(selected("navn <> 'Tingbjerg'"), "1,3");
    EXPECT_EQ(selected("navn IN ('Tingbjerg', 'Mjølnerparken')"), "1,2");
    EXPECT_EQ(selected("residents BETWEEN 900 AND 1000"), "2");
    EXPECT_EQ(selected("rooftop"), "1");
    EXPECT_EQ(selected("rooftop = false"), "3");
}

TEST(cql2_evaluate, null_comparisons_are_unknown_and_never_select) {
    // Feature 3 has no residents: neither residents > 0 nor its negation selects it.
    EXPECT_EQ(selected("residents > 0"), "1,2");
    EXPECT_EQ(selected("NOT residents > 0"), "");
    EXPECT_EQ(selected("residents IS NULL"), "3");
    EXPECT_EQ(selected("residents IS NOT NULL"), "1,2");
    // unknown OR true = true; unknown AND false = false; unknown AND true = unknown.
    EXPECT_EQ(selected("residents > 0 OR navn LIKE 'Ukendt%'"), "1,2,3");
    EXPECT_EQ(selected("NOT (residents > 0 AND navn = 'nobody')"), "1,2,3");
    EXPECT_EQ(selected("NOT (residents > 0 AND navn LIKE 'Ukendt%')"), "1,2");
    // A null in an IN list makes a miss unknown, not false.
    EXPECT_EQ(selected("NOT residents IN (1500, share)"), "");
    EXPECT_EQ(selected("NOT rooftop"), "3");
}

TEST(cql2_evaluate, like_wildcards) {
    EXPECT_EQ(selected("navn LIKE 'Mj%'"), "1");
    EXPECT_EQ(selected("navn LIKE 'Mj_lnerparken'"), "1"); // ø is two bytes, one character
    EXPECT_EQ(selected("navn LIKE '%bjerg'"), "2");
    EXPECT_EQ(selected("navn LIKE 'Ukendt\\_'"), "3");
    EXPECT_EQ(selected("navn LIKE 'Tingbjerg_'"), "");
    EXPECT_TRUE(filter::like("abcabd", "%ab_"));
    EXPECT_TRUE(filter::like("", "%"));
    EXPECT_FALSE(filter::like("abc", "a%d"));
    EXPECT_TRUE(filter::like("a%c", "a\\%c"));
    EXPECT_FALSE(filter::like("abc", "a\\%c"));
}

TEST(cql2_evaluate, arithmetic) {
    EXPECT_EQ(selected("residents * 2 > 2000"), "1");
    EXPECT_EQ(selected("(residents - 900) / 600 = 1"), "1");
    EXPECT_EQ(selected("residents / 0 > 0 OR residents / 0 <= 0"), ""); // no value, so unknown
    EXPECT_EQ(selected("share + 1 = -(-1.5)"), "1");
}

TEST(cql2_evaluate, indicators_of_the_chosen_year) {
    EXPECT_EQ(selected("outside_work > 40"), "1");
    EXPECT_EQ(selected("outside_work > 10", 2013), "1,2");
    EXPECT_EQ(selected("outside_work IS NULL", 2012), "1,2,3"); // 1 has a null, 2 and 3 no row
}

TEST(cql2_evaluate, highlight_flags) {
    EXPECT_EQ(selected("in_deprived_area"), "1");
    EXPECT_EQ(selected("in_deprived_area = false"), "2,3");
}

TEST(cql2_evaluate, spatial_functions) {
    EXPECT_EQ(selected("S_INTERSECTS(geometry, BBOX(12, 55, 12.3, 55.3))"), "1");
    EXPECT_EQ(selected("S_INTERSECTS(geometry, POINT(12.55 55.55))"), "2");
    EXPECT_EQ(selected("S_CONTAINS(geometry, POINT(12.55 55.55))"), "2");
    EXPECT_EQ(selected("S_WITHIN(geometry, POLYGON((12 55, 13 55, 13 56, 12 56, 12 55)))"), "1,2");
    EXPECT_EQ(selected("S_WITHIN(POLYGON((12 55, 13 55, 13 56, 12 56, 12 55)), geometry)"), "");
    EXPECT_EQ(selected("S_CONTAINS(POLYGON((12 55, 13 55, 13 56, 12 56, 12 55)), geometry)"), "1,2");
    // Feature 3 has no geometry: unknown for every spatial test.
    EXPECT_EQ(selected("S_DISJOINT(geometry, BBOX(12, 55, 12.3, 55.3))"), "2");
    EXPECT_EQ(selected("S_TOUCHES(geometry, LINESTRING(12.6 55.5, 12.7 55.5))"), "2");
    EXPECT_EQ(selected("S_EQUALS(geometry, POLYGON((12.5 55.5, 12.6 55.5, 12.6 55.6, 12.5 55.6, 12.5 55.5)))"), "2");
    EXPECT_EQ(selected("S_OVERLAPS(geometry, BBOX(12.55, 55.55, 12.7, 55.7))"), "2");
    EXPECT_EQ(selected("S_CROSSES(geometry, LINESTRING(12.0 55.015, 12.5 55.015))"), "1");
    EXPECT_EQ(selected("{\"op\":\"s_intersects\",\"args\":[{\"property\":\"geometry\"},{\"type\":\"Point\",\"coordinates\":[12.015,55.015]}]}",
                       2013, {}, filter::language::json),
              "1");
}

TEST(cql2_evaluate, property_property_and_literal_literal) {
    // The geometry against itself: features with a geometry (3 has none: unknown).
    EXPECT_EQ(selected("S_EQUALS(geometry, geometry)"), "1,2");
    EXPECT_EQ(selected("S_TOUCHES(geometry, geometry)"), "");
    // Two literals decide for every feature alike.
    EXPECT_EQ(selected("S_INTERSECTS(POINT(1 1), BBOX(0, 0, 2, 2))"), "1,2,3");
    EXPECT_EQ(selected("S_WITHIN(POINT(1 1), BBOX(5, 5, 6, 6)) OR navn = 'Tingbjerg'"), "2");
    EXPECT_EQ(selected("residents >= residents AND 2 > 1"), "1,2"); // 3 has no residents
}

TEST(cql2_evaluate, literals_in_filter_crs) {
    // EPSG:4326 is latitude first.
    EXPECT_EQ(selected("S_INTERSECTS(geometry, POINT(55.55 12.55))", 2013,
                       filter::literal_crs::parse("http://www.opengis.net/def/crs/EPSG/0/4326")),
              "2");
    // 12.55 E 55.55 N is 723,920 E 6,161,721 N in UTM 32N (gdaltransform); a 4 km box around it.
    EXPECT_EQ(selected("S_INTERSECTS(geometry, BBOX(722000, 6160000, 726000, 6164000))", 2013,
                       filter::literal_crs::parse("http://www.opengis.net/def/crs/EPSG/0/25832")),
              "2");
    EXPECT_NE(test::refusal_of([] { filter::literal_crs::parse("urn:ogc:def:crs:EPSG::4326x"); }, "filter-crs"), "(accepted)");
}

TEST(cql2_evaluate, the_bounds_of_spatial_filters_pick_index_candidates) {
    const auto& l = city().layers[1];
    auto bounds = [&](const char* text) { return filter::bind(filter::parse(text, filter::language::text), l).bounds; };
    const auto b = bounds("residents > 1 AND S_INTERSECTS(geometry, BBOX(12, 55, 12.3, 55.3))");
    ASSERT_TRUE(b);
    EXPECT_DOUBLE_EQ(b->min_x, 12);
    EXPECT_DOUBLE_EQ(b->max_y, 55.3);
    EXPECT_FALSE(bounds("residents > 1 OR S_INTERSECTS(geometry, BBOX(12, 55, 12.3, 55.3))"));
    EXPECT_FALSE(bounds("S_DISJOINT(geometry, BBOX(12, 55, 12.3, 55.3))"));
    EXPECT_FALSE(bounds("NOT S_INTERSECTS(geometry, BBOX(12, 55, 12.3, 55.3))"));
    EXPECT_FALSE(bounds("S_INTERSECTS(POINT(1 1), BBOX(0, 0, 2, 2))"));
}

TEST(cql2_evaluate, type_errors_are_refused_before_evaluation) {
    EXPECT_NE(bind_error("colour = 'red'").find("collection deps has no queryable \"colour\""), std::string::npos);
    EXPECT_NE(bind_error("navn = 5").find("at character 0 (=({navn} 5)): = compares a string with a number"), std::string::npos);
    EXPECT_NE(bind_error("residents LIKE 'x%'").find("LIKE matches strings"), std::string::npos);
    EXPECT_NE(bind_error("navn + 1 > 2").find("arithmetic (+) needs a number"), std::string::npos);
    EXPECT_NE(bind_error("residents").find("must be true or false"), std::string::npos);
    EXPECT_NE(bind_error("residents > 1 AND navn").find("and needs a boolean, this is a string"), std::string::npos);
    EXPECT_NE(bind_error("S_INTERSECTS(navn, POINT(1 2))").find("needs a geometry"), std::string::npos);
    EXPECT_NE(bind_error("S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))").find("not valid (Self-intersection"),
              std::string::npos);
    EXPECT_NE(bind_error("rooftop < true").find("orders numbers or strings"), std::string::npos);
    EXPECT_NE(bind_error("residents IN (1, 'two')").find("compares a number with a string"), std::string::npos);
}

#include "http/params.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kvarter::http {
namespace {

request get(const std::string& target) {
    request req;
    req.target = target;
    parse_target(req);
    return req;
}

// The parameter a bad_request names, or "(accepted)" when `fn` does not throw.
template <class Fn>
std::string refused(Fn&& fn) {
    try {
        fn();
    } catch (const bad_request& e) {
        return e.parameter();
    }
    return "(accepted)";
}

TEST(params, a_year_is_an_integer_from_1900_to_2100) {
    EXPECT_EQ(parse_year("1900"), 1900);
    EXPECT_EQ(parse_year("2100"), 2100);
    EXPECT_EQ(parse_year("2013"), 2013);
    for (const char* bad : {"1899", "2101", "-2013", "+2013", "2013.0", "2013 ", " 2013", "", "twenty", "99999999999"})
        EXPECT_EQ(refused([&] { parse_year(bad); }), "year") << '"' << bad << '"';
    EXPECT_EQ(refused([] { parse_year("0", "since"); }), "since");
}

TEST(params, year_param_is_absent_or_a_year) {
    EXPECT_FALSE(year_param(get("/x")).has_value());
    EXPECT_EQ(year_param(get("/x?year=2012")), 2012);
    EXPECT_EQ(year_param(get("/x?since=2011"), "since"), 2011);
    EXPECT_EQ(refused([] { year_param(get("/x?year=")); }), "year");
    try {
        year_param(get("/x?year=1066"));
        FAIL() << "1066 accepted";
    } catch (const bad_request& e) {
        EXPECT_NE(std::string{e.what()}.find("1900 to 2100"), std::string::npos) << e.what();
    }
}

TEST(params, limit_is_from_1_with_the_routes_default_and_clamped_at_the_maximum) {
    EXPECT_EQ(limit_param(get("/x"), 100), 100u);
    EXPECT_EQ(limit_param(get("/x"), 20), 20u);
    EXPECT_EQ(limit_param(get("/x?limit=1"), 100), 1u);
    EXPECT_EQ(limit_param(get("/x?limit=10000"), 100), 10000u);
    EXPECT_EQ(limit_param(get("/x?limit=10001"), 100), max_limit);
    EXPECT_EQ(limit_param(get("/x?limit=184467440737095516160"), 100), max_limit); // past size_t
    for (const char* bad : {"0", "-1", "", "ten", "1.5", "1e3"})
        EXPECT_EQ(refused([&] { limit_param(get(std::string{"/x?limit="} + bad), 100); }), "limit") << bad;
}

TEST(params, offset_is_from_0) {
    EXPECT_EQ(offset_param(get("/x")), 0u);
    EXPECT_EQ(offset_param(get("/x?offset=0")), 0u);
    EXPECT_EQ(offset_param(get("/x?offset=250")), 250u);
    for (const char* bad : {"-1", "", "x", "2.0"})
        EXPECT_EQ(refused([&] { offset_param(get(std::string{"/x?offset="} + bad)); }), "offset") << bad;
}

TEST(params, a_bbox_is_four_finite_numbers_within_lon_lat) {
    const auto boxes = parse_lonlat_bbox("12.5,55.6,12.7,55.8");
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_DOUBLE_EQ(boxes[0].min_x, 12.5);
    EXPECT_DOUBLE_EQ(boxes[0].min_y, 55.6);
    EXPECT_DOUBLE_EQ(boxes[0].max_x, 12.7);
    EXPECT_DOUBLE_EQ(boxes[0].max_y, 55.8);
    EXPECT_EQ(parse_lonlat_bbox("-180,-90,180,90").size(), 1u);
    EXPECT_EQ(parse_lonlat_bbox("12,55,13,56").size(), 1u);
    for (const char* bad : {"1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7", "", "a,b,c,d", "12,55,13,nan", "12,55,inf,56",
                            "12,55,13,1e999", "12,56,13,55", "-181,55,13,56", "12,55,181,56", "12,-91,13,56", "12,55,13,91",
                            "12,55,,56"})
        EXPECT_EQ(refused([&] { parse_lonlat_bbox(bad); }), "bbox") << '"' << bad << '"';
    EXPECT_EQ(refused([] { parse_lonlat_bbox("x", "filter-bbox"); }), "filter-bbox");
}

TEST(params, a_bbox_across_the_antimeridian_is_two_boxes_and_six_numbers_drop_heights) {
    const auto boxes = parse_lonlat_bbox("170,-10,-170,10");
    ASSERT_EQ(boxes.size(), 2u);
    EXPECT_EQ(boxes[0].min_x, 170);
    EXPECT_EQ(boxes[0].max_x, 180);
    EXPECT_EQ(boxes[1].min_x, -180);
    EXPECT_EQ(boxes[1].max_x, -170);
    const auto three_d = parse_lonlat_bbox("12,55,-5,13,56,100");
    ASSERT_EQ(three_d.size(), 1u);
    EXPECT_EQ(three_d[0].max_x, 13);
    EXPECT_EQ(three_d[0].max_y, 56);
}

TEST(params, an_unknown_parameter_is_refused_naming_it) {
    EXPECT_EQ(refused([] { check_params(get("/x?year=2013&layer=a"), {"year", "layer"}); }), "(accepted)");
    EXPECT_EQ(refused([] { check_params(get("/x"), {}); }), "(accepted)");
    EXPECT_EQ(refused([] { check_params(get("/x?year=2013&colour=red"), {"year"}); }), "colour");
    EXPECT_EQ(refused([] { check_params(get("/x?a=1"), {}); }), "a");
    try {
        check_params(get("/x?colour=red"), {"year", "layer"});
        FAIL();
    } catch (const bad_request& e) {
        EXPECT_NE(std::string{e.what()}.find("year, layer"), std::string::npos) << "lists what the route takes: " << e.what();
    }
}

TEST(params, a_parameter_given_twice_is_refused_naming_it) {
    EXPECT_EQ(refused([] { check_params(get("/x?year=2012&year=2013"), {"year"}); }), "year");
    EXPECT_EQ(refused([] { check_params(get("/x?year=2012&limit=3&year=2012"), {"year", "limit"}); }), "year");
    EXPECT_EQ(refused([] { check_params(get("/x?limit=3&limit=3"), {"limit"}); }), "limit");
}

TEST(params, an_open_set_takes_what_its_predicate_takes_and_says_the_hint) {
    const allowed_params fields{std::vector<std::string>{"limit"}, [](const std::string& n) { return n.starts_with("p_"); },
                                "see the queryables"};
    EXPECT_EQ(refused([&] { check_params(get("/x?limit=3&p_a=1&p_b=2"), fields); }), "(accepted)");
    EXPECT_EQ(refused([&] { check_params(get("/x?p_a=1&p_a=2"), fields); }), "p_a");
    try {
        check_params(get("/x?q=1"), fields);
        FAIL();
    } catch (const bad_request& e) {
        EXPECT_EQ(e.parameter(), "q");
        EXPECT_NE(std::string{e.what()}.find("see the queryables"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace kvarter::http

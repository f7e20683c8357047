// filter= (CQL2), filter-lang, filter-crs and sortby= on items, through a real server on the
// bundled sample. Expected answers are computed here from the unfiltered items, not written down.

#include "http/message.hpp"
#include "support/sample_server_suite.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

using namespace kvarter;
using nlohmann::json;

namespace {

class items_filter : public test::sample_server_suite {
protected:
    static json items(const std::string& query) {
        // All of them unless the query pages itself (a parameter given twice is a 400).
        const bool pages = query.starts_with("limit=") || query.find("&limit=") != std::string::npos;
        const auto r = get("/collections/housing-departments/items?" + std::string{pages ? "" : "limit=10000&"} + query);
        EXPECT_EQ(r.status, 200u) << query << ": " << r.body;
        return r.status == 200 ? r.json() : json::object({{"features", json::array()}});
    }
    static std::string filtered(const std::string& filter, const std::string& more = {}) {
        return "filter=" + http::percent_encode(filter) + (more.empty() ? "" : "&" + more);
    }
    static std::set<std::string> ids(const json& answer) {
        std::set<std::string> out;
        for (const auto& f : answer["features"]) out.insert(f["id"].get<std::string>());
        return out;
    }
    static void expect_problem(const std::string& query, const std::string& parameter, const std::string& words) {
        const auto r = get("/collections/housing-departments/items?" + query);
        EXPECT_EQ(r.status, 400u) << query;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        const auto j = r.json();
        EXPECT_EQ(j["parameter"], parameter) << r.body;
        EXPECT_THAT(j["detail"].get<std::string>(), ::testing::HasSubstr(words));
    }
};

} // namespace

TEST_F(items_filter, three_comparisons_select_what_they_say_in_text_and_json) {
    const auto all = items("");
    std::set<std::string> expected;
    for (const auto& f : all["features"]) {
        const auto& p = f["properties"];
        if (p["residents"].is_number() && p["residents"].get<double>() > 500 && p["dwellings"].get<double>() < 400 &&
            p["navn"].get<std::string>().find('e') != std::string::npos)
            expected.insert(f["id"].get<std::string>());
    }
    ASSERT_FALSE(expected.empty());
    ASSERT_LT(expected.size(), all["features"].size());
    const auto text = items(filtered("residents > 500 AND dwellings < 400 AND navn LIKE '%e%'"));
    EXPECT_EQ(ids(text), expected);
    EXPECT_EQ(text["numberMatched"], expected.size());
    const std::string as_json = R"({"op":"and","args":[{"op":">","args":[{"property":"residents"},500]},)"
                                R"({"op":"<","args":[{"property":"dwellings"},400]},{"op":"like","args":[{"property":"navn"},"%e%"]}]})";
    EXPECT_EQ(ids(items(filtered(as_json, "filter-lang=cql2-json"))), expected);
}

TEST_F(items_filter, spatial_filters_agree_with_bbox_and_take_filter_crs) {
    const auto by_bbox = ids(items("bbox=12.535,55.695,12.55,55.703"));
    ASSERT_FALSE(by_bbox.empty());
    EXPECT_EQ(ids(items(filtered("S_INTERSECTS(geometry, BBOX(12.535, 55.695, 12.55, 55.703))"))), by_bbox);
    EXPECT_EQ(ids(items(filtered("S_INTERSECTS(geometry, POLYGON((12.535 55.695, 12.55 55.695, 12.55 55.703, 12.535 55.703, 12.535 55.695)))"))),
              by_bbox);
    // EPSG:4326 is latitude first.
    EXPECT_EQ(ids(items(filtered("S_INTERSECTS(geometry, BBOX(55.695, 12.535, 55.703, 12.55))",
                                 "filter-crs=" + http::percent_encode("http://www.opengis.net/def/crs/EPSG/0/4326")))),
              by_bbox);
    const auto outside = ids(items(filtered("NOT S_INTERSECTS(geometry, BBOX(12.535, 55.695, 12.55, 55.703))")));
    for (const auto& id : by_bbox) EXPECT_EQ(outside.count(id), 0u) << id;
    EXPECT_EQ(outside.size() + by_bbox.size(), items("")["features"].size());
}

TEST_F(items_filter, indicators_are_those_of_the_year) {
    for (const char* year : {"2010", "2013"}) {
        const auto j = items(filtered("outside_labour_force_share > 40", std::string{"year="} + year));
        const auto all = items(std::string{"year="} + year);
        std::set<std::string> expected;
        for (const auto& f : all["features"])
            if (f["properties"]["outside_labour_force_share"].is_number() && f["properties"]["outside_labour_force_share"].get<double>() > 40)
                expected.insert(f["id"].get<std::string>());
        EXPECT_EQ(ids(j), expected) << year;
    }
}

TEST_F(items_filter, highlight_flags_are_queryable) {
    std::set<std::string> expected;
    const auto all = items("");
    for (const auto& f : all["features"])
        if (f["properties"].contains("deprived_area") && !f["properties"]["deprived_area"].is_null())
            expected.insert(f["id"].get<std::string>());
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(ids(items(filtered("in_deprived_area = true"))), expected);
}

TEST_F(items_filter, queryables_list_exactly_what_a_filter_may_name) {
    const auto q = get("/collections/housing-departments/queryables").json();
    const auto total = items("")["features"].size();
    EXPECT_TRUE(q["properties"].contains("geometry"));
    EXPECT_TRUE(q["properties"].contains("in_deprived_area"));
    EXPECT_EQ(q["properties"]["in_deprived_area"]["type"], "boolean");
    for (const auto& [name, schema] : q["properties"].items()) {
        // Every listed name is accepted, with its type: X IS NULL OR NOT X IS NULL holds for every feature.
        const auto j = items(filtered("\"" + name + "\" IS NULL OR \"" + name + "\" IS NOT NULL"));
        EXPECT_EQ(j["features"].size(), total) << name;
    }
    expect_problem(filtered("colour = 'red'"), "filter", "no queryable \"colour\"");
}

TEST_F(items_filter, errors_name_the_parameter_the_position_and_what_was_expected) {
    expect_problem(filtered("residents > "), "filter", "at character 12: expected a property, a literal or (");
    expect_problem(filtered("navn = 5"), "filter", "compares a string with a number");
    expect_problem(filtered("residents LIKE 'x'"), "filter", "LIKE matches strings");
    expect_problem(filtered("T_BEFORE(built, DATE('2015-01-01'))"), "filter", "T_BEFORE is not supported");
    expect_problem(filtered("{\"op\":\"=\"}", "filter-lang=cql2-json"), "filter", "at /args");
    expect_problem(filtered("residents > 1", "filter-lang=ecql"), "filter-lang", "cql2-text or cql2-json");
    expect_problem(filtered("residents > 1", "filter-crs=EPSG:99999999"), "filter-crs", "filter-crs");
    expect_problem("sortby=colour", "sortby", "cannot sort by \"colour\"");
    expect_problem("sortby=-", "sortby", "empty key");
    const auto one = get("/collections/housing-departments/items/0049-0050?filter=residents%3E1");
    EXPECT_EQ(one.status, 400u);
}

TEST_F(items_filter, sortby_orders_then_breaks_ties_by_id) {
    const auto j = items("sortby=" + http::percent_encode("-residents,+navn"));
    const auto& f = j["features"];
    ASSERT_GT(f.size(), 10u);
    for (std::size_t i = 1; i < f.size(); ++i) {
        const auto& a = f[i - 1]["properties"];
        const auto& b = f[i]["properties"];
        ASSERT_GE(a["residents"].get<double>(), b["residents"].get<double>()) << i;
        if (a["residents"] == b["residents"]) {
            ASSERT_LE(a["navn"].get<std::string>(), b["navn"].get<std::string>()) << i;
            if (a["navn"] == b["navn"]) { ASSERT_LT(f[i - 1]["id"].get<std::string>(), f[i]["id"].get<std::string>()); }
        }
    }
    // Pages of a sorted answer are the sorted answer cut in pieces.
    json paged = json::array();
    for (std::size_t offset = 0; offset < f.size(); offset += 7) {
        const auto page = items("sortby=-residents,navn&limit=7&offset=" + std::to_string(offset));
        for (const auto& x : page["features"]) paged.push_back(x["id"]);
    }
    json whole = json::array();
    for (const auto& x : f) whole.push_back(x["id"]);
    EXPECT_EQ(paged, whole);
    // "+" unencoded in a query string is a space: ascending too.
    const auto up = items("sortby=+residents")["features"];
    EXPECT_LE(up[0]["properties"]["residents"].get<double>(), up[up.size() - 1]["properties"]["residents"].get<double>());
}

TEST_F(items_filter, sortables_and_conformance_say_what_is_offered) {
    const auto s = get("/collections/housing-departments/sortables");
    ASSERT_EQ(s.status, 200u);
    const auto props = s.json()["properties"];
    EXPECT_TRUE(props.contains("residents"));
    EXPECT_TRUE(props.contains("outside_labour_force_share"));
    EXPECT_FALSE(props.contains("geometry"));
    const auto classes = get("/conformance").json()["conformsTo"];
    for (const char* c : {"http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                          "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                          "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                          "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
                          "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
                          "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
                          "http://www.opengis.net/spec/cql2/1.0/conf/arithmetic"})
        EXPECT_THAT(classes.get<std::vector<std::string>>(), ::testing::Contains(c));
}

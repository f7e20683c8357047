// OGC API – Features Part 4 on /collections/proposals/items through a real server: the request
// sequence QGIS's OAPIF provider sends (OPTIONS, POST, PUT, PATCH, DELETE), ETags and If-Match,
// bodies in EPSG:25832, and GDAL's OAPIF client reading back what was written.

#include "http/test_client.hpp"
#include "proposals/proposals_support.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using json = nlohmann::json;
using ::testing::HasSubstr;

namespace {

constexpr const char* items = "/collections/proposals/items";

class ogc_items : public ::testing::Test {
protected:
    void SetUp() override { m_server = std::make_unique<test::running_server>(test::sample_config()); }
    test::reply send(const std::string& method, const std::string& target, const std::string& body = {},
                     std::map<std::string, std::string> headers = {}) const {
        headers.emplace("authorization", std::string{"Bearer "} + test::test_token);
        headers.emplace("content-type", "application/geo+json");
        return test::fetch(m_server->port(), target, headers, method, body);
    }
    test::reply get(const std::string& target) const { return test::fetch(m_server->port(), target); }
    std::string item(std::int64_t id) const { return std::string{items} + "/" + std::to_string(id); }
    std::int64_t create(const std::string& name) const {
        const auto r = send("POST", items, test::square_feature(name).dump());
        if (r.status != 201) throw std::runtime_error{r.body};
        return r.json()["id"].get<std::int64_t>();
    }
    std::unique_ptr<test::running_server> m_server;
};

std::set<std::string> methods_in(const std::string& allow) {
    std::set<std::string> out;
    std::stringstream in{allow};
    for (std::string m; std::getline(in, m, ',');) out.insert(m.substr(m.find_first_not_of(' ')));
    return out;
}

} // namespace

TEST_F(ogc_items, options_says_what_each_path_allows) {
    const auto list = send("OPTIONS", items);
    EXPECT_EQ(list.status, 204u);
    EXPECT_EQ(methods_in(list.header("allow")), (std::set<std::string>{"GET", "POST", "OPTIONS"}));
    const auto one = send("OPTIONS", item(1));
    EXPECT_EQ(methods_in(one.header("allow")), (std::set<std::string>{"GET", "PUT", "PATCH", "DELETE", "OPTIONS"}));
    EXPECT_EQ(send("POST", "/collections/districts/items", "{}").status, 405u) << "only the proposals are writable";
    EXPECT_THAT(get("/conformance").body, HasSubstr("ogcapi-features-4/1.0/conf/create-replace-delete"));
}

TEST_F(ogc_items, post_put_patch_delete_with_etags) {
    const auto created = send("POST", items, test::square_feature("Tingbjerg green").dump());
    ASSERT_EQ(created.status, 201u) << created.body;
    const auto id = created.json()["id"].get<std::int64_t>();
    EXPECT_EQ(created.header("location"), m_server->base() + item(id));
    const auto read = get(item(id));
    ASSERT_EQ(read.status, 200u);
    EXPECT_EQ(read.header("etag"), created.header("etag"));
    EXPECT_FALSE(read.header("etag").empty());

    auto replacement = test::square_feature("Tingbjerg green, wider", 12.55, 55.69, 0.008);
    const auto replaced = send("PUT", item(id), replacement.dump(), {{"if-match", read.header("etag")}});
    ASSERT_EQ(replaced.status, 200u) << replaced.body;
    EXPECT_NE(replaced.header("etag"), read.header("etag"));

    const auto patched = send("PATCH", item(id), R"({"properties":{"status":"submitted"}})",
                              {{"content-type", "application/merge-patch+json"}});
    ASSERT_EQ(patched.status, 200u) << patched.body;
    const auto after = get(item(id)).json();
    EXPECT_EQ(after["properties"]["status"], "submitted");
    EXPECT_EQ(after["properties"]["name"], "Tingbjerg green, wider") << "a merge patch keeps what it does not name";
    EXPECT_EQ(after["geometry"], replaced.json()["geometry"]);

    const auto removed = send("DELETE", item(id), {}, {{"if-match", patched.header("etag")}});
    EXPECT_EQ(removed.status, 204u) << removed.body;
    EXPECT_EQ(get(item(id)).status, 404u);
    EXPECT_EQ(send("DELETE", item(id)).status, 404u);
}

// Two planners read the same proposal; the second to write is told, and nothing is lost.
TEST_F(ogc_items, a_stale_if_match_is_412_and_changes_nothing) {
    const auto id = create("Mjølnerparken square");
    const std::string seen = get(item(id)).header("etag");
    ASSERT_EQ(send("PATCH", item(id), R"({"properties":{"name":"first planner"}})", {{"if-match", seen}}).status, 200u);
    for (const auto& [method, body] : std::vector<std::pair<std::string, std::string>>{
             {"PUT", test::square_feature("second planner").dump()},
             {"PATCH", R"({"properties":{"name":"second planner"}})"},
             {"DELETE", ""}}) {
        const auto r = send(method, item(id), body, {{"if-match", seen}});
        EXPECT_EQ(r.status, 412u) << method << ": " << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        EXPECT_EQ(r.json()["parameter"], "If-Match");
    }
    EXPECT_EQ(get(item(id)).json()["properties"]["name"], "first planner");
    EXPECT_EQ(send("PATCH", item(id), R"({"properties":{"name":"x"}})", {{"if-match", "W/" + seen}}).status, 412u)
        << "a weak tag never matches If-Match";
    EXPECT_EQ(send("PATCH", item(id), R"({"properties":{"name":"any"}})", {{"if-match", "*"}}).status, 200u);
}

TEST_F(ogc_items, a_body_in_epsg_25832_is_stored_in_lon_lat) {
    // A 300 m square in Nørrebro drawn in UTM 32N, as a Danish planner's QGIS project has it.
    const double x = 723000, y = 6177000, d = 300;
    json feature{{"type", "Feature"},
                 {"properties", {{"name", "drawn in UTM"}, {"author", "test"}}},
                 {"geometry",
                  {{"type", "Polygon"},
                   {"coordinates", json::array({json::array({json::array({x, y}), json::array({x + d, y}),
                                                             json::array({x + d, y + d}), json::array({x, y + d}),
                                                             json::array({x, y})})})}}}};
    const auto created = send("POST", items, feature.dump(), {{"content-crs", "<http://www.opengis.net/def/crs/EPSG/0/25832>"}});
    ASSERT_EQ(created.status, 201u) << created.body;
    const auto id = created.json()["id"].get<std::int64_t>();
    auto lonlat = get(item(id)).json()["geometry"]["coordinates"];
    while (lonlat[0][0].is_array()) lonlat = lonlat[0];
    EXPECT_NEAR(lonlat[0][0].get<double>(), 12.54, 0.02);
    EXPECT_NEAR(lonlat[0][1].get<double>(), 55.70, 0.02);
    auto metres = get(item(id) + "?crs=http://www.opengis.net/def/crs/EPSG/0/25832").json()["geometry"]["coordinates"];
    while (metres[0][0].is_array()) metres = metres[0];
    std::set<std::pair<long, long>> corners;
    for (const auto& p : metres) corners.insert({std::lround(p[0].get<double>()), std::lround(p[1].get<double>())});
    EXPECT_TRUE(corners.contains({723000, 6177000}) && corners.contains({723300, 6177300})) << metres.dump();

    const auto bad = send("POST", items, feature.dump(), {{"content-crs", "<EPSG:25832>"}});
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(bad.json()["parameter"], "Content-Crs");
}

TEST_F(ogc_items, writes_need_the_token_and_are_checked_as_proposals_are) {
    const auto no_token = test::fetch(m_server->port(), items, {}, "POST", test::square_feature("x").dump());
    EXPECT_EQ(no_token.status, 401u);
    auto nameless = test::square_feature("");
    const auto r = send("POST", items, nameless.dump());
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.json()["parameter"], "properties.name");
    const auto id = create("kept");
    const auto wrong_id = send("PUT", item(id), test::square_feature("y").dump().insert(1, "\"id\":999,"));
    EXPECT_EQ(wrong_id.status, 400u);
    EXPECT_EQ(send("PATCH", item(id), "[1,2]").status, 400u) << "a merge patch is an object";
}

TEST_F(ogc_items, gdals_oapif_client_reads_what_was_written) {
    create("read by GDAL");
    const auto out = test::run_command("ogrinfo -ro -al -q OAPIF:" + m_server->base() + " proposals");
    ASSERT_EQ(out.exit_code, 0) << out.output.substr(0, 2000);
    EXPECT_THAT(out.output, HasSubstr("read by GDAL"));
}

// The proposals API through a real server: CRUD, tokens, bad bodies, concurrent writes, and
// proposals in the features API and in the tiles right after each write.

#include "http/test_client.hpp"
#include "proposals/proposals_support.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"
#include "tiles/tile_math.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <thread>

using namespace kvarter;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

const std::map<std::string, std::string> authorized{{"authorization", std::string{"Bearer "} + test::test_token}};

class proposals_api : public ::testing::Test {
protected:
    void SetUp() override { m_server = std::make_unique<test::running_server>(test::sample_config()); }
    unsigned short port() const { return m_server->port(); }
    test::reply get(const std::string& target) const { return test::fetch(port(), target); }
    test::reply post(const json& body, const std::map<std::string, std::string>& headers = authorized) const {
        return test::fetch(port(), "/proposals", headers, "POST", body.dump());
    }
    test::reply put(std::int64_t id, const std::string& body, const std::map<std::string, std::string>& headers = authorized) const {
        return test::fetch(port(), "/proposals/" + std::to_string(id), headers, "PUT", body);
    }
    test::reply remove(std::int64_t id, const std::map<std::string, std::string>& headers = authorized) const {
        return test::fetch(port(), "/proposals/" + std::to_string(id), headers, "DELETE");
    }
    // A 4xx must be problem+json naming the member.
    static void expect_problem(const test::reply& r, unsigned status, const std::string& parameter) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        if (!parameter.empty()) { EXPECT_EQ(r.json()["parameter"], parameter) << r.body; }
    }
    std::unique_ptr<test::running_server> m_server;
};

// The tile holding a lon/lat at zoom z.
tiles::tile_id tile_at(double lon, double lat, int z) {
    const double n = std::ldexp(1.0, z);
    const double r = lat * M_PI / 180;
    return {z, static_cast<std::uint32_t>((lon + 180) / 360 * n), static_cast<std::uint32_t>((1 - std::asinh(std::tan(r)) / M_PI) / 2 * n)};
}

std::string tile_path(const tiles::tile_id& t) {
    return "/tiles/default/" + std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y) + ".mvt";
}

// Names of the proposals in a tile, read back by GDAL's MVT driver.
std::set<std::string> proposal_names_in(const test::reply& r, const tiles::tile_id& t) {
    std::set<std::string> names;
    if (r.status == 204) return names;
    const auto layers = test::decode_with_gdal(r.body, t.z, t.x, t.y);
    const auto it = layers.find("proposals");
    if (it == layers.end()) return names;
    for (const auto& f : it->second) names.insert(f.properties.at("name"));
    return names;
}

} // namespace

TEST_F(proposals_api, create_read_replace_delete) {
    auto feature = test::square_feature("Grøn gård i Mjølnerparken");
    feature["properties"]["author"] = "Planner P";
    const auto created = post(feature);
    ASSERT_EQ(created.status, 201u) << created.body;
    EXPECT_EQ(created.header("content-type"), "application/geo+json");
    const auto body = created.json();
    const auto id = body["id"].get<std::int64_t>();
    EXPECT_EQ(created.header("location"), "http://127.0.0.1:" + std::to_string(port()) + "/proposals/" + std::to_string(id));
    EXPECT_EQ(body["properties"]["name"], "Grøn gård i Mjølnerparken");
    EXPECT_EQ(body["properties"]["author"], "Planner P");
    EXPECT_EQ(body["properties"]["status"], "draft");
    EXPECT_EQ(body["geometry"]["type"], "MultiPolygon");
    EXPECT_EQ(body["geometry"]["coordinates"][0][0][1], json::parse("[12.555,55.69]"));

    const auto read = test::fetch_url(created.header("location"));
    ASSERT_EQ(read.status, 200u);
    EXPECT_EQ(read.json()["properties"], body["properties"]);
    bool has_report = false;
    const auto read_body = read.json(); // a range-for over read.json()[...] would dangle
    for (const auto& l : read_body["links"]) has_report |= l["href"] == created.header("location") + "/report";
    EXPECT_TRUE(has_report) << read.body;

    const auto list = get("/proposals").json();
    EXPECT_EQ(list["numberMatched"], 1);
    EXPECT_EQ(list["features"][0]["id"], id);

    auto changed = test::square_feature("Renamed", 12.56, 55.70, 0.002, "submitted");
    changed["id"] = id;
    const auto replaced = put(id, changed.dump());
    ASSERT_EQ(replaced.status, 200u) << replaced.body;
    EXPECT_EQ(replaced.json()["properties"]["name"], "Renamed");
    EXPECT_EQ(replaced.json()["properties"]["created"], body["properties"]["created"]);
    EXPECT_EQ(replaced.json()["properties"]["author"], test::test_token_name) << "no author given: the token's name";
    EXPECT_EQ(get("/proposals/" + std::to_string(id)).json()["properties"]["status"], "submitted");

    const auto deleted = remove(id);
    EXPECT_EQ(deleted.status, 204u);
    EXPECT_TRUE(deleted.body.empty());
    expect_problem(get("/proposals/" + std::to_string(id)), 404, "");
    expect_problem(remove(id), 404, "");
    expect_problem(put(id, changed.dump()), 404, "");
    expect_problem(get("/proposals/abc"), 404, "");
    EXPECT_EQ(get("/proposals").json()["numberMatched"], 0);
}

TEST_F(proposals_api, writes_need_a_token_and_reads_do_not) {
    const auto feature = test::square_feature("x");
    const auto none = post(feature, {});
    expect_problem(none, 401, "");
    EXPECT_EQ(none.header("www-authenticate"), "Bearer");
    expect_problem(post(feature, {{"authorization", "Basic dXNlcjpwYXNz"}}), 401, "");
    expect_problem(post(feature, {{"authorization", "Bearer not-the-token-at-all"}}), 403, "");
    EXPECT_EQ(get("/proposals").json()["numberMatched"], 0) << "nothing was written";

    const auto ok = post(feature);
    ASSERT_EQ(ok.status, 201u);
    EXPECT_EQ(ok.json()["properties"]["author"], test::test_token_name);
    const auto id = ok.json()["id"].get<std::int64_t>();
    expect_problem(put(id, feature.dump(), {}), 401, "");
    expect_problem(put(id, feature.dump(), {{"authorization", "Bearer wrong-token-wrong-token"}}), 403, "");
    expect_problem(remove(id, {}), 401, "");
    expect_problem(remove(id, {{"authorization", "Bearer wrong-token-wrong-token"}}), 403, "");
    EXPECT_EQ(get("/proposals/" + std::to_string(id)).status, 200u) << "reads are open";
    EXPECT_EQ(get("/proposals/" + std::to_string(id) + "/report").status, 200u);
}

TEST_F(proposals_api, bad_bodies_are_refused_naming_the_member) {
    auto send = [&](const std::string& body) { return test::fetch(port(), "/proposals", authorized, "POST", body); };
    expect_problem(send("{\"type\":"), 400, "body");
    expect_problem(send(""), 400, "body");
    expect_problem(send("[1,2]"), 400, "type");
    auto f = test::square_feature("x");
    f["properties"].erase("name");
    expect_problem(send(f.dump()), 400, "properties.name");
    f = test::square_feature("x", 12.5, 55.6, 0.01, "approved");
    expect_problem(send(f.dump()), 400, "properties.status");
    f = test::square_feature("x");
    f["geometry"] = json::parse(R"({"type":"LineString","coordinates":[[12.5,55.6],[12.6,55.7]]})");
    expect_problem(send(f.dump()), 400, "geometry.type");
    // A NUL would be cut off by the store while the answer echoed it: refused, also where it hides the name.
    f = test::square_feature(std::string{"\0hidden", 7});
    expect_problem(send(f.dump()), 400, "properties.name");
    f = test::square_feature("x");
    f["properties"]["description"] = std::string{"før\0efter", 10};
    expect_problem(send(f.dump()), 400, "properties.description");
    f = test::square_feature("x");
    f["geometry"]["coordinates"][0][4] = json::array({12.0, 55.0}); // not closed
    const auto unclosed = send(f.dump());
    EXPECT_EQ(unclosed.status, 400u);
    EXPECT_THAT(unclosed.json()["parameter"].get<std::string>(), ::testing::StartsWith("geometry"));

    const auto id = post(test::square_feature("ok")).json()["id"].get<std::int64_t>();
    auto other = test::square_feature("y");
    other["id"] = id + 1;
    expect_problem(put(id, other.dump()), 400, "id");
    expect_problem(put(id, "not json"), 400, "body");
    expect_problem(get("/proposals?colour=red"), 400, "colour");
    expect_problem(get("/proposals?limit=0"), 400, "limit");
    expect_problem(get("/proposals?bbox=1,2,3"), 400, "bbox");
    expect_problem(get("/proposals/" + std::to_string(id) + "/report?year=soon"), 400, "year");
    EXPECT_EQ(get("/proposals").json()["numberMatched"], 1) << "only the good one was stored";
}

TEST_F(proposals_api, proposals_are_a_collection_of_the_features_api_and_writes_show_at_once) {
    const auto collections = get("/collections").json();
    std::set<std::string> ids;
    for (const auto& c : collections["collections"]) ids.insert(c["id"]);
    EXPECT_TRUE(ids.contains("proposals"));
    EXPECT_EQ(get("/collections/proposals/items").json()["numberMatched"], 0);
    EXPECT_EQ(get("/collections/proposals/queryables").json()["properties"]["status"]["type"], "string");

    const auto id = post(test::square_feature("first", 12.55, 55.69)).json()["id"].get<std::int64_t>();
    post(test::square_feature("second", 12.60, 55.66));
    const auto items = get("/collections/proposals/items").json();
    EXPECT_EQ(items["numberMatched"], 2);
    EXPECT_EQ(items["features"][0]["properties"]["name"], "first");
    const auto page = get("/collections/proposals/items?limit=1").json();
    EXPECT_EQ(page["numberReturned"], 1);
    bool next = false;
    for (const auto& l : page["links"]) next |= l["rel"] == "next";
    EXPECT_TRUE(next);
    const auto boxed = get("/collections/proposals/items?bbox=12.54,55.68,12.56,55.70").json();
    ASSERT_EQ(boxed["numberMatched"], 1);
    EXPECT_EQ(boxed["features"][0]["properties"]["name"], "first");
    const auto one = get("/collections/proposals/items/" + std::to_string(id));
    ASSERT_EQ(one.status, 200u);
    EXPECT_EQ(one.json()["properties"]["name"], "first");
    const auto extent = get("/collections/proposals").json()["extent"]["spatial"]["bbox"][0];
    const std::vector<double> expected{12.55, 55.66, 12.605, 55.695};
    ASSERT_EQ(extent.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(extent[i].get<double>(), expected[i], 1e-9);

    put(id, test::square_feature("first, renamed").dump());
    EXPECT_EQ(get("/collections/proposals/items/" + std::to_string(id)).json()["properties"]["name"], "first, renamed");
    remove(id);
    EXPECT_EQ(get("/collections/proposals/items/" + std::to_string(id)).status, 404u);
    EXPECT_EQ(get("/collections/proposals/items").json()["numberMatched"], 1);
    expect_problem(get("/collections/proposals/items?year=2012"), 400, "year");
    expect_problem(get("/collections/proposals/items?limit=0"), 400, "limit");
    EXPECT_EQ(get("/collections/proposals/items?limit=100000").status, 200u) << "clamped to 10000, as OGC API Features asks";
}

// QGIS draws the first feature into an empty layer only if the layer says what its features are.
TEST_F(proposals_api, the_empty_collection_still_gives_its_fields_geometry_type_and_crs) {
    ASSERT_EQ(get("/collections/proposals/items").json()["numberMatched"], 0);
    const auto c = get("/collections/proposals").json();
    EXPECT_EQ(c["storageCrs"], "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    EXPECT_THAT(c["crs"], ::testing::Contains("http://www.opengis.net/def/crs/OGC/1.3/CRS84"));
    std::string schema_url;
    for (const auto& l : c["links"])
        if (l["rel"] == "describedby") schema_url = l["href"];
    ASSERT_FALSE(schema_url.empty());
    const auto r = test::fetch_url(schema_url);
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("content-type"), "application/schema+json");
    const auto schema = r.json();
    EXPECT_EQ(schema["properties"]["geometry"]["format"], "geometry-polygon-or-multipolygon");
    EXPECT_EQ(schema["properties"]["geometry"]["x-ogc-role"], "primary-geometry");
    for (const auto* field : {"name", "author", "description", "status"})
        EXPECT_EQ(schema["properties"][field]["type"], "string") << field;

    // The first proposal, read back in the planners' own CRS.
    post(test::square_feature("first", 12.55, 55.69));
    const auto metres = get("/collections/proposals/items?crs=http://www.opengis.net/def/crs/EPSG/0/25832");
    ASSERT_EQ(metres.status, 200u) << metres.body;
    EXPECT_EQ(metres.header("content-crs"), "<http://www.opengis.net/def/crs/EPSG/0/25832>");
    auto position = metres.json()["features"][0]["geometry"]["coordinates"];
    while (position[0].is_array()) position = position[0]; // Polygon or MultiPolygon: the first vertex
    const double easting = position[0].get<double>();
    EXPECT_GT(easting, 700000);
    EXPECT_LT(easting, 740000);

    const auto districts = get("/collections/districts/schema").json();
    EXPECT_EQ(districts["properties"]["geometry"]["format"], "geometry-polygon-or-multipolygon");
    EXPECT_EQ(districts["properties"]["residents"]["type"], "number");
    EXPECT_EQ(get("/collections/playgrounds/schema").json()["properties"]["geometry"]["format"],
              "geometry-point-or-multipoint");
    EXPECT_EQ(get("/collections/no-such/schema").status, 404u);
}

TEST_F(proposals_api, proposals_are_a_tile_layer_and_the_tile_cache_never_serves_them_stale) {
    const auto t = tile_at(12.5525, 55.6925, 14);
    const auto before = get(tile_path(t));
    ASSERT_EQ(before.status, 200u);
    EXPECT_TRUE(proposal_names_in(before, t).empty());
    EXPECT_TRUE(get(tile_path(t)).header("etag") == before.header("etag")) << "the catalog tile is cached";

    const auto id = post(test::square_feature("in the tile")).json()["id"].get<std::int64_t>();
    const auto with = get(tile_path(t));
    EXPECT_EQ(proposal_names_in(with, t), std::set<std::string>{"in the tile"});
    EXPECT_NE(with.header("etag"), before.header("etag"));
    EXPECT_EQ(test::fetch(port(), tile_path(t), {{"if-none-match", with.header("etag")}}).status, 304u);

    put(id, test::square_feature("renamed").dump());
    EXPECT_EQ(proposal_names_in(get(tile_path(t)), t), std::set<std::string>{"renamed"});
    const auto low = tile_at(12.5525, 55.6925, 3);
    EXPECT_EQ(proposal_names_in(get(tile_path(low)), low), std::set<std::string>{"renamed"}) << "every zoom";

    remove(id);
    const auto after = get(tile_path(t));
    EXPECT_TRUE(proposal_names_in(after, t).empty());
    EXPECT_EQ(after.header("etag"), before.header("etag"));

    // A tile with nothing but a proposal in it.
    const auto sea = tile_at(12.9025, 55.4025, 14);
    EXPECT_EQ(get(tile_path(sea)).status, 204u);
    post(test::square_feature("at sea", 12.90, 55.40));
    EXPECT_EQ(proposal_names_in(get(tile_path(sea)), sea), std::set<std::string>{"at sea"});

    std::set<std::string> layers;
    const auto tilejson = get("/tiles/default/tilejson.json").json();
    for (const auto& l : tilejson["vector_layers"]) layers.insert(l["id"]);
    EXPECT_TRUE(layers.contains("proposals"));
}

TEST_F(proposals_api, the_report_is_the_overlay_of_the_stored_polygon) {
    // Around Mjølnerparken, in Nørrebro.
    const auto id = post(test::square_feature("Nørrebro proposal", 12.54, 55.69, 0.01)).json()["id"].get<std::int64_t>();
    const auto r = get("/proposals/" + std::to_string(id) + "/report");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto report = r.json();
    EXPECT_EQ(report["proposal"]["id"], id);
    EXPECT_EQ(report["proposal"]["name"], "Nørrebro proposal");
    EXPECT_GT(report["area_m2"].get<double>(), 0);
    EXPECT_THAT(report.dump(), HasSubstr("Nørrebro"));
    // The same as posting the polygon to the overlay analysis.
    const auto direct = test::fetch(port(), "/analysis/overlay", {}, "POST", test::square_feature("x", 12.54, 55.69, 0.01).dump());
    ASSERT_EQ(direct.status, 200u);
    EXPECT_EQ(direct.json()["area_m2"], report["area_m2"]);
    EXPECT_EQ(get("/proposals/999/report").status, 404u);
}

class proposals_concurrency : public ::testing::TestWithParam<std::string> {};

TEST_P(proposals_concurrency, posts_from_8_threads_lose_nothing) {
    if (GetParam() == "pg") KVARTER_REQUIRE_PG();
    const test::store_location location{GetParam(), "concurrency"};
    http::server_options options;
    options.threads = 8;
    test::running_server server{test::sample_config(), options, location.connection()};
    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> ids(8);
    std::vector<std::vector<unsigned>> failures(8);
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const auto r = test::fetch(server.port(), "/proposals", authorized, "POST",
                                           test::square_feature("t" + std::to_string(t) + "-" + std::to_string(i),
                                                                12.5 + 0.001 * i, 55.65 + 0.001 * t, 0.0005)
                                               .dump());
                if (r.status == 201) ids[t].push_back(r.json()["id"].get<std::int64_t>());
                else failures[t].push_back(r.status);
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& f : failures) EXPECT_TRUE(f.empty()) << "a POST failed with " << f.front();
    std::set<std::int64_t> distinct;
    for (const auto& list : ids) distinct.insert(list.begin(), list.end());
    EXPECT_EQ(distinct.size(), 200u);
    const auto all = test::fetch(server.port(), "/proposals?limit=1000").json();
    EXPECT_EQ(all["numberMatched"], 200);
    std::set<std::int64_t> listed;
    for (const auto& f : all["features"]) listed.insert(f["id"].get<std::int64_t>());
    EXPECT_EQ(listed, distinct);
}

INSTANTIATE_TEST_SUITE_P(backends, proposals_concurrency, ::testing::Values("gpkg", "pg"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

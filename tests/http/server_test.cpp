// Every endpoint through a real server on an ephemeral port, over real HTTP.

#include "http/gzip.hpp"
#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <set>

using namespace kvarter;
using test::fetch;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class features_api : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        http::server_options options;
        options.threads = 2;
        options.body_limit_bytes = 1000;
        options.header_limit_bytes = 4096;
        server = new test::running_server{test::sample_config(), options};
    }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    static test::reply get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
        return fetch(server->port(), target, headers);
    }
    // A 4xx answer must be problem+json that names the parameter.
    static void expect_problem(const std::string& target, unsigned status, const std::string& parameter) {
        const auto r = get(target);
        EXPECT_EQ(r.status, status) << target;
        EXPECT_EQ(r.header("content-type"), "application/problem+json") << target;
        const auto j = r.json();
        EXPECT_EQ(j["status"], status);
        EXPECT_FALSE(j["detail"].get<std::string>().empty());
        if (!parameter.empty()) { EXPECT_EQ(j["parameter"], parameter) << target << ": " << r.body; }
    }
    static test::running_server* server;
};

test::running_server* features_api::server = nullptr;

} // namespace

TEST_F(features_api, landing_page_links_to_api_conformance_and_data) {
    const auto r = get("/");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("content-type"), "application/json");
    std::set<std::string> rels;
    const auto j = r.json();
    for (const auto& l : j["links"]) {
        rels.insert(l["rel"]);
        EXPECT_EQ(test::fetch_url(l["href"]).status, 200u) << l["href"];
    }
    EXPECT_EQ(rels, (std::set<std::string>{"self", "service-desc", "conformance", "data",
                                           "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                                           "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"}));
}

TEST_F(features_api, conformance_declares_core_and_geojson) {
    const auto j = get("/conformance").json();
    const auto classes = j["conformsTo"].get<std::vector<std::string>>();
    EXPECT_THAT(classes, ::testing::Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"));
    EXPECT_THAT(classes, ::testing::Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"));
}

TEST_F(features_api, collections_list_every_layer_with_extent_and_links) {
    const auto j = get("/collections").json();
    // The sample's seven layers and the proposals store, which has no fixed extent.
    ASSERT_EQ(j["collections"].size(), 8u);
    EXPECT_EQ(j["collections"][7]["id"], "proposals");
    for (const auto& c : j["collections"]) {
        bool has_items = false;
        for (const auto& l : c["links"]) has_items |= l["rel"] == "items";
        EXPECT_TRUE(has_items) << c["id"];
        if (c["id"] == "proposals") continue;
        const auto bbox = c["extent"]["spatial"]["bbox"][0];
        EXPECT_GT(bbox[0].get<double>(), 12.3) << c["id"];
        EXPECT_LT(bbox[2].get<double>(), 12.8) << c["id"];
        EXPECT_GT(bbox[1].get<double>(), 55.5) << c["id"];
    }
    const auto one = get("/collections/housing-departments").json();
    EXPECT_EQ(one["id"], "housing-departments");
    EXPECT_EQ(one["kvarter:role"], "housing_department");
    EXPECT_EQ(one["kvarter:years"], nlohmann::json::parse("[2010,2011,2012,2013]"));
}

TEST_F(features_api, queryables_name_source_and_joined_properties) {
    const auto r = get("/collections/housing-departments/queryables");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("content-type"), "application/schema+json");
    const auto props = r.json()["properties"];
    EXPECT_EQ(props["dwellings"]["type"], "integer");
    EXPECT_EQ(props["navn"]["type"], "string");
    EXPECT_EQ(props["deprived_area"]["type"], "string");
    EXPECT_EQ(props["district"]["type"], "string");
}

TEST_F(features_api, items_page_through_every_feature_with_next_links) {
    auto r = get("/collections/housing-departments/items?limit=50");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.header("content-type"), "application/geo+json");
    const std::size_t total = server->holder().get()->find("housing-departments")->features.size();
    std::set<std::string> ids;
    int pages = 0;
    while (true) {
        const auto j = r.json();
        EXPECT_EQ(j["numberMatched"], total);
        EXPECT_EQ(j["numberReturned"], j["features"].size());
        for (const auto& f : j["features"]) ids.insert(f["id"].get<std::string>());
        ++pages;
        std::string next;
        for (const auto& l : j["links"])
            if (l["rel"] == "next") next = l["href"];
        if (next.empty()) break;
        r = test::fetch_url(next);
        ASSERT_EQ(r.status, 200u);
    }
    EXPECT_EQ(ids.size(), total);
    EXPECT_EQ(pages, static_cast<int>((total + 49) / 50));
    // prev goes back
    const auto second = get("/collections/housing-departments/items?limit=50&offset=50").json();
    std::string prev;
    for (const auto& l : second["links"])
        if (l["rel"] == "prev") prev = l["href"];
    EXPECT_THAT(prev, HasSubstr("offset=0"));
}

TEST_F(features_api, coordinates_are_lonlat_with_at_most_seven_decimals) {
    const auto r = get("/collections/districts/items/3");
    ASSERT_EQ(r.status, 200u);
    const auto j = r.json();
    EXPECT_EQ(j["id"], 3);
    EXPECT_EQ(j["properties"]["navn"], "Nørrebro");
    const auto& ring = j["geometry"]["coordinates"][0];
    const double lon = ring[0][0], lat = ring[0][1];
    EXPECT_GT(lon, 12.4);
    EXPECT_LT(lon, 12.7);
    EXPECT_GT(lat, 55.6);
    EXPECT_LT(lat, 55.8);
    // No number in the body has more than 7 decimals.
    const auto& body = r.body;
    for (std::size_t dot = body.find('.'); dot != std::string::npos; dot = body.find('.', dot + 1)) {
        std::size_t digits = 0;
        while (dot + 1 + digits < body.size() && std::isdigit(static_cast<unsigned char>(body[dot + 1 + digits]))) ++digits;
        if (dot > 0 && std::isdigit(static_cast<unsigned char>(body[dot - 1]))) { EXPECT_LE(digits, 7u); }
    }
}

namespace {

// A copy of the sample (config, layers, rules) in a folder of its own, which a test may edit.
std::filesystem::path editable_sample(const std::string& name) {
    namespace fs = std::filesystem;
    const auto dir = test::temp_dir(name);
    const auto geodata = test::source_dir() / "geodata";
    fs::copy(geodata / "sample", dir / "sample", fs::copy_options::recursive);
    fs::copy(geodata / "rules", dir / "rules", fs::copy_options::recursive);
    fs::copy_file(geodata / "tokens.example", dir / "tokens.example");
    std::ifstream in{geodata / "sample.json"};
    nlohmann::json config = nlohmann::json::parse(in);
    config["tilesets"] = (test::source_dir() / "tiles" / "sample").string();
    config["styles"] = (test::source_dir() / "tiles" / "styles").string();
    test::write_file(dir / "sample.json", config.dump(2));
    return dir / "sample.json";
}

nlohmann::json read_json(const std::filesystem::path& path) {
    std::ifstream in{path};
    return nlohmann::json::parse(in);
}

} // namespace

// Ids come from the data's id field, not from the order features are read in: after the source
// changes (a department removed, one renamed, one added, the rest reordered) and the server
// reloads, every feature that is still there answers under the id it had.
TEST(reload, feature_ids_follow_the_data_across_a_reload_that_changes_it) {
    const auto config = editable_sample("reload-ids");
    const auto source = config.parent_path() / "sample" / "housing_departments.geojson";
    test::running_server server{config};
    const auto items = [&](const std::string& query) {
        return fetch(server.port(), "/collections/housing-departments/items" + query).json();
    };
    const auto before = items("?limit=10000");
    ASSERT_GE(before["features"].size(), 4u);
    const std::string removed = before["features"][0]["id"], renamed = before["features"][1]["id"];
    const std::string kept = before["features"][2]["id"];
    const auto kept_name = before["features"][2]["properties"]["navn"];

    auto data = read_json(source);
    auto& features = data["features"];
    features.erase(features.begin()); // `removed` goes
    features[0]["properties"]["navn"] = "Omdøbt afdeling"; // `renamed` stays under a new name
    std::reverse(features.begin(), features.end()); // read in another order
    nlohmann::json added = features.back();
    added["properties"]["id"] = "9999-0001";
    added["properties"]["navn"] = "Ny afdeling";
    features.push_back(added);
    test::write_file(source, data.dump());

    const auto generation = server.holder().generation();
    server.holder().reload();
    ASSERT_GT(server.holder().generation(), generation) << "the reload must have read the edited data";

    const auto after = items("?limit=10000");
    EXPECT_EQ(after["numberMatched"], before["numberMatched"]) << "one removed, one added";
    std::set<std::string> ids_before, ids_after;
    for (const auto& f : before["features"]) ids_before.insert(f["id"].get<std::string>());
    for (const auto& f : after["features"]) ids_after.insert(f["id"].get<std::string>());
    EXPECT_FALSE(ids_after.contains(removed));
    EXPECT_TRUE(ids_after.contains("9999-0001"));
    std::set<std::string> survived = ids_before;
    survived.erase(removed);
    ids_after.erase("9999-0001");
    EXPECT_EQ(ids_after, survived) << "every other department keeps its id";

    EXPECT_EQ(fetch(server.port(), "/collections/housing-departments/items/" + removed).status, 404u);
    EXPECT_EQ(items("/" + renamed)["properties"]["navn"], "Omdøbt afdeling");
    EXPECT_EQ(items("/" + kept)["properties"]["navn"], kept_name);
    EXPECT_EQ(items("/9999-0001")["properties"]["navn"], "Ny afdeling");
}

TEST_F(features_api, bbox_selects_only_features_that_touch_it) {
    // A box around Mjølnerparken (Nørrebro) holds few departments; every one returned touches it.
    const auto j = get("/collections/housing-departments/items?bbox=12.535,55.695,12.55,55.703&limit=1000").json();
    const auto all = get("/collections/housing-departments/items?limit=1000").json();
    EXPECT_GT(j["numberMatched"].get<int>(), 0);
    EXPECT_LT(j["numberMatched"].get<int>(), all["numberMatched"].get<int>());
    for (const auto& f : j["features"]) {
        double min_x = 180, max_x = -180, min_y = 90, max_y = -90;
        std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& c) {
            if (c[0].is_number()) {
                min_x = std::min(min_x, c[0].get<double>());
                max_x = std::max(max_x, c[0].get<double>());
                min_y = std::min(min_y, c[1].get<double>());
                max_y = std::max(max_y, c[1].get<double>());
                return;
            }
            for (const auto& child : c) walk(child);
        };
        walk(f["geometry"]["coordinates"]);
        EXPECT_TRUE(max_x >= 12.535 && min_x <= 12.55 && max_y >= 55.695 && min_y <= 55.703) << f["id"];
    }
}

TEST_F(features_api, equality_filters_on_joined_properties) {
    const auto j = get("/collections/housing-departments/items?deprived_area=N%C3%B8rrebro&limit=1000").json();
    ASSERT_GT(j["numberMatched"].get<int>(), 0);
    for (const auto& f : j["features"]) EXPECT_EQ(f["properties"]["deprived_area"], "Nørrebro");
    const auto none = get("/collections/housing-departments/items?deprived_area=Atlantis").json();
    EXPECT_EQ(none["numberMatched"], 0);
    EXPECT_EQ(none["features"].size(), 0u);
}

TEST_F(features_api, year_picks_the_indicator_values_and_properties_selects_them) {
    const auto y2010 = get("/collections/housing-departments/items/0255-0303?year=2010").json();
    const auto y2013 = get("/collections/housing-departments/items/0255-0303").json();
    EXPECT_EQ(y2010["properties"]["year"], 2010);
    EXPECT_EQ(y2013["properties"]["year"], 2013); // default: the latest year
    EXPECT_NE(y2010["properties"]["outside_labour_force_share"], y2013["properties"]["outside_labour_force_share"]);
    const auto slim = get("/collections/housing-departments/items?limit=1&properties=navn,residents").json();
    const auto props = slim["features"][0]["properties"];
    EXPECT_EQ(props.size(), 2u);
    EXPECT_TRUE(props.contains("navn"));
    EXPECT_TRUE(props.contains("residents"));
}

TEST_F(features_api, bad_requests_are_problems_naming_the_parameter) {
    expect_problem("/collections/housing-departments/items?bbox=1,2,3", 400, "bbox");
    expect_problem("/collections/housing-departments/items?bbox=12,56,13,55", 400, "bbox");
    expect_problem("/collections/housing-departments/items?limit=-1", 400, "limit");
    expect_problem("/collections/housing-departments/items?limit=0", 400, "limit");
    expect_problem("/collections/housing-departments/items?offset=x", 400, "offset");
    expect_problem("/collections/housing-departments/items?properties=colour", 400, "properties");
    expect_problem("/collections/housing-departments/items?colour=red", 400, "colour");
    expect_problem("/collections/housing-departments/items?year=1999", 400, "year");
    expect_problem("/collections/housing-departments/items?bbox=%zz", 400, "query");
    expect_problem("/collections/atlantis", 404, "");
    expect_problem("/collections/atlantis/items", 404, "");
    expect_problem("/collections/housing-departments/items/no-such-id", 404, "");
    expect_problem("/nowhere", 404, "");
}

TEST_F(features_api, a_wrong_method_is_405_with_allow) {
    const auto r = fetch(server->port(), "/collections", {}, "DELETE");
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(r.header("allow"), "GET");
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
}

TEST_F(features_api, gzip_when_accepted_and_identical_after_decoding) {
    const auto plain = get("/collections/housing-departments/items?limit=20");
    const auto zipped = get("/collections/housing-departments/items?limit=20", {{"Accept-Encoding", "gzip, deflate"}});
    EXPECT_EQ(plain.header("content-encoding"), "");
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), plain.body.size());
    auto strip_time = [](std::string s) { return s.erase(s.find("timeStamp"), 32); };
    EXPECT_EQ(strip_time(http::gunzip(zipped.body)), strip_time(plain.body));
    EXPECT_EQ(get("/collections/housing-departments/items?limit=20", {{"Accept-Encoding", "gzip;q=0"}}).header("content-encoding"), "");
}

TEST_F(features_api, cors_headers_on_gets_and_preflight) {
    EXPECT_EQ(get("/collections").header("access-control-allow-origin"), "*");
    const auto pre = fetch(server->port(), "/collections", {{"Origin", "http://example.org"}}, "OPTIONS");
    EXPECT_EQ(pre.status, 204u);
    EXPECT_THAT(pre.header("access-control-allow-methods"), HasSubstr("GET"));
}

TEST_F(features_api, head_answers_headers_without_a_body) {
    const auto r = fetch(server->port(), "/collections", {}, "HEAD");
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.body.empty());
    EXPECT_GT(std::stoul(r.header("content-length")), 100u);
}

TEST_F(features_api, health_metrics_and_api_description) {
    const auto health = get("/health").json();
    EXPECT_EQ(health["status"], "ok");
    EXPECT_EQ(health["layers"], 7);
    get("/collections");
    const auto metrics = get("/metrics");
    EXPECT_THAT(metrics.header("content-type"), HasSubstr("text/plain"));
    EXPECT_THAT(metrics.body, HasSubstr("kvarter_http_requests_total{method=\"GET\",route=\"/collections\",status=\"200\"}"));
    const auto api = get("/api").json();
    EXPECT_EQ(api["openapi"], "3.0.3");
    EXPECT_TRUE(api["paths"].contains("/collections/{collectionId}/items"));
}

TEST_F(features_api, a_body_over_the_limit_is_413_and_huge_headers_are_431) {
    const auto big = fetch(server->port(), "/collections", {}, "POST", std::string(5000, 'x'));
    EXPECT_EQ(big.status, 413u);
    const auto headers = fetch(server->port(), "/collections", {{"X-Filler", std::string(8000, 'y')}});
    EXPECT_EQ(headers.status, 431u);
}

TEST_F(features_api, malformed_http_gets_400_and_the_server_keeps_serving) {
    const auto answer = test::exchange_raw(server->port(), "GARBAGE\r\n\r\n", std::chrono::milliseconds{2000});
    EXPECT_THAT(answer, HasSubstr("400"));
    const auto half = test::exchange_raw(server->port(), "GET /collections HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab",
                                         std::chrono::milliseconds{300});
    EXPECT_EQ(half, ""); // still waiting for the body; no crash, no answer yet
    EXPECT_EQ(get("/health").status, 200u);
}

TEST_F(features_api, many_concurrent_clients_get_complete_answers) {
    std::vector<std::future<std::size_t>> clients;
    for (int i = 0; i < 16; ++i)
        clients.push_back(std::async(std::launch::async, [] {
            std::size_t sum = 0;
            for (int k = 0; k < 10; ++k)
                sum += get("/collections/housing-departments/items?limit=200").json()["features"].size();
            return sum;
        }));
    for (auto& c : clients) EXPECT_EQ(c.get(), 10u * 180u);
}

TEST(server, closes_idle_connections_after_the_timeout) {
    http::server_options options;
    options.idle_timeout = std::chrono::seconds{1};
    test::running_server server{test::sample_config(), options};
    EXPECT_TRUE(test::closed_when_idle(server.port(), std::chrono::milliseconds{5000}));
}

TEST_F(features_api, overlay_and_lookup_answer_and_name_bad_input) {
    const std::string square = R"({"type":"Polygon","coordinates":[[[12.535,55.695],[12.55,55.695],[12.55,55.703],[12.535,55.703],[12.535,55.695]]]})";
    // The body limit of this server is 1000 bytes; the square fits.
    const auto ok = fetch(server->port(), "/analysis/overlay?year=2012", {{"Content-Type", "application/geo+json"}}, "POST", square);
    ASSERT_EQ(ok.status, 200u) << ok.body;
    const auto report = ok.json();
    EXPECT_EQ(report["year"], 2012);
    EXPECT_GT(report["area_m2"].get<double>(), 800000);
    EXPECT_GT(report["housing_departments"].size(), 0u);

    auto problem_of = [&](const std::string& target, const std::string& method, const std::string& body) {
        const auto r = fetch(server->port(), target, {}, method, body);
        EXPECT_EQ(r.status, 400u) << body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        return r.json()["parameter"].get<std::string>();
    };
    EXPECT_EQ(problem_of("/analysis/overlay", "POST", "not json"), "body");
    EXPECT_EQ(problem_of("/analysis/overlay", "POST", R"({"type":"LineString","coordinates":[[0,0],[1,1]]})"), "geometry.type");
    EXPECT_EQ(problem_of("/analysis/overlay", "POST", R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})"),
              "geometry.coordinates[0]");
    EXPECT_EQ(problem_of("/lookup?lon=12.5&lat=north", "GET", ""), "lat");
    EXPECT_EQ(problem_of("/lookup?lon=200&lat=55", "GET", ""), "lon");
    EXPECT_EQ(problem_of("/lookup?lat=55", "GET", ""), "lon");

    const auto at = get("/lookup?lon=12.542&lat=55.699").json();
    EXPECT_EQ(at["layers"]["districts"]["features"][0]["name"], "Nørrebro");
    EXPECT_EQ(at["layers"]["deprived-areas"]["features"][0]["name"], "Nørrebro");
    EXPECT_FALSE(at["nearest_facilities"].empty());
    const auto sea = get("/lookup?lon=11.0&lat=56.5").json();
    for (const auto& [id, layer] : sea["layers"].items()) EXPECT_TRUE(layer["features"].empty()) << id;
}

TEST_F(features_api, a_transfer_encoding_not_exactly_chunked_is_refused_and_the_rest_never_read) {
    for (const std::string te : {"xchunked", "chunked, identity", "identity"}) {
        const auto answer = test::exchange_raw(server->port(),
                                               "POST /analysis/overlay HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te +
                                                   "\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n",
                                               std::chrono::milliseconds{2000});
        EXPECT_THAT(answer, HasSubstr("HTTP/1.1 400")) << te;
        EXPECT_THAT(answer, HasSubstr("Transfer-Encoding")) << te;
        EXPECT_THAT(answer, Not(HasSubstr("200 OK"))) << te << ": the smuggled request was answered\n" << answer;
    }
}

TEST_F(features_api, an_http_1_1_request_without_host_is_a_400) {
    const auto answer = test::exchange_raw(server->port(), "GET /health HTTP/1.1\r\n\r\n", std::chrono::milliseconds{2000});
    EXPECT_THAT(answer, HasSubstr("HTTP/1.1 400"));
    EXPECT_THAT(answer, HasSubstr("Host header"));
    const auto old = test::exchange_raw(server->port(), "GET /health HTTP/1.0\r\n\r\n", std::chrono::milliseconds{2000});
    EXPECT_THAT(old, HasSubstr(" 200 "));
}

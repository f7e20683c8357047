// /api describes every route with the parameters it takes; what it says is checked against the
// server: each declared query parameter, sent with its example, is taken (not refused as unknown
// or malformed), and a required one left out is refused by name. (That /api is valid OpenAPI 3.0
// is checked against the OpenAPI schema in tests/http/ogc_schemas_test.py.)

#include "http/message.hpp"
#include "http/test_client.hpp"
#include "support/sample_server_suite.hpp"
#include "tiles/tile_math.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

using namespace kvarter;
using nlohmann::json;

namespace {

class api_document : public test::sample_server_suite {
protected:
    static void SetUpTestSuite() {
        sample_server_suite::SetUpTestSuite();
        api = new json(get("/api").json());
    }
    static void TearDownTestSuite() {
        delete api;
        sample_server_suite::TearDownTestSuite();
    }
    static inline json* api = nullptr;

    // The path with its {placeholders} filled from values the sample has; empty when one has none.
    static std::string fill(std::string path) {
        const auto t = tiles::tile_containing({12.57, 55.68}, 12);
        const std::map<std::string, std::string> values{
            {"collectionId", "districts"}, {"featureId", "1"}, {"tileset", "default"},
            {"tileMatrixSetId", "WebMercatorQuad"}, {"tileMatrix", "12"}, {"tileRow", std::to_string(t.y)},
            {"tileCol", std::to_string(t.x)}, {"z", "12"}, {"x", std::to_string(t.x)}, {"y", std::to_string(t.y)},
            {"fontstack", "DejaVu Sans Book"}, {"range", "0-255"}, {"name", "default"}, {"path", "index.html"}};
        for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
            const auto close = path.find('}', open);
            const auto v = values.find(path.substr(open + 1, close - open - 1));
            if (v == values.end()) return {};
            path.replace(open, close - open + 1, http::percent_encode(v->second));
        }
        return path;
    }

    // A parameter's example, or for those whose good value depends on the data, one of the sample's.
    static std::string value_of(const json& parameter) {
        static const std::map<std::string, std::string> sample_values{{"year", "2012"}, {"since", "2011"}};
        if (const auto v = sample_values.find(parameter.at("name")); v != sample_values.end()) return v->second;
        if (!parameter.contains("example")) return {};
        return query_text(parameter.at("example"));
    }

    // An example as it goes into a query: strings as they are, numbers as written, arrays joined by commas.
    static std::string query_text(const json& example) {
        if (example.is_string()) return example.get<std::string>();
        if (!example.is_array()) return example.dump();
        std::string out;
        for (const auto& e : example) out += (out.empty() ? "" : ",") + query_text(e);
        return out;
    }
};

TEST_F(api_document, every_route_is_described_once_with_a_unique_operation_id) {
    std::set<std::string> described, ids;
    for (const auto& [path, item] : api->at("paths").items())
        for (const auto& [method, op] : item.items()) {
            described.insert(method + " " + path);
            EXPECT_TRUE(ids.insert(op.at("operationId").get<std::string>()).second) << op.at("operationId");
            EXPECT_FALSE(op.at("summary").get<std::string>().empty()) << method << " " << path;
        }
    for (const char* expected : {"get /collections/{collectionId}/items", "post /analysis/overlay", "get /analysis/index",
                                 "get /tiles/{tileset}/{z}/{x}/{y}.mvt", "patch /collections/proposals/items/{featureId}",
                                 "get /lookup", "get /map/{path}"})
        EXPECT_TRUE(described.count(expected)) << expected;
}

TEST_F(api_document, the_shared_parameters_are_described_on_every_route_that_takes_them) {
    const auto names = [&](const std::string& path, const std::string& method) {
        std::set<std::string> out;
        for (const auto& p : api->at("paths").at(path).at(method).value("parameters", json::array()))
            if (p.at("in") == "query") out.insert(p.at("name").get<std::string>());
        return out;
    };
    EXPECT_EQ(names("/collections/{collectionId}/items", "get"),
              (std::set<std::string>{"bbox", "bbox-crs", "limit", "offset", "datetime", "sortby", "year", "properties", "crs",
                                     "f", "filter", "filter-lang", "filter-crs"}));
    EXPECT_EQ(names("/analysis/index", "get"), (std::set<std::string>{"layer", "year", "weights"}));
    EXPECT_EQ(names("/tiles/{tileset}/{z}/{x}/{y}.mvt", "get"),
              names("/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", "get"));
    EXPECT_EQ(names("/analysis/overlay", "post"), (std::set<std::string>{"year", "filter", "filter-lang", "filter-crs"}));
    EXPECT_EQ(api->at("paths").at("/analysis/overlay").at("post").at("requestBody").at("content").begin().key(),
              "application/geo+json");
    const auto& tile_z = api->at("paths").at("/tiles/{tileset}/{z}/{x}/{y}.mvt").at("get").at("parameters").at(1);
    EXPECT_EQ(tile_z.at("name"), "z");
    EXPECT_EQ(tile_z.at("schema").at("type"), "integer");
}

TEST_F(api_document, each_declared_query_parameter_is_taken_with_its_example) {
    int sent = 0;
    for (const auto& [path, item] : api->at("paths").items()) {
        if (!item.contains("get")) continue;
        const std::string target = fill(path);
        if (target.empty()) continue; // a proposal's {id}: the sample holds none
        for (const auto& p : item.at("get").value("parameters", json::array())) {
            if (p.at("in") != "query") continue;
            const std::string value = value_of(p);
            ASSERT_FALSE(value.empty()) << path << ": " << p.at("name") << " has no example";
            std::string query = http::percent_encode(p.at("name")) + "=" + http::percent_encode(value);
            for (const auto& other : item.at("get").at("parameters")) // required companions (lon with lat)
                if (other.value("required", false) && other.at("in") == "query" && other.at("name") != p.at("name"))
                    query += "&" + http::percent_encode(other.at("name")) + "=" + http::percent_encode(value_of(other));
            const auto r = get(target + "?" + query);
            EXPECT_LT(r.status, 400) << target << "?" << query << " -> " << r.status << " " << r.body.substr(0, 300);
            ++sent;
        }
    }
    EXPECT_GT(sent, 40);
}

TEST_F(api_document, a_required_parameter_left_out_is_refused_by_name) {
    const auto& lookup = api->at("paths").at("/lookup").at("get").at("parameters");
    ASSERT_EQ(lookup.size(), 2u);
    for (const auto& p : lookup) {
        EXPECT_TRUE(p.at("required").get<bool>());
        const auto& other = lookup.at(p.at("name") == "lon" ? 1 : 0);
        const auto r = get("/lookup?" + other.at("name").get<std::string>() + "=" + value_of(other));
        EXPECT_EQ(r.status, 400);
        EXPECT_EQ(r.json().value("parameter", ""), p.at("name"));
    }
}

} // namespace

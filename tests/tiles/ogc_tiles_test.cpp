// OGC API – Tiles through a real server: the tile matrix set, tileset metadata, and tiles at the
// standard's paths that are the bytes of kvarter's own paths.

#include "http/test_client.hpp"
#include "support/sample_server_suite.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"
#include "tiles/tile_math.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace kvarter;
using ::testing::Contains;
using ::testing::HasSubstr;

namespace {

class ogc_tiles : public test::sample_server_suite {
protected:
    // A tile of the sample's districts at zoom z, with x != y so that a swapped row and column shows.
    static tiles::tile_id district_tile(int z) {
        const auto* l = server->holder().get()->find("districts");
        const auto& e = l->lonlat_extent;
        return tiles::tile_containing({(e.min_x + e.max_x) / 2, (e.min_y + e.max_y) / 2}, z);
    }
};

const nlohmann::json* find_link(const nlohmann::json& links, const std::string& rel) {
    for (const auto& l : links)
        if (l.at("rel") == rel) return &l;
    return nullptr;
}

std::string fill(std::string url_template, const tiles::tile_id& t) {
    const auto put = [&](const std::string& name, const std::string& value) {
        const auto at = url_template.find(name);
        ASSERT_NE(at, std::string::npos) << url_template;
        url_template.replace(at, name.size(), value);
    };
    put("{tileMatrix}", std::to_string(t.z));
    put("{tileRow}", std::to_string(t.y));
    put("{tileCol}", std::to_string(t.x));
    return url_template;
}

} // namespace

TEST_F(ogc_tiles, web_mercator_quad_is_defined_as_ogc_17_083r4_gives_it) {
    const auto list = get("/tileMatrixSets");
    ASSERT_EQ(list.status, 200u) << list.body;
    const auto sets = list.json().at("tileMatrixSets");
    ASSERT_EQ(sets.size(), 1u);
    EXPECT_EQ(sets[0].at("id"), "WebMercatorQuad");

    const auto r = get("/tileMatrixSets/WebMercatorQuad");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto tms = r.json();
    EXPECT_EQ(tms.at("crs"), "http://www.opengis.net/def/crs/EPSG/0/3857");
    EXPECT_EQ(tms.at("uri"), "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
    const auto& m = tms.at("tileMatrices");
    ASSERT_EQ(m.size(), static_cast<std::size_t>(tiles::max_zoom + 1));
    // The standard's table: zoom 0 is one 256-pixel tile of 156543.03392804097 m per pixel,
    // scale 1:559082264.0287178; each zoom halves the cell and doubles the matrix.
    EXPECT_NEAR(m[0].at("cellSize").get<double>(), 156543.03392804097, 1e-6);
    EXPECT_NEAR(m[0].at("scaleDenominator").get<double>(), 559082264.0287178, 1e-3);
    EXPECT_EQ(m[0].at("matrixWidth"), 1);
    EXPECT_EQ(m[10].at("matrixWidth"), 1024);
    EXPECT_EQ(m[10].at("id"), "10");
    EXPECT_NEAR(m[10].at("cellSize").get<double>(), 156543.03392804097 / 1024, 1e-9);
    EXPECT_NEAR(m[3].at("pointOfOrigin")[0].get<double>(), -20037508.3427892, 1e-6);
    EXPECT_NEAR(m[3].at("pointOfOrigin")[1].get<double>(), 20037508.3427892, 1e-6);

    const auto other = get("/tileMatrixSets/WorldCRS84Quad");
    EXPECT_EQ(other.status, 404u);
    EXPECT_THAT(other.body, HasSubstr("WebMercatorQuad only"));
}

TEST_F(ogc_tiles, a_tilesets_tile_by_the_standard_is_the_same_bytes_as_kvarters_own_path) {
    for (int z : {10, 12, 14}) {
        const auto t = district_tile(z);
        ASSERT_NE(t.x, t.y);
        const auto own = get("/tiles/default/" + std::to_string(z) + "/" + std::to_string(t.x) + "/" +
                             std::to_string(t.y) + ".mvt?year=2023");
        const auto ogc = get("/tiles/default/WebMercatorQuad/" + std::to_string(z) + "/" + std::to_string(t.y) + "/" +
                             std::to_string(t.x) + "?year=2023");
        ASSERT_EQ(own.status, 200u) << own.body;
        ASSERT_EQ(ogc.status, 200u) << ogc.body;
        EXPECT_EQ(ogc.body, own.body) << "z" << z;
        EXPECT_EQ(ogc.header("etag"), own.header("etag"));
        EXPECT_EQ(ogc.header("content-type"), "application/vnd.mapbox-vector-tile");
    }
    EXPECT_EQ(get("/tiles/default/WorldCRS84Quad/0/0/0").status, 404u);
    const auto row_out = get("/tiles/default/WebMercatorQuad/1/2/0");
    EXPECT_EQ(row_out.status, 400u);
    EXPECT_THAT(row_out.body, HasSubstr("row 2 is outside"));
}

TEST_F(ogc_tiles, tileset_metadata_links_the_tile_template_the_tiling_scheme_and_the_layers) {
    const auto list = get("/tiles");
    ASSERT_EQ(list.status, 200u);
    const auto sets = list.json().at("tilesets");
    ASSERT_FALSE(sets.empty());
    for (const auto& s : sets) {
        EXPECT_EQ(s.at("dataType"), "vector");
        EXPECT_EQ(s.at("crs"), "http://www.opengis.net/def/crs/EPSG/0/3857");
        ASSERT_NE(find_link(s.at("links"), "self"), nullptr);
        ASSERT_NE(find_link(s.at("links"), "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"), nullptr);
        EXPECT_TRUE(s.contains("tilejson")) << "kvarter's own fields stay";
    }

    const auto r = get("/tiles/default");
    ASSERT_EQ(r.status, 200u) << r.body;
    const auto meta = r.json();
    EXPECT_EQ(meta.at("tileMatrixSetURI"), "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
    const auto* item = find_link(meta.at("links"), "item");
    ASSERT_NE(item, nullptr);
    EXPECT_EQ(item->at("templated"), true);
    const auto t = district_tile(12);
    const auto tile = test::fetch_url(fill(item->at("href"), t));
    EXPECT_EQ(tile.status, 200u) << "the template names a tile that exists";

    std::set<std::string> layer_ids;
    for (const auto& l : meta.at("layers")) layer_ids.insert(l.at("id"));
    EXPECT_THAT(layer_ids, Contains("districts"));

    // The limits hold the data: the tile at the districts' centre is inside them at each zoom.
    bool checked = false;
    for (const auto& lim : meta.at("tileMatrixSetLimits")) {
        if (lim.at("tileMatrix") != "12") continue;
        EXPECT_LE(lim.at("minTileRow").get<unsigned>(), t.y);
        EXPECT_GE(lim.at("maxTileRow").get<unsigned>(), t.y);
        EXPECT_LE(lim.at("minTileCol").get<unsigned>(), t.x);
        EXPECT_GE(lim.at("maxTileCol").get<unsigned>(), t.x);
        checked = true;
    }
    EXPECT_TRUE(checked);
    EXPECT_EQ(get("/tiles/no-such-tileset").status, 404u);
}

TEST_F(ogc_tiles, a_collections_tiles_hold_that_collection_alone_with_the_tilesets_features) {
    const auto collection = get("/collections/districts").json();
    const auto* tiles_link = find_link(collection.at("links"), "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector");
    ASSERT_NE(tiles_link, nullptr);
    const auto list = test::fetch_url(tiles_link->at("href"));
    ASSERT_EQ(list.status, 200u) << list.body;
    const auto sets = list.json().at("tilesets");
    ASSERT_EQ(sets.size(), 1u);
    const auto meta_reply = test::fetch_url(find_link(sets[0].at("links"), "self")->at("href"));
    ASSERT_EQ(meta_reply.status, 200u) << meta_reply.body;
    const auto meta = meta_reply.json();
    const auto* item = find_link(meta.at("links"), "item");
    ASSERT_NE(item, nullptr);

    const auto t = district_tile(12);
    const auto alone = test::fetch_url(fill(item->at("href"), t));
    ASSERT_EQ(alone.status, 200u);
    const auto whole = get("/tiles/default/12/" + std::to_string(t.x) + "/" + std::to_string(t.y) + ".mvt");
    const auto alone_layers = test::decode_with_gdal(alone.body, t.z, t.x, t.y);
    const auto whole_layers = test::decode_with_gdal(whole.body, t.z, t.x, t.y);
    std::set<std::string> names;
    for (const auto& [name, features] : alone_layers) names.insert(name);
    EXPECT_EQ(names, (std::set<std::string>{"districts", "districts-labels"})) << "the layer and its label points";
    ASSERT_GT(whole_layers.size(), 1u) << "the tileset's tile holds more than the districts";
    std::set<std::string> alone_ids, whole_ids;
    for (const auto& f : alone_layers.at("districts")) alone_ids.insert(f.properties.at("mvt_id"));
    for (const auto& f : whole_layers.at("districts")) whole_ids.insert(f.properties.at("mvt_id"));
    EXPECT_EQ(alone_ids, whole_ids);
    EXPECT_FALSE(alone_ids.empty());

    EXPECT_EQ(get("/collections/no-such/tiles").status, 404u);
    EXPECT_EQ(get("/collections/districts/tiles/WorldCRS84Quad").status, 404u);
}

TEST_F(ogc_tiles, the_landing_page_and_conformance_declare_the_tiles) {
    const auto conformance = get("/conformance").json().at("conformsTo");
    EXPECT_THAT(conformance, Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core"));
    EXPECT_THAT(conformance, Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt"));
    const auto landing = get("/").json().at("links");
    EXPECT_NE(find_link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"), nullptr);
    EXPECT_NE(find_link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"), nullptr);
}

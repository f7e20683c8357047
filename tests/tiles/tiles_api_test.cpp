// Tiles through a real server, read back by GDAL's MVT driver.

#include "geometry/web_mercator.hpp"
#include "geometry/box_predicate.hpp"
#include "http/gzip.hpp"
#include "http/test_client.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"
#include "tiles/tile_math.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

std::string path_of(int z, unsigned x, unsigned y) {
    return "/tiles/default/" + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt";
}

// The tile holding a lon/lat at zoom z.
tiles::tile_id tile_at(double lon, double lat, int z) {
    const double n = std::ldexp(1.0, z);
    const double r = lat * M_PI / 180;
    return {z, static_cast<std::uint32_t>((lon + 180) / 360 * n),
            static_cast<std::uint32_t>((1 - std::asinh(std::tan(r)) / M_PI) / 2 * n)};
}

// Ids of catalog features whose Web Mercator geometry touches the tile grown (or shrunk) by `pad` units.
std::set<std::string> touching(const catalog::layer& l, const tiles::tile_id& t, double pad) {
    auto b = tiles::mercator_bounds(t);
    const double d = (b.max_x - b.min_x) * pad / 4096;
    b = {b.min_x - d, b.min_y - d, b.max_x + d, b.max_y + d};
    std::set<std::string> ids;
    for (const auto& f : l.features)
        if (f.has_geometry && geometry::intersects(geometry::web_mercator::from_lonlat(f.lonlat), b)) ids.insert(f.id);
    return ids;
}

class tiles_api : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server = new test::running_server{test::sample_config()}; }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    static test::reply get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
        return test::fetch(server->port(), target, headers);
    }
    static test::running_server* server;
};

test::running_server* tiles_api::server = nullptr;

} // namespace

TEST_F(tiles_api, gdal_reads_our_tiles_with_the_catalogs_features_and_values) {
    const auto cat = server->holder().get();
    // Around Mjølnerparken, at three zooms where no department collapses.
    for (int z : {12, 13, 14}) {
        const auto t = tile_at(12.5420, 55.6990, z);
        const auto r = get(path_of(t.z, t.x, t.y) + "?year=2012");
        ASSERT_EQ(r.status, 200u) << z;
        EXPECT_EQ(r.header("content-type"), "application/vnd.mapbox-vector-tile");
        const auto layers = test::decode_with_gdal(r.body, t.z, t.x, t.y);
        for (const char* id : {"districts", "deprived-areas", "housing-departments"}) {
            ASSERT_TRUE(layers.contains(id)) << id << " at z" << z;
            const auto& l = *cat->find(id);
            // Everything well inside the tile is there; nothing beyond the 64-unit buffer is. A
            // feature that only grazes the buffer may be too thin to survive snapping to the grid.
            const auto must = touching(l, t, -2), may = touching(l, t, 64);
            std::set<std::string> got;
            for (const auto& d : layers.at(id))
                got.insert(d.properties.contains("id") ? d.properties.at("id") : d.properties.at("mvt_id"));
            for (const auto& m : must) EXPECT_TRUE(got.contains(m)) << id << " " << m << " missing at z" << z;
            for (const auto& g : got) EXPECT_TRUE(may.contains(g)) << id << " " << g << " should not be at z" << z;
            EXPECT_EQ(got.size(), layers.at(id).size()) << "each feature once";
        }
        // Property values are the catalog's, for the year asked.
        const auto& deps = *cat->find("housing-departments");
        const auto share = *deps.indicator_index("outside_labour_force_share");
        std::size_t checked = 0;
        for (const auto& d : layers.at("housing-departments")) {
            const auto* f = deps.find(d.properties.at("id"));
            ASSERT_NE(f, nullptr);
            EXPECT_EQ(d.properties.at("navn"), f->name);
            EXPECT_EQ(d.properties.at("year"), "2012");
            EXPECT_NEAR(std::stod(d.properties.at("outside_labour_force_share")), *f->indicators.at(2012)[share], 1e-9);
            const auto district = std::get<std::string>(f->properties[*deps.field_index("district")]);
            EXPECT_EQ(d.properties.at("district"), district);
            ++checked;
        }
        EXPECT_GT(checked, 0u);
    }
}

TEST_F(tiles_api, highlight_flags_follow_the_year) {
    // Renewal zones are "planned" before their start year and "active" in it.
    const auto cat = server->holder().get();
    const auto& zones = *cat->find("renewal-zones");
    const auto* kulbane = zones.find("kulbanekvarteret");
    ASSERT_NE(kulbane, nullptr);
    const auto c = kulbane->lonlat_bounds;
    const auto t = tile_at((c.min_x + c.max_x) / 2, (c.min_y + c.max_y) / 2, 12);
    auto status = [&](int year) {
        const auto layers = test::decode_with_gdal(get(path_of(t.z, t.x, t.y) + "?year=" + std::to_string(year)).body, t.z, t.x, t.y);
        for (const auto& d : layers.at("renewal-zones"))
            if (d.properties.at("id") == "kulbanekvarteret") return d.properties.at("renewal_status");
        return std::string{"(absent)"};
    };
    EXPECT_EQ(status(2013), "planned");
    EXPECT_EQ(status(2016), "active");
    EXPECT_EQ(status(2022), "finished");
}

TEST_F(tiles_api, etag_304_gzip_and_cache) {
    const auto t = tile_at(12.5420, 55.6990, 13);
    const auto first = get(path_of(t.z, t.x, t.y));
    ASSERT_EQ(first.status, 200u);
    const std::string etag = first.header("etag");
    EXPECT_EQ(etag.front(), '"');
    EXPECT_THAT(first.header("cache-control"), HasSubstr("max-age"));
    const auto again = get(path_of(t.z, t.x, t.y), {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304u);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(get(path_of(t.z, t.x, t.y), {{"If-None-Match", "\"other\", W/" + etag}}).status, 304u)
        << "a list, and weak comparison (RFC 9110 13.1.2)";
    EXPECT_EQ(first.header("content-encoding"), "");
    const auto bytes_before_gzip = server->cache().bytes();

    const auto zipped = get(path_of(t.z, t.x, t.y), {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    EXPECT_EQ(http::gunzip(zipped.body), first.body);
    // Two byte sequences, two strong tags: a cache in front must not answer one with the other.
    const std::string gzip_etag = zipped.header("etag");
    EXPECT_NE(gzip_etag, etag);
    EXPECT_EQ(gzip_etag.front(), '"');
    EXPECT_EQ(server->cache().bytes(), bytes_before_gzip + zipped.body.size()) << "the gzipped copy kept beside the raw one";
    const auto zipped_again = get(path_of(t.z, t.x, t.y), {{"Accept-Encoding", "gzip"}, {"If-None-Match", gzip_etag}});
    EXPECT_EQ(zipped_again.status, 304u);
    EXPECT_EQ(zipped_again.header("content-encoding"), "") << "a 304 carries no coding";
    EXPECT_EQ(zipped_again.header("vary"), "Accept-Encoding");
    EXPECT_EQ(get(path_of(t.z, t.x, t.y), {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}}).status, 200u)
        << "the raw copy's tag does not stand for the gzipped one";
    EXPECT_EQ(get(path_of(t.z, t.x, t.y), {{"If-None-Match", gzip_etag}}).status, 200u);
    EXPECT_EQ(server->cache().bytes(), bytes_before_gzip + zipped.body.size()) << "compressed once";
    EXPECT_GT(server->cache().hits(), 0u);
    EXPECT_GT(server->cache().entries(), 0u);
}

TEST_F(tiles_api, a_reload_empties_the_cache) {
    const auto t = tile_at(12.5420, 55.6990, 11);
    get(path_of(t.z, t.x, t.y));
    server->holder().reload();
    const auto misses = server->cache().misses();
    get(path_of(t.z, t.x, t.y));
    const auto after_reload = server->cache().misses();
    EXPECT_GT(after_reload, misses) << "cut again after the reload";
    get(path_of(t.z, t.x, t.y));
    EXPECT_EQ(server->cache().misses(), after_reload) << "then served from the cache";
}

TEST_F(tiles_api, an_empty_tile_is_204_and_bad_coordinates_are_400) {
    EXPECT_EQ(get("/tiles/default/10/0/0.mvt").status, 204u);
    auto expect_400 = [&](const std::string& target, const std::string& parameter) {
        const auto r = get(target);
        EXPECT_EQ(r.status, 400u) << target;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        EXPECT_EQ(r.json()["parameter"], parameter) << target;
    };
    expect_400("/tiles/default/23/0/0.mvt", "z");
    expect_400("/tiles/default/3/8/0.mvt", "x");
    expect_400("/tiles/default/3/0/8.mvt", "y");
    expect_400("/tiles/default/a/0/0.mvt", "z");
    expect_400("/tiles/default/3/-1/0.mvt", "x");
    expect_400("/tiles/default/3/0/0.mvt?year=soon", "year");
    expect_400("/tiles/default/3/0/0.mvt?colour=red", "colour");
    EXPECT_EQ(get("/tiles/nope/3/0/0.mvt").status, 404u);
}

TEST_F(tiles_api, tilejson_describes_the_tileset) {
    const auto r = get("/tiles/default/tilejson.json");
    ASSERT_EQ(r.status, 200u);
    const auto j = r.json();
    EXPECT_EQ(j["tilejson"], "3.0.0");
    EXPECT_EQ(j["tiles"][0], server->base() + "/tiles/default/{z}/{x}/{y}.mvt");
    EXPECT_EQ(j["minzoom"], 0);
    EXPECT_EQ(j["maxzoom"], 22);
    const auto bounds = j["bounds"];
    EXPECT_LT(bounds[0].get<double>(), 12.5);
    EXPECT_GT(bounds[2].get<double>(), 12.6);
    EXPECT_EQ(j["center"].size(), 3u);
    std::set<std::string> ids;
    for (const auto& l : j["vector_layers"]) ids.insert(l["id"]);
    // The sample's seven layers, the label points of the four areas the style names, and the proposals store's layer.
    EXPECT_EQ(ids, (std::set<std::string>{"districts", "deprived-areas", "renewal-zones", "green-teams", "housing-areas",
                                          "housing-departments", "playgrounds", "districts-labels", "deprived-areas-labels",
                                          "renewal-zones-labels", "housing-areas-labels", "proposals"}));
    for (const auto& l : j["vector_layers"])
        if (l["id"] == "housing-departments") {
            EXPECT_EQ(l["fields"]["outside_labour_force_share"], "Number");
            EXPECT_EQ(l["fields"]["in_deprived_area"], "Boolean");
            EXPECT_EQ(l["fields"]["navn"], "String");
        }
    const auto list = get("/tiles").json();
    EXPECT_EQ(list["tilesets"][0]["name"], "default");
}

// TileJSON's vector_layers say what the tiles hold: a style or client reads no field the tiles
// lack, and finds every one they carry. Checked over every tile of the sample at z11 and z13 (all
// layers are drawn there), for the sample's years.
TEST_F(tiles_api, tilejson_lists_exactly_the_fields_the_tiles_carry) {
    const auto tj = get("/tiles/default/tilejson.json").json();
    std::map<std::string, std::set<std::string>> listed, carried;
    for (const auto& l : tj["vector_layers"])
        for (const auto& [name, type] : l["fields"].items()) listed[l["id"]].insert(name);
    const auto bounds = tj["bounds"];
    for (const int z : {11, 13}) {
        const auto sw = tile_at(bounds[0].get<double>(), bounds[1].get<double>(), z);
        const auto ne = tile_at(bounds[2].get<double>(), bounds[3].get<double>(), z);
        for (const char* year : {"2013", "2023"})
            for (auto x = sw.x; x <= ne.x; ++x)
                for (auto y = ne.y; y <= sw.y; ++y) {
                    const auto r = get(path_of(z, x, y) + "?year=" + year);
                    if (r.status == 204u) continue;
                    ASSERT_EQ(r.status, 200u);
                    for (const auto& [layer, features] : test::decode_with_gdal(r.body, z, x, y))
                        for (const auto& f : features)
                            for (const auto& [key, value] : f.properties)
                                if (key != "mvt_id") carried[layer].insert(key); // GDAL's, for the feature id
                }
    }
    carried.erase("proposals"); // the sample's store is empty: nothing to see, but its fields are its schema's
    for (const auto& [layer, keys] : carried) {
        ASSERT_TRUE(listed.contains(layer)) << layer;
        for (const auto& k : keys) EXPECT_TRUE(listed[layer].contains(k)) << layer << ": the tiles carry " << k << ", unlisted";
        for (const auto& k : listed[layer]) EXPECT_TRUE(keys.contains(k)) << layer << ": TileJSON lists " << k << ", no tile has it";
    }
    EXPECT_GE(carried.size(), 10u) << "every layer of the sample has features at these zooms";
}

TEST(tiles_export, writes_a_folder_and_an_mbtiles_file_gdal_reads) {
    const auto dir = test::temp_dir("export");
    const std::string bin = KVARTER_BINARY;
    const auto folder = test::run_command(bin + " export --config " + test::sample_config().string() +
                                          " --minzoom 10 --maxzoom 12 --out " + (dir / "tiles").string());
    ASSERT_EQ(folder.exit_code, 0) << folder.output;
    std::size_t files = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator{dir / "tiles"}) files += e.path().extension() == ".mvt";
    EXPECT_THAT(folder.output, HasSubstr("wrote " + std::to_string(files) + " tiles"));
    EXPECT_GT(files, 10u);

    const auto mb = test::run_command(bin + " export --config " + test::sample_config().string() +
                                      " --minzoom 10 --maxzoom 12 --out " + (dir / "sample.mbtiles").string());
    ASSERT_EQ(mb.exit_code, 0) << mb.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "sample.mbtiles.partial"));
    const auto info = test::run_command("ogrinfo -ro -so " + (dir / "sample.mbtiles").string() + " districts");
    EXPECT_THAT(info.output, HasSubstr("format=pbf"));
    EXPECT_THAT(info.output, HasSubstr("Layer name: districts"));
    EXPECT_THAT(info.output, ::testing::Not(HasSubstr("Feature Count: 0")));

    const auto bad = test::run_command(bin + " export --config " + test::sample_config().string() + " --tileset nope --out " +
                                       (dir / "x").string());
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_THAT(bad.output, HasSubstr("no tileset \"nope\""));
}

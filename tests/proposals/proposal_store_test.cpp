// The store itself, against a GeoPackage and against PostGIS (the same tests, parameterised).

#include "core/error.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/proposals_support.hpp"
#include "support/test_support.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

using namespace kvarter;
using nlohmann::json;
using proposals::proposal_store;
using ::testing::HasSubstr;

namespace {

class store_test : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "pg") KVARTER_REQUIRE_PG();
        m_location.emplace(GetParam(), ::testing::UnitTest::GetInstance()->current_test_info()->name());
    }
    const std::string& connection() const { return m_location->connection(); }

private:
    std::optional<test::store_location> m_location;
};

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// The name a bad feature is refused with.
std::string refused_member(const json& feature, std::size_t max_vertices = 10000) {
    try {
        proposals::parse_proposal(feature, max_vertices, "someone");
    } catch (const bad_request& e) {
        return e.parameter();
    }
    return "(accepted)";
}

} // namespace

TEST_P(store_test, creates_the_store_on_first_use_with_a_proposals_layer_in_wgs84) {
    { proposal_store store{connection()}; }
    GDALAllRegister();
    GDALDatasetUniquePtr ds{GDALDataset::Open(connection().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("proposals");
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(wkbFlatten(layer->GetGeomType()), wkbMultiPolygon);
    ASSERT_NE(layer->GetSpatialRef(), nullptr);
    EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "4326");
    for (const char* field : {"name", "author", "description", "status", "created", "updated"})
        EXPECT_GE(layer->GetLayerDefn()->GetFieldIndex(field), 0) << field;
    EXPECT_EQ(layer->GetLayerDefn()->GetFieldDefn(layer->GetLayerDefn()->GetFieldIndex("created"))->GetType(), OFTDateTime);
    // Opening it again finds it as it was.
    proposal_store again{connection()};
    EXPECT_EQ(again.list(10, 0).matched, 0u);
}

TEST_P(store_test, create_get_replace_remove) {
    proposal_store store{connection()};
    auto feature = test::square_feature("Grøn gård");
    feature["properties"].erase("status");
    const auto p = store.create(feature, "token-name");
    EXPECT_GT(p.id, 0);
    EXPECT_EQ(p.name, "Grøn gård");
    EXPECT_EQ(p.status, "draft") << "the default status";
    EXPECT_EQ(p.author, "token-name") << "the writer's name when the body names no author";
    EXPECT_THAT(p.created, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")); // POSIX ERE: no \d
    EXPECT_EQ(p.created, p.updated);

    const auto got = store.get(p.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "Grøn gård");
    EXPECT_EQ(got->author, "token-name");
    EXPECT_EQ(got->description, "made by a test");
    EXPECT_EQ(got->created, p.created) << "times come back in UTC as written";
    ASSERT_EQ(got->lonlat.parts.size(), 1u);
    ASSERT_EQ(got->lonlat.parts[0][0].size(), 5u);
    EXPECT_DOUBLE_EQ(got->lonlat.parts[0][0][1].x, 12.555);
    EXPECT_TRUE(got->lonlat.multi);

    auto changed = test::square_feature("Renamed", 12.56, 55.70, 0.002, "submitted");
    changed["properties"]["author"] = "Planner P";
    const auto replaced = store.replace(p.id, changed, "token-name");
    ASSERT_TRUE(replaced);
    EXPECT_EQ(replaced->created, p.created) << "created is kept";
    EXPECT_GE(replaced->updated, p.updated);
    const auto after = store.get(p.id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->name, "Renamed");
    EXPECT_EQ(after->status, "submitted");
    EXPECT_EQ(after->author, "Planner P");
    EXPECT_EQ(after->created, p.created);
    EXPECT_DOUBLE_EQ(after->lonlat.bounds().min_x, 12.56);

    EXPECT_TRUE(store.remove(p.id));
    EXPECT_FALSE(store.get(p.id));
    EXPECT_FALSE(store.remove(p.id));
    EXPECT_FALSE(store.replace(p.id, changed));
    EXPECT_FALSE(store.get(987654));
    EXPECT_EQ(store.list(10, 0).matched, 0u);
}

TEST_P(store_test, lists_by_id_in_pages_and_by_bbox_exactly) {
    proposal_store store{connection()};
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(store.create(test::square_feature("p" + std::to_string(i), 12.50 + 0.02 * i, 55.68)).id);
    const auto first = store.list(2, 0);
    EXPECT_EQ(first.matched, 5u);
    ASSERT_EQ(first.items.size(), 2u);
    EXPECT_EQ(first.items[0].id, ids[0]);
    EXPECT_EQ(first.items[1].id, ids[1]);
    const auto last = store.list(2, 4);
    ASSERT_EQ(last.items.size(), 1u);
    EXPECT_EQ(last.items[0].id, ids[4]);
    EXPECT_TRUE(store.list(2, 9).items.empty());
    EXPECT_EQ(store.list(2, 9).matched, 5u);

    // Squares 1 and 2 lie in 12.52..12.545; the box touches square 2's west edge too.
    const auto boxed = store.list(100, 0, geometry::box{12.521, 55.681, 12.540, 55.684});
    ASSERT_EQ(boxed.matched, 2u);
    EXPECT_EQ(boxed.items[0].id, ids[1]);
    EXPECT_EQ(boxed.items[1].id, ids[2]);

    // A triangle whose envelope meets the box but whose area does not.
    json triangle = test::square_feature("triangle");
    triangle["geometry"]["coordinates"] = json::parse("[[[12.70,55.70],[12.80,55.70],[12.70,55.80],[12.70,55.70]]]");
    const auto t = store.create(triangle);
    EXPECT_EQ(store.list(100, 0, geometry::box{12.78, 55.78, 12.79, 55.79}).matched, 0u);
    EXPECT_EQ(store.list(100, 0, geometry::box{12.70, 55.70, 12.71, 55.71}).items.at(0).id, t.id);
}

TEST_P(store_test, a_second_store_on_the_same_database_sees_every_write_at_once) {
    // Two stores are two sets of connections, as two processes would have.
    proposal_store a{connection()};
    proposal_store b{connection()};
    const auto p = a.create(test::square_feature("from a"));
    ASSERT_TRUE(b.get(p.id));
    EXPECT_EQ(b.list(10, 0).matched, 1u);
    ASSERT_TRUE(b.replace(p.id, test::square_feature("changed by b")));
    EXPECT_EQ(a.get(p.id)->name, "changed by b");
    const auto q = b.create(test::square_feature("from b"));
    EXPECT_EQ(a.list(10, 0).matched, 2u);
    EXPECT_TRUE(a.remove(q.id));
    EXPECT_FALSE(b.get(q.id));
    EXPECT_EQ(b.list(10, 0).matched, 1u);
}

TEST_P(store_test, concurrent_writes_from_8_threads_on_two_stores_lose_nothing) {
    proposal_store a{connection()};
    proposal_store b{connection()};
    std::vector<std::thread> threads;
    std::vector<std::vector<std::int64_t>> ids(8);
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            auto& store = t % 2 ? a : b;
            for (int i = 0; i < 25; ++i)
                ids[t].push_back(store.create(test::square_feature("t" + std::to_string(t) + "-" + std::to_string(i),
                                                                   12.5 + 0.001 * i, 55.65 + 0.001 * t, 0.0005)).id);
        });
    for (auto& t : threads) t.join();
    std::set<std::int64_t> distinct;
    for (const auto& list : ids) distinct.insert(list.begin(), list.end());
    EXPECT_EQ(distinct.size(), 200u);
    const auto all = a.list(1000, 0);
    EXPECT_EQ(all.matched, 200u);
    std::set<std::int64_t> stored;
    for (const auto& p : all.items) stored.insert(p.id);
    EXPECT_EQ(stored, distinct);
}

INSTANTIATE_TEST_SUITE_P(backends, store_test, ::testing::Values("gpkg", "pg"), backend_name);

TEST(proposal_store_gpkg, is_in_wal_mode_and_its_folder_is_made) {
    const auto path = test::temp_dir("gpkg-wal") / "sub" / "dir" / "proposals.gpkg";
    proposal_store store{path.string()};
    store.create(test::square_feature("x"));
    GDALDatasetUniquePtr ds{GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY)};
    ASSERT_TRUE(ds);
    OGRLayer* r = ds->ExecuteSQL("PRAGMA journal_mode", nullptr, nullptr);
    ASSERT_NE(r, nullptr);
    OGRFeatureUniquePtr row{r->GetNextFeature()};
    EXPECT_STREQ(row->GetFieldAsString(0), "wal") << "WAL persists in the file: the store set it";
    ds->ReleaseResultSet(r);
}

TEST(proposal_store_gpkg, refuses_a_store_it_cannot_make) {
    EXPECT_THROW(proposal_store{"/proc/no/such/place/proposals.gpkg"}, std::exception);
    const auto dir = test::temp_dir("gpkg-bad");
    test::write_file(dir / "not.gpkg", "this is not a GeoPackage");
    try {
        proposal_store store{(dir / "not.gpkg").string()};
        FAIL() << "opened a file that is not a GeoPackage";
    } catch (const io_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("not.gpkg"));
    }
}

TEST(proposal_validation, names_the_member_at_fault) {
    EXPECT_EQ(refused_member(json::array()), "type");
    EXPECT_EQ(refused_member(json{{"type", "FeatureCollection"}}), "type");
    auto f = test::square_feature("ok");
    EXPECT_EQ(refused_member(f), "(accepted)");

    auto no_props = f;
    no_props.erase("properties");
    EXPECT_EQ(refused_member(no_props), "properties");
    auto no_name = f;
    no_name["properties"].erase("name");
    EXPECT_EQ(refused_member(no_name), "properties.name");
    auto blank = f;
    blank["properties"]["name"] = "   ";
    EXPECT_EQ(refused_member(blank), "properties.name");
    auto long_name = f;
    long_name["properties"]["name"] = std::string(201, 'x');
    EXPECT_EQ(refused_member(long_name), "properties.name");
    long_name["properties"]["name"] = [] { std::string s; for (int i = 0; i < 200; ++i) s += "ø"; return s; }();
    EXPECT_EQ(refused_member(long_name), "(accepted)") << "200 characters, 400 bytes";
    auto status = f;
    status["properties"]["status"] = "approved";
    EXPECT_EQ(refused_member(status), "properties.status");
    auto author = f;
    author["properties"]["author"] = 7;
    EXPECT_EQ(refused_member(author), "properties.author");
    auto description = f;
    description["properties"]["description"] = json::array();
    EXPECT_EQ(refused_member(description), "properties.description");
    auto unknown = f;
    unknown["properties"]["colour"] = "red";
    EXPECT_EQ(refused_member(unknown), "properties.colour");
    auto extra = f;
    extra["style"] = "red";
    EXPECT_EQ(refused_member(extra), "style");

    auto no_geometry = f;
    no_geometry.erase("geometry");
    EXPECT_EQ(refused_member(no_geometry), "geometry");
    auto point = f;
    point["geometry"] = json::parse(R"({"type":"Point","coordinates":[12.5,55.6]})");
    EXPECT_THAT(refused_member(point), ::testing::StartsWith("geometry"));
    auto bow_tie = f;
    bow_tie["geometry"]["coordinates"] = json::parse("[[[12.5,55.6],[12.6,55.7],[12.6,55.6],[12.5,55.7],[12.5,55.6]]]");
    EXPECT_EQ(refused_member(bow_tie), "geometry");
    EXPECT_THAT(refused_member(f, 4), ::testing::StartsWith("geometry")) << "more vertices than allowed";

    // Members a client read from us may come back: they are ignored, not refused.
    auto round_trip = f;
    round_trip["id"] = 3;
    round_trip["properties"]["created"] = "2020-01-01T00:00:00Z";
    EXPECT_EQ(refused_member(round_trip), "(accepted)");
}

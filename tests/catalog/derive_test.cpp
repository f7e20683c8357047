// Derived layers on small hand-made data: what each method builds, and the messages bad data
// files get (file, line, what was expected).

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "geometry/geos.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::catalog;
using ::testing::HasSubstr;

namespace {

// A 10 m square at (x, y) in EPSG:25832.
std::string square(const std::string& props, double x, double y, double size = 10) {
    const auto c = [&](double dx, double dy) {
        return "[" + std::to_string(x + dx) + "," + std::to_string(y + dy) + "]";
    };
    return R"({"type":"Feature","properties":)" + props + R"(,"geometry":{"type":"Polygon","coordinates":[[)" + c(0, 0) + "," +
           c(size, 0) + "," + c(size, size) + "," + c(0, size) + "," + c(0, 0) + "]]}}";
}

std::string collection(const std::vector<std::string>& features) {
    std::string out = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
    return out + "]}";
}

// Departments 1–3 close together, 4 far away; two buildings tagged with a programme 30 m apart,
// a third 2 km away, one ordinary.
std::filesystem::path setup(const std::string& name, const std::string& members_csv, const std::string& tags_csv,
                            const std::string& programmes_csv, const std::string& extra_layers = "") {
    const auto dir = test::temp_dir("derive-" + name);
    const double x = 720000, y = 6175000;
    test::write_file(dir / "deps.geojson", collection({square(R"({"id":1,"navn":"Et"})", x, y), square(R"({"id":2,"navn":"To"})", x + 20, y),
                                                     square(R"({"id":3,"navn":"Tre"})", x, y + 20), square(R"({"id":4,"navn":"Fire"})", x + 5000, y)}));
    test::write_file(dir / "buildings.geojson",
                     collection({square(R"({"id":1,"tag":"2012_Kvarteret"})", x, y), square(R"({"id":2,"tag":"2013_Kvarteret 2"})", x + 40, y),
                                 square(R"({"id":3,"tag":"2013_Kvarteret 2"})", x + 2000, y), square(R"({"id":4,"tag":"2014_Ordinær"})", x, y + 500),
                                 square(R"({"id":5,"tag":"1995"})", x, y + 900)}));
    test::write_file(dir / "areas.geojson", collection({square(R"({"id":1,"navn":"Område"})", x - 1, y - 1, 25)}));
    test::write_file(dir / "members.csv", members_csv);
    test::write_file(dir / "tags.csv", tags_csv);
    test::write_file(dir / "programmes.csv", programmes_csv);
    test::write_file(dir / "kvarter.json", R"({"layers":[
      {"id":"deps","source":"deps.geojson","id_field":"id","name_field":"navn","role":"housing_department"},
      {"id":"areas","source":"areas.geojson","id_field":"id","name_field":"navn","role":"deprived_area"},
      {"id":"groups","role":"housing_area","derive":{"method":"union","from":"deps","members":"members.csv",
        "group_key":"area_id","group_name":"area_name","member_key":"department_id","member_name":"department_name","reason":"reason"}},
      {"id":"buildings","source":"buildings.geojson","id_field":"id"},
      {"id":"zones","role":"renewal_zone","derive":{"method":"renewal_programmes","from":"buildings","tag_field":"tag",
        "tags":"tags.csv","programmes":"programmes.csv","closing_m":30}},
      {"id":"teams","role":"green_team","derive":{"method":"inside","from":"deps","within":"areas","start_year":2012}})" +
                                         extra_layers + "]}");
    return dir / "kvarter.json";
}

const std::string good_members =
    "area_id,area_name,department_id,department_name,reason\n"
    "nord,Nord,1,Et,same estate\nnord,Nord,2,To,same estate\nsyd,Syd,,,no department bears the name\n";
const std::string good_tags = "tag,programme_id,note\n2012_Kvarteret,kvarteret,\n2013_Kvarteret 2,kvarteret,stage 2\n2014_Ordinær,,ordinary renewal\n";
const std::string good_programmes = "programme_id,name,end_year,end_year_source\nkvarteret,Kvarteret,,\n";

std::string error_of(const std::filesystem::path& config) {
    try {
        load_catalog(load_config(config));
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

double area_of(const feature& f) {
    auto& geos = geometry::this_thread_geos();
    return geometry::area(geos, geometry::to_geos(geos, f.analysis).get());
}

} // namespace

TEST(derive, a_union_is_one_feature_per_group_and_keeps_a_group_without_members) {
    const auto cat = load_catalog(load_config(setup("union", good_members, good_tags, good_programmes)));
    const auto& groups = *cat->find("groups");
    ASSERT_EQ(groups.features.size(), 2u);
    const auto& nord = *groups.find("nord");
    EXPECT_EQ(nord.members, (std::vector<std::string>{"1", "2"}));
    EXPECT_NEAR(area_of(nord), 200, 1e-6); // two 10 m squares, apart
    const auto& syd = *groups.find("syd");
    EXPECT_FALSE(syd.has_geometry);
    EXPECT_EQ(std::get<std::string>(syd.properties.at(*groups.field_index("reason"))), "no department bears the name");
    EXPECT_EQ(groups.report.without_geometry, 1u);
}

TEST(derive, a_renewal_zone_closes_near_buildings_and_keeps_far_clusters_apart) {
    const auto cat = load_catalog(load_config(setup("zones", good_members, good_tags, good_programmes)));
    const auto& zones = *cat->find("zones");
    ASSERT_EQ(zones.features.size(), 1u); // "Ordinær" and the plain year are no programme
    const auto& z = zones.features[0];
    EXPECT_EQ(z.members.size(), 3u);
    EXPECT_EQ(std::get<std::int64_t>(z.properties.at(*zones.field_index("start_year"))), 2012);
    EXPECT_EQ(std::get<std::int64_t>(z.properties.at(*zones.field_index("end_year"))), 2017); // 2012 + 5
    EXPECT_TRUE(std::get<bool>(z.properties.at(*zones.field_index("end_year_assumed"))));
    // The two buildings 30 m apart are one part; the one 2 km away is another, not bridged.
    ASSERT_EQ(z.analysis.parts.size(), 2u);
    EXPECT_GT(area_of(z), 3 * 100.0); // the gap between the near two is filled
    EXPECT_LT(area_of(z), 3 * 100.0 + 40 * 10 + 1); // and little more
}

TEST(derive, green_team_coverage_is_the_departments_inside_the_areas) {
    const auto cat = load_catalog(load_config(setup("teams", good_members, good_tags, good_programmes)));
    const auto& teams = *cat->find("teams");
    std::vector<std::string> ids;
    for (const auto& f : teams.features) ids.push_back(f.id);
    // The area is a 25 m square over departments 1 (whole), 2 (a quarter) and 3 (a quarter).
    EXPECT_EQ(ids, (std::vector<std::string>{"1"}));
    EXPECT_EQ(std::get<std::int64_t>(teams.features[0].properties.at(*teams.field_index("start_year"))), 2012);
}

TEST(derive, a_member_that_does_not_exist_names_the_file_and_line) {
    const auto e = error_of(setup("missing", good_members + "nord,Nord,77,Syvoghalvfjerds,typo\n", good_tags, good_programmes));
    EXPECT_THAT(e, HasSubstr("members.csv: line 5, column department_id: \"77\": layer \"deps\" has no feature with id \"77\""));
}

TEST(derive, a_member_under_another_name_is_an_error) {
    const auto e = error_of(setup("renamed", "area_id,area_name,department_id,department_name,reason\nnord,Nord,1,Eet,\n", good_tags, good_programmes));
    EXPECT_THAT(e, HasSubstr("members.csv: line 2, column department_name: \"Eet\", but feature 1 of layer \"deps\" is named \"Et\""));
}

TEST(derive, a_tag_the_table_does_not_list_is_an_error) {
    const auto e = error_of(setup("tag", good_members, "tag,programme_id,note\n2012_Kvarteret,kvarteret,\n2014_Ordinær,,\n", good_programmes));
    EXPECT_THAT(e, HasSubstr("tags.csv: tag: building 2 of layer \"buildings\" has the tag \"2013_Kvarteret 2\""));
}

TEST(derive, an_end_year_needs_its_source_and_must_be_a_year) {
    EXPECT_THAT(error_of(setup("source", good_members, good_tags, "programme_id,name,end_year,end_year_source\nkvarteret,Kvarteret,2016,\n")),
                HasSubstr("programmes.csv: line 2, column end_year_source: empty; an end year needs its source"));
    EXPECT_THAT(error_of(setup("year", good_members, good_tags, "programme_id,name,end_year,end_year_source\nkvarteret,Kvarteret,snart,x\n")),
                HasSubstr("programmes.csv: line 2, column end_year: \"snart\" is not a year"));
}

TEST(derive, a_derived_layer_names_layers_listed_before_it) {
    const auto dir = test::temp_dir("derive-order");
    test::write_file(dir / "kvarter.json", R"({"layers":[
      {"id":"groups","derive":{"method":"union","from":"deps","members":"m.csv"}},
      {"id":"deps","source":"deps.geojson"}]})");
    try {
        load_config(dir / "kvarter.json");
        FAIL() << "loaded";
    } catch (const config_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("layers[0].derive.from: no layer \"deps\" before this one"));
    }
    test::write_file(dir / "kvarter.json", R"({"layers":[{"id":"d","source":"x.geojson","derive":{"method":"union","from":"d","members":"m.csv"}}]})");
    try {
        load_config(dir / "kvarter.json");
        FAIL() << "loaded";
    } catch (const config_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("a derived layer has no source"));
    }
}

TEST(derive, a_figure_that_is_not_a_number_names_the_file_line_and_column) {
    const auto config = setup("figures", good_members, good_tags, good_programmes);
    test::write_file(config.parent_path() / "figures.csv", "area_id,year,residents\nnord,2012,1200\nnord,2013,mange\n");
    auto text = R"({"layers":[{"id":"deps","source":"deps.geojson","id_field":"id","name_field":"navn"}],
      "indicators":[{"source":"figures.csv","layer":"deps","key":"area_id","year":"year","provenance":"published",
                     "source_note":"a test table","columns":{"residents":{"label":"Beboere","direction":"neutral"}}}]})";
    test::write_file(config, text);
    EXPECT_THAT(error_of(config), HasSubstr("figures.csv: line 3, column residents: \"mange\" is not a number (or empty)"));
    // A messy source taken as it is: the cell is counted, not fatal.
    std::string counted = text;
    counted.replace(counted.find("\"provenance\""), 0, "\"non_numbers\":\"count\",");
    test::write_file(config, counted);
    EXPECT_EQ(error_of(config), "(no error)");
}

TEST(derive, a_published_figure_needs_its_source) {
    const auto dir = test::temp_dir("derive-provenance");
    test::write_file(dir / "kvarter.json", R"({"layers":[{"id":"d","source":"d.geojson"}],
      "indicators":[{"source":"f.csv","layer":"d","key":"k","year":"y","provenance":"published",
                     "columns":{"x":{"label":"X","direction":"neutral"}}}]})");
    try {
        load_config(dir / "kvarter.json");
        FAIL() << "loaded";
    } catch (const config_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("indicators[0].columns.x.source_note: missing; a published figure needs its source"));
    }
    test::write_file(dir / "kvarter.json", R"({"layers":[{"id":"d","source":"d.geojson"}],
      "indicators":[{"source":"f.csv","layer":"d","key":"k","year":"y","provenance":"made up",
                     "columns":{"x":{"label":"X","direction":"neutral"}}}]})");
    try {
        load_config(dir / "kvarter.json");
        FAIL() << "loaded";
    } catch (const config_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("indicators[0].provenance: unknown provenance \"made up\""));
    }
}

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::catalog;

namespace {

std::string square(double x0, double y0, double size, const std::string& props) {
    auto c = [](double v) { return std::to_string(static_cast<long long>(v)); };
    const std::string x1 = c(x0 + size), y1 = c(y0 + size);
    return R"({"type":"Feature","properties":)" + props + R"(,"geometry":{"type":"Polygon","coordinates":[[[)" + c(x0) +
           "," + c(y0) + "],[" + x1 + "," + c(y0) + "],[" + x1 + "," + y1 + "],[" + c(x0) + "," + y1 + "],[" + c(x0) + "," +
           c(y0) + "]]]}}";
}

std::string collection(const std::vector<std::string>& features) {
    std::string out = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
    return out + "]}";
}

// Two 1 km districts side by side; a deprived area over the east one; three departments.
std::shared_ptr<const kvarter::catalog::catalog> load_squares(const std::string& csv) {
    const auto dir = test::temp_dir("joins");
    test::write_file(dir / "districts.geojson",
                     collection({square(720000, 6170000, 1000, R"({"nr":1,"navn":"Vest"})"),
                                 square(721000, 6170000, 1000, R"({"nr":2,"navn":"Øst"})")}));
    test::write_file(dir / "deprived.geojson", collection({square(721000, 6170000, 500, R"({"navn":"Udsat"})")}));
    test::write_file(dir / "departments.geojson",
                     collection({// 100 m square, 30 % in Vest and 70 % in Øst (and inside the deprived area)
                                 square(720970, 6170100, 100, R"({"afd":"A"})"),
                                 // wholly in Vest
                                 square(720100, 6170100, 100, R"({"afd":"B"})"),
                                 // outside every district
                                 square(730000, 6170000, 100, R"({"afd":"C"})")}));
    test::write_file(dir / "values.csv", csv);
    test::write_file(dir / "kvarter.json", R"({"layers":[
        {"id":"districts","source":"districts.geojson","id_field":"nr","name_field":"navn","role":"district"},
        {"id":"deprived","source":"deprived.geojson","name_field":"navn","role":"deprived_area"},
        {"id":"departments","source":"departments.geojson","id_field":"afd","role":"housing_department"}],
      "indicators":[{"source":"values.csv","layer":"departments","key":"afdeling","year":"aar","non_numbers":"count",
        "columns":{"ledige":{"label":"Uden for arbejdsmarkedet","unit":"%","direction":"higher_is_worse"},
                   "indkomst":{"label":"Indkomst","unit":"kr","direction":"higher_is_better"}}}]})");
    return load_catalog(load_config(dir / "kvarter.json"));
}

const value& property(const layer& l, const feature& f, const std::string& name) {
    return f.properties.at(*l.field_index(name));
}

} // namespace

TEST(spatial_join, each_department_gets_the_district_it_overlaps_most) {
    const auto cat = load_squares("afdeling,aar,ledige,indkomst\n");
    const auto& deps = *cat->find("departments");
    EXPECT_EQ(std::get<std::string>(property(deps, *deps.find("A"), "district")), "Øst");
    EXPECT_EQ(std::get<std::string>(property(deps, *deps.find("A"), "deprived_area")), "Udsat");
    EXPECT_EQ(std::get<std::string>(property(deps, *deps.find("B"), "district")), "Vest");
    EXPECT_TRUE(is_null(property(deps, *deps.find("B"), "deprived_area")));
    EXPECT_TRUE(is_null(property(deps, *deps.find("C"), "district")));
    EXPECT_EQ(deps.report.spatially_joined, 2u);
    EXPECT_TRUE(deps.fields[*deps.field_index("district")].derived);
    // Districts are areas themselves and get no such fields.
    EXPECT_FALSE(cat->find("districts")->field_index("deprived_area").has_value());
}

TEST(indicator_join, rows_attach_by_key_and_year_and_misses_are_counted) {
    const auto cat = load_squares("afdeling,aar,ledige,indkomst\n"
                                  "A,2012,41.5,150000\n"
                                  "A,2013,38.0,\n"
                                  "B,2013,\"12,5\",300000\n"
                                  "Z,2013,50,1\n"
                                  "Y,2012,50,1\n"
                                  "B,2012,n/a,1\n");
    const auto& deps = *cat->find("departments");
    EXPECT_EQ(deps.years, (std::vector<int>{2012, 2013}));
    ASSERT_EQ(deps.indicators.size(), 2u);
    const auto& a = deps.find("A")->indicators;
    EXPECT_DOUBLE_EQ(*a.at(2012)[0], 41.5);
    EXPECT_DOUBLE_EQ(*a.at(2013)[0], 38.0);
    EXPECT_FALSE(a.at(2013)[1].has_value()); // an empty cell is missing, not zero
    EXPECT_DOUBLE_EQ(*deps.find("B")->indicators.at(2013)[0], 12.5); // decimal comma
    EXPECT_FALSE(deps.find("B")->indicators.at(2012)[0].has_value());
    EXPECT_TRUE(deps.find("C")->indicators.empty());

    ASSERT_EQ(deps.report.joins.size(), 1u);
    const auto& j = deps.report.joins[0];
    EXPECT_EQ(j.rows, 6u);
    EXPECT_EQ(j.matched_rows, 4u);
    EXPECT_EQ(j.unmatched_rows, 2u);
    EXPECT_EQ(j.unmatched_keys, (std::vector<std::string>{"Y", "Z"}));
    EXPECT_EQ(j.features_without_rows, 1u);
    EXPECT_EQ(j.bad_values, 1u);
}

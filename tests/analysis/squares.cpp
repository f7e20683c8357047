#include "analysis/squares.hpp"

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "support/test_support.hpp"

namespace kvarter::test {

namespace {

std::string c(double v) { return std::to_string(static_cast<long long>(v)); }

} // namespace

std::string rectangle_feature(double x0, double y0, double x1, double y1, const std::string& properties_json) {
    return R"({"type":"Feature","properties":)" + properties_json + R"(,"geometry":{"type":"Polygon","coordinates":[[[)" +
           c(x0) + "," + c(y0) + "],[" + c(x1) + "," + c(y0) + "],[" + c(x1) + "," + c(y1) + "],[" + c(x0) + "," + c(y1) +
           "],[" + c(x0) + "," + c(y0) + "]]]}}";
}

std::string square_feature(double x0, double y0, double size, const std::string& properties_json) {
    return rectangle_feature(x0, y0, x0 + size, y0 + size, properties_json);
}

std::string feature_collection(const std::vector<std::string>& features) {
    std::string out =
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},"features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
    return out + "]}";
}

std::filesystem::path write_squares(const std::filesystem::path& dir, const std::string& analysis_json,
                                    const std::string& department_csv, const std::string& district_csv) {
    constexpr double y = 6170000;
    write_file(dir / "districts.geojson", feature_collection({square_feature(720000, y, 1000, R"({"nr":1,"navn":"Vest"})"),
                                                              square_feature(721000, y, 1000, R"({"nr":2,"navn":"Øst"})")}));
    write_file(dir / "zones.geojson",
               feature_collection({rectangle_feature(720000, y, 720500, y + 1000, R"({"id":"z1","navn":"Z1","start_year":2012,"end_year":2016})"),
                                   rectangle_feature(720250, y, 720750, y + 1000, R"({"id":"z2","navn":"Z2","start_year":2010,"end_year":2013})"),
                                   rectangle_feature(721000, y, 722000, y + 1000, R"({"id":"z3","navn":"Z3","start_year":2005,"end_year":2009})")}));
    write_file(dir / "departments.geojson",
               feature_collection({square_feature(720400, y + 100, 100, R"({"afd":"d1","navn":"D1","boliger":100,"omraade":"nord"})"),
                                   square_feature(720700, y + 100, 100, R"({"afd":"d2","navn":"D2","boliger":200,"omraade":"nord"})"),
                                   square_feature(720950, y + 100, 100, R"({"afd":"d3","navn":"D3","boliger":300,"omraade":"syd"})"),
                                   square_feature(721500, y + 100, 100, R"({"afd":"d4","navn":"D4","boliger":400,"omraade":"syd"})")}));
    write_file(dir / "areas.geojson", feature_collection({rectangle_feature(720400, y + 100, 720800, y + 200, R"({"id":"nord","navn":"Nordparken"})"),
                                                          rectangle_feature(720950, y + 100, 721600, y + 200, R"({"id":"syd","navn":"Sydparken"})"),
                                                          square_feature(721800, y + 800, 100, R"({"id":"tom","navn":"Tomparken"})")}));
    write_file(dir / "departments.csv", department_csv);
    write_file(dir / "districts.csv", district_csv);
    const std::string columns = R"("columns":{
        "beboere":{"label":"Beboere","direction":"neutral"},
        "ledige":{"label":"Uden for arbejdsmarkedet","unit":"%","direction":"higher_is_worse"},
        "indkomst":{"label":"Indkomst","unit":"kr","direction":"higher_is_better"}})";
    write_file(dir / "kvarter.json", R"({"layers":[
        {"id":"districts","source":"districts.geojson","id_field":"nr","name_field":"navn","role":"district"},
        {"id":"zones","source":"zones.geojson","id_field":"id","name_field":"navn","role":"renewal_zone"},
        {"id":"departments","source":"departments.geojson","id_field":"afd","name_field":"navn","role":"housing_department"},
        {"id":"areas","source":"areas.geojson","id_field":"id","name_field":"navn","role":"housing_area"}],
      "indicators":[
        {"source":"departments.csv","layer":"departments","key":"afd","year":"aar",)" + columns + R"(},
        {"source":"districts.csv","layer":"districts","key":"nr","year":"aar",)" + columns + "}]" +
                                         (analysis_json.empty() ? "" : ",\"analysis\":" + analysis_json) + "}");
    return dir / "kvarter.json";
}

std::shared_ptr<const catalog::catalog> load_squares(const std::string& name, const std::string& analysis_json,
                                                     const std::string& department_csv, const std::string& district_csv) {
    const auto file = write_squares(temp_dir(name), analysis_json, department_csv, district_csv);
    return catalog::load_catalog(catalog::load_config(file));
}

} // namespace kvarter::test

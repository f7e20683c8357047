// The config's "analysis" key: parsed strictly, errors naming the file and the key.

#include "analysis/squares.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "catalog/socio_index.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

const std::string csv = "afd,aar,beboere,ledige,indkomst\nd1,2013,600,50,100000\nd2,2013,400,25,200000\n";
const std::string district_csv = "nr,aar,beboere,ledige,indkomst\n1,2013,1000,10,300000\n";

// The error loading the squares with this "analysis" value, or "(loaded)".
std::string error_of(const std::string& analysis_json, const std::string& rule_file = {}) {
    const auto dir = test::temp_dir("analysis-config");
    if (!rule_file.empty()) {
        std::filesystem::create_directories(dir / "rules");
        test::write_file(dir / "rules" / "bad.json", rule_file);
    }
    const auto file = test::write_squares(dir, analysis_json, csv, district_csv);
    try {
        catalog::load_catalog(catalog::load_config(file));
    } catch (const config_error& e) {
        return e.what();
    }
    return "(loaded)";
}

} // namespace

TEST(analysis_config, defaults_and_sample) {
    const auto cfg = catalog::load_config(test::sample_config());
    ASSERT_TRUE(cfg.analysis);
    const auto& a = *cfg.analysis;
    ASSERT_TRUE(a.index_weights);
    EXPECT_EQ(a.index_weights->size(), 6u);
    for (const auto& [name, w] : *a.index_weights) EXPECT_NE(name, "non_western_share");
    EXPECT_EQ(a.screening_quintile, 5);
    EXPECT_EQ(a.renewal_cover_share, 0.5);
    EXPECT_EQ(a.housing_layer, "housing-departments");
    EXPECT_EQ(a.areas_layer, "housing-areas");
    EXPECT_EQ(a.rule_sets.size(), 3u);
    EXPECT_EQ(a.forty_plus_threshold, 40);

    // An empty object takes every default: layers by role, weights from the directions.
    const auto cat = test::load_squares("analysis-defaults", "{}", csv, district_csv);
    ASSERT_TRUE(cat->analysis);
    EXPECT_EQ(cat->analysis->housing_layer, "departments");
    EXPECT_EQ(cat->analysis->areas_layer, "areas");
    EXPECT_FALSE(cat->analysis->index_weights);
    EXPECT_TRUE(cat->find("departments")->indicator_index(catalog::soek_index_id));
    EXPECT_THAT(cat->find("departments")->report.socio_index, HasSubstr("over 2 indicators (ledige, indkomst)"));
    // Without the key nothing is computed.
    const auto none = test::load_squares("analysis-none", "", csv, district_csv);
    EXPECT_FALSE(none->analysis);
    EXPECT_FALSE(none->find("departments")->indicator_index(catalog::soek_index_id));
}

TEST(analysis_config, errors_name_the_key) {
    EXPECT_THAT(error_of(R"({"indx":{}})"), HasSubstr("kvarter.json: analysis.indx: unknown key"));
    EXPECT_THAT(error_of(R"({"index":{"weights":{"nope":1}}})"),
                HasSubstr("analysis.index.weights.nope: no indicator table has a column \"nope\""));
    EXPECT_THAT(error_of(R"({"index":{"weights":{"beboere":1}}})"), HasSubstr("analysis.index.weights.beboere: the indicator's direction is neutral"));
    EXPECT_THAT(error_of(R"({"index":{"weights":{"ledige":-1}}})"), HasSubstr("analysis.index.weights.ledige: expected a weight >= 0"));
    EXPECT_THAT(error_of(R"({"index":{"weights":{"ledige":0}}})"), HasSubstr("analysis.index.weights: expected at least one weight above 0"));
    EXPECT_THAT(error_of(R"({"screening":{"quintile":6}})"), HasSubstr("analysis.screening.quintile"));
    EXPECT_THAT(error_of(R"({"screening":{"renewal_cover_share":1.5}})"), HasSubstr("analysis.screening.renewal_cover_share"));
    EXPECT_THAT(error_of(R"({"screening":{"layer":"nope"}})"), HasSubstr("analysis.screening.layer: no layer with id \"nope\""));
    EXPECT_THAT(error_of(R"({"housing_areas":{"group_field":"estate","residents":"beboere"}})"),
                HasSubstr("analysis.housing_areas.group_field: layer departments has no field \"estate\""));
    EXPECT_THAT(error_of(R"({"housing_areas":{"residents":"people"}})"), HasSubstr("analysis.housing_areas.residents"));
    EXPECT_THAT(error_of(R"({"forty_plus":{"indicator":"share"}})"), HasSubstr("analysis.forty_plus.indicator"));
    EXPECT_THAT(error_of(R"({"forty_plus":{"indicator":"ledige","dwellings_field":"flats"}})"), HasSubstr("analysis.forty_plus.dwellings_field"));
    EXPECT_THAT(error_of(R"({"rules":"missing-folder"})"), HasSubstr("analysis.rules: expected a folder"));
    // A rule file naming an indicator the departments lack: the rule file and its key.
    EXPECT_THAT(error_of(R"({"rules":"rules"})", R"({"name":"x","in_force_from":2010,"required":1,
        "criteria":[{"id":"a","indicator":"non_western_share","op":">","value":50}]})"),
                HasSubstr("bad.json: criteria[0].indicator: no indicator table of layer \"departments\""));
    EXPECT_THAT(error_of(R"({"rules":"rules"})", R"({"name":"x","in_force_from":2010,"required":1,"criteria":[
        {"id":"a","indicator":"indkomst","op":"<","value":0.5,"value_relative_to":"r"}],
        "references":{"r":{"mean_of":"nowhere","indicator":"indkomst"}}})"),
                HasSubstr("bad.json: references.r.mean_of: no layer with id \"nowhere\""));
    EXPECT_THAT(error_of(R"({"rules":"rules"})", R"({"name":"x","in_force_from":2010,"required":1,"criteria":[{"id":"a","indicator":"ledige","op":">","value":40}]})"),
                HasSubstr("analysis.housing_areas.residents: the rule sets need the areas' residents"));
    EXPECT_EQ(error_of(R"({"rules":"rules","housing_areas":{"group_field":"omraade","residents":"beboere"},
                         "forty_plus":{"indicator":"ledige","dwellings_field":"boliger"}})",
                       R"({"name":"x","in_force_from":2010,"required":1,"criteria":[{"id":"a","indicator":"ledige","op":">","value":40}]})"),
              "(loaded)");
}

// The ministry's list rules as data: parsing rule files, criteria counts, minimum size,
// relative thresholds, categories over several years, and resident-weighted aggregation.

#include "analysis/list_rules.hpp"
#include "analysis/squares.hpp"
#include "catalog/rule_set.hpp"
#include "core/error.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using namespace kvarter::analysis;
using ::testing::HasSubstr;

namespace {

// 2018-shaped: udsat = 2 of 3 counting criteria; ghetto = udsat + origin; haardt = ghetto 4 years running.
const std::string test_rules = R"({
  "name": "test", "in_force_from": 2010, "min_residents": 1000,
  "references": {"ref_income": {"value": 200000}, "by": {"by_year": {"2012": 100}, "value": 50}},
  "criteria": [
    {"id": "work", "indicator": "ledige", "op": ">", "value": 40},
    {"id": "income", "indicator": "indkomst", "op": "<", "value": 0.55, "value_relative_to": "ref_income"},
    {"id": "school", "indicator": "skole", "op": ">=", "value": 60},
    {"id": "origin", "indicator": "herkomst", "op": ">", "value": 50, "counts": false}],
  "required": 2,
  "categories": [
    {"id": "udsat", "label_da": "Udsat", "when": "listed"},
    {"id": "ghetto", "label_da": "Ghetto", "when": {"all": ["listed", {"criterion": "origin"}]}},
    {"id": "haardt", "label_da": "Hårdt", "when": {"category": "ghetto", "years": 4}}]
})";

area_values area(const std::string& id, double residents, std::optional<double> ledige, std::optional<double> indkomst,
                 std::optional<double> skole, std::optional<double> herkomst) {
    area_values a;
    a.id = id;
    a.name = id;
    a.residents = residents;
    a.departments_with_residents = 1;
    a.values = {{"ledige", ledige}, {"indkomst", indkomst}, {"skole", skole}, {"herkomst", herkomst}};
    return a;
}

year_data year_of(const std::vector<area_values>& areas) {
    year_data y;
    for (const auto& a : areas) y.areas[a.id] = a;
    y.references = {{"ref_income", 200000}};
    return y;
}

area_values ghetto(const std::string& id) { return area(id, 2000, 45, 100000, 10, 60); }
area_values udsat_only(const std::string& id) { return area(id, 2000, 45, 100000, 10, 40); }

std::string error_of(const std::string& text) {
    try {
        catalog::parse_rule_set(text, "rules/x.json");
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST(list_rules, resident_weighted_aggregation) {
    // 100 at 10 and 300 at 50: (1000 + 15000) / 400 = 40. A unit without residents adds no
    // weight; one without a value adds its residents to the sum but not to that mean.
    const auto a = aggregate_units({{100.0, {{"x", 10.0}}},
                                    {300.0, {{"x", 50.0}}},
                                    {std::nullopt, {{"x", 90.0}}},
                                    {200.0, {{"x", std::nullopt}}}});
    EXPECT_DOUBLE_EQ(a.residents, 600);
    EXPECT_EQ(a.departments_with_residents, 3u);
    ASSERT_TRUE(a.values.at("x"));
    EXPECT_DOUBLE_EQ(*a.values.at("x"), 40);
    const auto none = aggregate_units({{std::nullopt, {{"x", 5.0}}}});
    EXPECT_FALSE(none.values.at("x")) << "nobody to weigh";
}

TEST(list_rules, criteria_counts_thresholds_and_minimum_size) {
    const auto rules = catalog::parse_rule_set(test_rules, "test.json");
    const std::map<int, year_data> years{
        {2013, year_of({area("two", 1500, 45, 100000, 59.9, 40),      // work and income
                        area("one", 1500, 40, 120000, 60, 40),         // only school (>= 60 holds at 60)
                        area("small", 999, 45, 100000, 70, 70),        // everything, but too small
                        area("unknown", 1500, 45, std::nullopt, 10, 70), // income unknown: does not hold
                        area("origin", 1500, 45, 150000, 10, 90)})}};  // origin does not count
    const auto v = evaluate_rules(rules, years, 2013);

    const auto& two = v.at("two");
    EXPECT_EQ(two.met, 2u);
    EXPECT_TRUE(two.eligible);
    EXPECT_TRUE(two.listed);
    EXPECT_EQ(two.category, 0) << "udsat, not ghetto";
    ASSERT_EQ(two.criteria.size(), 4u);
    EXPECT_DOUBLE_EQ(*two.criteria[1].reference, 200000);
    EXPECT_DOUBLE_EQ(*two.criteria[1].threshold, 110000) << "0.55 of the reference";
    EXPECT_TRUE(two.criteria[1].holds);

    EXPECT_EQ(v.at("one").met, 1u);
    EXPECT_TRUE(v.at("one").criteria[2].holds);
    EXPECT_FALSE(v.at("one").criteria[0].holds) << "40 is not > 40";
    EXPECT_FALSE(v.at("one").listed);
    EXPECT_EQ(v.at("one").category, -1);

    const auto& small = v.at("small");
    EXPECT_EQ(small.met, 3u);
    EXPECT_FALSE(small.eligible);
    EXPECT_FALSE(small.listed);
    EXPECT_THAT(small.reason, HasSubstr("999"));
    EXPECT_THAT(small.reason, HasSubstr("1000"));
    EXPECT_EQ(small.category, -1);

    EXPECT_FALSE(v.at("unknown").criteria[1].value);
    EXPECT_FALSE(v.at("unknown").criteria[1].holds);
    EXPECT_EQ(v.at("unknown").met, 1u);

    EXPECT_EQ(v.at("origin").met, 1u);
    EXPECT_TRUE(v.at("origin").criteria[3].holds);
    EXPECT_FALSE(v.at("origin").listed);
    EXPECT_FALSE(v.at("origin").categories[1].holds) << "ghetto needs listed";
}

TEST(list_rules, a_relative_threshold_without_its_reference_holds_for_nobody) {
    const auto rules = catalog::parse_rule_set(test_rules, "test.json");
    auto y = year_of({area("a", 2000, 45, 1, 10, 10)});
    y.references.clear();
    const auto v = evaluate_rules(rules, {{2013, y}}, 2013);
    EXPECT_FALSE(v.at("a").criteria[1].threshold);
    EXPECT_FALSE(v.at("a").criteria[1].holds);
}

TEST(list_rules, haardt_ghetto_needs_four_years_running) {
    const auto rules = catalog::parse_rule_set(test_rules, "test.json");
    // A: ghetto every year. B: not in 2012. C: absent in 2011.
    std::map<int, year_data> years;
    years[2010] = year_of({ghetto("A"), ghetto("B"), ghetto("C")});
    years[2011] = year_of({ghetto("A"), ghetto("B")});
    years[2012] = year_of({ghetto("A"), udsat_only("B"), ghetto("C")});
    years[2013] = year_of({ghetto("A"), ghetto("B"), ghetto("C")});
    years[2014] = year_of({ghetto("A"), ghetto("B"), ghetto("C")});

    const auto y2012 = evaluate_rules(rules, years, 2012);
    EXPECT_FALSE(y2012.at("A").categories[2].holds) << "2009 has no data";
    EXPECT_THAT(y2012.at("A").categories[2].detail, HasSubstr("no data for 2009"));
    EXPECT_EQ(y2012.at("A").category, 1);

    const auto y2013 = evaluate_rules(rules, years, 2013);
    EXPECT_TRUE(y2013.at("A").categories[2].holds);
    EXPECT_EQ(y2013.at("A").category, 2);
    EXPECT_THAT(y2013.at("A").categories[2].detail, HasSubstr("4 years running"));
    EXPECT_FALSE(y2013.at("B").categories[2].holds);
    EXPECT_EQ(y2013.at("B").category, 1) << "ghetto this year, not hårdt";

    const auto y2014 = evaluate_rules(rules, years, 2014);
    EXPECT_TRUE(y2014.at("A").categories[2].holds);
    EXPECT_FALSE(y2014.at("B").categories[2].holds) << "2012 broke the run";
    EXPECT_THAT(y2014.at("B").categories[2].detail, HasSubstr("not in 2012"));
    EXPECT_FALSE(y2014.at("C").categories[2].holds) << "absent in 2011";
    EXPECT_THAT(y2014.at("C").categories[2].detail, HasSubstr("no data for 2011"));
}

TEST(list_rules, rule_files_are_strict_and_name_file_and_key) {
    auto with = [](const std::string& from, const std::string& to) {
        std::string t = test_rules;
        const auto at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return t.replace(at, from.size(), to);
    };
    EXPECT_THAT(error_of("{"), HasSubstr("rules/x.json: (JSON)"));
    EXPECT_THAT(error_of(with(R"("op": ">", "value": 40})", R"("opp": ">", "value": 40})")),
                HasSubstr("rules/x.json: criteria[0]"));
    EXPECT_THAT(error_of(with(R"("op": ">", "value": 40})", R"("op": "=>", "value": 40})")),
                HasSubstr("criteria[0].op: unknown comparison"));
    EXPECT_THAT(error_of(with(R"("value": 40})", R"("value": 40, "colour": "red"})")),
                HasSubstr("criteria[0].colour: unknown key"));
    EXPECT_THAT(error_of(with(R"({"criterion": "origin"})", R"({"criterion": "nope"})")),
                HasSubstr("categories[1].when.all[1].criterion: no criterion \"nope\""));
    EXPECT_THAT(error_of(with(R"({"category": "ghetto", "years": 4})", R"({"category": "haardt", "years": 4})")),
                HasSubstr("categories[2].when.category: no category \"haardt\" before this one"));
    EXPECT_THAT(error_of(with(R"("required": 2)", R"("required": 4)")), HasSubstr("required: expected a whole number from 1 to 3"));
    EXPECT_THAT(error_of(with(R"("value_relative_to": "ref_income")", R"("value_relative_to": "nope")")),
                HasSubstr("criteria[1].value_relative_to: no reference \"nope\""));
    EXPECT_THAT(error_of(with(R"({"value": 200000})", R"({"value": 200000, "mean_of": "districts", "indicator": "x"})")),
                HasSubstr("references.ref_income"));
    EXPECT_THAT(error_of(with(R"("when": "listed")", R"("when": "sometimes")")), HasSubstr("categories[0].when"));
    EXPECT_THAT(error_of(with(R"("years": 4)", R"("years": 0)")), HasSubstr("categories[2].when.years"));

    const auto rules = catalog::parse_rule_set(test_rules, "test.json");
    EXPECT_EQ(rules.find_reference("by")->by_year.at(2012), 100);
    EXPECT_EQ(*rules.find_reference("by")->value, 50);
}

TEST(list_rules, the_bundled_rule_sets_express_2010_2013_and_2018) {
    const auto sets = catalog::load_rule_sets(test::source_dir() / "geodata" / "rules");
    ASSERT_EQ(sets.size(), 3u);
    EXPECT_EQ(sets[0].name, "2010");
    EXPECT_EQ(sets[1].name, "2013");
    EXPECT_EQ(sets[2].name, "2018");
    auto counting = [](const catalog::rule_set& r) {
        std::size_t n = 0;
        for (const auto& c : r.criteria) n += c.counts ? 1 : 0;
        return n;
    };
    for (const auto& r : sets) EXPECT_EQ(r.min_residents, 1000) << r.name;
    EXPECT_EQ(counting(sets[0]), 3u);
    EXPECT_EQ(sets[0].required, 2u);
    EXPECT_EQ(counting(sets[1]), 5u);
    EXPECT_EQ(sets[1].required, 3u);
    EXPECT_EQ(counting(sets[2]), 4u);
    EXPECT_EQ(sets[2].required, 2u);
    ASSERT_EQ(sets[2].categories.size(), 3u);
    EXPECT_EQ(sets[2].categories[2].when.type, catalog::rule_condition::kind::category);
    EXPECT_EQ(sets[2].categories[2].when.years, 4);
    EXPECT_FALSE(sets[2].find_criterion("non_western")->counts);
    EXPECT_EQ(sets[2].find_criterion("convictions")->relative_to, "national_convictions_per_10000");
    for (const auto& r : sets) EXPECT_FALSE(r.note.empty()) << r.name << " says how criteria map onto the data";
}

TEST(list_rules, areas_from_the_catalog_are_resident_weighted_and_references_come_from_layers) {
    const auto cat = test::load_squares("list-rules", R"({"housing_areas":{"layer":"departments","group_field":"omraade",
        "areas_layer":"areas","residents":"beboere"}})",
                                        "afd,aar,beboere,ledige,indkomst\n"
                                        "d1,2013,600,50,100000\nd2,2013,400,25,200000\nd3,2013,300,40.5,300000\nd4,2013,,20,250000\n",
                                        "nr,aar,beboere,ledige,indkomst\n1,2013,1000,10,300000\n2,2013,3000,20,200000\n");
    const auto rules = catalog::parse_rule_set(R"({"name":"r","in_force_from":2010,"criteria":[
        {"id":"low","indicator":"indkomst","op":"<","value":0.7,"value_relative_to":"region"}],"required":1,
        "references":{"region":{"mean_of":"districts","indicator":"indkomst","weight":"beboere"},
                      "plain":{"mean_of":"districts","indicator":"indkomst"}}})",
                                               "r.json");
    const auto refs = reference_values(*cat, rules, 2013);
    EXPECT_DOUBLE_EQ(refs.at("region"), 225000) << "(1000 × 300000 + 3000 × 200000) / 4000";
    EXPECT_DOUBLE_EQ(refs.at("plain"), 250000);
    EXPECT_FALSE(reference_values(*cat, rules, 2012).contains("region")) << "no district data in 2012";

    const auto years = housing_area_years(*cat, *cat->analysis, rules);
    const auto& areas = years.at(2013).areas;
    ASSERT_EQ(areas.size(), 3u);
    const auto& nord = areas.at("nord");
    EXPECT_EQ(nord.name, "Nordparken");
    EXPECT_EQ(nord.departments, (std::vector<std::string>{"d1", "d2"}));
    EXPECT_DOUBLE_EQ(nord.residents, 1000);
    EXPECT_DOUBLE_EQ(*nord.values.at("ledige"), 40) << "(600 × 50 + 400 × 25) / 1000";
    EXPECT_DOUBLE_EQ(*nord.values.at("indkomst"), 140000);
    const auto& syd = areas.at("syd");
    EXPECT_DOUBLE_EQ(syd.residents, 300) << "d4 has no residents figure";
    EXPECT_EQ(syd.departments_with_residents, 1u);
    EXPECT_DOUBLE_EQ(*syd.values.at("ledige"), 40.5);
    EXPECT_EQ(areas.at("tom").departments.size(), 0u);

    const auto v = evaluate_rules(rules, years, 2013);
    EXPECT_TRUE(v.at("nord").listed) << "140000 < 0.7 × 225000";
    EXPECT_FALSE(v.at("syd").listed);
    EXPECT_FALSE(v.at("tom").eligible);
    EXPECT_THAT(v.at("tom").reason, HasSubstr("no resident figures"));
}

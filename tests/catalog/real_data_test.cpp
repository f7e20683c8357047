// The bundled sample and the real Copenhagen layers load as they are.

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace kvarter;
using namespace kvarter::catalog;

namespace {

std::string text(const layer& l, const feature& f, const std::string& field) {
    const auto& v = f.properties.at(*l.field_index(field));
    return is_null(v) ? std::string{} : std::get<std::string>(v);
}

} // namespace

TEST(sample, loads_every_layer_with_no_misses) {
    const auto cat = load_catalog(load_config(test::sample_config()));
    EXPECT_EQ(cat->find("districts")->features.size(), 10u);
    EXPECT_EQ(cat->find("deprived-areas")->features.size(), 6u);
    EXPECT_GE(cat->find("renewal-zones")->features.size(), 8u);
    EXPECT_GE(cat->find("housing-departments")->features.size(), 150u);
    for (const auto& l : cat->layers) {
        EXPECT_EQ(l.report.without_geometry, 0u) << l.id;
        for (const auto& j : l.report.joins) {
            EXPECT_EQ(j.unmatched_rows, 0u) << l.id;
            EXPECT_EQ(j.features_without_rows, 0u) << l.id;
        }
    }
    EXPECT_EQ(cat->find("housing-departments")->years, (std::vector<int>{2010, 2011, 2012, 2013}));

    std::set<std::string> deprived;
    for (const auto& f : cat->find("deprived-areas")->features) deprived.insert(f.name);
    EXPECT_EQ(deprived, (std::set<std::string>{"Nørrebro", "Amager/Sundby", "Bispebjerg/Nordvest", "Vesterbro/Sydhavnen",
                                               "Husum/Tingbjerg", "Valby/Vigerslev"}));
}

TEST(sample, named_estates_lie_in_their_district_and_deprived_area) {
    const auto cat = load_catalog(load_config(test::sample_config()));
    const auto& deps = *cat->find("housing-departments");
    auto find_by_estate = [&](const std::string& estate) -> const feature& {
        const auto area = *deps.field_index("housing_area");
        for (const auto& f : deps.features)
            if (std::get<std::string>(f.properties[area]) == estate) return f;
        throw std::runtime_error{"no department of " + estate};
    };
    EXPECT_EQ(text(deps, find_by_estate("mjolnerparken"), "district"), "Nørrebro");
    EXPECT_EQ(text(deps, find_by_estate("mjolnerparken"), "deprived_area"), "Nørrebro");
    EXPECT_EQ(text(deps, find_by_estate("tingbjerg"), "district"), "Brønshøj-Husum");
    EXPECT_EQ(text(deps, find_by_estate("tingbjerg"), "deprived_area"), "Husum/Tingbjerg");
    EXPECT_EQ(text(deps, find_by_estate("urbanplanen"), "deprived_area"), "Amager/Sundby");
}

TEST(sample, some_departments_move_in_and_out_of_forty_plus) {
    const auto cat = load_catalog(load_config(test::sample_config()));
    const auto& deps = *cat->find("housing-departments");
    const auto share = *deps.indicator_index("outside_labour_force_share");
    int moved_in = 0, moved_out = 0;
    for (const auto& f : deps.features) {
        const bool before = *f.indicators.at(2011)[share] > 40, after = *f.indicators.at(2012)[share] > 40;
        moved_in += !before && after;
        moved_out += before && !after;
    }
    EXPECT_GT(moved_in + moved_out, 0);
}

TEST(real_data, the_copenhagen_layers_load_as_they_are) {
    const auto cat = load_catalog(load_config(test::copenhagen_config()));
    const auto& districts = *cat->find("districts");
    const auto& deprived = *cat->find("deprived-areas");
    const auto& housing = *cat->find("housing-departments");
    EXPECT_EQ(districts.features.size(), 10u);
    EXPECT_EQ(deprived.features.size(), 17u);
    EXPECT_EQ(housing.features.size(), 507u);

    std::set<std::string> names;
    for (const auto& f : districts.features) names.insert(f.name);
    EXPECT_TRUE(names.contains("Amager Øst"));
    EXPECT_TRUE(names.contains("Brønshøj-Husum"));
    EXPECT_TRUE(districts.find("3") != nullptr);
    EXPECT_EQ(districts.find("3")->name, "Nørrebro");

    // Every housing department with a geometry lies in some district, found by the spatial join.
    std::size_t with_geometry = 0, placed = 0;
    for (const auto& f : housing.features) {
        if (!f.has_geometry) continue;
        ++with_geometry;
        placed += !text(housing, f, "district").empty();
    }
    EXPECT_EQ(placed, with_geometry);
    EXPECT_EQ(housing.report.without_geometry, housing.features.size() - with_geometry);
}

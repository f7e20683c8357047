// The real city as the project ships it (geodata/copenhagen.json): every layer, the derived
// layers held against the data they come from, and honest labels on every indicator.

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "geometry/geos.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace kvarter;
using namespace kvarter::catalog;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const kvarter::catalog::catalog& copenhagen() {
    static const auto cat = load_catalog(load_config(test::copenhagen_config()));
    return *cat;
}

const layer& layer_of(const std::string& id) {
    const auto* l = copenhagen().find(id);
    if (!l) throw std::runtime_error{"no layer " + id};
    return *l;
}

value property(const layer& l, const feature& f, const std::string& name) { return f.properties.at(*l.field_index(name)); }

geometry::geom_ptr shape(const feature& f) { return geometry::to_geos(geometry::this_thread_geos(), f.analysis); }

double area(const GEOSGeometry* g) { return geometry::area(geometry::this_thread_geos(), g); }

// |a △ b| by GEOS: zero when the two cover the same ground.
double symmetric_difference(const GEOSGeometry* a, const GEOSGeometry* b) {
    auto& geos = geometry::this_thread_geos();
    auto ab = geometry::difference(geos, a, b);
    auto ba = geometry::difference(geos, b, a);
    return area(ab.get()) + area(ba.get());
}

geometry::geom_ptr union_of(const layer& l, const std::vector<std::string>& ids) {
    std::vector<geometry::geom_ptr> shapes;
    std::vector<const GEOSGeometry*> raw;
    for (const auto& id : ids) {
        const auto* f = l.find(id);
        if (!f) throw std::runtime_error{"no feature " + id + " in " + l.id};
        if (!f->has_geometry) continue;
        shapes.push_back(shape(*f));
        raw.push_back(shapes.back().get());
    }
    return geometry::unite(geometry::this_thread_geos(), raw);
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in{p};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

TEST(copenhagen, every_layer_of_the_real_city_loads) {
    const std::map<std::string, std::size_t> counts{
        {"districts", 10},         {"deprived-areas", 17},   {"deprived-areas-2011", 6}, {"housing-departments", 507},
        {"housing-areas", 12},     {"building-renewals", 3016}, {"playgrounds", 136},   {"libraries", 20},
        {"culture-houses", 29}};
    for (const auto& [id, n] : counts) EXPECT_EQ(layer_of(id).features.size(), n) << id;
    // One published department has no geometry ("På Sporet"): kept and counted, not dropped.
    EXPECT_EQ(layer_of("housing-departments").report.without_geometry, 1u);
    EXPECT_FALSE(layer_of("housing-departments").find("451")->has_geometry);
    EXPECT_EQ(layer_of("districts").find("3")->name, "Nørrebro");
}

TEST(copenhagen, nothing_in_the_default_config_reads_outside_the_repository) {
    const auto cfg = load_config(test::copenhagen_config());
    const auto repo = std::filesystem::weakly_canonical(test::source_dir());
    auto inside = [&](const std::string& path) {
        const auto p = std::filesystem::weakly_canonical(path).string();
        return p.rfind(repo.string() + "/", 0) == 0;
    };
    for (const auto& l : cfg.layers) {
        if (l.derive) {
            for (const auto& file : {l.derive->members, l.derive->tags, l.derive->programmes}) {
                if (!file.empty()) EXPECT_TRUE(inside(file)) << l.id << ": " << file;
            }
        } else {
            EXPECT_TRUE(inside(l.source)) << l.id << ": " << l.source;
        }
    }
    for (const auto& t : cfg.indicators) EXPECT_TRUE(inside(t.source)) << t.source;
    EXPECT_THAT(read(test::copenhagen_config()), Not(HasSubstr("shared/")));
}

TEST(copenhagen, the_six_areas_of_2011_are_unions_of_the_2017_sub_areas) {
    const auto& groups = layer_of("deprived-areas-2011");
    const auto& parts = layer_of("deprived-areas");
    std::set<std::string> names;
    std::size_t members = 0;
    for (const auto& g : groups.features) {
        names.insert(g.name);
        members += g.members.size();
        ASSERT_TRUE(g.has_geometry) << g.name;
        EXPECT_LT(symmetric_difference(shape(g).get(), union_of(parts, g.members).get()), 1.0) << g.name; // m²
    }
    EXPECT_EQ(names, (std::set<std::string>{"Nørrebro", "Amager/Sundby", "Bispebjerg/Nordvest", "Vesterbro/Sydhavnen",
                                            "Husum/Tingbjerg", "Valby/Vigerslev"}));
    EXPECT_EQ(members, 17u); // every sub-area in one of the six
    ASSERT_TRUE(groups.derived);
    EXPECT_EQ(groups.derived->method, "union");
    EXPECT_THAT(groups.title, HasSubstr("tilnærmet"));
    // The grouping's reasons travel with the areas.
    EXPECT_FALSE(std::get<std::string>(property(groups, *groups.find("vesterbro-sydhavnen"), "reason")).empty());
}

TEST(copenhagen, a_list_area_is_the_union_of_the_departments_named_for_it) {
    const auto& areas = layer_of("housing-areas");
    const auto& departments = layer_of("housing-departments");
    ASSERT_EQ(areas.features.size(), 12u);
    for (const auto& a : areas.features) {
        ASSERT_FALSE(a.members.empty()) << a.name;
        for (const auto& id : a.members) EXPECT_NE(departments.find(id), nullptr) << a.name << ": " << id;
        ASSERT_TRUE(a.has_geometry) << a.name;
        const auto u = union_of(departments, a.members);
        EXPECT_LT(symmetric_difference(shape(a).get(), u.get()), 1e-6 * area(u.get()) + 1.0) << a.name;
    }
    EXPECT_EQ(areas.find("mjoelnerparken")->name, "Mjølnerparken");
    EXPECT_EQ(areas.find("tingbjerg-utterslevhuse")->members.size(), 10u);
}

TEST(copenhagen, renewal_zones_cover_their_buildings_without_bridging_the_city) {
    const auto& zones = layer_of("renewal-zones");
    const auto& buildings = layer_of("building-renewals");
    ASSERT_GE(zones.features.size(), 9u);
    auto& geos = geometry::this_thread_geos();
    const double closing_m = 60; // geodata/copenhagen.json
    for (const auto& z : zones.features) {
        ASSERT_TRUE(z.has_geometry) << z.name;
        const auto zone = shape(z);
        const auto prepared = geometry::prepare(geos, zone.get());
        for (const auto& id : z.members) {
            const auto* b = buildings.find(id);
            ASSERT_NE(b, nullptr);
            auto inner = geometry::buffer(geos, shape(*b).get(), -0.01); // rounding on the border
            EXPECT_TRUE(geometry::contains(geos, prepared.get(), inner.get())) << z.name << " misses building " << id;
        }
        // A closing never reaches further than its radius from the buildings: a hull would.
        const auto reach = geometry::buffer(geos, union_of(buildings, z.members).get(), closing_m + 0.5);
        auto beyond = geometry::difference(geos, zone.get(), reach.get());
        EXPECT_LT(area(beyond.get()), 1.0) << z.name;
    }
    // Start from the first tag year; end from the programmes file, or start + 5 marked assumed.
    const auto& skt = *zones.find("skt-kjelds-kvarter");
    EXPECT_EQ(std::get<std::int64_t>(property(zones, skt, "start_year")), 2012);
    EXPECT_EQ(std::get<std::int64_t>(property(zones, skt, "end_year")), 2015);
    EXPECT_FALSE(std::get<bool>(property(zones, skt, "end_year_assumed")));
    const auto& sundholm = *zones.find("sundholmsvej");
    EXPECT_EQ(std::get<std::int64_t>(property(zones, sundholm, "start_year")), 2010);
    EXPECT_EQ(std::get<std::int64_t>(property(zones, sundholm, "end_year")), 2015);
    EXPECT_TRUE(std::get<bool>(property(zones, sundholm, "end_year_assumed")));
    ASSERT_TRUE(zones.derived);
    EXPECT_THAT(zones.derived->rule, HasSubstr("closed morphologically"));
}

TEST(copenhagen, green_teams_are_the_departments_in_the_deprived_areas_from_2012) {
    const auto& teams = layer_of("green-teams");
    const auto& departments = layer_of("housing-departments");
    const auto& deprived = layer_of("deprived-areas");
    std::vector<std::string> all;
    for (const auto& f : deprived.features) all.push_back(f.id);
    const auto areas = union_of(deprived, all);
    auto& geos = geometry::this_thread_geos();
    ASSERT_GT(teams.features.size(), 50u);
    for (const auto& t : teams.features) {
        ASSERT_EQ(t.members.size(), 1u);
        ASSERT_NE(departments.find(t.members[0]), nullptr);
        auto outside = geometry::difference(geos, shape(t).get(), areas.get());
        EXPECT_LT(area(outside.get()), 1.0) << t.name;
        EXPECT_EQ(std::get<std::int64_t>(property(teams, t, "start_year")), 2012);
    }
    ASSERT_TRUE(teams.derived);
    EXPECT_THAT(teams.derived->rule, HasSubstr("inside deprived-areas"));
}

TEST(copenhagen, every_indicator_says_whether_it_is_published_or_synthetic) {
    std::size_t published = 0, synthetic = 0;
    for (const auto& l : copenhagen().layers)
        for (const auto& i : l.indicators) {
            EXPECT_NE(i.origin, provenance::unstated) << l.id << "." << i.id;
            EXPECT_FALSE(i.source_note.empty()) << l.id << "." << i.id;
            published += i.origin == provenance::published;
            synthetic += i.origin == provenance::synthetic;
        }
    EXPECT_GT(published, 5u);
    EXPECT_GT(synthetic, 5u);
    const auto& districts = layer_of("districts");
    EXPECT_EQ(districts.indicators[*districts.indicator_index("average_income_dkk")].origin, provenance::published);
    EXPECT_EQ(districts.indicators[*districts.indicator_index("voter_turnout")].origin, provenance::synthetic);
    // The index mixes a published income with synthetic components: synthetic, and it says which.
    const auto& index = districts.indicators[*districts.indicator_index("soek_index")];
    EXPECT_EQ(index.origin, provenance::synthetic);
    EXPECT_THAT(index.source_note, HasSubstr("average_income_dkk (published)"));
    EXPECT_THAT(index.source_note, HasSubstr("voter_turnout (synthetic)"));
}

TEST(copenhagen, check_reports_zones_areas_and_provenance) {
    const auto r = test::run_command(std::string{KVARTER_BINARY} + " check --config " + test::copenhagen_config().string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("renewal-zones (renewal_zone): "));
    EXPECT_THAT(r.output, ::testing::ContainsRegex("Skt. Kjelds Kvarter: [0-9]+ buildings, 2012–2015"));
    EXPECT_THAT(r.output, HasSubstr("Mjølnerparken (mjoelnerparken): 1 of housing-departments (147)"));
    EXPECT_THAT(r.output, HasSubstr("published: residents outside_work_education_pct"));
    EXPECT_THAT(r.output, HasSubstr("synthetic: residents outside_labour_force_share"));
    EXPECT_THAT(r.output, Not(HasSubstr("unstated")));
}

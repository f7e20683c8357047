// filter= on tile URLs: the tile keeps the features the filter selects, in every layer that has
// what it names, and is cached apart from the unfiltered tile.

#include "http/message.hpp"
#include "support/sample_server_suite.hpp"
#include "tiles/mvt_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

using namespace kvarter;

namespace {

class tile_filter : public test::sample_server_suite {};

// Around Mjølnerparken at zoom 13.
constexpr int z = 13;
const unsigned x = static_cast<unsigned>((12.5420 + 180) / 360 * (1 << z));
const unsigned y = static_cast<unsigned>((1 - std::asinh(std::tan(55.6990 * M_PI / 180)) / M_PI) / 2 * (1 << z));
const std::string tile_path = "/tiles/default/" + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(y) + ".mvt";

std::set<std::string> ids_in(const std::vector<test::decoded_feature>& features) {
    std::set<std::string> out;
    for (const auto& d : features) out.insert(d.properties.at("id"));
    return out;
}

} // namespace

TEST_F(tile_filter, keeps_what_the_filter_selects_and_drops_layers_without_its_names) {
    const auto plain = get(tile_path);
    ASSERT_EQ(plain.status, 200u);
    const auto filtered = get(tile_path + "?filter=" + http::percent_encode("dwellings > 300"));
    ASSERT_EQ(filtered.status, 200u) << filtered.body;
    EXPECT_NE(plain.header("etag"), filtered.header("etag"));

    const auto all = test::decode_with_gdal(plain.body, z, x, y);
    const auto kept = test::decode_with_gdal(filtered.body, z, x, y);
    const auto cat = server->holder().get();
    const auto& deps = *cat->find("housing-departments");
    const auto dwellings = *deps.field_index("dwellings");
    std::set<std::string> expected;
    for (const auto& id : ids_in(all.at("housing-departments"))) {
        const auto& v = deps.find(id)->properties[dwellings];
        if (std::holds_alternative<std::int64_t>(v) && std::get<std::int64_t>(v) > 300) expected.insert(id);
    }
    ASSERT_FALSE(expected.empty());
    ASSERT_LT(expected.size(), all.at("housing-departments").size());
    ASSERT_TRUE(kept.contains("housing-departments"));
    EXPECT_EQ(ids_in(kept.at("housing-departments")), expected);
    EXPECT_FALSE(kept.contains("districts")); // districts have no dwellings
}

TEST_F(tile_filter, bad_filters_are_400_naming_the_parameter) {
    const auto syntax = get(tile_path + "?filter=" + http::percent_encode("residents >"));
    EXPECT_EQ(syntax.status, 400u);
    EXPECT_EQ(syntax.json()["parameter"], "filter");
    const auto nowhere = get(tile_path + "?filter=" + http::percent_encode("colour = 'red'"));
    EXPECT_EQ(nowhere.status, 400u);
    EXPECT_NE(nowhere.json()["detail"].get<std::string>().find("no layer of tileset default"), std::string::npos);
    const auto lang = get(tile_path + "?filter=x&filter-lang=sql");
    EXPECT_EQ(lang.json()["parameter"], "filter-lang");
}

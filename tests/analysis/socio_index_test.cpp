// The SØK index on hand-made layers whose z-scores, ranks and quintiles are known exactly.

#include "catalog/socio_index.hpp"
#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter;
using namespace kvarter::catalog;
using ::testing::HasSubstr;

namespace {

// Indicators: bad (higher_is_worse), good (higher_is_better), count (neutral).
layer make_layer(const std::vector<std::vector<std::optional<double>>>& rows, int year = 2013) {
    layer l;
    l.id = "test";
    l.indicators = {{"bad", "Bad", "%", direction::higher_is_worse},
                    {"good", "Good", "%", direction::higher_is_better},
                    {"count", "Count", "", direction::neutral}};
    l.years = {year};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        feature f;
        f.id = std::string(1, static_cast<char>('A' + i));
        f.name = f.id;
        f.indicators[year] = rows[i];
        l.features.push_back(std::move(f));
    }
    return l;
}

std::vector<index_weight> weights_of(const layer& l, std::optional<std::vector<std::pair<std::string, double>>> w) {
    std::string problem;
    auto out = resolve_index_weights(l, w, problem);
    EXPECT_TRUE(problem.empty()) << problem;
    return out;
}

} // namespace

TEST(socio_index, z_scores_use_the_population_sd_and_are_signed_so_positive_is_worse) {
    // bad 10..50 and good 50..10: mean 30 each, population sd sqrt(200) (a sample sd would be sqrt(250)).
    const auto l = make_layer({{10, 50, 1}, {20, 40, 1}, {30, 30, 1}, {40, 20, 1}, {50, 10, 1}});
    const auto w = weights_of(l, std::nullopt);
    ASSERT_EQ(w.size(), 2u) << "the neutral indicator is not weighted by default";
    const auto r = compute_index(l, w, 2013);
    EXPECT_DOUBLE_EQ(r.means[0], 30);
    EXPECT_DOUBLE_EQ(r.sds[0], std::sqrt(200.0));
    EXPECT_EQ(r.ranked, 5u);
    EXPECT_EQ(r.unranked, 0u);
    // E: bad is 20 above the mean (worse), good 20 below it (worse too): both score +sqrt(2).
    const auto& e = r.entries[4];
    ASSERT_EQ(e.z.size(), 2u);
    EXPECT_NEAR(e.z[0], std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(e.z[1], std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(*e.index, std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(*r.entries[0].index, -std::sqrt(2.0), 1e-12);
    EXPECT_NEAR(*r.entries[2].index, 0, 1e-12);
    // Higher index = more deprived = rank 1 = quintile 5.
    const std::vector<std::size_t> ranks{5, 4, 3, 2, 1};
    const std::vector<int> quintiles{1, 2, 3, 4, 5};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(r.entries[i].rank, ranks[i]) << i;
        EXPECT_EQ(r.entries[i].quintile, quintiles[i]) << i;
    }
}

TEST(socio_index, weights_are_relative_and_decide_between_disagreeing_indicators) {
    // P: bad low (better), good low (worse); Q the reverse. Population sd 5: z = ±1 exactly.
    const auto l = make_layer({{10, 10, 0}, {20, 20, 0}});
    const auto equal = compute_index(l, weights_of(l, std::nullopt), 2013);
    EXPECT_NEAR(*equal.entries[0].index, 0, 1e-12);
    EXPECT_NEAR(*equal.entries[1].index, 0, 1e-12);
    EXPECT_EQ(equal.entries[0].rank, 1u) << "a tie shares the better rank";
    EXPECT_EQ(equal.entries[1].rank, 1u);
    EXPECT_EQ(equal.entries[0].quintile, 5);

    const auto r = compute_index(l, weights_of(l, std::vector<std::pair<std::string, double>>{{"bad", 3}, {"good", 1}}), 2013);
    EXPECT_NEAR(r.entries[0].z[0], -1, 1e-12);
    EXPECT_NEAR(r.entries[0].z[1], 1, 1e-12);
    EXPECT_NEAR(*r.entries[0].index, (3 * -1 + 1 * 1) / 4.0, 1e-12);
    EXPECT_NEAR(*r.entries[1].index, 0.5, 1e-12);
    EXPECT_EQ(r.entries[1].rank, 1u);
    EXPECT_EQ(r.entries[0].rank, 2u);
    // 6:2 is the same weighting as 3:1.
    const auto same = compute_index(l, weights_of(l, std::vector<std::pair<std::string, double>>{{"bad", 6}, {"good", 2}}), 2013);
    EXPECT_NEAR(*same.entries[1].index, 0.5, 1e-12);
}

TEST(socio_index, huge_weights_weigh_as_their_ratio_and_give_an_index) {
    // 1.5e308 + 0.5e308 overflows to inf: the indexes came out 0 or null (inf / inf).
    const auto l = make_layer({{10, 10, 0}, {20, 20, 0}});
    const auto r = compute_index(
        l, weights_of(l, std::vector<std::pair<std::string, double>>{{"bad", 1.5e308}, {"good", 0.5e308}}), 2013);
    ASSERT_TRUE(r.entries[1].index.has_value());
    EXPECT_NEAR(*r.entries[1].index, 0.5, 1e-12); // as 3:1
    EXPECT_EQ(r.entries[1].rank, 1u);
}

TEST(socio_index, a_feature_missing_a_weighted_indicator_gets_no_index_and_is_not_ranked) {
    const auto l = make_layer({{10, 50, 1}, {20, 40, 1}, {30, 30, 1}, {40, 20, 1}, {50, 10, 1}, {99, std::nullopt, 1}});
    const auto r = compute_index(l, weights_of(l, std::nullopt), 2013);
    EXPECT_EQ(r.ranked, 5u);
    EXPECT_EQ(r.unranked, 1u);
    EXPECT_FALSE(r.entries[5].index);
    EXPECT_EQ(r.entries[5].rank, 0u);
    EXPECT_EQ(r.entries[5].quintile, 0);
    EXPECT_DOUBLE_EQ(r.means[0], 30) << "the incomplete feature is left out of the means";
    // Only `bad` weighted: the feature is complete and comes first.
    const auto only_bad = compute_index(l, weights_of(l, std::vector<std::pair<std::string, double>>{{"bad", 1}}), 2013);
    EXPECT_EQ(only_bad.unranked, 0u);
    EXPECT_EQ(only_bad.entries[5].rank, 1u);
    // A year without rows ranks nobody.
    EXPECT_EQ(compute_index(l, weights_of(l, std::nullopt), 2012).unranked, 6u);
}

TEST(socio_index, an_indicator_without_spread_scores_zero) {
    const auto l = make_layer({{10, 7, 0}, {20, 7, 0}});
    const auto r = compute_index(l, weights_of(l, std::nullopt), 2013);
    EXPECT_DOUBLE_EQ(r.sds[1], 0);
    EXPECT_EQ(r.entries[0].z[1], 0);
    EXPECT_NEAR(*r.entries[1].index, 0.5, 1e-12);
}

TEST(socio_index, competition_ranks_and_quintiles) {
    EXPECT_EQ(competition_ranks({3, 1, 3, 2}), (std::vector<std::size_t>{1, 4, 1, 3}));
    EXPECT_EQ(competition_ranks({1.0, 1.0 + 1e-12, 0.5}), (std::vector<std::size_t>{1, 1, 3})) << "equal within 1e-9";
    EXPECT_EQ(competition_ranks({}), std::vector<std::size_t>{});
    // Ten ranked: two per quintile, 5 first.
    const std::vector<int> ten{5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
    for (std::size_t rank = 1; rank <= 10; ++rank) EXPECT_EQ(quintile_of(rank, 10), ten[rank - 1]) << rank;
    // Small counts leave quintiles empty.
    EXPECT_EQ(quintile_of(1, 1), 5);
    EXPECT_EQ(quintile_of(1, 2), 5);
    EXPECT_EQ(quintile_of(2, 2), 3);
    const std::vector<int> seven{5, 5, 4, 3, 3, 2, 1};
    for (std::size_t rank = 1; rank <= 7; ++rank) EXPECT_EQ(quintile_of(rank, 7), seven[rank - 1]) << rank;
    EXPECT_EQ(quintile_of(0, 7), 0);
    // 180 departments: the first 36 ranks are quintile 5.
    EXPECT_EQ(quintile_of(36, 180), 5);
    EXPECT_EQ(quintile_of(37, 180), 4);
}

TEST(socio_index, weights_are_checked_against_the_layer) {
    const auto l = make_layer({{1, 2, 3}});
    std::string problem;
    EXPECT_TRUE(resolve_index_weights(l, std::vector<std::pair<std::string, double>>{{"nope", 1}}, problem).empty());
    EXPECT_THAT(problem, HasSubstr("no indicator \"nope\""));
    EXPECT_TRUE(resolve_index_weights(l, std::vector<std::pair<std::string, double>>{{"count", 1}}, problem).empty());
    EXPECT_THAT(problem, HasSubstr("neutral"));
    EXPECT_TRUE(resolve_index_weights(l, std::vector<std::pair<std::string, double>>{{"bad", 0}}, problem).empty());
    EXPECT_THAT(problem, HasSubstr("above 0"));
    const auto w = resolve_index_weights(l, std::vector<std::pair<std::string, double>>{{"good", 2}, {"bad", 0}}, problem);
    ASSERT_EQ(w.size(), 1u) << "weight 0 leaves an indicator out";
    EXPECT_EQ(w[0].indicator, 1u);
    EXPECT_EQ(w[0].sign, -1);
}

TEST(socio_index, weights_parameter_syntax) {
    EXPECT_EQ(parse_weights("a:1,b:2.5"), (std::vector<std::pair<std::string, double>>{{"a", 1}, {"b", 2.5}}));
    for (const std::string bad : {"", "a", "a:", ":1", "a:x", "a:1,a:2", "a:-1", "a:1,", "a:1:2"}) {
        try {
            parse_weights(bad);
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const bad_request& e) {
            EXPECT_EQ(e.parameter(), "weights") << bad;
        }
    }
}

TEST(socio_index, loading_appends_index_and_quintile_as_indicators_for_every_year) {
    auto l = make_layer({{10, 50, 1}, {20, 40, 1}, {30, 30, 1}, {40, 20, 1}, {50, 10, 1}});
    l.years = {2012, 2013};
    l.features[0].indicators[2012] = {50, 10, 1}; // A is the worst in 2012, alone
    const auto w = weights_of(l, std::nullopt);
    append_socio_index(l, w);
    const auto index = l.indicator_index(soek_index_id);
    const auto quintile = l.indicator_index(soek_quintile_id);
    ASSERT_TRUE(index && quintile);
    EXPECT_EQ(l.indicators[*index].dir, direction::higher_is_worse);
    EXPECT_EQ(l.indicators[*quintile].dir, direction::neutral);
    EXPECT_EQ(*l.features[4].indicators.at(2013)[*quintile], 5);
    EXPECT_EQ(*l.features[4].indicators.at(2013)[*index], rounded_index(std::sqrt(2.0)));
    EXPECT_EQ(*l.features[0].indicators.at(2012)[*quintile], 5) << "one feature ranked in 2012: quintile 5";
    EXPECT_FALSE(l.features[1].indicators.contains(2012));
}

#pragma once
// The socio-economic index (the SØK idea): for one layer and one year, every weighted indicator
// is standardised over the layer's features, signed so that positive means worse, and the
// weighted mean of those scores is the index. HIGHER = MORE DEPRIVED.
//
//   z_i(f)  = s_i * (x_i(f) - mean_i) / sd_i     s_i = +1 higher_is_worse, -1 higher_is_better
//   index(f) = sum_i w_i z_i(f) / sum_i w_i
//
// mean_i and sd_i are over the features that have every weighted indicator that year; sd is the
// POPULATION standard deviation (divide by n, not n - 1: the layer is the whole population, not a
// sample of it). An indicator with sd = 0 scores 0 for everybody. A feature missing any weighted
// indicator gets no index and is left out of the means, the ranks and the quintiles.
//
// rank: 1 = the highest index (most deprived); equal indexes (within 1e-9) share the better rank
// and the next rank is skipped ("1224" competition ranking).
// quintile = 5 - floor(5 (rank - 1) / n) over the n ranked features: 5 = the most deprived fifth,
// 1 = the least. Ties share a quintile because they share a rank; with fewer than 5 features
// some quintiles stay empty (one feature is quintile 5, two are 5 and 3).
//
// Loading appends two indicators to every layer that gets an index, so that features (?year=)
// and tiles carry them with no further code: soek_index (higher_is_worse) and soek_quintile.

#include "catalog/catalog.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::catalog {

constexpr const char* soek_index_id = "soek_index";
constexpr const char* soek_quintile_id = "soek_quintile";

struct index_weight {
    std::size_t indicator = 0; // index into layer::indicators
    double weight = 1; // as given; compute_index normalises
    int sign = 1; // +1 higher_is_worse, -1 higher_is_better
};

struct index_entry {
    std::optional<double> index; // nullopt: a weighted indicator is missing that year
    std::size_t rank = 0; // 0: not ranked
    int quintile = 0; // 0: not ranked
    std::vector<double> z; // signed scores aligned with the weights (empty when not ranked)
};

struct index_result {
    int year = 0;
    std::vector<index_entry> entries; // aligned with layer::features
    std::size_t ranked = 0;
    std::size_t unranked = 0; // features without every weighted indicator that year
    std::vector<double> means; // per weight, over the ranked features
    std::vector<double> sds; // population standard deviations
};

// The weights for a layer: the given ones (nullopt: every indicator with a direction, weight 1;
// soek_* never). Empty with `problem` said when the layer lacks one, one is neutral or negative,
// or none is above 0; the loader then gives the layer no index and the API answers 400.
std::vector<index_weight> resolve_index_weights(const layer& l,
                                                const std::optional<std::vector<std::pair<std::string, double>>>& weights,
                                                std::string& problem);

// Parses "a:1,b:2" (the API's weights=) into named weights; throws bad_request naming "weights".
std::vector<std::pair<std::string, double>> parse_weights(const std::string& text);

index_result compute_index(const layer& l, const std::vector<index_weight>& weights, int year);

// Competition ranks (1 = highest) of the scores; equal within `tolerance` share a rank.
std::vector<std::size_t> competition_ranks(const std::vector<double>& scores, double tolerance = 1e-9);
int quintile_of(std::size_t rank, std::size_t ranked) noexcept;

// The index as features, tiles and answers carry it: 4 decimals (ranks use the full value).
inline double rounded_index(double v) { return std::round(v * 1e4) / 1e4; }

// Appends soek_index and soek_quintile to the layer's indicators, for every year it has.
void append_socio_index(layer& l, const std::vector<index_weight>& weights);

} // namespace kvarter::catalog

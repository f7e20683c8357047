#include "catalog/socio_index.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace kvarter::catalog {

namespace {

bool is_index_indicator(const std::string& id) { return id == soek_index_id || id == soek_quintile_id; }

std::string indicator_list(const layer& l) {
    std::string out;
    for (const auto& i : l.indicators)
        if (!is_index_indicator(i.id)) out += (out.empty() ? "" : ", ") + i.id;
    return out.empty() ? "none" : out;
}

} // namespace

std::vector<std::pair<std::string, double>> parse_weights(const std::string& text) {
    const std::string expected = "weights must be indicator:weight pairs separated by commas, e.g. "
                                 "weights=outside_labour_force_share:2,mean_income_dkk:1; ";
    if (text.empty()) throw bad_request{"weights", expected + "got nothing"};
    std::vector<std::pair<std::string, double>> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        const auto colon = item.find(':');
        if (colon == std::string::npos || colon == 0 || item.find(':', colon + 1) != std::string::npos)
            throw bad_request{"weights", expected + "got \"" + item + "\""};
        const std::string name = item.substr(0, colon);
        const std::string number = item.substr(colon + 1);
        double w = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), w);
        if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(w) || w < 0)
            throw bad_request{"weights", "the weight of " + name + " must be a number >= 0, got \"" + number + "\""};
        for (const auto& [seen, v] : out)
            if (seen == name) throw bad_request{"weights", "weights names " + name + " twice"};
        out.emplace_back(name, w);
        start = comma + 1;
    }
    return out;
}

std::vector<index_weight> resolve_index_weights(const layer& l,
                                                const std::optional<std::vector<std::pair<std::string, double>>>& weights,
                                                std::string& problem) {
    std::vector<index_weight> out;
    problem.clear();
    if (!weights) {
        for (std::size_t i = 0; i < l.indicators.size(); ++i) {
            const auto& ind = l.indicators[i];
            if (ind.dir == direction::neutral || is_index_indicator(ind.id)) continue;
            out.push_back({i, 1.0, ind.dir == direction::higher_is_worse ? 1 : -1});
        }
        if (out.empty()) problem = "layer " + l.id + " has no indicator with a direction to build an index from";
        return out;
    }
    for (const auto& [name, w] : *weights) {
        const auto i = l.indicator_index(name);
        if (!i || is_index_indicator(name)) {
            problem = "layer " + l.id + " has no indicator \"" + name + "\" to weight; it has " + indicator_list(l);
            return {};
        }
        const auto& ind = l.indicators[*i];
        if (ind.dir == direction::neutral) {
            problem = "indicator " + name + " is neutral (neither higher_is_better nor higher_is_worse), so it has no sign in the index";
            return {};
        }
        if (!std::isfinite(w) || w < 0) {
            problem = "the weight of " + name + " must be a number >= 0";
            return {};
        }
        if (w == 0) continue; // weight 0 leaves the indicator out, also from the completeness test
        out.push_back({*i, w, ind.dir == direction::higher_is_worse ? 1 : -1});
    }
    if (out.empty()) problem = "at least one weight must be above 0";
    return out;
}

std::vector<std::size_t> competition_ranks(const std::vector<double>& scores, double tolerance) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    std::vector<std::size_t> ranks(scores.size());
    std::size_t group_rank = 1;
    double group_score = 0;
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        const double s = scores[order[pos]];
        // Compared with the group's first score, so that a long run of near ties cannot drift.
        if (pos == 0 || group_score - s > tolerance) {
            group_rank = pos + 1;
            group_score = s;
        }
        ranks[order[pos]] = group_rank;
    }
    return ranks;
}

int quintile_of(std::size_t rank, std::size_t ranked) noexcept {
    if (rank == 0 || ranked == 0 || rank > ranked) return 0;
    return 5 - static_cast<int>(5 * (rank - 1) / ranked);
}

index_result compute_index(const layer& l, const std::vector<index_weight>& weights, int year) {
    index_result out;
    out.year = year;
    out.entries.resize(l.features.size());
    const std::size_t k = weights.size();
    // The index is a weighted mean, the same for weights scaled alike; scaled to the largest,
    // weights like 1e308 cannot overflow the sums into inf and the indexes into null.
    double largest = 0;
    for (const auto& w : weights) largest = std::max(largest, w.weight);
    std::vector<double> scaled;
    double total_weight = 0;
    for (const auto& w : weights) total_weight += scaled.emplace_back(largest > 0 ? w.weight / largest : 0.0);

    // The features with every weighted indicator that year, and their values.
    std::vector<std::size_t> complete;
    std::vector<std::vector<double>> values;
    for (std::size_t f = 0; f < l.features.size(); ++f) {
        const auto row = l.features[f].indicators.find(year);
        if (row == l.features[f].indicators.end()) continue;
        std::vector<double> v;
        for (const auto& w : weights) {
            if (w.indicator >= row->second.size() || !row->second[w.indicator]) break;
            v.push_back(*row->second[w.indicator]);
        }
        if (v.size() != k) continue;
        complete.push_back(f);
        values.push_back(std::move(v));
    }
    out.ranked = complete.size();
    out.unranked = l.features.size() - complete.size();
    out.means.assign(k, 0);
    out.sds.assign(k, 0);
    if (complete.empty() || total_weight <= 0) return out;

    const double n = static_cast<double>(complete.size());
    for (std::size_t i = 0; i < k; ++i) {
        double sum = 0;
        for (const auto& v : values) sum += v[i];
        out.means[i] = sum / n;
        double squares = 0;
        for (const auto& v : values) squares += (v[i] - out.means[i]) * (v[i] - out.means[i]);
        out.sds[i] = std::sqrt(squares / n); // population standard deviation
    }
    std::vector<double> scores;
    for (std::size_t c = 0; c < complete.size(); ++c) {
        auto& e = out.entries[complete[c]];
        double index = 0;
        for (std::size_t i = 0; i < k; ++i) {
            const double z = out.sds[i] > 0 ? weights[i].sign * (values[c][i] - out.means[i]) / out.sds[i] : 0.0;
            e.z.push_back(z);
            index += scaled[i] * z;
        }
        e.index = index / total_weight;
        scores.push_back(*e.index);
    }
    const auto ranks = competition_ranks(scores);
    for (std::size_t c = 0; c < complete.size(); ++c) {
        auto& e = out.entries[complete[c]];
        e.rank = ranks[c];
        e.quintile = quintile_of(ranks[c], complete.size());
    }
    return out;
}

void append_socio_index(layer& l, const std::vector<index_weight>& weights) {
    std::vector<index_result> results;
    for (int year : l.years) results.push_back(compute_index(l, weights, year));
    const std::size_t width = l.indicators.size();
    // The index is as real as its least real component, and says which components it has.
    bool any_synthetic = false, all_published = true;
    std::string components;
    for (const auto& w : weights) {
        const auto& ind = l.indicators[w.indicator];
        any_synthetic |= ind.origin == provenance::synthetic;
        all_published &= ind.origin == provenance::published;
        components += (components.empty() ? "" : ", ") + ind.id + " (" + to_string(ind.origin) + ")";
    }
    const provenance origin = any_synthetic ? provenance::synthetic : all_published ? provenance::derived : provenance::unstated;
    const std::string note = "computed by kvarter at load from " + components;
    l.indicators.push_back({soek_index_id, "Socioøkonomisk indeks (SØK; højere = mere udsat)", "z-score",
                            direction::higher_is_worse, origin, note});
    l.indicators.push_back({soek_quintile_id, "SØK-kvintil (5 = den mest udsatte femtedel)", "kvintil", direction::neutral, origin, note});
    for (std::size_t f = 0; f < l.features.size(); ++f) {
        for (auto& [year, values] : l.features[f].indicators) {
            values.resize(width);
            const auto r = std::find_if(results.begin(), results.end(), [y = year](const index_result& x) { return x.year == y; });
            const index_entry* e = r == results.end() ? nullptr : &r->entries[f];
            values.push_back(e && e->index ? std::optional<double>{rounded_index(*e->index)} : std::nullopt);
            values.push_back(e && e->quintile ? std::optional<double>{e->quintile} : std::nullopt);
        }
    }
}

} // namespace kvarter::catalog

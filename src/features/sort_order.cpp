#include "features/sort_order.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>

namespace kvarter::features {

namespace {

// One key of one feature, read once before sorting.
struct cell {
    bool null = true;
    double number = 0;
    std::string_view text;
};

cell read(const catalog::layer& l, const catalog::feature& f, const filter::queryable& q, std::optional<int> year) {
    cell c;
    if (q.source == filter::source::indicator) {
        if (!year) return c;
        const auto row = f.indicators.find(*year);
        if (row != f.indicators.end() && q.index < row->second.size() && row->second[q.index]) {
            c.null = false;
            c.number = *row->second[q.index];
        }
        return c;
    }
    const value& v = f.properties[q.index];
    if (const auto* s = std::get_if<std::string>(&v)) c.text = *s, c.null = false;
    else if (const auto* i = std::get_if<std::int64_t>(&v)) c.number = static_cast<double>(*i), c.null = false;
    else if (const auto* d = std::get_if<double>(&v)) c.number = *d, c.null = false;
    else if (const auto* b = std::get_if<bool>(&v)) c.number = *b ? 1 : 0, c.null = false;
    return c;
}

int order(const cell& a, const cell& b) {
    if (a.null || b.null) return a.null == b.null ? 0 : a.null ? 1 : -1;
    if (a.number != b.number) return a.number < b.number ? -1 : 1;
    return a.text.compare(b.text) < 0 ? -1 : a.text == b.text ? 0 : 1;
}

bool id_before(const catalog::feature& a, const catalog::feature& b) {
    const auto x = a.integer_id(), y = b.integer_id();
    if (x && y) return *x < *y;
    return a.id < b.id;
}

} // namespace

std::vector<filter::queryable> sortables_of(const catalog::layer& l) {
    std::vector<filter::queryable> out;
    for (auto& q : filter::queryables_of(l))
        if (q.source == filter::source::field || q.source == filter::source::indicator) out.push_back(std::move(q));
    return out;
}

std::vector<sort_key> parse_sortby(const std::string& text, const catalog::layer& l) {
    const auto sortables = sortables_of(l);
    std::vector<sort_key> keys;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string name = text.substr(start, comma - start);
        start = comma + 1;
        sort_key key;
        // A "+" in a query string arrives as a space unless the client encoded it as %2B.
        if (!name.empty() && (name[0] == '+' || name[0] == ' ' || name[0] == '-')) {
            key.descending = name[0] == '-';
            name.erase(0, 1);
        }
        if (name.empty()) throw bad_request{"sortby", "sortby holds an empty key; write +name or -name, separated by commas"};
        const auto q = std::find_if(sortables.begin(), sortables.end(), [&](const auto& s) { return s.name == name; });
        if (q == sortables.end())
            throw bad_request{"sortby", "collection " + l.id + " cannot sort by \"" + name + "\"; see /collections/" + l.id + "/sortables"};
        key.property = *q;
        keys.push_back(std::move(key));
    }
    return keys;
}

void sort_features(std::vector<std::uint32_t>& features, const catalog::layer& l, const std::vector<sort_key>& keys,
                   std::optional<int> year) {
    const std::size_t k = keys.size();
    std::vector<cell> cells(features.size() * k);
    for (std::size_t i = 0; i < features.size(); ++i)
        for (std::size_t j = 0; j < k; ++j) cells[i * k + j] = read(l, l.features[features[i]], keys[j].property, year);
    std::vector<std::size_t> rank(features.size());
    std::iota(rank.begin(), rank.end(), 0);
    std::sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) {
        for (std::size_t j = 0; j < k; ++j) {
            int o = order(cells[a * k + j], cells[b * k + j]);
            if (o != 0) return keys[j].descending && !cells[a * k + j].null && !cells[b * k + j].null ? o > 0 : o < 0;
        }
        return id_before(l.features[features[a]], l.features[features[b]]);
    });
    std::vector<std::uint32_t> sorted(features.size());
    for (std::size_t i = 0; i < rank.size(); ++i) sorted[i] = features[rank[i]];
    features = std::move(sorted);
}

} // namespace kvarter::features

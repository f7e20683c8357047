#pragma once
// Evaluation of a bound filter on features, with the three-valued logic of CQL2: a comparison
// with a null (a missing property or indicator value) is unknown, NOT unknown is unknown,
// AND is false if any side is false, OR is true if any side is true; a feature is selected only
// when the filter is true. Geometry literals are prepared once per evaluator (one per request
// and thread), so a filter costs one GEOS test per candidate feature.

#include "catalog/catalog.hpp"
#include "filter/bind.hpp"

#include <memory>
#include <optional>
#include <unordered_map>

namespace kvarter::geometry {
class prepared_literal;
}

namespace kvarter::filter {

enum class truth : std::uint8_t { no, yes, unknown };

class evaluator {
public:
    // `year` picks the indicator values and the year the highlight flags are computed for.
    evaluator(const bound_filter& f, const catalog::catalog& cat, const catalog::layer& l, std::optional<int> year);
    ~evaluator();
    evaluator(const evaluator&) = delete;
    evaluator& operator=(const evaluator&) = delete;

    truth evaluate(const catalog::feature& f) const;
    bool matches(const catalog::feature& f) const { return evaluate(f) == truth::yes; }

private:
    struct context;
    struct cell;
    truth test(const node& n, const context& c) const;
    truth junction(const node& n, const context& c, truth decisive) const;
    cell value_of(const node& n, const context& c) const;
    truth compare(const node& n, const context& c) const;
    truth spatial(const node& n, const context& c) const;
    void fold_literal_pairs(const node& n);

    const bound_filter& m_filter;
    const catalog::catalog& m_catalog;
    const catalog::layer& m_layer;
    std::optional<int> m_year;
    int m_flag_year;
    std::unordered_map<const node*, std::unique_ptr<geometry::prepared_literal>> m_prepared;
    std::unordered_map<const node*, truth> m_constant; // spatial tests between two literals
};

// LIKE with % (any run of characters) and _ (one character, a UTF-8 sequence counts as one);
// a backslash takes the next character literally.
bool like(std::string_view text, std::string_view pattern);

} // namespace kvarter::filter

#include "filter/evaluate.hpp"

#include "catalog/highlights.hpp"
#include "geometry/box_predicate.hpp"
#include "geometry/relate.hpp"

#include <cmath>
#include <string_view>

namespace kvarter::filter {

namespace {

void collect_literals(const node& n, std::unordered_map<const node*, std::unique_ptr<geometry::prepared_literal>>& out) {
    if (n.op == op::geometry) out.emplace(&n, std::make_unique<geometry::prepared_literal>(n.shape));
    for (const auto& a : n.args) collect_literals(a, out);
}

truth from_bool(bool b) { return b ? truth::yes : truth::no; }

// A geometry and itself: they meet, each holds the other, they are equal; they neither touch
// (their interiors meet), nor overlap or cross (neither has anything the other lacks).
bool relates_to_itself(geometry::relation r) {
    return r == geometry::relation::intersects || r == geometry::relation::within || r == geometry::relation::contains ||
           r == geometry::relation::equals;
}

// The relation "feature R literal" a spatial operator asks, given which side the property is on.
geometry::relation relation_of(op o, bool property_first) {
    switch (o) {
    case op::s_within: return property_first ? geometry::relation::within : geometry::relation::contains;
    case op::s_contains: return property_first ? geometry::relation::contains : geometry::relation::within;
    case op::s_disjoint: return geometry::relation::disjoint;
    case op::s_equals: return geometry::relation::equals;
    case op::s_touches: return geometry::relation::touches;
    case op::s_overlaps: return geometry::relation::overlaps;
    case op::s_crosses: return geometry::relation::crosses;
    default: return geometry::relation::intersects;
    }
}

std::size_t utf8_length(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

} // namespace

bool like(std::string_view text, std::string_view pattern) {
    // Greedy matching with one backtrack point, the last %: linear in practice, never exponential.
    std::size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '%') {
            star_p = p++;
            star_t = t;
            continue;
        }
        if (p < pattern.size()) {
            if (pattern[p] == '_') {
                t += std::min(utf8_length(static_cast<unsigned char>(text[t])), text.size() - t);
                ++p;
                continue;
            }
            const std::size_t at = pattern[p] == '\\' && p + 1 < pattern.size() ? p + 1 : p;
            if (pattern[at] == text[t]) {
                p = at + 1;
                ++t;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p + 1;
        star_t += utf8_length(static_cast<unsigned char>(text[star_t]));
        t = std::min(star_t, text.size());
    }
    while (p < pattern.size() && pattern[p] == '%') ++p;
    return p == pattern.size();
}

struct evaluator::context {
    const catalog::feature& feature;
    const std::vector<std::optional<double>>* indicators; // the year's row, or null
    std::vector<value> flags;
};

struct evaluator::cell {
    enum class kind : std::uint8_t { null, boolean, number, string } k = kind::null;
    bool b = false;
    double n = 0;
    std::string_view s;
};

evaluator::evaluator(const bound_filter& f, const catalog::catalog& cat, const catalog::layer& l, std::optional<int> year)
    : m_filter{f}, m_catalog{cat}, m_layer{l}, m_year{year}, m_flag_year{year ? *year : catalog::default_year(cat)} {
    collect_literals(f.root, m_prepared);
    fold_literal_pairs(f.root);
}

// Two literals relate the same way for every feature: test them once.
void evaluator::fold_literal_pairs(const node& n) {
    if (is_spatial(n.op) && n.args[0].op == op::geometry && n.args[1].op == op::geometry)
        m_constant.emplace(&n, from_bool(m_prepared.at(&n.args[1])->test(relation_of(n.op, true), n.args[0].shape)));
    for (const auto& a : n.args) fold_literal_pairs(a);
}

evaluator::~evaluator() = default;

truth evaluator::evaluate(const catalog::feature& f) const {
    const std::vector<std::optional<double>>* row = nullptr;
    if (m_year) {
        const auto it = f.indicators.find(*m_year);
        if (it != f.indicators.end()) row = &it->second;
    }
    context c{f, row, {}};
    if (m_filter.uses_flags) c.flags = catalog::highlight_values(m_catalog, m_layer, f, m_flag_year);
    return test(m_filter.root, c);
}

truth evaluator::test(const node& n, const context& c) const {
    switch (n.op) {
    case op::and_: return junction(n, c, truth::no);
    case op::or_: return junction(n, c, truth::yes);
    case op::not_: {
        const truth t = test(n.args[0], c);
        return t == truth::unknown ? t : from_bool(t == truth::no);
    }
    case op::is_null:
        if (n.args[0].op == op::property && n.args[0].source == source::geometry) return from_bool(!c.feature.has_geometry);
        return from_bool(value_of(n.args[0], c).k == cell::kind::null);
    case op::boolean:
    case op::property: {
        const cell v = value_of(n, c);
        return v.k == cell::kind::null ? truth::unknown : from_bool(v.b);
    }
    default: break;
    }
    if (is_spatial(n.op)) return spatial(n, c);
    return compare(n, c);
}

// AND ends at the first false, OR at the first true; short of that, an unknown leaves it unknown.
truth evaluator::junction(const node& n, const context& c, truth decisive) const {
    truth out = decisive == truth::no ? truth::yes : truth::no;
    for (const auto& a : n.args) {
        const truth t = test(a, c);
        if (t == decisive) return t;
        if (t == truth::unknown) out = truth::unknown;
    }
    return out;
}

evaluator::cell evaluator::value_of(const node& n, const context& c) const {
    cell out;
    auto from_value = [&](const value& v) {
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, bool>) out.k = cell::kind::boolean, out.b = x;
                else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, double>)
                    out.k = cell::kind::number, out.n = static_cast<double>(x);
                else if constexpr (std::is_same_v<T, std::string>) out.k = cell::kind::string, out.s = x;
            },
            v);
    };
    switch (n.op) {
    case op::string: out.k = cell::kind::string, out.s = n.text; return out;
    case op::number: out.k = cell::kind::number, out.n = n.number; return out;
    case op::boolean: out.k = cell::kind::boolean, out.b = n.boolean; return out;
    case op::property:
        switch (n.source) {
        case source::field: from_value(c.feature.properties[n.index]); break;
        case source::flag: from_value(c.flags[n.index]); break;
        case source::indicator:
            if (c.indicators && n.index < c.indicators->size() && (*c.indicators)[n.index])
                out.k = cell::kind::number, out.n = *(*c.indicators)[n.index];
            break;
        default: break;
        }
        return out;
    default: break;
    }
    // Arithmetic: null in, null out; a division by zero has no value either.
    const cell a = value_of(n.args[0], c), b = value_of(n.args[1], c);
    if (a.k != cell::kind::number || b.k != cell::kind::number) return out;
    double r = 0;
    switch (n.op) {
    case op::add: r = a.n + b.n; break;
    case op::sub: r = a.n - b.n; break;
    case op::mul: r = a.n * b.n; break;
    case op::div: r = a.n / b.n; break;
    default: return out;
    }
    if (!std::isfinite(r)) return out;
    out.k = cell::kind::number;
    out.n = r;
    return out;
}

namespace {

// -1, 0, 1; both cells are of one kind (bind checked it) and neither is null.
template <class Cell>
int order(const Cell& a, const Cell& b) {
    using kind = typename Cell::kind;
    if (a.k == kind::number) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
    if (a.k == kind::string) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    return a.b == b.b ? 0 : a.b ? 1 : -1;
}

} // namespace

truth evaluator::compare(const node& n, const context& c) const {
    const cell left = value_of(n.args[0], c);
    if (left.k == cell::kind::null) return truth::unknown;
    if (n.op == op::in) {
        bool unknown = false;
        for (const auto& item : n.args[1].args) {
            const cell v = value_of(item, c);
            if (v.k == cell::kind::null) unknown = true;
            else if (order(left, v) == 0) return truth::yes;
        }
        return unknown ? truth::unknown : truth::no;
    }
    const cell right = value_of(n.args[1], c);
    if (right.k == cell::kind::null) return truth::unknown;
    switch (n.op) {
    case op::like: return from_bool(like(left.s, right.s));
    case op::between: {
        const cell high = value_of(n.args[2], c);
        if (high.k == cell::kind::null) return truth::unknown;
        return from_bool(order(left, right) >= 0 && order(left, high) <= 0);
    }
    case op::eq: return from_bool(order(left, right) == 0);
    case op::ne: return from_bool(order(left, right) != 0);
    case op::lt: return from_bool(order(left, right) < 0);
    case op::le: return from_bool(order(left, right) <= 0);
    case op::gt: return from_bool(order(left, right) > 0);
    case op::ge: return from_bool(order(left, right) >= 0);
    default: return truth::unknown;
    }
}

truth evaluator::spatial(const node& n, const context& c) const {
    const bool property_first = n.args[0].op == op::property;
    const bool property_second = n.args[1].op == op::property;
    if (!property_first && !property_second) return m_constant.at(&n);
    const node& literal = n.args[property_first ? 1 : 0];
    const auto& f = c.feature;
    if (!f.has_geometry) return truth::unknown;
    const geometry::relation r = relation_of(n.op, property_first);
    if (property_first && property_second) return from_bool(relates_to_itself(r));
    // Bounds that do not meet decide every relation at once.
    if (!f.lonlat_bounds.intersects(literal.shape.bounds())) return from_bool(r == geometry::relation::disjoint);
    if (literal.bbox && (r == geometry::relation::intersects || r == geometry::relation::disjoint)) {
        const bool meets = geometry::intersects(f.lonlat, literal.shape.bounds());
        return from_bool(r == geometry::relation::intersects ? meets : !meets);
    }
    const auto& prepared = m_prepared.at(&literal);
    return from_bool(prepared->test(r, f.lonlat));
}

} // namespace kvarter::filter

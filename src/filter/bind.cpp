#include "filter/bind.hpp"

#include "core/error.hpp"
#include "filter/queryables.hpp"
#include "geometry/crs_transform.hpp"
#include "geometry/ogc_crs.hpp"
#include "geometry/relate.hpp"

#include <algorithm>

namespace kvarter::filter {

literal_crs::literal_crs() = default;

literal_crs literal_crs::parse(const std::string& uri) {
    // The CRSs the API offers for crs= and bbox-crs= (geometry/ogc_crs.hpp), so one list answers all three.
    const geometry::ogc_crs* crs = geometry::find_ogc_crs(uri);
    if (!crs) {
        std::string offered;
        for (const auto& c : geometry::ogc_crses()) offered += (offered.empty() ? "" : ", ") + c.uri;
        throw bad_request{"filter-crs", "filter-crs must be one of " + offered + ", got \"" + uri + "\""};
    }
    literal_crs out;
    out.m_swap = crs->latitude_first;
    if (crs->uri != geometry::crs84().uri && !crs->latitude_first)
        out.m_transform = std::make_shared<const geometry::crs_transform>(geometry::make_srs(crs->definition),
                                                                          geometry::make_srs("OGC:CRS84"));
    return out;
}

geometry::geometry literal_crs::to_lonlat(const geometry::geometry& g) const {
    if (m_swap) return geometry::map_positions(g, [](geometry::xy p) { return geometry::xy{p.y, p.x}; });
    if (!m_transform) return g;
    geometry::geometry out = g;
    try {
        m_transform->apply(out);
    } catch (const error& e) {
        throw bad_request{"filter-crs", std::string{"filter: a geometry could not be moved from filter-crs to lon/lat: "} + e.what()};
    }
    return out;
}

namespace {

std::string where(const node& n) {
    std::string expr = to_string(n);
    if (expr.size() > 60) expr = expr.substr(0, 57) + "...";
    return "filter: at character " + std::to_string(n.position) + " (" + expr + "): ";
}

[[noreturn]] void fail(const node& n, const std::string& why) { throw bad_request{"filter", where(n) + why}; }

struct binder {
    const catalog::layer& layer;
    const literal_crs& crs;
    bool uses_flags = false;

    // The kind of value n gives; checks its arguments on the way.
    value_kind check(node& n) {
        switch (n.op) {
        case op::property: return property(n);
        case op::string: return value_kind::string;
        case op::number: return value_kind::number;
        case op::boolean: return value_kind::boolean;
        case op::geometry: return literal(n);
        case op::list: fail(n, "a list of values belongs only after IN");
        default: break;
        }
        if (is_logical(n.op)) {
            for (auto& a : n.args) want(a, value_kind::boolean, json_name(n.op));
            return value_kind::boolean;
        }
        if (is_arithmetic(n.op)) {
            for (auto& a : n.args) want(a, value_kind::number, std::string{"arithmetic ("} + json_name(n.op) + ")");
            return value_kind::number;
        }
        if (is_spatial(n.op)) return spatial(n);
        return comparison(n);
    }

    void want(node& n, value_kind k, const std::string& context) {
        const value_kind got = check(n);
        if (got != k) fail(n, context + " needs a " + kind_name(k) + ", this is a " + kind_name(got));
    }

    value_kind property(node& n) {
        const auto q = find_queryable(layer, n.text);
        if (!q) fail(n, "collection " + layer.id + " has no queryable \"" + n.text + "\" (see /collections/" + layer.id + "/queryables)");
        n.source = q->source;
        n.index = q->index;
        uses_flags |= q->source == source::flag;
        return q->kind;
    }

    value_kind literal(node& n) {
        n.shape = crs.to_lonlat(n.shape);
        n.bbox = n.bbox && crs.keeps_boxes();
        const std::string reason = geometry::invalid_reason(n.shape);
        if (!reason.empty()) fail(n, "the geometry is not valid (" + reason + ")");
        return value_kind::geometry;
    }

    value_kind spatial(node& n) {
        for (auto& a : n.args) want(a, value_kind::geometry, json_name(n.op));
        return value_kind::boolean;
    }

    value_kind comparison(node& n) {
        const std::string name = json_name(n.op);
        if (n.op == op::is_null) {
            check(n.args[0]);
            return value_kind::boolean;
        }
        const value_kind left = check(n.args[0]);
        if (left == value_kind::geometry) fail(n.args[0], name + " compares values, not geometries (use the S_ functions)");
        auto same = [&](node& other) {
            const value_kind k = check(other);
            if (k != left)
                fail(n, name + " compares a " + kind_name(left) + " with a " + kind_name(k) + ": both sides must be of one type");
        };
        switch (n.op) {
        case op::like:
            if (left != value_kind::string) fail(n.args[0], "LIKE matches strings, this is a " + std::string{kind_name(left)});
            same(n.args[1]);
            break;
        case op::between:
            if (left != value_kind::number) fail(n.args[0], "BETWEEN compares numbers, this is a " + std::string{kind_name(left)});
            same(n.args[1]);
            same(n.args[2]);
            break;
        case op::in:
            for (auto& item : n.args[1].args) same(item);
            break;
        case op::lt: case op::le: case op::gt: case op::ge:
            if (left == value_kind::boolean) fail(n, name + " orders numbers or strings, not booleans");
            same(n.args[1]);
            break;
        default: same(n.args[1]); break;
        }
        return value_kind::boolean;
    }
};

std::optional<geometry::box> intersect(std::optional<geometry::box> a, const std::optional<geometry::box>& b) {
    if (!a) return b;
    if (!b) return a;
    a->min_x = std::max(a->min_x, b->min_x);
    a->min_y = std::max(a->min_y, b->min_y);
    a->max_x = std::min(a->max_x, b->max_x);
    a->max_y = std::min(a->max_y, b->max_y);
    return a; // may be empty: nothing can match
}

// A box every match's bounds must meet, when the filter implies one: a spatial predicate other
// than S_DISJOINT on a literal, alone, in an AND, or in every branch of an OR.
std::optional<geometry::box> required_bounds(const node& n) {
    if (is_spatial(n.op) && n.op != op::s_disjoint) {
        // Only the geometry against a literal narrows; two literals or the geometry twice do not.
        const node& a = n.args[0];
        const node& b = n.args[1];
        if ((a.op == op::property) == (b.op == op::property)) return std::nullopt;
        return (a.op == op::geometry ? a : b).shape.bounds();
    }
    if (n.op == op::and_) {
        std::optional<geometry::box> out;
        for (const auto& a : n.args) out = intersect(out, required_bounds(a));
        return out;
    }
    if (n.op == op::or_) {
        geometry::box out;
        for (const auto& a : n.args) {
            const auto b = required_bounds(a);
            if (!b) return std::nullopt;
            out.expand(*b);
        }
        return out;
    }
    return std::nullopt;
}

} // namespace

bound_filter bind(node root, const catalog::layer& l, const literal_crs& crs) {
    binder b{l, crs};
    const value_kind k = b.check(root);
    if (k != value_kind::boolean)
        fail(root, std::string{"a filter must be true or false for each feature, this is a "} + kind_name(k));
    bound_filter out;
    out.bounds = required_bounds(root);
    out.uses_flags = b.uses_flags;
    out.root = std::move(root);
    return out;
}

} // namespace kvarter::filter

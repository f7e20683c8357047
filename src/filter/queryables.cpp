#include "filter/queryables.hpp"

#include "catalog/highlights.hpp"

namespace kvarter::filter {

namespace {

value_kind kind_of(value_type t) {
    switch (t) {
    case value_type::boolean: return value_kind::boolean;
    case value_type::integer:
    case value_type::real: return value_kind::number;
    case value_type::string: return value_kind::string;
    }
    return value_kind::string;
}

bool listed(const std::vector<queryable>& list, const std::string& name) {
    for (const auto& q : list)
        if (q.name == name) return true;
    return false;
}

} // namespace

std::vector<queryable> queryables_of(const catalog::layer& l) {
    std::vector<queryable> out;
    for (std::size_t i = 0; i < l.fields.size(); ++i) out.push_back({l.fields[i].name, kind_of(l.fields[i].type), source::field, i});
    // An indicator named like a field is shadowed by it, as items write the field.
    for (std::size_t i = 0; i < l.indicators.size(); ++i)
        if (!listed(out, l.indicators[i].id)) out.push_back({l.indicators[i].id, value_kind::number, source::indicator, i});
    const auto flags = catalog::highlight_flags(l);
    for (std::size_t i = 0; i < flags.size(); ++i)
        if (!listed(out, flags[i].name)) out.push_back({flags[i].name, kind_of(flags[i].type), source::flag, i});
    if (!listed(out, geometry_queryable)) out.push_back({geometry_queryable, value_kind::geometry, source::geometry, 0});
    return out;
}

std::optional<queryable> find_queryable(const catalog::layer& l, const std::string& name) {
    for (auto& q : queryables_of(l))
        if (q.name == name) return q;
    return std::nullopt;
}

const char* kind_name(value_kind k) noexcept {
    switch (k) {
    case value_kind::boolean: return "boolean";
    case value_kind::number: return "number";
    case value_kind::string: return "string";
    case value_kind::geometry: return "geometry";
    }
    return "?";
}

} // namespace kvarter::filter

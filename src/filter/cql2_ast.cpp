#include "filter/cql2_ast.hpp"

#include <cstdio>

namespace kvarter::filter {

bool is_logical(op o) noexcept { return o == op::and_ || o == op::or_ || o == op::not_; }
bool is_comparison(op o) noexcept { return o >= op::eq && o <= op::is_null; }
bool is_arithmetic(op o) noexcept { return o >= op::add && o <= op::div; }
bool is_spatial(op o) noexcept { return o >= op::s_intersects && o <= op::s_crosses; }

const char* json_name(op o) noexcept {
    switch (o) {
    case op::and_: return "and";
    case op::or_: return "or";
    case op::not_: return "not";
    case op::eq: return "=";
    case op::ne: return "<>";
    case op::lt: return "<";
    case op::le: return "<=";
    case op::gt: return ">";
    case op::ge: return ">=";
    case op::like: return "like";
    case op::between: return "between";
    case op::in: return "in";
    case op::is_null: return "isNull";
    case op::add: return "+";
    case op::sub: return "-";
    case op::mul: return "*";
    case op::div: return "/";
    case op::s_intersects: return "s_intersects";
    case op::s_within: return "s_within";
    case op::s_contains: return "s_contains";
    case op::s_disjoint: return "s_disjoint";
    case op::s_equals: return "s_equals";
    case op::s_touches: return "s_touches";
    case op::s_overlaps: return "s_overlaps";
    case op::s_crosses: return "s_crosses";
    case op::property: return "property";
    case op::string: return "string";
    case op::number: return "number";
    case op::boolean: return "boolean";
    case op::geometry: return "geometry";
    case op::list: return "list";
    }
    return "?";
}

namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string geometry_text(const node& n) {
    const char* kinds[] = {"point", "line", "polygon"};
    std::string out = n.bbox ? "bbox" : std::string{n.shape.multi ? "multi" : ""} + kinds[static_cast<int>(n.shape.type)];
    out += "(";
    for (const auto& part : n.shape.parts) {
        out += "(";
        for (const auto& p : part) {
            out += "(";
            for (const auto& c : p) out += number_text(c.x) + " " + number_text(c.y) + ",";
            out += ")";
        }
        out += ")";
    }
    return out + ")";
}

} // namespace

std::string to_string(const node& n) {
    switch (n.op) {
    case op::property: return "{" + n.text + "}";
    case op::string: return "'" + n.text + "'";
    case op::number: return number_text(n.number);
    case op::boolean: return n.boolean ? "true" : "false";
    case op::geometry: return geometry_text(n);
    default: break;
    }
    std::string out = std::string{json_name(n.op)} + "(";
    for (std::size_t i = 0; i < n.args.size(); ++i) out += (i ? " " : "") + to_string(n.args[i]);
    return out + ")";
}

namespace {

void collect_names(const node& n, std::vector<std::string>& out) {
    if (n.op == op::property) out.push_back(n.text);
    for (const auto& a : n.args) collect_names(a, out);
}

} // namespace

std::vector<std::string> property_names(const node& n) {
    std::vector<std::string> out;
    collect_names(n, out);
    return out;
}

} // namespace kvarter::filter

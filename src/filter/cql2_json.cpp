// cql2-json (OGC 21-065r2, Annex C): nlohmann reads the JSON, this turns it into the same tree
// cql2-text makes. A message names the member at fault by its JSON pointer ("/args/1").

#include "filter/cql2_parse.hpp"

#include "core/error.hpp"
#include "geometry/relate.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>

namespace kvarter::filter {

namespace {

using json = nlohmann::json;

struct op_arity {
    const char* name;
    filter::op op;
    std::size_t min_args, max_args;
};

const std::array<op_arity, 25> operators{{
    {"and", op::and_, 2, SIZE_MAX}, {"or", op::or_, 2, SIZE_MAX}, {"not", op::not_, 1, 1},
    {"=", op::eq, 2, 2}, {"<>", op::ne, 2, 2}, {"<", op::lt, 2, 2}, {"<=", op::le, 2, 2},
    {">", op::gt, 2, 2}, {">=", op::ge, 2, 2}, {"like", op::like, 2, 2}, {"between", op::between, 3, 3},
    {"in", op::in, 2, 2}, {"isNull", op::is_null, 1, 1}, {"+", op::add, 2, 2}, {"-", op::sub, 2, 2},
    {"*", op::mul, 2, 2}, {"/", op::div, 2, 2}, {"s_intersects", op::s_intersects, 2, 2},
    {"s_within", op::s_within, 2, 2}, {"s_contains", op::s_contains, 2, 2}, {"s_disjoint", op::s_disjoint, 2, 2},
    {"s_equals", op::s_equals, 2, 2}, {"s_touches", op::s_touches, 2, 2}, {"s_overlaps", op::s_overlaps, 2, 2},
    {"s_crosses", op::s_crosses, 2, 2},
}};

[[noreturn]] void fail(const std::string& where, const std::string& expected) {
    throw bad_request{"filter", "filter: at " + (where.empty() ? std::string{"the top"} : where) + ": expected " + expected};
}

node leaf(op o) {
    node n;
    n.op = o;
    return n;
}

// Positions keep x and y: heights are dropped, as from WKT's Z (GEOS's GeoJSON reader takes 2D only).
void drop_heights(json& coordinates) {
    if (!coordinates.is_array()) return;
    if (!coordinates.empty() && coordinates[0].is_number()) {
        if (coordinates.size() > 2) coordinates.erase(coordinates.begin() + 2, coordinates.end());
        return;
    }
    for (auto& c : coordinates) drop_heights(c);
}

class json_converter {
public:
    node convert(const json& j, const std::string& where, int depth) {
        if (depth > max_depth) fail(where, "at most " + std::to_string(max_depth) + " levels of nesting");
        switch (j.type()) {
        case json::value_t::string: {
            node n = leaf(op::string);
            n.text = j.get<std::string>();
            return n;
        }
        case json::value_t::boolean: {
            node n = leaf(op::boolean);
            n.boolean = j.get<bool>();
            return n;
        }
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float: {
            node n = leaf(op::number);
            n.number = j.get<double>();
            if (!std::isfinite(n.number)) fail(where, "a finite number");
            return n;
        }
        case json::value_t::object: return object(j, where, depth);
        case json::value_t::array: fail(where, "an expression; a list of values belongs only after \"in\"");
        default: fail(where, "an expression (an object with \"op\" or \"property\", a literal, a geometry or a bbox)");
        }
    }

private:
    node object(const json& j, const std::string& where, int depth) {
        if (j.contains("op")) return operation(j, where, depth);
        if (j.contains("property")) {
            if (!j["property"].is_string() || j.size() != 1) fail(where, "{\"property\": \"name\"} and nothing else");
            node n = leaf(op::property);
            n.text = j["property"].get<std::string>();
            return n;
        }
        if (j.contains("bbox")) return bbox(j["bbox"], where + "/bbox");
        if (j.contains("type") && (j.contains("coordinates") || j.contains("geometries"))) {
            node n = leaf(op::geometry);
            json flat = j;
            if (flat.contains("coordinates")) drop_heights(flat["coordinates"]);
            try {
                n.shape = geometry::read_geojson(flat.dump());
            } catch (const error& e) {
                fail(where, "a GeoJSON geometry kvarter reads (" + std::string{e.what()} + ")");
            }
            return n;
        }
        for (const char* temporal : {"date", "timestamp", "interval"})
            if (j.contains(temporal))
                fail(where, "a property, a number, a string, a boolean or a geometry: temporal literals (\"" +
                                std::string{temporal} + "\") are not supported");
        fail(where, "an object with \"op\", \"property\", \"bbox\" or a GeoJSON \"type\"");
    }

    node bbox(const json& j, const std::string& where) {
        if (!j.is_array() || (j.size() != 4 && j.size() != 6)) fail(where, "an array of 4 numbers (or 6 with heights)");
        std::vector<double> n;
        for (const auto& v : j) {
            if (!v.is_number()) fail(where, "only numbers in the bbox");
            n.push_back(v.get<double>());
        }
        return bbox_node(n, 0);
    }

    node operation(const json& j, const std::string& where, int depth) {
        const json& name = j["op"];
        if (!name.is_string()) fail(where + "/op", "an operator name");
        const json* args = j.contains("args") ? &j["args"] : nullptr;
        if (!args || !args->is_array()) fail(where + "/args", "an array of arguments");
        const std::string o = name.get<std::string>();
        for (const auto& [spelled, kind, low, high] : operators) {
            if (o != spelled) continue;
            if (args->size() < low || args->size() > high)
                fail(where + "/args", std::to_string(low) + (high == low ? "" : high == SIZE_MAX ? " or more" : " to " + std::to_string(high)) +
                                          " arguments for \"" + o + "\", got " + std::to_string(args->size()));
            node n = leaf(kind);
            for (std::size_t i = 0; i < args->size(); ++i) {
                const std::string at = where + "/args/" + std::to_string(i);
                if (kind == op::in && i == 1) n.args.push_back(list((*args)[i], at, depth));
                else n.args.push_back(convert((*args)[i], at, depth + 1));
            }
            return n;
        }
        fail(where + "/op", "an operator kvarter evaluates (and, or, not, =, <>, <, <=, >, >=, like, between, in, isNull, "
                            "+, -, *, /, s_intersects, s_within, s_contains, s_disjoint, s_equals, s_touches, s_overlaps, "
                            "s_crosses), got \"" + o + "\"");
    }

    node list(const json& j, const std::string& where, int depth) {
        if (!j.is_array()) fail(where, "an array of values after \"in\"");
        if (j.empty()) fail(where, "at least one value after \"in\"");
        node n = leaf(op::list);
        for (std::size_t i = 0; i < j.size(); ++i) n.args.push_back(convert(j[i], where + "/" + std::to_string(i), depth + 1));
        return n;
    }
};

} // namespace

node parse_json(std::string_view text) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        throw bad_request{"filter", "filter: at character " + std::to_string(e.byte > 0 ? e.byte - 1 : 0) +
                                        ": expected valid JSON (" + e.what() + ")"};
    }
    return json_converter{}.convert(j, "", 0);
}

} // namespace kvarter::filter

#include "catalog/rule_set.hpp"

#include "core/error.hpp"
#include "core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace kvarter::catalog {

using json = nlohmann::ordered_json;

const char* to_string(comparison c) noexcept {
    switch (c) {
    case comparison::greater: return ">";
    case comparison::greater_equal: return ">=";
    case comparison::less: return "<";
    case comparison::less_equal: return "<=";
    }
    return ">";
}

bool holds(comparison c, double value, double threshold) noexcept {
    switch (c) {
    case comparison::greater: return value > threshold;
    case comparison::greater_equal: return value >= threshold;
    case comparison::less: return value < threshold;
    case comparison::less_equal: return value <= threshold;
    }
    return false;
}

const rule_criterion* rule_set::find_criterion(const std::string& id) const {
    for (const auto& c : criteria)
        if (c.id == id) return &c;
    return nullptr;
}

const rule_reference* rule_set::find_reference(const std::string& id) const {
    for (const auto& r : references)
        if (r.id == id) return &r;
    return nullptr;
}

namespace {

// Rule files are read with the config's strict reader; their ids, names and texts may not be empty.
comparison parse_op(json_reader& r) {
    const std::string op = r.non_empty_string("op", true);
    for (auto c : {comparison::greater, comparison::greater_equal, comparison::less, comparison::less_equal})
        if (op == to_string(c)) return c;
    r.fail(r.key("op"), "unknown comparison \"" + op + "\"; expected >, >=, < or <=");
}

rule_reference parse_reference(const std::string& id, const json& j, const std::string& path, const std::string& file) {
    json_reader r{j, path, file};
    rule_reference ref;
    ref.id = id;
    // "value": null says the figure is not known (the data has no such number): criteria relative
    // to it are not evaluable, rather than guessed.
    const json* given = r.find("value");
    ref.unknown = given && given->is_null();
    if (!ref.unknown) ref.value = r.number("value");
    if (const json* years = r.find("by_year")) {
        if (!years->is_object()) r.fail(r.key("by_year"), "expected an object of \"year\": number");
        for (const auto& [year, v] : years->items()) {
            int y = 0;
            try {
                std::size_t used = 0;
                y = std::stoi(year, &used);
                if (used != year.size()) throw std::invalid_argument{year};
            } catch (const std::exception&) {
                r.fail(r.key("by_year") + "." + year, "expected a year as the key");
            }
            if (!v.is_number()) r.fail(r.key("by_year") + "." + year, "expected a number, got " + v.dump());
            ref.by_year[y] = v.get<double>();
        }
    }
    ref.mean_of = r.non_empty_string("mean_of", false);
    ref.indicator = r.non_empty_string("indicator", false);
    ref.weight = r.non_empty_string("weight", false);
    ref.note = r.non_empty_string("note", false);
    const bool fixed = ref.value || !ref.by_year.empty();
    if (ref.unknown && (!ref.by_year.empty() || !ref.mean_of.empty()))
        r.fail(r.key("value"), "null (unknown) goes with neither by_year nor mean_of");
    if (ref.unknown && ref.note.empty()) r.fail(r.key("note"), "missing; say why the value is unknown");
    if (!ref.unknown && fixed == !ref.mean_of.empty())
        r.fail(path, "expected either a fixed \"value\"/\"by_year\" or \"mean_of\" a layer with its \"indicator\"");
    if (!ref.mean_of.empty() && ref.indicator.empty()) r.fail(r.key("indicator"), "missing; \"mean_of\" needs the indicator to average");
    if (ref.mean_of.empty() && (!ref.indicator.empty() || !ref.weight.empty()))
        r.fail(r.key(ref.indicator.empty() ? "weight" : "indicator"), "only meaningful with \"mean_of\"");
    r.finish();
    return ref;
}

rule_criterion parse_criterion(const json& j, const std::string& path, const std::string& file) {
    json_reader r{j, path, file};
    rule_criterion c;
    c.id = r.non_empty_string("id", true);
    c.indicator = r.non_empty_string("indicator", true);
    c.op = parse_op(r);
    const auto value = r.number("value");
    if (!value) r.fail(r.key("value"), "missing; expected the threshold (a factor when value_relative_to is given)");
    c.value = *value;
    c.relative_to = r.non_empty_string("value_relative_to", false);
    if (const json* counts = r.find("counts")) {
        if (!counts->is_boolean()) r.fail(r.key("counts"), "expected true or false, got " + counts->dump());
        c.counts = counts->get<bool>();
    }
    c.label_da = r.non_empty_string("label_da", false);
    c.law = r.non_empty_string("law", false);
    r.non_empty_string("note", false);
    r.finish();
    return c;
}

// Criteria and the categories before this one are what a condition may name.
rule_condition parse_condition(const json& j, const std::string& path, const std::string& file, const rule_set& rules) {
    rule_condition c;
    if (j.is_string()) {
        if (j.get<std::string>() != "listed")
            throw config_error{file, path, "unknown condition " + j.dump() + "; expected \"listed\" or an object"};
        c.type = rule_condition::kind::listed;
        return c;
    }
    json_reader r{j, path, file};
    auto parts = [&](const std::string& name) {
        const json& list = r.array(name, true);
        if (list.empty()) r.fail(r.key(name), "expected at least one condition");
        for (std::size_t i = 0; i < list.size(); ++i)
            c.parts.push_back(parse_condition(list[i], r.key(name) + "[" + std::to_string(i) + "]", file, rules));
    };
    if (j.contains("criterion")) {
        c.type = rule_condition::kind::criterion;
        c.name = r.non_empty_string("criterion", true);
        if (!rules.find_criterion(c.name)) r.fail(r.key("criterion"), "no criterion \"" + c.name + "\" in criteria");
    } else if (j.contains("category")) {
        c.type = rule_condition::kind::category;
        c.name = r.non_empty_string("category", true);
        const bool earlier = std::any_of(rules.categories.begin(), rules.categories.end(),
                                         [&](const rule_category& k) { return k.id == c.name; });
        if (!earlier) r.fail(r.key("category"), "no category \"" + c.name + "\" before this one (categories go from mildest to most severe)");
        if (const auto years = r.number("years")) {
            if (*years < 1 || std::floor(*years) != *years) r.fail(r.key("years"), "expected a whole number of years >= 1");
            c.years = static_cast<int>(*years);
        }
    } else if (j.contains("all")) {
        c.type = rule_condition::kind::all;
        parts("all");
    } else if (j.contains("any")) {
        c.type = rule_condition::kind::any;
        parts("any");
    } else if (j.contains("not")) {
        c.type = rule_condition::kind::negation;
        c.parts.push_back(parse_condition(*r.find("not"), r.key("not"), file, rules));
    } else {
        r.fail(path, "expected \"listed\" or an object with one of criterion, category, all, any, not");
    }
    r.finish();
    return c;
}

} // namespace

rule_set parse_rule_set(const std::string& text, const std::string& file) {
    const json j = json_reader::parse(text, file);
    json_reader r{j, "", file};
    rule_set rules;
    rules.file = file;
    rules.name = r.non_empty_string("name", true);
    rules.title = r.non_empty_string("title", false);
    rules.source = r.non_empty_string("source", false);
    rules.note = r.non_empty_string("note", false);
    if (const auto from = r.number("in_force_from")) {
        // Checked before the cast: a double past int's range converted is undefined (found by fuzzing).
        if (std::floor(*from) != *from || *from < 1900 || *from > 2100)
            r.fail("in_force_from", "expected a year from 1900 to 2100");
        rules.in_force_from = static_cast<int>(*from);
    } else if (!rules.name.empty() && std::all_of(rules.name.begin(), rules.name.end(), [](unsigned char ch) { return std::isdigit(ch); }) && rules.name.size() <= 4) {
        rules.in_force_from = std::stoi(rules.name); // "2013" applies from 2013
    } else {
        r.fail("in_force_from", "missing; expected the first year the rules apply to");
    }
    if (const auto min = r.number("min_residents")) {
        if (*min < 0) r.fail("min_residents", "expected a number of residents >= 0");
        rules.min_residents = *min;
    }

    if (const json* refs = r.find("references")) {
        if (!refs->is_object()) r.fail("references", "expected an object of named reference values");
        for (const auto& [id, spec] : refs->items())
            rules.references.push_back(parse_reference(id, spec, "references." + id, file));
    }

    const json& criteria = r.array("criteria", true);
    if (criteria.empty()) r.fail("criteria", "expected at least one criterion");
    std::size_t counting = 0;
    for (std::size_t i = 0; i < criteria.size(); ++i) {
        const std::string path = "criteria[" + std::to_string(i) + "]";
        auto c = parse_criterion(criteria[i], path, file);
        if (rules.find_criterion(c.id)) throw config_error{file, path + ".id", "a second criterion \"" + c.id + "\""};
        if (!c.relative_to.empty() && !rules.find_reference(c.relative_to))
            throw config_error{file, path + ".value_relative_to", "no reference \"" + c.relative_to + "\" in references"};
        counting += c.counts ? 1 : 0;
        rules.criteria.push_back(std::move(c));
    }

    const json* required = r.find("required");
    if (!required) r.fail("required", "missing; expected how many of the criteria must hold");
    if (!required->is_number_unsigned() || required->get<std::size_t>() == 0 || required->get<std::size_t>() > counting)
        r.fail("required", "expected a whole number from 1 to " + std::to_string(counting) +
                               " (the criteria that count), got " + required->dump());
    rules.required = required->get<std::size_t>();

    const json& categories = r.array("categories", false);
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const std::string path = "categories[" + std::to_string(i) + "]";
        json_reader cr{categories[i], path, file};
        rule_category k;
        k.id = cr.non_empty_string("id", true);
        for (const auto& existing : rules.categories)
            if (existing.id == k.id) cr.fail(cr.key("id"), "a second category \"" + k.id + "\"");
        k.label_da = cr.non_empty_string("label_da", false);
        const json* when = cr.find("when");
        if (!when) cr.fail(cr.key("when"), "missing; expected \"listed\" or a condition");
        k.when = parse_condition(*when, cr.key("when"), file, rules);
        cr.non_empty_string("note", false);
        cr.finish();
        rules.categories.push_back(std::move(k));
    }
    r.finish();
    return rules;
}

std::vector<rule_set> load_rule_sets(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator{dir})
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) throw config_error{dir.string(), "(folder)", "holds no rule file (*.json)"};
    std::vector<rule_set> out;
    for (const auto& f : files) {
        std::ifstream in{f};
        if (!in) throw config_error{f.string(), "(file)", "cannot be read"};
        std::ostringstream text;
        text << in.rdbuf();
        auto rules = parse_rule_set(text.str(), f.string());
        for (const auto& other : out)
            if (other.name == rules.name)
                throw config_error{f.string(), "name", "a second rule set named \"" + rules.name + "\" (also in " + other.file + ")"};
        out.push_back(std::move(rules));
    }
    std::stable_sort(out.begin(), out.end(), [](const rule_set& a, const rule_set& b) { return a.in_force_from < b.in_force_from; });
    return out;
}

} // namespace kvarter::catalog

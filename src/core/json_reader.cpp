#include "core/json_reader.hpp"

#include <cmath>

namespace kvarter {

json_reader::json json_reader::parse(const std::string& text, const std::string& file) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw config_error{file, "(JSON)", std::string{"not valid JSON: "} + e.what()};
    } catch (const json::out_of_range&) {
        throw config_error{file, "(JSON)", "not valid JSON: a number too large for a double (such as 1e999)"};
    } catch (const json::exception& e) {
        throw config_error{file, "(JSON)", std::string{"not valid JSON: "} + e.what()};
    }
}

json_reader::json_reader(const json& j, std::string path, const std::string& file)
    : m_json{j}, m_path{std::move(path)}, m_file{file} {
    if (!j.is_object()) fail(m_path.empty() ? "(top level)" : m_path, "expected an object, got " + j.dump());
}

void json_reader::fail(const std::string& key, const std::string& expected) const { throw config_error{m_file, key, expected}; }

std::string json_reader::key(const std::string& name) const { return m_path.empty() ? name : m_path + "." + name; }

const json_reader::json* json_reader::find(const std::string& name) {
    m_seen.insert(name);
    auto it = m_json.find(name);
    return it == m_json.end() ? nullptr : &*it;
}

std::string json_reader::string(const std::string& name, bool required, std::string fallback) {
    const json* j = find(name);
    if (!j) {
        if (required) fail(key(name), "missing; expected a string");
        return fallback;
    }
    if (!j->is_string()) fail(key(name), "expected a string, got " + j->dump());
    return j->get<std::string>();
}

std::string json_reader::non_empty_string(const std::string& name, bool required) {
    const json* j = find(name);
    if (!j) {
        if (required) fail(key(name), "missing; expected a string");
        return {};
    }
    if (!j->is_string() || j->get<std::string>().empty()) fail(key(name), "expected a non-empty string, got " + j->dump());
    return j->get<std::string>();
}

std::optional<double> json_reader::number(const std::string& name) {
    const json* j = find(name);
    if (!j) return std::nullopt;
    if (!j->is_number() || !std::isfinite(j->get<double>())) fail(key(name), "expected a number, got " + j->dump());
    return j->get<double>();
}

std::size_t json_reader::count(const std::string& name, std::size_t fallback) {
    const json* j = find(name);
    if (!j) return fallback;
    if (!j->is_number_unsigned() || j->get<std::size_t>() == 0)
        fail(key(name), "expected a positive integer, got " + j->dump());
    return j->get<std::size_t>();
}

bool json_reader::boolean(const std::string& name, bool fallback) {
    const json* j = find(name);
    if (!j) return fallback;
    if (!j->is_boolean()) fail(key(name), "expected true or false, got " + j->dump());
    return j->get<bool>();
}

const json_reader::json& json_reader::array(const std::string& name, bool required) {
    static const json empty = json::array();
    const json* j = find(name);
    if (!j) {
        if (required) fail(key(name), "missing; expected an array");
        return empty;
    }
    if (!j->is_array()) fail(key(name), "expected an array, got " + j->dump());
    return *j;
}

void json_reader::finish() const {
    for (const auto& [name, v] : m_json.items()) {
        if (!m_seen.contains(name)) {
            std::string known;
            for (const auto& s : m_seen) known += (known.empty() ? "" : ", ") + s;
            fail(key(name), "unknown key; expected one of " + known);
        }
    }
}

} // namespace kvarter

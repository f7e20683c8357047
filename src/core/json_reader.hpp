#pragma once
// A strict reader of one JSON object of a configuration file: it remembers the object's key
// path for messages and, once the object is done, rejects keys nobody asked for. Every config
// part (layers, derivations, indicator tables, tilesets, analysis) reads through it, so one
// message says what was wrong in the same words everywhere.

#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>

namespace kvarter {

class json_reader {
public:
    using json = nlohmann::ordered_json;

    json_reader(const json& j, std::string path, const std::string& file);
    // A whole config or rule file's text as JSON; any way it is not (bad syntax, a number out
    // of range such as 1e999) is a config_error naming the file.
    static json parse(const std::string& text, const std::string& file);

    [[noreturn]] void fail(const std::string& key, const std::string& expected) const;
    // The full key of a member, "layers[0].derive.from".
    std::string key(const std::string& name) const;
    const std::string& file() const noexcept { return m_file; }

    // The member, marked as read; null when absent.
    const json* find(const std::string& name);
    std::string string(const std::string& name, bool required, std::string fallback = {});
    // A string that may not be empty (rule files: ids, names, labels); "" when absent and not required.
    std::string non_empty_string(const std::string& name, bool required);
    // A finite number; nullopt when absent.
    std::optional<double> number(const std::string& name);
    std::size_t count(const std::string& name, std::size_t fallback); // a positive integer
    bool boolean(const std::string& name, bool fallback);
    const json& array(const std::string& name, bool required);
    void finish() const;

private:
    const json& m_json;
    std::string m_path;
    const std::string& m_file;
    std::set<std::string> m_seen;
};

} // namespace kvarter

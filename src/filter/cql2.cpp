#include "filter/cql2.hpp"

#include "core/error.hpp"
#include "filter/cql2_parse.hpp"

namespace kvarter::filter {

language parse_language(const std::string& name) {
    if (name == "cql2-text") return language::text;
    if (name == "cql2-json") return language::json;
    throw bad_request{"filter-lang", "filter-lang must be cql2-text or cql2-json, got \"" + name + "\""};
}

node parse(std::string_view text, language lang) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw bad_request{"filter", "filter: at character 0: expected a filter, found an empty text"};
    try {
        return lang == language::text ? parse_text(text) : parse_json(text);
    } catch (const bad_request&) {
        throw;
    } catch (const std::exception& e) {
        // Nothing else is expected (GEOS errors are caught where literals are read), but a fuzzer
        // must see only bad_request, whatever the input.
        throw bad_request{"filter", std::string{"filter: could not be read: "} + e.what()};
    }
}

} // namespace kvarter::filter

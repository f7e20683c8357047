#include "http/parameter_doc.hpp"

#include <nlohmann/json.hpp>

namespace kvarter::http::doc {

parameter_doc one_of(const std::string& name, const std::string& description, const std::vector<std::string>& values,
                     const std::string& example) {
    return {name, description, nlohmann::json{{"type", "string"}, {"enum", values}}.dump(), example};
}

parameter_doc limit(int default_limit, int max_limit) {
    return {"limit",
            "Features per page, 1 to " + std::to_string(max_limit) + " (default " + std::to_string(default_limit) + ")",
            nlohmann::json{{"type", "integer"}, {"minimum", 1}, {"maximum", max_limit}, {"default", default_limit}}.dump(),
            "5"};
}

parameter_doc offset() {
    return {"offset", "Features to skip before the page starts (the next link carries it)",
            R"({"type":"integer","minimum":0,"default":0})", "0"};
}

parameter_doc year(const std::string& what) {
    return {"year", what, R"({"type":"integer","minimum":1900,"maximum":2100})", ""};
}

parameter_doc f(const std::vector<std::string>& formats) {
    return one_of("f", "The answer's format", formats, formats.front());
}

parameter_doc sortby(const std::string& example) {
    return {"sortby", "Comma-separated sortables, each with an optional + (ascending, the default) or - (descending); ties in id order",
            R"({"type":"array","items":{"type":"string"}})", example};
}

} // namespace kvarter::http::doc

namespace kvarter::http {

parameter_docs operator+(parameter_docs a, const parameter_docs& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace kvarter::http

#pragma once
// How /api describes a route's query parameters. Each part declares, beside its route, the
// parameters the route takes; the shared ones (bbox, limit, year, crs, filter, …) are made here
// once so that every route describes them alike. tests/http/api_test.cpp sends every declared
// parameter with its example and fails if a route refuses one it declares.

#include <string>
#include <vector>

namespace kvarter::http {

struct parameter_doc {
    std::string name;
    std::string description;
    std::string schema = R"({"type":"string"})"; // an OpenAPI 3.0 schema object, as JSON text
    std::string example;                         // a value the route accepts
    bool required = false;
};

using parameter_docs = std::vector<parameter_doc>;

// `a` followed by `b`, for routes that take a shared set and some of their own (found by ADL).
parameter_docs operator+(parameter_docs a, const parameter_docs& b);

namespace doc {

// A string that is one of `values` (a CRS URI, a format, …).
parameter_doc one_of(const std::string& name, const std::string& description, const std::vector<std::string>& values,
                     const std::string& example);
parameter_doc limit(int default_limit, int max_limit);
parameter_doc offset();
parameter_doc year(const std::string& what);
parameter_doc f(const std::vector<std::string>& formats);
parameter_doc sortby(const std::string& example);

} // namespace doc
} // namespace kvarter::http

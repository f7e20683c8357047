#pragma once
// Requests and responses as plain values. Handlers see only these, never Beast's types,
// so they can be called (and tested) without a socket.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::http {

struct request {
    std::string method = "GET";
    std::string target; // as received: path and query
    std::string path; // percent-decoded
    std::vector<std::pair<std::string, std::string>> query; // decoded, in order
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    // The header's value, or "" when absent. `name` in lower case.
    std::string header(const std::string& name) const;
    // The query parameter's value, or null when absent.
    const std::string* param(const std::string& name) const;
    // "http://host:port", from the Host header, for absolute links in answers.
    std::string base_url() const;
};

struct response {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    void set_header(const std::string& name, const std::string& value);
    const std::string* find_header(const std::string& name) const;
};

// Splits "path?query" into decoded parts; throws bad_request on a malformed escape.
void parse_target(request& req);

std::string percent_encode(const std::string& s);

} // namespace kvarter::http

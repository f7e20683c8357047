#pragma once
// A request body read as JSON, the one way every writing or posting endpoint reads it: anything
// the JSON library refuses (bad syntax, a number out of range such as 1e999, bad UTF-8) is a 400
// naming the body and where it broke, in our words rather than the library's.

#include "http/message.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace kvarter::http {

// `expected` says what the body should be ("a GeoJSON Feature"); throws bad_request("body", …).
nlohmann::json json_body(const request& req, const std::string& expected);

} // namespace kvarter::http

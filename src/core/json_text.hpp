#pragma once
// Small helpers for writing JSON text by hand on hot paths (GeoJSON items), where
// building an nlohmann::json tree per feature would cost more than the answer itself.

#include "core/value.hpp"

#include <string>
#include <string_view>

namespace kvarter::json_text {

// Appends s as a JSON string literal, quotes included.
void append_string(std::string& out, std::string_view s);

// Appends a number with at most `decimals` digits after the point, trailing zeros removed.
void append_number(std::string& out, double v, int decimals);

void append_integer(std::string& out, long long v);

// Appends v as JSON (null, true/false, number with up to 15 significant digits, or string).
void append_value(std::string& out, const value& v);

} // namespace kvarter::json_text

#pragma once
// A property value as loaded from a data source.

#include <cstdint>
#include <string>
#include <variant>

namespace kvarter {

using value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

enum class value_type { boolean, integer, real, string };

inline bool is_null(const value& v) noexcept { return std::holds_alternative<std::monostate>(v); }

} // namespace kvarter

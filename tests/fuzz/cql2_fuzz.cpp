// CQL2 in both encodings: a first byte 'j' picks cql2-json, any other cql2-text; the rest is the filter.
// A syntax error is a bad_request (a 400 naming the position); nothing else may escape.

#include "core/error.hpp"
#include "filter/cql2.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto lang = data[0] == 'j' ? kvarter::filter::language::json : kvarter::filter::language::text;
    const std::string_view text{reinterpret_cast<const char*>(data) + 1, size - 1};
    try {
        kvarter::filter::parse(text, lang);
    } catch (const kvarter::bad_request&) {
    }
    return 0;
}

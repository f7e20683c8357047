// A list rule file (geodata/rules/*.json) as text. A bad file is a config_error naming the file
// and key; nothing else may escape.

#include "catalog/rule_set.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        kvarter::catalog::parse_rule_set(std::string{reinterpret_cast<const char*>(data), size}, "/fuzz/rules.json");
    } catch (const kvarter::config_error&) {
    }
    return 0;
}

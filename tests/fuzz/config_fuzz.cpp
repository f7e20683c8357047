// The server config as text (parse only: the files it names are not opened). A bad config is a
// config_error naming the file and key; nothing else may escape.

#include "catalog/config.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        kvarter::catalog::parse_config(std::string{reinterpret_cast<const char*>(data), size}, "/fuzz/kvarter.json");
    } catch (const kvarter::config_error&) {
    }
    return 0;
}

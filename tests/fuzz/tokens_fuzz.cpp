// The tokens file and the KVARTER_TOKENS variable. A bad line is a config_error naming the file
// and line; nothing else may escape.

#include "core/error.hpp"
#include "proposals/tokens.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text{reinterpret_cast<const char*>(data), size};
    try {
        kvarter::proposals::token_list::parse_file_text(text, "/fuzz/tokens");
    } catch (const kvarter::config_error&) {
    }
    try {
        kvarter::proposals::token_list::parse_env(text);
    } catch (const kvarter::config_error&) {
    }
    return 0;
}

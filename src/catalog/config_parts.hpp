#pragma once
// Pieces of the config parser shared by its files (config.cpp, derive_config.cpp).

#include "catalog/config.hpp"
#include "core/json_reader.hpp"

#include <filesystem>
#include <string>

namespace kvarter::catalog {

// A path relative to the config's folder made absolute; a GDAL connection string as it is.
std::string resolve_source(const std::string& source, const std::filesystem::path& base);

// The "derive" object of a layer (README "Derived layers").
derive_config parse_derive(const json_reader::json& j, const std::string& path, const std::string& file,
                           const std::filesystem::path& base);

} // namespace kvarter::catalog

#pragma once
// Paths and small helpers shared by the tests.

#include <filesystem>
#include <string>

namespace kvarter::test {

std::filesystem::path source_dir();
// The bundled sample (synthetic) and the real city, both in the repository's geodata/.
std::filesystem::path sample_config();
std::filesystem::path copenhagen_config();
std::filesystem::path copenhagen_layer(const std::string& file); // geodata/copenhagen/layers/FILE

// A fresh folder under the build tree for one test's files.
std::filesystem::path temp_dir(const std::string& name);
void write_file(const std::filesystem::path& path, const std::string& text);

struct command_result {
    int exit_code = -1;
    std::string output; // stdout and stderr together
};
command_result run_command(const std::string& command);

} // namespace kvarter::test

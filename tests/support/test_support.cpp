#include "support/test_support.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace kvarter::test {

std::filesystem::path source_dir() { return KVARTER_SOURCE_DIR; }

std::filesystem::path sample_config() { return source_dir() / "geodata" / "sample.json"; }
std::filesystem::path copenhagen_config() { return source_dir() / "geodata" / "copenhagen.json"; }
std::filesystem::path copenhagen_layer(const std::string& file) { return source_dir() / "geodata" / "copenhagen" / "layers" / file; }

std::filesystem::path temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("kvarter-test-" + std::to_string(::getpid())) / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out{path, std::ios::binary};
    out << text;
}

command_result run_command(const std::string& command) {
    command_result result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

} // namespace kvarter::test

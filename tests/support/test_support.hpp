#pragma once
// Paths and small helpers shared by the tests.

#include <filesystem>
#include <string>

namespace kvarter::test {

std::filesystem::path source_dir();
// The real Copenhagen layers beside the checkout, or $KVARTER_SHARED_DATA.
std::filesystem::path shared_data_dir();
bool have_shared_data();
std::filesystem::path sample_config();
std::filesystem::path kbh_config();

// A fresh folder under the build tree for one test's files.
std::filesystem::path temp_dir(const std::string& name);
void write_file(const std::filesystem::path& path, const std::string& text);

struct command_result {
    int exit_code = -1;
    std::string output; // stdout and stderr together
};
command_result run_command(const std::string& command);

} // namespace kvarter::test

#define KVARTER_REQUIRE_SHARED_DATA()                                                                             \
    do {                                                                                                          \
        if (!::kvarter::test::have_shared_data())                                                                 \
            GTEST_SKIP() << "the real layers are absent at " << ::kvarter::test::shared_data_dir()                \
                         << " (they sit in ../shared/kbh-open-data beside the checkout)";                         \
    } while (false)

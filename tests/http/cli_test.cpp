// The `kvarter` command itself: help, check, and a wrong config stopping serve before it listens.

#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {
const std::string kvarter_bin = KVARTER_BINARY;
}

TEST(cli, help_for_the_command_and_each_subcommand) {
    const auto main = test::run_command(kvarter_bin + " --help");
    EXPECT_EQ(main.exit_code, 0);
    EXPECT_THAT(main.output, HasSubstr("serve"));
    EXPECT_THAT(main.output, HasSubstr("check"));
    const auto serve = test::run_command(kvarter_bin + " serve --help");
    EXPECT_EQ(serve.exit_code, 0);
    EXPECT_THAT(serve.output, HasSubstr("--threads"));
    const auto check = test::run_command(kvarter_bin + " check --help");
    EXPECT_EQ(check.exit_code, 0);
    EXPECT_THAT(check.output, HasSubstr("--config"));
    EXPECT_EQ(test::run_command(kvarter_bin + " serve --colour red").exit_code, 2);
}

TEST(cli, check_prints_a_summary_per_layer_and_exits_0) {
    const auto r = test::run_command(kvarter_bin + " check --config " + test::sample_config().string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("housing-departments (housing_department): 180 features, 0 repaired, 0 without geometry"));
    EXPECT_THAT(r.output, HasSubstr("720 rows, 720 matched, 0 unmatched"));
}

TEST(cli, a_wrong_config_stops_check_and_serve_naming_file_and_key) {
    const auto dir = test::temp_dir("cli");
    test::write_file(dir / "bad.json", R"({"layers":[{"id":"x","source":"missing.geojson","role":"district"}]})");
    const auto check = test::run_command(kvarter_bin + " check --config " + (dir / "bad.json").string());
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_THAT(check.output, HasSubstr((dir / "bad.json").string() + ": layers[0].source: GDAL cannot open"));
    // serve must fail the same way and never start listening
    const auto serve = test::run_command("timeout 20 " + kvarter_bin + " serve --port 0 --config " + (dir / "bad.json").string());
    EXPECT_EQ(serve.exit_code, 1);
    EXPECT_THAT(serve.output, HasSubstr("layers[0].source"));
    EXPECT_THAT(serve.output, ::testing::Not(HasSubstr("serving")));
}

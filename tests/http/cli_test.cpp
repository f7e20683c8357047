// The `kvarter` command itself: --help, validation of the command line (exit 2), check, and a wrong
// config stopping serve before it listens (exit 1).

#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace kvarter;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {
const std::string kvarter_bin = KVARTER_BINARY;

// What the command writes on stdout only, and on stderr only (run_command merges the two).
test::command_result stdout_of(const std::string& args) {
    return test::run_command("(timeout 20 " + kvarter_bin + " " + args + " 2>/dev/null)");
}
test::command_result stderr_of(const std::string& args) {
    return test::run_command("(timeout 20 " + kvarter_bin + " " + args + " 2>&1 >/dev/null)");
}

// The help line of an option: the line that starts (after indentation) with its name.
std::string option_line(const std::string& help, const std::string& option) {
    std::istringstream in{help};
    for (std::string line; std::getline(in, line);) {
        const auto start = line.find_first_not_of(' ');
        if (start != std::string::npos && line.compare(start, option.size() + 1, option + " ") == 0) return line;
    }
    return "(no line for " + option + ")";
}

// A config that does not exist: a command line that got past validation fails with 1, not 2.
const std::string missing_config = "--config /nonexistent/kvarter.json";
} // namespace

TEST(cli, help_of_the_command_lists_the_commands) {
    const auto main = stdout_of("--help");
    EXPECT_EQ(main.exit_code, 0);
    EXPECT_THAT(main.output, HasSubstr("Usage: kvarter"));
    EXPECT_THAT(main.output, HasSubstr("serve "));
    EXPECT_THAT(main.output, HasSubstr("serve them over HTTP"));
    EXPECT_THAT(main.output, HasSubstr("check "));
    EXPECT_THAT(main.output, HasSubstr("export "));
    EXPECT_THAT(main.output, HasSubstr("kvarter <command> --help"));
    EXPECT_EQ(stdout_of("-h").output, main.output);
    // No command at all is wrong usage, and shows the same help.
    const auto none = stdout_of("");
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_EQ(none.output, main.output);
}

TEST(cli, help_of_serve_lists_its_options_with_their_defaults) {
    const auto r = stdout_of("serve --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.output, HasSubstr("Usage: kvarter serve"));
    EXPECT_THAT(option_line(r.output, "--config"), HasSubstr("FILE=geodata/copenhagen.json"));
    EXPECT_THAT(option_line(r.output, "--port"), HasSubstr("N=8080"));
    EXPECT_THAT(option_line(r.output, "--address"), HasSubstr("IP=0.0.0.0"));
    const auto cores = std::max(1u, std::thread::hardware_concurrency());
    EXPECT_THAT(option_line(r.output, "--threads"), HasSubstr("N=" + std::to_string(cores)));
    EXPECT_THAT(r.output, HasSubstr("SIGHUP reloads the config"));
    EXPECT_THAT(r.output, Not(HasSubstr("--minzoom")));
}

TEST(cli, help_of_check_lists_its_options_with_their_defaults) {
    const auto r = stdout_of("check --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.output, HasSubstr("Usage: kvarter check"));
    EXPECT_THAT(option_line(r.output, "--config"), HasSubstr("FILE=geodata/copenhagen.json"));
    EXPECT_THAT(r.output, Not(HasSubstr("--port")));
}

TEST(cli, help_of_export_lists_its_options_with_their_defaults) {
    const auto r = stdout_of("export --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.output, HasSubstr("Usage: kvarter export"));
    EXPECT_THAT(option_line(r.output, "--config"), HasSubstr("FILE=geodata/copenhagen.json"));
    EXPECT_THAT(option_line(r.output, "--tileset"), HasSubstr("NAME=default"));
    EXPECT_THAT(option_line(r.output, "--minzoom"), HasSubstr("A=0"));
    EXPECT_THAT(option_line(r.output, "--maxzoom"), HasSubstr("B=14"));
    EXPECT_THAT(r.output, HasSubstr("--year Y"));
    EXPECT_THAT(r.output, HasSubstr("(default: the latest)"));
    EXPECT_THAT(option_line(r.output, "--out"), HasSubstr("PATH REQUIRED"));
}

TEST(cli, wrong_usage_exits_2_naming_the_option_on_stderr) {
    struct wrong {
        std::string args;
        std::vector<std::string> named; // what the message must name
    };
    const std::vector<wrong> cases{
        {"serve --colour red " + missing_config, {"kvarter serve", "not expected: --colour red"}},
        {"frobnicate", {"unknown command", "frobnicate"}},
        {"check --port 8080 " + missing_config, {"kvarter check", "--port"}},
        {"serve --port abc " + missing_config, {"--port", "abc"}},
        {"serve --port 70000 " + missing_config, {"--port", "70000", "65535"}},
        {"serve --port=-1 " + missing_config, {"--port"}},
        {"serve --threads 0 " + missing_config, {"--threads"}},
        {"serve --port " + missing_config, {"--port"}}, // "--config" is not a port
        {"export --minzoom 12 --maxzoom 10 --out /tmp/kvarter-never " + missing_config, {"--minzoom", "--maxzoom"}},
        {"export --maxzoom 23 --out /tmp/kvarter-never " + missing_config, {"--maxzoom"}},
        {"export --year 19x --out /tmp/kvarter-never " + missing_config, {"--year"}},
        {"export --year 1200 --out /tmp/kvarter-never " + missing_config, {"--year"}},
        {"export " + missing_config, {"kvarter export", "--out", "required"}},
        {"check extra " + missing_config, {"extra"}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("kvarter " + c.args);
        const auto err = stderr_of(c.args);
        EXPECT_EQ(err.exit_code, 2) << err.output;
        for (const auto& n : c.named) EXPECT_THAT(err.output, HasSubstr(n));
        EXPECT_THAT(stdout_of(c.args).output, IsEmpty()); // no help, no report: only the message on stderr
    }
}

TEST(cli, an_option_given_twice_takes_the_last_and_accepts_equals) {
    // scripts/run passes `--port 8080 "$@"`, so a later --port must win rather than be refused.
    const auto r = test::run_command(kvarter_bin + " check " + missing_config + " --config=" + test::sample_config().string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("loaded "));
}

TEST(cli, check_prints_a_summary_per_layer_and_exits_0) {
    const auto r = test::run_command(kvarter_bin + " check --config " + test::sample_config().string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_THAT(r.output, HasSubstr("housing-departments (housing_department): 180 features, 0 repaired, 0 without geometry"));
    EXPECT_THAT(r.output, HasSubstr("720 rows, 720 matched, 0 unmatched"));
    EXPECT_THAT(r.output, HasSubstr("layers from " + test::sample_config().string() + " in "));
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
    // a config that does not exist is a load failure too, not wrong usage
    EXPECT_EQ(test::run_command(kvarter_bin + " check " + missing_config).exit_code, 1);
}

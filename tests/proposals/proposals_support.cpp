#include "proposals/proposals_support.hpp"

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <thread>

namespace kvarter::test {

nlohmann::json square_feature(const std::string& name, double lon, double lat, double size, const std::string& status) {
    return {{"type", "Feature"},
            {"geometry",
             {{"type", "Polygon"},
              {"coordinates",
               {{{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat}}}}}},
            {"properties", {{"name", name}, {"description", "made by a test"}, {"status", status}}}};
}

std::optional<std::string> pg_template() {
    const char* env = std::getenv("KVARTER_TEST_PG");
    if (!env || !*env) return std::nullopt;
    return std::string{env};
}

pg_database::pg_database() {
    const auto base = pg_template();
    if (!base) throw std::runtime_error{"KVARTER_TEST_PG is not set"};
    static const std::regex dbname{R"(dbname=(\S+))"};
    std::smatch m;
    if (base->rfind("PG:", 0) != 0 || !std::regex_search(*base, m, dbname))
        throw std::runtime_error{"KVARTER_TEST_PG must look like PG:host=… port=… dbname=… user=…, got " + *base};
    const std::string template_name = m[1];
    const std::string conninfo = base->substr(3);
    m_admin = std::regex_replace(conninfo, dbname, "dbname=postgres");
    static std::atomic<int> count{0};
    m_name = "kvt_" + std::to_string(::getpid()) + "_" + std::to_string(count++);
    m_connection = std::regex_replace(*base, dbname, "dbname=" + m_name);
    // Two tests copying the template at the same moment can collide; try again a few times.
    command_result r;
    for (int attempt = 0; attempt < 10; ++attempt) {
        r = run_command("psql \"" + m_admin + "\" -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE " + m_name + " TEMPLATE " +
                        template_name + "'");
        if (r.exit_code == 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds{200 * (attempt + 1)});
    }
    throw std::runtime_error{"cannot create the test database " + m_name + ": " + r.output};
}

pg_database::~pg_database() {
    run_command("psql \"" + m_admin + "\" -qc 'DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)'");
}

store_location::store_location(const std::string& backend, const std::string& test_name) {
    if (backend == "pg") {
        m_pg.emplace();
        m_connection = m_pg->connection();
    } else {
        m_connection = (temp_dir("store-" + test_name) / "proposals.gpkg").string();
    }
}

child_server::child_server(const std::filesystem::path& config) {
    // Everything the child needs is made before fork: after it, only exec.
    const std::string bin = KVARTER_BINARY;
    const std::string cfg = config.string();
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error{"pipe failed"};
    m_pid = ::fork();
    if (m_pid < 0) throw std::runtime_error{"fork failed"};
    if (m_pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(out[1], STDERR_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        ::execl(bin.c_str(), bin.c_str(), "serve", "--config", cfg.c_str(), "--port", "0", "--threads", "4",
                "--address", "127.0.0.1", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(out[1]);
    // Read what it says until it serves: "kvarter serving … at http://127.0.0.1:PORT/ with …".
    std::string said;
    FILE* in = ::fdopen(out[0], "r");
    char line[4096];
    static const std::regex serving{R"(serving .* at http://[^:]+:(\d+)/)"};
    while (std::fgets(line, sizeof line, in)) {
        said += line;
        std::smatch m;
        const std::string text = line;
        if (std::regex_search(text, m, serving)) {
            m_port = static_cast<unsigned short>(std::stoi(m[1]));
            break;
        }
    }
    if (m_port == 0) {
        std::fclose(in);
        kill_9();
        throw std::runtime_error{"kvarter serve did not start:\n" + said};
    }
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread{[in] {
        char buf[4096];
        while (std::fgets(buf, sizeof buf, in)) {
        }
        std::fclose(in);
    }}.detach();
}

child_server::~child_server() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
}

void child_server::send_signal(int signal) {
    if (m_pid > 0) ::kill(m_pid, signal);
}

int child_server::wait() {
    if (m_pid <= 0) return -1;
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void child_server::kill_9() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
}

std::filesystem::path write_child_config(const std::filesystem::path& dir, const std::string& store,
                                         const nlohmann::json& extra) {
    write_file(dir / "tokens.txt", std::string{"# test tokens\n"} + test_token + " " + test_token_name + "\n");
    nlohmann::json config{
        {"title", "kvarter proposals test"},
        {"layers",
         {{{"id", "districts"},
           {"source", (source_dir() / "geodata" / "sample" / "districts.geojson").string()},
           {"id_field", "bydel_nr"},
           {"name_field", "navn"},
           {"role", "district"}}}},
        {"proposals", {{"store", store}, {"tokens_file", "tokens.txt"}}}};
    config.merge_patch(extra);
    write_file(dir / "kvarter.json", config.dump(2));
    return dir / "kvarter.json";
}

} // namespace kvarter::test

#pragma once
// What the proposals tests share: features to post, the PostGIS databases they run against, and
// `kvarter serve` as a child process (to kill -9 it, or to run two of them on one store).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace kvarter::test {

// A square proposal `size` degrees wide with its south-west corner at lon, lat.
nlohmann::json square_feature(const std::string& name, double lon = 12.55, double lat = 55.69, double size = 0.005,
                              const std::string& status = "draft");

// KVARTER_TEST_PG: a "PG:" connection to a database with PostGIS, used as a template (scripts/test
// starts a private cluster and sets it). nullopt when unset.
std::optional<std::string> pg_template();

// A new database copied from the template, dropped again by the destructor.
class pg_database {
public:
    pg_database();
    ~pg_database();
    pg_database(const pg_database&) = delete;
    pg_database& operator=(const pg_database&) = delete;
    const std::string& connection() const { return m_connection; } // "PG:… dbname=<new>"

private:
    std::string m_admin; // libpq conninfo of the maintenance database
    std::string m_name;
    std::string m_connection;
};

// Where a store of the backend ("gpkg" or "pg") lives for one test: a GeoPackage path in a fresh
// folder, or a fresh PostGIS database.
class store_location {
public:
    store_location(const std::string& backend, const std::string& test_name);
    const std::string& connection() const { return m_connection; }

private:
    std::optional<pg_database> m_pg;
    std::string m_connection;
};

// `kvarter serve` in a child process on a free port, for `config`.
class child_server {
public:
    explicit child_server(const std::filesystem::path& config);
    ~child_server(); // SIGTERM, then waits
    child_server(const child_server&) = delete;
    child_server& operator=(const child_server&) = delete;

    unsigned short port() const { return m_port; }
    void kill_9(); // SIGKILL, then waits: no shutdown code runs
    void send_signal(int signal);
    int wait(); // its exit code (-1: ended by a signal)

private:
    pid_t m_pid = -1;
    unsigned short m_port = 0;
};

// A config serving the sample districts with proposals in `store`, tokens from a file beside it
// holding test_token (named test_token_name). Returns the config's path.
// `extra`: members merged into the config ({"server": {...}}, {"proposals": {...}} merge member-wise).
std::filesystem::path write_child_config(const std::filesystem::path& dir, const std::string& store,
                                         const nlohmann::json& extra = nlohmann::json::object());

} // namespace kvarter::test

// Skips a PostGIS test, saying why, when KVARTER_TEST_PG is unset (scripts/test always sets it).
#define KVARTER_REQUIRE_PG()                                                                                      \
    do {                                                                                                          \
        if (!::kvarter::test::pg_template())                                                                      \
            GTEST_SKIP() << "KVARTER_TEST_PG is not set, so the PostGIS store is not tested here; scripts/test "  \
                            "starts a private PostGIS cluster (scripts/pg-cluster) and sets it";                 \
    } while (false)

// `kvarter serve` as child processes: a write answered 201 survives kill -9, two processes on
// one store (PostGIS, or one GeoPackage file) see each other's proposals, and the signals a
// supervisor sends are handled from the moment serve says it serves.

#include "http/test_client.hpp"
#include "proposals/proposals_support.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <stdio.h>

#include <future>
#include <set>
#include <thread>

using namespace kvarter;
using nlohmann::json;

namespace {

const std::map<std::string, std::string> authorized{{"authorization", std::string{"Bearer "} + test::test_token}};

test::reply post(unsigned short port, const json& body) {
    return test::fetch(port, "/proposals", authorized, "POST", body.dump());
}

class processes : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "pg") KVARTER_REQUIRE_PG();
        const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        m_location.emplace(GetParam(), name);
        m_config = test::write_child_config(test::temp_dir("child-" + name), m_location->connection());
    }
    std::optional<test::store_location> m_location;
    std::filesystem::path m_config;
};

} // namespace

TEST_P(processes, a_write_answered_201_survives_kill_9) {
    std::vector<std::int64_t> ids;
    {
        test::child_server server{m_config};
        for (int i = 0; i < 10; ++i) {
            const auto r = post(server.port(), test::square_feature("durable " + std::to_string(i), 12.5 + 0.01 * i));
            ASSERT_EQ(r.status, 201u) << r.body;
            ids.push_back(r.json()["id"].get<std::int64_t>());
        }
        const auto changed = test::fetch(server.port(), "/proposals/" + std::to_string(ids[0]), authorized, "PUT",
                                         test::square_feature("changed before the kill").dump());
        ASSERT_EQ(changed.status, 200u);
        ASSERT_EQ(test::fetch(server.port(), "/proposals/" + std::to_string(ids[1]), authorized, "DELETE").status, 204u);
        server.kill_9(); // right after the last answer: no shutdown, no flush, no close
    }
    test::child_server again{m_config};
    const auto list = test::fetch(again.port(), "/proposals?limit=100").json();
    EXPECT_EQ(list["numberMatched"], 9);
    EXPECT_EQ(test::fetch(again.port(), "/proposals/" + std::to_string(ids[0])).json()["properties"]["name"], "changed before the kill");
    EXPECT_EQ(test::fetch(again.port(), "/proposals/" + std::to_string(ids[1])).status, 404u);
    for (std::size_t i = 2; i < ids.size(); ++i)
        EXPECT_EQ(test::fetch(again.port(), "/proposals/" + std::to_string(ids[i])).json()["properties"]["name"],
                  "durable " + std::to_string(i));
}

TEST_P(processes, two_processes_on_one_store_see_each_others_proposals) {
    test::child_server a{m_config};
    test::child_server b{m_config};
    const auto created = post(a.port(), test::square_feature("written by a"));
    ASSERT_EQ(created.status, 201u) << created.body;
    const auto id = std::to_string(created.json()["id"].get<std::int64_t>());
    EXPECT_EQ(test::fetch(b.port(), "/proposals/" + id).json()["properties"]["name"], "written by a");
    EXPECT_EQ(test::fetch(b.port(), "/collections/proposals/items").json()["numberMatched"], 1);

    ASSERT_EQ(test::fetch(b.port(), "/proposals/" + id, authorized, "PUT", test::square_feature("changed by b").dump()).status, 200u);
    EXPECT_EQ(test::fetch(a.port(), "/proposals/" + id).json()["properties"]["name"], "changed by b");

    // Both write at once: nothing is lost and both see everything.
    std::vector<std::thread> writers;
    std::vector<unsigned> statuses(40);
    for (int t = 0; t < 4; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i)
                statuses[t * 10 + i] =
                    post(t % 2 ? a.port() : b.port(), test::square_feature("w" + std::to_string(t) + "-" + std::to_string(i),
                                                                            12.5 + 0.001 * i, 55.6 + 0.001 * t, 0.0005))
                        .status;
        });
    for (auto& w : writers) w.join();
    EXPECT_EQ(std::set<unsigned>(statuses.begin(), statuses.end()), std::set<unsigned>{201u});
    EXPECT_EQ(test::fetch(a.port(), "/proposals?limit=100").json()["numberMatched"], 41);
    EXPECT_EQ(test::fetch(b.port(), "/proposals?limit=100").json()["numberMatched"], 41);

    ASSERT_EQ(test::fetch(a.port(), "/proposals/" + id, authorized, "DELETE").status, 204u);
    EXPECT_EQ(test::fetch(b.port(), "/proposals/" + id).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(backends, processes, ::testing::Values("gpkg", "pg"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// SIGTERM: no new connection is taken, the write in flight (waiting for another process's lock)
// is answered, the store is closed and the process exits 0.
TEST(graceful_shutdown, sigterm_finishes_the_write_in_flight_and_exits_0) {
    const auto dir = test::temp_dir("graceful-shutdown");
    const auto gpkg = dir / "proposals.gpkg";
    const auto config = test::write_child_config(
        dir, gpkg.string(), {{"server", {{"shutdown_timeout_seconds", 10}}}, {"proposals", {{"write_wait_ms", 5000}}}});
    test::child_server server{config};
    ASSERT_EQ(test::fetch(server.port(), "/health").status, 200u); // the store exists now
    // Another process holds the write lock for 1.5 s: the write below waits for it.
    FILE* lock = ::popen(("python3 -c \"import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
                          "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(1.5)\" '" +
                          gpkg.string() + "'")
                             .c_str(),
                         "r");
    char line[64] = {};
    ASSERT_TRUE(lock && std::fgets(line, sizeof line, lock));
    auto write = std::async(std::launch::async, [&] { return post(server.port(), test::square_feature("in flight")); });
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    server.send_signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    EXPECT_THROW(test::fetch(server.port(), "/health"), std::exception) << "a new connection was accepted after SIGTERM";
    const auto answered = write.get();
    EXPECT_EQ(answered.status, 201u) << answered.body;
    EXPECT_EQ(server.wait(), 0);
    ::pclose(lock);
    proposals::proposal_store store{gpkg.string()};
    const auto page = store.list(10, 0);
    ASSERT_EQ(page.items.size(), 1u);
    EXPECT_EQ(page.items[0].name, "in flight");
}

// Whoever starts serve (a supervisor, a deploy script, tests/deploy) may send SIGHUP as soon as it
// reads "kvarter serving": the handlers are installed by then, so it is a reload, not SIGHUP's
// default action, which ends the process. 20 times: before the fix, one in ten or so was ended.
TEST(signals, a_sighup_the_moment_serve_says_it_serves_is_a_reload) {
    const auto dir = test::temp_dir("sighup-at-start");
    const auto config = test::write_child_config(dir, (dir / "proposals.gpkg").string());
    for (int i = 0; i < 20; ++i) {
        test::child_server server{config};
        server.send_signal(SIGHUP);
        test::reply health;
        EXPECT_NO_THROW(health = test::fetch(server.port(), "/health")) << "round " << i << ": SIGHUP ended serve";
        EXPECT_EQ(health.status, 200u) << "round " << i;
        server.send_signal(SIGTERM);
        ASSERT_EQ(server.wait(), 0) << "round " << i << ": ended by a signal, not by a clean stop";
    }
}

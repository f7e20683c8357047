// The server's own work off the request threads, and its limits: a reload never blocks accepting,
// slow work (writes, overlays) runs on a bounded pool, a busy store answers 503 in bounded time.
// Real sockets on an ephemeral port.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <cstdio>
#include <future>
#include <thread>

using namespace kvarter;
using ::testing::HasSubstr;
using clock_type = std::chrono::steady_clock;

namespace {

double ms_since(clock_type::time_point t) {
    return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

const std::map<std::string, std::string> authorized{{"authorization", std::string{"Bearer "} + test::test_token},
                                                    {"content-type", "application/geo+json"}};

const std::string square_proposal =
    R"({"type":"Feature","properties":{"name":"held"},"geometry":{"type":"Polygon","coordinates":[[[12.55,55.69],[12.555,55.69],[12.555,55.695],[12.55,55.695],[12.55,55.69]]]}})";

// Another process holding the GeoPackage's write lock (BEGIN EXCLUSIVE) for `seconds`.
class lock_holder {
public:
    lock_holder(const std::filesystem::path& gpkg, double seconds) {
        const std::string cmd = "python3 -c \"import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
                                "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(" +
                                std::to_string(seconds) + ")\" '" + gpkg.string() + "'";
        m_pipe = ::popen(cmd.c_str(), "r");
        char line[64] = {};
        if (!m_pipe || !std::fgets(line, sizeof line, m_pipe)) throw std::runtime_error{"could not lock " + gpkg.string()};
    }
    ~lock_holder() {
        if (m_pipe) ::pclose(m_pipe);
    }
    lock_holder(const lock_holder&) = delete;
    lock_holder& operator=(const lock_holder&) = delete;

private:
    FILE* m_pipe = nullptr;
};

} // namespace

TEST(server_work, a_reload_runs_on_the_pool_and_never_stops_accepting) {
    // Before the server: the reload still running when the test ends writes to them.
    std::atomic<bool> reloading{false}, reloaded{false};
    test::running_server server{test::sample_config()};
    server.http_server().handle_signals([&] {
        reloading = true;
        std::this_thread::sleep_for(std::chrono::milliseconds{1500}); // a slow catalog load
        reloaded = true;
    });
    ::kill(::getpid(), SIGHUP);
    const auto asked = clock_type::now();
    while (!reloading && ms_since(asked) < 3000) std::this_thread::sleep_for(std::chrono::milliseconds{5});
    ASSERT_TRUE(reloading);
    // New connections, dealt to every request thread in turn, while the reload runs.
    double slowest = 0;
    for (int i = 0; i < 12; ++i) {
        const auto t = clock_type::now();
        EXPECT_EQ(test::fetch(server.port(), "/health").status, 200u);
        slowest = std::max(slowest, ms_since(t));
    }
    EXPECT_FALSE(reloaded) << "the requests were meant to run during the reload";
    EXPECT_LT(slowest, 500) << "a connection waited for the reload";
}

namespace {

// A pool of one thread with room for one task waiting: the second slow request fills it.
http::server_options one_worker_one_queued() {
    http::server_options options;
    options.worker_threads = 1;
    options.worker_queue = 1;
    return options;
}

} // namespace

TEST(server_work, a_busy_store_and_a_full_queue_are_503s_with_retry_after_in_bounded_time) {
    test::running_server server{test::sample_config(), one_worker_one_queued(), {}, std::chrono::milliseconds{600}};
    lock_holder lock{server.store().connection(), 6};

    const auto start = clock_type::now();
    std::vector<std::future<test::reply>> writes;
    for (int i = 0; i < 3; ++i)
        writes.push_back(std::async(std::launch::async, [&] {
            return test::fetch(server.port(), "/proposals", authorized, "POST", square_proposal);
        }));
    // The request threads stay free while the writes wait for the lock.
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    const auto t = clock_type::now();
    EXPECT_EQ(test::fetch(server.port(), "/health").status, 200u);
    EXPECT_LT(ms_since(t), 300);

    int queue_full = 0, store_busy = 0;
    for (auto& w : writes) {
        const auto r = w.get();
        ASSERT_EQ(r.status, 503u) << r.body;
        EXPECT_EQ(r.header("content-type"), "application/problem+json");
        EXPECT_FALSE(r.header("retry-after").empty());
        if (r.body.find("queued") != std::string::npos) ++queue_full;
        if (r.body.find("busy with another write") != std::string::npos) ++store_busy;
    }
    EXPECT_EQ(queue_full, 1);
    EXPECT_EQ(store_busy, 2);
    // Two writes one after the other, each bounded by 600 ms (plus the busy wait's rounding):
    // nowhere near five busy timeouts of ten seconds.
    EXPECT_LT(ms_since(start), 3500);
}

TEST(server_work, the_analyses_run_on_the_pool_not_on_the_request_threads) {
    test::running_server server{test::sample_config(), one_worker_one_queued(), {}, std::chrono::milliseconds{600}};
    lock_holder lock{server.store().connection(), 3};
    // One write holds the pool's thread (it waits for the lock), one waits in its queue…
    std::vector<std::future<test::reply>> writes;
    for (int i = 0; i < 2; ++i) {
        writes.push_back(std::async(std::launch::async, [&] {
            return test::fetch(server.port(), "/proposals", authorized, "POST", square_proposal);
        }));
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    // …so an analysis, being pool work, finds the queue full, while a plain read is answered.
    const auto index = test::fetch(server.port(), "/analysis/index");
    EXPECT_EQ(index.status, 503u) << index.body;
    EXPECT_NE(index.body.find("queued"), std::string::npos) << index.body;
    EXPECT_EQ(test::fetch(server.port(), "/collections/districts").status, 200u);
    for (auto& w : writes) w.get();
    EXPECT_EQ(test::fetch(server.port(), "/analysis/index").status, 200u) << "and is answered once the pool is free";
}

namespace {

// A raw connection the test writes to by hand.
class raw_client {
public:
    explicit raw_client(unsigned short port) : m_fd{::socket(AF_INET, SOCK_STREAM, 0)} {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error{"connect"};
    }
    ~raw_client() { ::close(m_fd); }
    raw_client(const raw_client&) = delete;
    raw_client& operator=(const raw_client&) = delete;
    bool send(const std::string& bytes) { return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()); }
    // True when the server has closed (a read returns 0 or fails) within `wait`.
    bool closed_within(std::chrono::milliseconds wait) {
        pollfd p{m_fd, POLLIN, 0};
        const auto end = clock_type::now() + wait;
        while (clock_type::now() < end) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - clock_type::now()).count();
            if (::poll(&p, 1, static_cast<int>(std::max<long long>(1, left))) <= 0) continue;
            char buf[4096];
            const auto n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0) return true;
            m_received.append(buf, static_cast<std::size_t>(n));
        }
        return false;
    }
    const std::string& received() const { return m_received; }

private:
    int m_fd;
    std::string m_received;
};

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

} // namespace

TEST(server_limits, a_client_sending_a_byte_every_half_second_is_cut_at_the_request_timeout) {
    http::server_options options;
    options.idle_timeout = std::chrono::seconds{30};
    options.request_timeout = std::chrono::seconds{2};
    test::running_server server{test::sample_config(), options};
    raw_client slow{server.port()};
    const auto start = clock_type::now();
    ASSERT_TRUE(slow.send("GET /health HTTP/1.1\r\nHost: x\r\n"));
    bool cut = false;
    for (int i = 0; i < 16 && !cut; ++i) {
        if (!slow.send("X")) break; // a header byte that never ends
        cut = slow.closed_within(std::chrono::milliseconds{500});
    }
    EXPECT_TRUE(cut);
    EXPECT_LT(ms_since(start), 3500) << "the slow client was not cut at the request timeout";
    EXPECT_EQ(test::fetch(server.port(), "/health").status, 200u);
}

TEST(server_limits, past_max_connections_a_clear_503_and_close_then_served_again) {
    http::server_options options;
    options.max_connections = 3;
    test::running_server server{test::sample_config(), options};
    {
        std::vector<std::unique_ptr<raw_client>> idle;
        for (int i = 0; i < 3; ++i) idle.push_back(std::make_unique<raw_client>(server.port()));
        for (int i = 0; i < 100 && server.http_server().connections() < 3; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        ASSERT_EQ(server.http_server().connections(), 3u);
        const auto answer = test::exchange_raw(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds{2000});
        EXPECT_THAT(answer, HasSubstr("HTTP/1.1 503"));
        EXPECT_THAT(answer, HasSubstr("too many connections"));
        EXPECT_THAT(answer, HasSubstr("Retry-After: 1"));
        EXPECT_THAT(answer, HasSubstr("Connection: close"));
    }
    for (int i = 0; i < 100 && server.http_server().connections() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    EXPECT_EQ(test::fetch(server.port(), "/health").status, 200u);
}

TEST(server_limits, a_connection_serves_keepalive_requests_then_closes) {
    http::server_options options;
    options.keepalive_requests = 2;
    test::running_server server{test::sample_config(), options};
    const std::string one = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    const auto answer = test::exchange_raw(server.port(), one + one + one, std::chrono::milliseconds{2000});
    EXPECT_EQ(count_of(answer, "HTTP/1.1 200"), 2u) << answer;
    EXPECT_EQ(count_of(answer, "Connection: close"), 1u) << answer;
}

namespace {

// `kvarter serve` on the sample in a child with `ulimit -n` file descriptors.
class limited_child {
public:
    explicit limited_child(int fds) {
        const auto dir = test::temp_dir("limited-child");
        const std::string cmd = "cd '" + dir.string() + "' && KVARTER_DATA_DIR='" + dir.string() + "' bash -c 'ulimit -n " +
                                std::to_string(fds) + " && echo pid $$ && exec \"$0\" serve --config \"$1\" --port 0 --threads 2 "
                                "--address 127.0.0.1' '" KVARTER_BINARY "' '" + test::sample_config().string() + "' 2>&1";
        m_out = ::popen(cmd.c_str(), "r");
        char line[4096];
        std::string said;
        while (m_out && std::fgets(line, sizeof line, m_out)) {
            const std::string text = line;
            said += text;
            if (text.rfind("pid ", 0) == 0) m_pid = std::stoi(text.substr(4));
            if (const auto at = text.find("at http://127.0.0.1:"); at != std::string::npos) {
                m_port = static_cast<unsigned short>(std::stoi(text.substr(at + 20)));
                break;
            }
        }
        if (m_port == 0) throw std::runtime_error{"the child did not start:\n" + said};
        m_drain = std::thread{[this] {
            char buf[4096];
            while (std::fgets(buf, sizeof buf, m_out)) {
            }
        }};
    }
    ~limited_child() {
        if (m_pid > 0) ::kill(m_pid, SIGKILL);
        if (m_drain.joinable()) m_drain.join();
        if (m_out) ::pclose(m_out);
    }
    limited_child(const limited_child&) = delete;
    limited_child& operator=(const limited_child&) = delete;
    unsigned short port() const { return m_port; }
    // User and system CPU time the child has used, in seconds.
    double cpu_seconds() const {
        std::ifstream in{"/proc/" + std::to_string(m_pid) + "/stat"};
        std::string stat{std::istreambuf_iterator<char>{in}, {}};
        std::istringstream rest{stat.substr(stat.rfind(')') + 2)};
        std::vector<std::string> fields{std::istream_iterator<std::string>{rest}, {}};
        // After the name: state is field 3, utime 14 and stime 15 (proc(5)).
        return (std::stod(fields.at(11)) + std::stod(fields.at(12))) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    }

private:
    FILE* m_out = nullptr;
    int m_pid = -1;
    unsigned short m_port = 0;
    std::thread m_drain;
};

} // namespace

TEST(server_limits, out_of_file_descriptors_the_accept_loop_backs_off_and_serves_again_later) {
    limited_child child{64};
    std::vector<std::unique_ptr<raw_client>> idle;
    for (int i = 0; i < 100; ++i) idle.push_back(std::make_unique<raw_client>(child.port())); // past 64: in the backlog
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    const double before = child.cpu_seconds();
    std::this_thread::sleep_for(std::chrono::seconds{3});
    const double used = child.cpu_seconds() - before;
    EXPECT_LT(used, 0.3) << "CPU seconds in 3 s while out of descriptors: a busy accept loop";
    idle.clear(); // the idle clients go
    test::reply r;
    for (int i = 0; i < 50 && r.status != 200; ++i) {
        try {
            r = test::fetch(child.port(), "/health");
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds{100});
        }
    }
    EXPECT_EQ(r.status, 200u);
    std::cout << "out of descriptors: " << used << " CPU-s in 3 s\n";
}

TEST(server_metrics, invented_methods_and_raw_paths_over_the_wire_do_not_grow_metrics) {
    test::running_server server{test::sample_config()};
    auto series = [&] {
        const auto text = test::fetch(server.port(), "/metrics").body;
        std::size_t n = 0;
        for (auto at = text.find("kvarter_http_requests_total{"); at != std::string::npos;
             at = text.find("kvarter_http_requests_total{", at + 1))
            ++n;
        return std::pair{n, text};
    };
    // Warm every series this test can make: one invented method, two ids of one route.
    test::exchange_raw(server.port(), "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds{500});
    test::fetch(server.port(), "/collections/districts/items/1");
    series();
    const auto before = series().first;
    std::srand(11);
    for (int i = 0; i < 60; ++i) {
        std::string method;
        for (int k = 0; k < 8; ++k) method += static_cast<char>('A' + std::rand() % 26);
        test::exchange_raw(server.port(), method + " /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                           std::chrono::milliseconds{500});
        test::fetch(server.port(), "/collections/districts/items/" + std::to_string(i % 10 + 1));
    }
    const auto [after, text] = series();
    EXPECT_EQ(after, before) << text;
    EXPECT_THAT(text, HasSubstr("method=\"other\",route=\"/health\",status=\"405\""));
    EXPECT_THAT(text, HasSubstr("route=\"/collections/{collectionId}/items/{featureId}\""));
}

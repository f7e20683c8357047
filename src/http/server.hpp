#pragma once
// The asynchronous HTTP/1.1 server (Boost.Beast). Beast and Asio stay inside server.cpp;
// everything else sees only request/response values and the router.

#include "http/router.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace kvarter::http {

struct server_options {
    std::string address = "0.0.0.0";
    unsigned short port = 8080; // 0: any free port (tests)
    int threads = 2;
    std::size_t body_limit_bytes = 1 << 20;
    std::size_t header_limit_bytes = 16 * 1024;
    std::chrono::seconds idle_timeout{30}; // a kept-alive connection waiting for its next request
    std::chrono::seconds request_timeout{30}; // reading one request, first byte to last (slow clients)
    std::size_t max_connections = 1024; // past it: a 503 and close
    std::size_t keepalive_requests = 1000; // requests per connection, then Connection: close
    std::chrono::seconds shutdown_timeout{10}; // stop(): how long in-flight requests may take
    std::size_t worker_threads = 2; // reloads, writes, heavy analyses (router::offload)
    std::size_t worker_queue = 64; // waiting beyond those running; past it: a 503 with Retry-After
    std::chrono::milliseconds accept_backoff{100}; // no file descriptor left: wait before accepting again
    // Called once per answered request, on the thread that answered it.
    std::function<void(const std::string& method, const std::string& route, unsigned status, std::size_t bytes,
                       double milliseconds)>
        on_request;
    // Called with what failed outside a request (a reload, an accept), for the log.
    std::function<void(const std::string& message)> on_error;
};

class server {
public:
    server(const router& routes, server_options options);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and starts the worker threads; returns at once. Throws io_error if it cannot bind.
    void start();
    // The port actually bound (useful with port 0).
    unsigned short port() const;
    // Stops accepting, lets in-flight requests finish (up to shutdown_timeout), ends the threads
    // and waits for them. True when nothing in flight was cut.
    bool stop();
    // Blocks until SIGINT or SIGTERM; each SIGHUP runs on_hangup on the worker pool (one at a time:
    // SIGHUPs while one waits are folded into it), never on the thread that accepts or answers.
    void wait_for_signals(std::function<void()> on_hangup);
    // The two halves of wait_for_signals: install the handlers (returns once they are), then
    // block until SIGINT or SIGTERM.
    void handle_signals(std::function<void()> on_hangup);
    void wait_for_stop();
    // Connections open now, and requests read and not yet answered.
    std::size_t connections() const;
    std::size_t in_flight() const;

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
}; // class server

} // namespace kvarter::http

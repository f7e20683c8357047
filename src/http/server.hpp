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
    std::chrono::seconds idle_timeout{30};
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
    // Stops accepting, ends the threads and waits for them.
    void stop();
    // Blocks until SIGINT or SIGTERM; calls on_hangup (on a worker thread) for each SIGHUP.
    void wait_for_signals(const std::function<void()>& on_hangup);

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
}; // class server

} // namespace kvarter::http

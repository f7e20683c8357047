#pragma once
// The access log: one line per answered request (method, route pattern, status, bytes, time), at
// info; slower than `slow_ms` at warn, a 5xx at error, each with route, status and time.
//
//     options.on_request = access_log(cfg.server.slow_request_ms);

#include <cstddef>
#include <functional>
#include <string>

namespace kvarter::http {

using request_observer =
    std::function<void(const std::string& method, const std::string& route, unsigned status, std::size_t bytes, double ms)>;

// Logs through spdlog's default logger.
request_observer access_log(std::size_t slow_ms);

// Names spdlog accepts for --log-level: trace, debug, info, warn, error, critical, off.
// Throws std::invalid_argument on another name.
void set_log_level(const std::string& name);
// The default logger for the program: stderr, "2026-12-02T13:40:00.123Z info message".
void init_logging(const std::string& level);

} // namespace kvarter::http

#pragma once
// Request counters per route, written by every thread, read by /metrics (Prometheus text).

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kvarter::http {

class metrics {
public:
    // `route` is a route pattern or "(none)"; a method outside the standard ones counts as "other".
    void record(const std::string& method, const std::string& route, unsigned status, double seconds);
    std::string prometheus_text() const;

private:
    struct series {
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> micros{0};
    };
    mutable std::mutex m_mutex; // guards the map's shape only; the counters are atomic
    std::map<std::string, std::unique_ptr<series>> m_series; // key: method \t route \t status
}; // class metrics

} // namespace kvarter::http

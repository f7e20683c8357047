#include "http/metrics.hpp"

#include <sstream>

namespace kvarter::http {

namespace {

// Label values come from a closed set: a client inventing method names must not grow the series.
const std::string& method_label(const std::string& method) {
    static const std::array<std::string, 8> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
    for (std::size_t i = 0; i + 1 < known.size(); ++i)
        if (method == known[i]) return known[i];
    return known.back();
}

} // namespace

void metrics::record(const std::string& method, const std::string& route, unsigned status, double seconds) {
    const std::string key = method_label(method) + "\t" + route + "\t" + std::to_string(status);
    series* s = nullptr;
    {
        std::lock_guard lock{m_mutex};
        auto& slot = m_series[key];
        if (!slot) slot = std::make_unique<series>();
        s = slot.get();
    }
    s->count.fetch_add(1, std::memory_order_relaxed);
    s->micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string metrics::prometheus_text() const {
    std::ostringstream count, seconds;
    count << "# HELP kvarter_http_requests_total HTTP requests answered, by route and status.\n"
          << "# TYPE kvarter_http_requests_total counter\n";
    seconds << "# HELP kvarter_http_request_seconds_total Time spent answering, by route and status.\n"
            << "# TYPE kvarter_http_request_seconds_total counter\n";
    std::lock_guard lock{m_mutex};
    for (const auto& [key, s] : m_series) {
        const auto t1 = key.find('\t');
        const auto t2 = key.find('\t', t1 + 1);
        const std::string labels = "{method=\"" + key.substr(0, t1) + "\",route=\"" + key.substr(t1 + 1, t2 - t1 - 1) +
                                   "\",status=\"" + key.substr(t2 + 1) + "\"}";
        count << "kvarter_http_requests_total" << labels << " " << s->count.load() << "\n";
        seconds << "kvarter_http_request_seconds_total" << labels << " " << double(s->micros.load()) / 1e6 << "\n";
    }
    return count.str() + seconds.str();
}

} // namespace kvarter::http

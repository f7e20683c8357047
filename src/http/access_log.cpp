#include "http/access_log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace kvarter::http {

request_observer access_log(std::size_t slow_ms) {
    return [slow_ms](const std::string& method, const std::string& route, unsigned status, std::size_t bytes, double ms) {
        if (status >= 500)
            spdlog::error("failed request method={} route={} status={} bytes={} ms={:.1f}", method, route, status, bytes, ms);
        else if (ms > static_cast<double>(slow_ms))
            spdlog::warn("slow request method={} route={} status={} bytes={} ms={:.1f} (over {} ms)", method, route, status,
                         bytes, ms, slow_ms);
        else
            spdlog::info("access method={} route={} status={} bytes={} ms={:.1f}", method, route, status, bytes, ms);
    };
}

void set_log_level(const std::string& name) {
    const auto level = spdlog::level::from_str(name);
    // from_str answers "off" for a name it does not know.
    if (level == spdlog::level::off && name != "off") throw std::invalid_argument{"unknown log level \"" + name + "\""};
    spdlog::set_level(level);
}

void init_logging(const std::string& level) {
    auto logger = spdlog::stderr_logger_mt("kvarter");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    set_log_level(level);
}

} // namespace kvarter::http

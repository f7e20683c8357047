// The access log: a line per request with method, route pattern, status, bytes and time; slow
// requests at warn, 5xx at error. Captured through an spdlog sink on a real server.

#include "http/access_log.hpp"
#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

using namespace kvarter;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

// Routes spdlog's default logger into a string for the test's length.
class captured_log {
public:
    captured_log() : m_previous{spdlog::default_logger()} {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(m_text);
        auto logger = std::make_shared<spdlog::logger>("test", sink);
        logger->set_pattern("%l %v");
        logger->flush_on(spdlog::level::trace);
        spdlog::set_default_logger(logger);
        spdlog::set_level(spdlog::level::info);
    }
    ~captured_log() { spdlog::set_default_logger(m_previous); }
    captured_log(const captured_log&) = delete;
    captured_log& operator=(const captured_log&) = delete;
    std::string text() const { return m_text.str(); }

private:
    std::shared_ptr<spdlog::logger> m_previous;
    std::ostringstream m_text;
};

} // namespace

TEST(access_log, a_line_per_request_with_the_route_pattern_status_bytes_and_time) {
    captured_log log;
    http::server_options options;
    options.on_request = http::access_log(10000);
    {
        test::running_server server{test::sample_config(), options};
        ASSERT_EQ(test::fetch(server.port(), "/collections/districts/items?limit=2").status, 200u);
        ASSERT_EQ(test::fetch(server.port(), "/no/such/thing").status, 404u);
    }
    const auto text = log.text();
    EXPECT_THAT(text, HasSubstr("info access method=GET route=/collections/{collectionId}/items status=200 bytes="));
    EXPECT_THAT(text, HasSubstr("info access method=GET route=(none) status=404"));
    EXPECT_THAT(text, HasSubstr(" ms="));
    EXPECT_THAT(text, Not(HasSubstr("/collections/districts/items"))) << "raw paths in the log";
}

TEST(access_log, slow_requests_are_warnings_and_5xx_errors_with_route_status_and_time) {
    captured_log log;
    const auto observe = http::access_log(50);
    observe("GET", "/tiles/{tileset}/{z}/{x}/{y}.mvt", 200, 1234, 75.5);
    observe("POST", "/proposals", 503, 99, 3.0);
    observe("GET", "/health", 200, 10, 0.2);
    const auto text = log.text();
    EXPECT_THAT(text, HasSubstr("warning slow request method=GET route=/tiles/{tileset}/{z}/{x}/{y}.mvt status=200 bytes=1234 ms=75.5"));
    EXPECT_THAT(text, HasSubstr("error failed request method=POST route=/proposals status=503 bytes=99 ms=3.0"));
    EXPECT_THAT(text, HasSubstr("info access method=GET route=/health status=200"));
}

TEST(access_log, levels_by_name_and_an_unknown_name_refused) {
    captured_log log;
    http::set_log_level("warn");
    spdlog::info("hidden");
    spdlog::warn("shown");
    EXPECT_THAT(log.text(), Not(HasSubstr("hidden")));
    EXPECT_THAT(log.text(), HasSubstr("shown"));
    EXPECT_THROW(http::set_log_level("loud"), std::invalid_argument);
    spdlog::set_level(spdlog::level::info);
}

#pragma once
// One hierarchy for every error kvarter reports. The HTTP router turns these into
// RFC 9457 problem responses in one place; the command line prints them.

#include <stdexcept>
#include <string>
#include <utility>

namespace kvarter {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A request the client can fix. `parameter` names the query parameter, path segment or
// body member that is wrong, so the answer can say which one.
class bad_request : public error {
public:
    bad_request(std::string parameter, const std::string& detail)
        : error{detail}, m_parameter{std::move(parameter)} {}
    const std::string& parameter() const noexcept { return m_parameter; }

private:
    std::string m_parameter;
};

class not_found : public error {
public:
    using error::error;
};

class unauthorized : public error {
public:
    using error::error;
};

class forbidden : public error {
public:
    using error::error;
};

// A conditional write whose condition (If-Match) no longer holds: someone else wrote first.
class precondition_failed : public error {
public:
    using error::error;
};

// A configuration that cannot be loaded: the message names the file, the key and what was expected.
class config_error : public error {
public:
    config_error(const std::string& file, const std::string& key, const std::string& detail)
        : error{file + ": " + key + ": " + detail} {}
};

// GEOS or PROJ refused a geometry.
class geometry_error : public error {
public:
    using error::error;
};

// A data source that cannot be opened or read.
class io_error : public error {
public:
    using error::error;
};

// The server cannot take this now (a full work queue, a store busy past its bounded wait): a 503
// with Retry-After. The client may send the same request again later.
class unavailable : public error {
public:
    explicit unavailable(const std::string& detail, int retry_after_seconds = 1)
        : error{detail}, m_retry_after{retry_after_seconds} {}
    int retry_after_seconds() const noexcept { return m_retry_after; }

private:
    int m_retry_after;
};

} // namespace kvarter

#pragma once
// A test suite sharing one in-process server on the bundled sample, started once per suite.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kvarter::test {

class sample_server_suite : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server = new running_server{sample_config()}; }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    static reply get(const std::string& target) { return fetch(server->port(), target); }
    static inline running_server* server = nullptr;
};

} // namespace kvarter::test

#pragma once
// What a refused input says: the message of the bad_request an attempt throws, after checking
// that it names the expected parameter.

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kvarter::test {

// "(accepted)" when `attempt` throws nothing.
template <class Attempt>
std::string refusal_of(Attempt&& attempt, const std::string& parameter) {
    try {
        attempt();
    } catch (const bad_request& e) {
        EXPECT_EQ(e.parameter(), parameter);
        return e.what();
    }
    return "(accepted)";
}

} // namespace kvarter::test

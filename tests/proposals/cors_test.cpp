// Cross-origin writes: any page may read, but a browser page may write only from the server's
// own origin or one proposals.write_origins lists; the preflight does not offer writes to others.

#include "http/test_client.hpp"
#include "proposals/proposals_support.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

using namespace kvarter;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string listed = "https://plan.example.dk";
const std::string elsewhere = "https://evil.example.com";

class cross_origin : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto dir = test::temp_dir("cors");
        const auto config = test::write_child_config(dir, (dir / "proposals.gpkg").string());
        auto cfg = nlohmann::json::parse(std::ifstream{config});
        cfg["proposals"]["write_origins"] = {listed};
        test::write_file(config, cfg.dump(2));
        server = new test::running_server{config};
    }
    static void TearDownTestSuite() {
        delete server;
        server = nullptr;
    }
    static test::reply post_from(const std::string& origin) {
        std::map<std::string, std::string> headers{{"authorization", "Bearer " + std::string{test::test_token}},
                                                   {"content-type", "application/geo+json"}};
        if (!origin.empty()) headers.emplace("origin", origin);
        return test::fetch(server->port(), "/proposals", headers, "POST", test::square_feature("Fra en anden side").dump());
    }
    static inline test::running_server* server = nullptr;
};

TEST_F(cross_origin, a_listed_origin_writes_and_is_named_in_the_answer) {
    const auto r = post_from(listed);
    EXPECT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.header("access-control-allow-origin"), listed);
    EXPECT_THAT(r.header("vary"), HasSubstr("Origin"));
}

TEST_F(cross_origin, the_servers_own_pages_and_clients_without_origin_write) {
    EXPECT_EQ(post_from("http://127.0.0.1:" + std::to_string(server->port())).status, 201u);
    EXPECT_EQ(post_from("").status, 201u);
}

TEST_F(cross_origin, another_origin_may_read_but_not_write) {
    const auto before = test::fetch(server->port(), "/proposals").json().at("numberMatched").get<int>();
    const auto r = post_from(elsewhere);
    EXPECT_EQ(r.status, 403u);
    EXPECT_THAT(r.json().value("detail", ""), HasSubstr(elsewhere));
    EXPECT_THAT(r.body, Not(HasSubstr(test::test_token))) << "a refusal never echoes the token";
    EXPECT_EQ(test::fetch(server->port(), "/proposals").json().at("numberMatched").get<int>(), before);

    const auto read = test::fetch(server->port(), "/proposals", {{"origin", elsewhere}});
    EXPECT_EQ(read.status, 200u);
    EXPECT_EQ(read.header("access-control-allow-origin"), "*");
}

TEST_F(cross_origin, an_origin_that_is_not_ascii_is_refused_without_being_echoed) {
    const auto r = post_from("https://\xFF\xFE" "evil");
    EXPECT_EQ(r.status, 403u) << r.body;
    EXPECT_THAT(r.json().value("detail", ""), HasSubstr("https://??evil"));
}

TEST_F(cross_origin, the_preflight_offers_writes_only_to_origins_that_may_write) {
    const auto ask = [](const std::string& origin) {
        return test::fetch(server->port(), "/collections/proposals/items",
                           {{"origin", origin}, {"access-control-request-method", "POST"}}, "OPTIONS");
    };
    const auto ok = ask(listed);
    EXPECT_EQ(ok.status, 204u);
    EXPECT_THAT(ok.header("access-control-allow-methods"), HasSubstr("POST"));
    EXPECT_EQ(ok.header("access-control-allow-origin"), listed);
    const auto no = ask(elsewhere);
    EXPECT_THAT(no.header("access-control-allow-methods"), Not(HasSubstr("POST")));
    EXPECT_THAT(no.header("access-control-allow-methods"), HasSubstr("GET"));
    EXPECT_THAT(no.header("allow"), HasSubstr("POST")) << "Allow still tells what the resource takes";
}

} // namespace

#pragma once
// A small blocking HTTP client for the tests, and a kvarter server running in-process on a
// free port. Real sockets, real HTTP: nothing is mocked.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"
#include "tiles/tile_cache.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace kvarter::test {

struct reply {
    unsigned status = 0;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

reply fetch(unsigned short port, const std::string& target, const std::map<std::string, std::string>& headers = {},
            const std::string& method = "GET", const std::string& body = {});
// Fetches an absolute http://127.0.0.1:PORT/... link as returned in answers.
reply fetch_url(const std::string& url);

// Sends raw bytes and returns everything the server sends until it closes (or `wait` passes).
std::string exchange_raw(unsigned short port, const std::string& bytes, std::chrono::milliseconds wait);
// True when the server closes an idle connection within `wait`.
bool closed_when_idle(unsigned short port, std::chrono::milliseconds wait);

// The write token every running_server accepts, and its name.
inline constexpr const char* test_token = "kvarter-test-token-0123456789";
inline constexpr const char* test_token_name = "test-planner";

class running_server {
public:
    // `proposals_store`: a GeoPackage path or PG: connection; empty: a new GeoPackage of its own.
    // `write_wait`: the store's bounded wait for its write lock.
    explicit running_server(const std::filesystem::path& config, http::server_options options = {},
                            std::string proposals_store = {},
                            std::chrono::milliseconds write_wait = std::chrono::milliseconds{2000});
    ~running_server();
    unsigned short port() const { return m_server->port(); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }
    catalog::catalog_holder& holder() { return *m_holder; }
    tiles::tile_cache& cache() { return *m_cache; }
    proposals::proposal_store& store() { return *m_store; }
    http::server& http_server() { return *m_server; }

private:
    std::filesystem::path m_store_dir; // removed at the end when the server made its own store
    std::unique_ptr<catalog::catalog_holder> m_holder;
    std::unique_ptr<tiles::tile_cache> m_cache;
    std::unique_ptr<proposals::proposal_store> m_store;
    proposals::token_list m_tokens;
    std::unique_ptr<http::router> m_router;
    std::unique_ptr<http::server> m_server;
};

} // namespace kvarter::test

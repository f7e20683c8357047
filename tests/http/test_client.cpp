#include "http/test_client.hpp"

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "service.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>

namespace kvarter::test {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

reply fetch(unsigned short port, const std::string& target, const std::map<std::string, std::string>& headers,
            const std::string& method, const std::string& body) {
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    stream.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    stream.expires_after(std::chrono::seconds{30});
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    parser.skip(method == "HEAD");
    bhttp::read(stream, buffer, parser);
    const auto& res = parser.get();
    reply out;
    out.status = res.result_int();
    for (const auto& f : res) {
        std::string name{f.name_string()};
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string{f.value()};
    }
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
}

reply fetch_url(const std::string& url) {
    const std::string prefix = "http://127.0.0.1:";
    if (url.rfind(prefix, 0) != 0) throw std::runtime_error{"not a local URL: " + url};
    const auto slash = url.find('/', prefix.size());
    const auto port = static_cast<unsigned short>(std::stoi(url.substr(prefix.size(), slash - prefix.size())));
    return fetch(port, url.substr(slash));
}

std::string exchange_raw(unsigned short port, const std::string& bytes, std::chrono::milliseconds wait) {
    net::io_context ioc;
    tcp::socket socket{ioc};
    socket.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    net::write(socket, net::buffer(bytes));
    // Sync reads have no timeout, so read asynchronously and run the context for `wait` at most.
    std::string out;
    char buf[4096];
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t n) {
        out.append(buf, n);
        if (!ec) socket.async_read_some(net::buffer(buf), on_read);
    };
    socket.async_read_some(net::buffer(buf), on_read);
    ioc.run_for(wait);
    return out;
}

bool closed_when_idle(unsigned short port, std::chrono::milliseconds wait) {
    net::io_context ioc;
    tcp::socket socket{ioc};
    socket.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    bool closed = false;
    char buf[16];
    socket.async_read_some(net::buffer(buf), [&](beast::error_code ec, std::size_t) {
        closed = ec == net::error::eof || ec == net::error::connection_reset;
    });
    ioc.run_for(wait);
    return closed;
}

running_server::running_server(const std::filesystem::path& config, http::server_options options, std::string proposals_store,
                               std::chrono::milliseconds write_wait) {
    m_holder = std::make_unique<catalog::catalog_holder>(catalog::load_catalog(catalog::load_config(config)), config);
    m_cache = std::make_unique<tiles::tile_cache>(64u << 20);
    if (proposals_store.empty()) {
        static std::atomic<int> count{0};
        m_store_dir = std::filesystem::temp_directory_path() /
                      ("kvarter-store-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
        std::filesystem::remove_all(m_store_dir);
        proposals_store = (m_store_dir / "proposals.gpkg").string();
    }
    m_store = std::make_unique<proposals::proposal_store>(proposals_store, 10000, write_wait);
    m_tokens.add(test_token, test_token_name);
    m_router = make_router(*m_holder, *m_cache, m_store.get(), &m_tokens);
    options.address = "127.0.0.1";
    options.port = 0;
    m_server = std::make_unique<http::server>(*m_router, options);
    m_server->start();
}

running_server::~running_server() {
    m_server->stop();
    m_server.reset();
    m_router.reset();
    m_store.reset();
    if (!m_store_dir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_store_dir, ec);
    }
}

} // namespace kvarter::test

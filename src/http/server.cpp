#include "http/server.hpp"

#include "core/error.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <cctype>
#include <future>
#include <optional>
#include <iostream>
#include <thread>
#include <vector>

namespace kvarter::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

request to_request(const bhttp::request<bhttp::string_body>& in) {
    request out;
    out.method = std::string{in.method_string()};
    out.target = std::string{in.target()};
    for (const auto& field : in) {
        std::string name{field.name_string()};
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string{field.value()};
    }
    out.body = in.body();
    parse_target(out);
    return out;
}

// What in the request's framing cannot be answered safely; empty when nothing. A Transfer-Encoding
// other than exactly "chunked" (say "xchunked", or "chunked, identity") leaves the body unread and
// parsed as the next request: behind a proxy that reads it otherwise, that smuggles a request.
std::string framing_problem(const bhttp::request<bhttp::string_body>& in) {
    const auto te = in.count(bhttp::field::transfer_encoding);
    if (te > 1) return "more than one Transfer-Encoding header";
    if (te == 1) {
        std::string value{in[bhttp::field::transfer_encoding]};
        for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t");
        if (first == std::string::npos || value.substr(first, last - first + 1) != "chunked")
            return "Transfer-Encoding \"" + std::string{in[bhttp::field::transfer_encoding]} +
                   "\" is not understood; only chunked is";
        if (in.count(bhttp::field::content_length)) return "both Transfer-Encoding and Content-Length";
    }
    const auto hosts = in.count(bhttp::field::host);
    if (in.version() >= 11 && hosts == 0) return "an HTTP/1.1 request needs a Host header";
    if (hosts > 1) return "more than one Host header";
    return {};
}

bhttp::response<bhttp::string_body> to_beast(response&& in, unsigned version, bool keep_alive, bool head) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(in.status), version};
    out.set(bhttp::field::server, "kvarter");
    if (!in.content_type.empty()) out.set(bhttp::field::content_type, in.content_type);
    for (const auto& [name, value] : in.headers) out.set(name, value);
    out.keep_alive(keep_alive);
    const std::size_t size = in.body.size();
    out.body() = std::move(in.body);
    out.prepare_payload();
    if (head) {
        out.body().clear();
        out.content_length(size);
    }
    return out;
}

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket&& socket, const router& routes, const server_options& options)
        : m_stream{std::move(socket)}, m_routes{routes}, m_options{options} {}

    void run() {
        net::dispatch(m_stream.get_executor(), beast::bind_front_handler(&session::read, shared_from_this()));
    }

private:
    void read() {
        m_parser.emplace();
        m_parser->body_limit(m_options.body_limit_bytes);
        m_parser->header_limit(static_cast<std::uint32_t>(m_options.header_limit_bytes));
        m_stream.expires_after(m_options.idle_timeout);
        bhttp::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset)
            return close();
        if (ec == bhttp::error::body_limit) {
            return send_problem(413, "Content Too Large",
                                "the body is larger than " + std::to_string(m_options.body_limit_bytes) + " bytes");
        }
        if (ec == bhttp::error::header_limit) {
            return send_problem(431, "Request Header Fields Too Large",
                                "the headers are larger than " + std::to_string(m_options.header_limit_bytes) + " bytes");
        }
        if (ec) return send_problem(400, "Bad Request", "malformed HTTP request: " + ec.message());

        const auto& in = m_parser->get();
        // Answered and the connection closed: what follows on it cannot be trusted to be a request.
        if (const auto problem_text = framing_problem(in); !problem_text.empty())
            return send_problem(400, "Bad Request", problem_text);
        response res;
        try {
            res = m_routes.handle(to_request(in));
        } catch (const bad_request& e) {
            res = problem(400, "Bad Request", e.what(), e.parameter());
        } catch (const std::exception& e) {
            std::cerr << "error: " << e.what() << "\n";
            res = problem(500, "Internal Server Error", "the server failed to answer; the log has the reason");
        }
        write(to_beast(std::move(res), in.version(), in.keep_alive(), in.method() == bhttp::verb::head));
    }

    void send_problem(unsigned status, const std::string& title, const std::string& detail) {
        auto res = problem(status, title, detail);
        res.set_header("Access-Control-Allow-Origin", "*");
        write(to_beast(std::move(res), 11, false, false));
    }

    void write(bhttp::response<bhttp::string_body>&& res) {
        m_response = std::move(res);
        m_stream.expires_after(m_options.idle_timeout);
        bhttp::async_write(m_stream, m_response, beast::bind_front_handler(&session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (ec || !m_response.keep_alive()) return close();
        read();
    }

    void close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.close();
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    bhttp::response<bhttp::string_body> m_response;
    const router& m_routes;
    const server_options& m_options;
};

class listener : public std::enable_shared_from_this<listener> {
public:
    // Accepts on the first context and hands each connection to the next context in turn.
    listener(std::vector<std::unique_ptr<net::io_context>>& contexts, tcp::endpoint endpoint, const router& routes,
             const server_options& options)
        : m_contexts{contexts}, m_acceptor{*contexts.front()}, m_routes{routes}, m_options{options} {
        beast::error_code ec;
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec) m_acceptor.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec) m_acceptor.bind(endpoint, ec);
        if (!ec) m_acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (ec)
            throw io_error{"cannot listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) +
                           ": " + ec.message()};
    }

    unsigned short port() const { return m_acceptor.local_endpoint().port(); }
    void run() { accept(); }
    void stop() {
        net::post(m_acceptor.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->m_acceptor.close(ec);
        });
    }

private:
    void accept() {
        auto& next = *m_contexts[m_next++ % m_contexts.size()];
        m_acceptor.async_accept(next, beast::bind_front_handler(&listener::on_accept, shared_from_this()));
    }
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted) return;
        if (!ec) std::make_shared<session>(std::move(socket), m_routes, m_options)->run();
        accept();
    }

    std::vector<std::unique_ptr<net::io_context>>& m_contexts;
    std::size_t m_next = 0;
    tcp::acceptor m_acceptor;
    const router& m_routes;
    const server_options& m_options;
};

} // namespace

// One io_context per thread, each running its connections start to end: no handler moves between
// threads and no thread wakes another, as in nginx's worker processes. A shared io_context with N
// threads spent a fifth of its time in the kernel handing work over (futex wake-ups and context
// switches, measured with perf under wrk) and served cached tiles at 60-80 % of nginx's rate.
struct server::impl {
    const router& routes;
    server_options options;
    std::vector<std::unique_ptr<net::io_context>> contexts;
    std::shared_ptr<listener> accept;
    std::vector<std::thread> threads;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;

    impl(const router& r, server_options o) : routes{r}, options{std::move(o)} {
        for (int t = 0; t < std::max(1, options.threads); ++t) contexts.push_back(std::make_unique<net::io_context>(1));
    }
};

server::server(const router& routes, server_options options) : m_impl{std::make_unique<impl>(routes, std::move(options))} {}

server::~server() { stop(); }

void server::start() {
    auto& i = *m_impl;
    beast::error_code ec;
    const auto address = net::ip::make_address(i.options.address, ec);
    if (ec) throw io_error{"not an IP address: " + i.options.address};
    i.accept = std::make_shared<listener>(i.contexts, tcp::endpoint{address, i.options.port}, i.routes, i.options);
    i.accept->run();
    for (auto& c : i.contexts) {
        i.work.push_back(net::make_work_guard(*c));
        i.threads.emplace_back([&ioc = *c] { ioc.run(); });
    }
}

unsigned short server::port() const { return m_impl->accept ? m_impl->accept->port() : 0; }

void server::stop() {
    auto& i = *m_impl;
    if (i.threads.empty()) return;
    if (i.accept) i.accept->stop();
    i.work.clear();
    for (auto& c : i.contexts) c->stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
}

void server::wait_for_signals(const std::function<void()>& on_hangup) {
    auto& i = *m_impl;
    net::signal_set signals{*i.contexts.front(), SIGINT, SIGTERM, SIGHUP};
    std::promise<void> done;
    std::function<void(beast::error_code, int)> on_signal = [&](beast::error_code ec, int signal) {
        if (ec) return;
        if (signal == SIGHUP) {
            on_hangup();
            signals.async_wait(on_signal);
            return;
        }
        done.set_value();
    };
    signals.async_wait(on_signal);
    done.get_future().wait();
    signals.cancel();
}

} // namespace kvarter::http

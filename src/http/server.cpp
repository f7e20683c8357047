#include "http/server.hpp"

#include "core/error.hpp"
#include "core/worker_pool.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <future>
#include <optional>
#include <thread>
#include <vector>

namespace kvarter::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

// What every session and the listener share; owned by server::impl, outlives them all.
struct shared_state {
    const router& routes;
    const server_options& options;
    worker_pool& pool;
    std::atomic<std::size_t> connections{0};
    std::atomic<std::size_t> in_flight{0};
    std::atomic<bool> stopping{false};
};

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
    session(tcp::socket&& socket, shared_state& state) : m_stream{std::move(socket)}, m_state{state} {
        m_state.connections.fetch_add(1, std::memory_order_relaxed);
    }
    ~session() { m_state.connections.fetch_sub(1, std::memory_order_relaxed); }
    session(const session&) = delete;
    session& operator=(const session&) = delete;

    void run() {
        net::dispatch(m_stream.get_executor(), beast::bind_front_handler(&session::wait, shared_from_this()));
    }

private:
    // Waits for the first byte of the next request (idle_timeout), then reads it whole within
    // request_timeout: a client sending a byte every few seconds is cut.
    void wait() {
        if (m_state.stopping.load()) return close();
        if (m_buffer.size() > 0) return read();
        m_stream.expires_after(m_state.options.idle_timeout);
        m_stream.async_read_some(m_buffer.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
            if (ec) return self->close();
            self->m_buffer.commit(n);
            self->read();
        });
    }

    void read() {
        m_parser.emplace();
        m_parser->body_limit(m_state.options.body_limit_bytes);
        m_parser->header_limit(static_cast<std::uint32_t>(m_state.options.header_limit_bytes));
        m_stream.expires_after(m_state.options.request_timeout);
        m_started = std::chrono::steady_clock::now();
        bhttp::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset)
            return close();
        m_state.in_flight.fetch_add(1);
        m_counted = true;
        if (ec == bhttp::error::body_limit) {
            return send_problem(413, "Content Too Large",
                                "the body is larger than " + std::to_string(m_state.options.body_limit_bytes) + " bytes");
        }
        if (ec == bhttp::error::header_limit) {
            return send_problem(431, "Request Header Fields Too Large",
                                "the headers are larger than " + std::to_string(m_state.options.header_limit_bytes) +
                                    " bytes");
        }
        if (ec) return send_problem(400, "Bad Request", "malformed HTTP request: " + ec.message());

        const auto& in = m_parser->get();
        // Answered and the connection closed: what follows on it cannot be trusted to be a request.
        if (const auto problem_text = framing_problem(in); !problem_text.empty())
            return send_problem(400, "Bad Request", problem_text);
        ++m_served;
        m_version = in.version();
        m_keep_alive = in.keep_alive() && m_served < m_state.options.keepalive_requests;
        m_head = in.method() == bhttp::verb::head;
        m_method = std::string{in.method_string()};
        request req;
        try {
            req = to_request(in);
        } catch (const bad_request& e) {
            return answer(problem(400, "Bad Request", e.what(), e.parameter()), "(none)");
        }
        if (m_state.routes.offloaded(req)) {
            auto task = [self = shared_from_this(), req = std::move(req)]() {
                std::string route;
                auto res = self->handle(req, route);
                net::post(self->m_stream.get_executor(), [self, res = std::move(res), route = std::move(route)]() mutable {
                    self->answer(std::move(res), route);
                });
            };
            if (!m_state.pool.try_post(std::move(task))) {
                auto res = problem(503, "Service Unavailable",
                                   "the server has too much slow work queued (" +
                                       std::to_string(m_state.options.worker_queue) + "); try again shortly");
                res.set_header("Retry-After", "1");
                res.set_header("Access-Control-Allow-Origin", "*");
                return answer(std::move(res), "(busy)");
            }
            return;
        }
        std::string route;
        auto res = handle(req, route);
        answer(std::move(res), route);
    }

    response handle(const request& req, std::string& route) const {
        try {
            return m_state.routes.handle(req, &route);
        } catch (const std::exception& e) { // router::handle does not throw; only allocation can
            if (m_state.options.on_error) m_state.options.on_error(std::string{"answering "} + req.method + " " + req.target + ": " + e.what());
            return problem(500, "Internal Server Error", "the server failed to answer; the log has the reason");
        }
    }

    void answer(response&& res, const std::string& route) {
        m_route = route;
        m_status = res.status;
        write(to_beast(std::move(res), m_version, m_keep_alive && !m_state.stopping.load(), m_head));
    }

    void send_problem(unsigned status, const std::string& title, const std::string& detail) {
        auto res = problem(status, title, detail);
        res.set_header("Access-Control-Allow-Origin", "*");
        m_route = "(none)";
        m_method = "other";
        m_status = status;
        write(to_beast(std::move(res), 11, false, false));
    }

    void write(bhttp::response<bhttp::string_body>&& res) {
        m_response = std::move(res);
        m_stream.expires_after(m_state.options.request_timeout);
        bhttp::async_write(m_stream, m_response, beast::bind_front_handler(&session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t bytes) {
        if (m_counted) {
            m_counted = false;
            m_state.in_flight.fetch_sub(1);
            if (m_state.options.on_request) {
                const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - m_started;
                m_state.options.on_request(m_method, m_route, m_status, bytes, took.count());
            }
        }
        if (ec || !m_response.keep_alive()) return close();
        wait();
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
    shared_state& m_state;
    std::size_t m_served = 0;
    unsigned m_version = 11;
    bool m_keep_alive = false;
    bool m_head = false;
    bool m_counted = false;
    std::string m_method;
    std::string m_route;
    unsigned m_status = 0;
    std::chrono::steady_clock::time_point m_started;
};

// Accepts on its own context (with the signals), never on a request thread, and hands each
// connection to the next request context in turn.
class listener : public std::enable_shared_from_this<listener> {
public:
    listener(net::io_context& control, std::vector<std::unique_ptr<net::io_context>>& contexts, tcp::endpoint endpoint,
             shared_state& state)
        : m_contexts{contexts}, m_acceptor{control}, m_backoff{control}, m_state{state} {
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
            self->m_backoff.cancel();
        });
    }

private:
    void accept() {
        auto& next = *m_contexts[m_next++ % m_contexts.size()];
        m_acceptor.async_accept(next, beast::bind_front_handler(&listener::on_accept, shared_from_this()));
    }
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !m_acceptor.is_open()) return;
        if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
            ec.value() == ENFILE) {
            // Out of file descriptors: accepting again at once fails again at once (a busy loop).
            // Wait; the connection stays in the backlog until a descriptor is free.
            if (!m_warned && m_state.options.on_error) m_state.options.on_error("accept: " + ec.message() + "; backing off");
            m_warned = true;
            m_backoff.expires_after(m_state.options.accept_backoff);
            m_backoff.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
                if (!wait_ec) self->accept();
            });
            return;
        }
        m_warned = false;
        if (!ec) {
            if (m_state.connections.load() >= m_state.options.max_connections) refuse(std::move(socket));
            else std::make_shared<session>(std::move(socket), m_state)->run();
        }
        accept();
    }

    // Past max_connections: a short answer, then close. What the client sent is read and dropped
    // for up to a second first, or closing with unread data would reset the connection before the
    // client reads the answer.
    void refuse(tcp::socket socket) {
        static const std::string answer =
            "HTTP/1.1 503 Service Unavailable\r\nServer: kvarter\r\nContent-Type: application/problem+json\r\n"
            "Retry-After: 1\r\nConnection: close\r\nContent-Length: 114\r\n\r\n"
            R"({"type":"about:blank","title":"Service Unavailable","status":503,"detail":"too many connections; try again shortly"})";
        struct refusal : std::enable_shared_from_this<refusal> {
            tcp::socket socket;
            net::steady_timer timer;
            char sink[1024];
            explicit refusal(tcp::socket s) : socket{std::move(s)}, timer{socket.get_executor()} {}
            void drain() {
                socket.async_read_some(net::buffer(sink), [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    if (!ec) return self->drain();
                    self->timer.cancel();
                    beast::error_code ignored;
                    self->socket.close(ignored);
                });
            }
        };
        beast::error_code ec;
        auto r = std::make_shared<refusal>(std::move(socket));
        // A fresh connection's send buffer takes these few bytes at once; never wait on a client here.
        r->socket.non_blocking(true, ec);
        r->socket.write_some(net::buffer(answer), ec);
        r->socket.shutdown(tcp::socket::shutdown_send, ec);
        // The socket belongs to a request context: start the refusal there, not on this thread.
        net::dispatch(r->socket.get_executor(), [r] {
            r->timer.expires_after(std::chrono::seconds{1});
            r->timer.async_wait([r](beast::error_code wait_ec) {
                if (wait_ec) return;
                beast::error_code ignored;
                r->socket.close(ignored);
            });
            r->drain();
        });
    }

    std::vector<std::unique_ptr<net::io_context>>& m_contexts;
    std::size_t m_next = 0;
    tcp::acceptor m_acceptor;
    net::steady_timer m_backoff;
    shared_state& m_state;
    bool m_warned = false;
};

} // namespace

// One io_context per thread, each running its connections start to end: no handler moves between
// threads and no thread wakes another, as in nginx's worker processes. A shared io_context with N
// threads spent a fifth of its time in the kernel handing work over (futex wake-ups and context
// switches, measured with perf under wrk) and served cached tiles at 60-80 % of nginx's rate.
struct server::impl {
    server_options options;
    worker_pool pool;
    shared_state state;
    // The request contexts outlive the control one: destroying it abandons the pending accept,
    // whose socket belongs to a request context.
    std::vector<std::unique_ptr<net::io_context>> contexts; // one per request thread
    net::io_context control{1}; // the acceptor and the signals
    std::shared_ptr<listener> accept;
    std::thread control_thread;
    std::vector<std::thread> threads;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    std::optional<net::signal_set> signals;
    std::function<void()> on_hangup;
    std::atomic<bool> hangup_pending{false};
    std::promise<void> stop_signal;
    bool stop_signalled = false;

    impl(const router& r, server_options o)
        : options{std::move(o)}, pool{options.worker_threads, options.worker_queue}, state{r, options, pool} {
        for (int t = 0; t < std::max(1, options.threads); ++t) contexts.push_back(std::make_unique<net::io_context>(1));
    }

    void on_signal(beast::error_code ec, int signal) {
        if (ec) return;
        if (signal == SIGHUP) {
            // One reload at a time; a SIGHUP while one waits in the queue is folded into it.
            if (!hangup_pending.exchange(true)) {
                const bool posted = pool.try_post([this] {
                    hangup_pending.store(false);
                    on_hangup();
                });
                if (!posted) {
                    hangup_pending.store(false);
                    if (options.on_error) options.on_error("SIGHUP: the worker pool is full; no reload");
                }
            }
            signals->async_wait([this](beast::error_code e, int s) { on_signal(e, s); });
            return;
        }
        if (!stop_signalled) {
            stop_signalled = true;
            stop_signal.set_value();
        }
    }
};

server::server(const router& routes, server_options options) : m_impl{std::make_unique<impl>(routes, std::move(options))} {}

server::~server() { stop(); }

void server::start() {
    auto& i = *m_impl;
    beast::error_code ec;
    const auto address = net::ip::make_address(i.options.address, ec);
    if (ec) throw io_error{"not an IP address: " + i.options.address};
    i.accept = std::make_shared<listener>(i.control, i.contexts, tcp::endpoint{address, i.options.port}, i.state);
    i.accept->run();
    for (auto& c : i.contexts) {
        i.work.push_back(net::make_work_guard(*c));
        i.threads.emplace_back([&ioc = *c] { ioc.run(); });
    }
    i.work.push_back(net::make_work_guard(i.control));
    i.control_thread = std::thread{[&i] { i.control.run(); }};
}

unsigned short server::port() const { return m_impl->accept ? m_impl->accept->port() : 0; }
std::size_t server::connections() const { return m_impl->state.connections.load(); }
std::size_t server::in_flight() const { return m_impl->state.in_flight.load(); }

bool server::stop() {
    auto& i = *m_impl;
    if (i.threads.empty()) return true;
    // No new connection; no new request on a kept-alive one; what is in flight finishes.
    i.state.stopping.store(true);
    if (i.accept) i.accept->stop();
    const auto deadline = std::chrono::steady_clock::now() + i.options.shutdown_timeout;
    while (i.state.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    const bool clean = i.state.in_flight.load() == 0;
    if (!clean && i.options.on_error)
        i.options.on_error("shutdown: " + std::to_string(i.state.in_flight.load()) + " requests still in flight after " +
                           std::to_string(i.options.shutdown_timeout.count()) + " s; cut");
    if (i.signals) net::post(i.control, [&i] {
        beast::error_code ec;
        i.signals->cancel(ec);
    });
    i.work.clear();
    for (auto& c : i.contexts) c->stop();
    for (auto& t : i.threads) t.join();
    i.threads.clear();
    i.control.stop();
    if (i.control_thread.joinable()) i.control_thread.join();
    i.pool.stop(); // what it runs now (a reload) ends; answers to closed connections go nowhere
    i.signals.reset();
    return clean;
}

void server::wait_for_signals(std::function<void()> on_hangup) {
    handle_signals(std::move(on_hangup));
    wait_for_stop();
}

void server::wait_for_stop() { m_impl->stop_signal.get_future().wait(); }

void server::handle_signals(std::function<void()> on_hangup) {
    auto& i = *m_impl;
    i.on_hangup = std::move(on_hangup);
    std::promise<void> installed;
    net::post(i.control, [&i, &installed] {
        i.signals.emplace(i.control, SIGINT, SIGTERM, SIGHUP);
        i.signals->async_wait([&i](beast::error_code e, int s) { i.on_signal(e, s); });
        installed.set_value();
    });
    installed.get_future().wait();
}

} // namespace kvarter::http

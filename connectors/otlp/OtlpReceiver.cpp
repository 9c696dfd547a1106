#include "OtlpReceiver.h"
#include "models/Error.h"
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace fd {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIoTimeout = std::chrono::seconds(30);
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::size_t kDrainChunk = 16 * 1024;

HttpRequest toHttpRequest(http::request<http::string_body> &&req)
{
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.contentType = std::string(req[http::field::content_type]);
    r.contentEncoding = std::string(req[http::field::content_encoding]);
    r.hasOrigin = req.find(http::field::origin) != req.end();
    r.body = std::move(req.body());
    return r;
}

HttpResponse internalError(const char *what)
{
    return HttpResponse{500, "application/json", Json{{"error", std::string("internal error: ") + what}}.dump(), {}};
}

HttpResponse tooLarge(std::size_t limit)
{
    const std::string message = "body exceeds the limit of " + std::to_string(limit) + " bytes";
    return HttpResponse{413, "application/json", Json{{"error", message}}.dump(), {}};
}

// One connection: read a request, let the handler answer it, write, and again while kept alive.
class Session : public std::enable_shared_from_this<Session>
{
public:
    Session(tcp::socket socket, OtlpHttpHandler &handler) : m_stream(std::move(socket)), m_handler(handler) {}

    void start() { readHeader(); }

private:
    void readHeader()
    {
        m_parser.emplace();
        m_parser->header_limit(kHeaderLimit);
        m_parser->body_limit(m_handler.maxBody());
        m_stream.expires_after(kIoTimeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec == http::error::body_limit)
            return send(tooLarge(m_handler.maxBody()), false);
        if (ec)
            return shutdown();
        // curl waits a second for this before sending a larger body
        if (beast::iequals(m_parser->get()[http::field::expect], "100-continue"))
            return sendContinue();
        readBody();
    }

    void sendContinue()
    {
        m_continue.emplace(http::status::continue_, m_parser->get().version());
        m_stream.expires_after(kIoTimeout);
        http::async_write(m_stream, *m_continue, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return self->shutdown();
            self->readBody();
        });
    }

    void readBody()
    {
        m_stream.expires_after(kIoTimeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBody(ec); });
    }

    void onBody(beast::error_code ec)
    {
        if (ec == http::error::body_limit)
            return send(tooLarge(m_handler.maxBody()), false);
        if (ec)
            return shutdown();
        const bool keepAlive = m_parser->get().keep_alive();
        m_version = m_parser->get().version();
        send(answer(m_parser->release()), keepAlive);
    }

    HttpResponse answer(http::request<http::string_body> &&req)
    {
        try {
            return m_handler.handle(toHttpRequest(std::move(req)));
        } catch (const std::exception &e) {
            return internalError(e.what());
        }
    }

    void send(HttpResponse r, bool keepAlive)
    {
        m_response.emplace(static_cast<http::status>(r.status), m_version);
        m_response->set(http::field::server, "flightdeck");
        if (!r.contentType.empty())
            m_response->set(http::field::content_type, r.contentType);
        for (const auto &[name, value] : r.headers)
            m_response->set(name, value);
        m_response->body() = std::move(r.body);
        m_response->keep_alive(keepAlive);
        m_response->prepare_payload();
        m_stream.expires_after(kIoTimeout);
        http::async_write(m_stream, *m_response, [self = shared_from_this(), keepAlive](beast::error_code ec, std::size_t) {
            self->onWritten(ec, keepAlive);
        });
    }

    void onWritten(beast::error_code ec, bool keepAlive)
    {
        m_response.reset();
        if (ec)
            return shutdown();
        if (!keepAlive)
            return drainAndClose();
        readHeader();
    }

    void shutdown()
    {
        beast::error_code ignored;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    // Closing with unread request bytes would reset the connection and the client could lose
    // the answer (a 413 above all): read and discard what is still coming for a moment.
    void drainAndClose()
    {
        shutdown();
        m_scratch.resize(kDrainChunk);
        m_stream.expires_after(kDrainTimeout);
        drain();
    }

    void drain()
    {
        m_stream.async_read_some(asio::buffer(m_scratch), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (!ec)
                self->drain();
        });
    }

    beast::tcp_stream m_stream;
    OtlpHttpHandler &m_handler;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::optional<http::response<http::empty_body>> m_continue;
    std::optional<http::response<http::string_body>> m_response;
    unsigned m_version = 11;
    std::vector<char> m_scratch;
};

std::string endpointText(const std::string &host, std::uint16_t port)
{
    const bool ipv6 = host.find(':') != std::string::npos;
    return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

} // namespace

class OtlpReceiver::Server
{
public:
    explicit Server(OtlpHttpHandler &handler) : m_handler(handler) {}

    ~Server()
    {
        m_ioc.stop();
        if (m_thread.joinable())
            m_thread.join();
    }

    // Returns the bound port; throws fd::Error naming the address when it cannot listen.
    std::uint16_t listen(const std::string &host, std::uint16_t port)
    {
        const auto fail = [&](const beast::error_code &ec) {
            throw Error("cannot listen on " + endpointText(host, port) + ": " + ec.message());
        };
        beast::error_code ec;
        tcp::resolver resolver(m_ioc);
        const auto results = resolver.resolve(host, std::to_string(port),
                                              tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (ec)
            fail(ec);
        const tcp::endpoint endpoint = results.begin()->endpoint();
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec)
            m_acceptor.bind(endpoint, ec);
        if (!ec)
            m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            fail(ec);
        return m_acceptor.local_endpoint().port();
    }

    void run()
    {
        accept();
        m_thread = std::thread([this] { m_ioc.run(); });
    }

private:
    void accept()
    {
        m_acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted)
                return;
            if (!ec)
                std::make_shared<Session>(std::move(socket), m_handler)->start();
            accept();
        });
    }

    OtlpHttpHandler &m_handler;
    asio::io_context m_ioc{1};
    tcp::acceptor m_acceptor{m_ioc}; // after m_ioc: closed before the io_context goes
    std::thread m_thread;
};

OtlpReceiver::OtlpReceiver(QString storePath, std::size_t maxBody)
    : m_handler(std::make_unique<OtlpHttpHandler>(std::move(storePath), maxBody))
{
}

OtlpReceiver::~OtlpReceiver()
{
    stop();
}

void OtlpReceiver::start(const std::string &host, std::uint16_t port)
{
    if (m_server)
        throw Error("the receiver is already listening on " + address());
    auto server = std::make_unique<Server>(*m_handler);
    m_port = server->listen(host, port);
    m_host = host;
    server->run();
    m_server = std::move(server);
}

void OtlpReceiver::stop()
{
    m_server.reset();
}

std::string OtlpReceiver::address() const
{
    return endpointText(m_host, m_port);
}

} // namespace fd

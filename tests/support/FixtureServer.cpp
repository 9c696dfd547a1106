#include "FixtureServer.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace fdtest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool sameName(const std::string &a, const std::string &b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

std::string percentDecode(const std::string &s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size()) {
            out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string serialise(const FixtureResponse &r)
{
    if (r.raw)
        return *r.raw;
    http::response<http::string_body> res { static_cast<http::status>(r.status), 11 };
    res.set(http::field::content_type, r.contentType);
    res.set(http::field::connection, "close");
    for (const auto &[name, value] : r.headers)
        res.set(name, value);
    res.body() = r.body;
    res.prepare_payload();
    std::ostringstream out;
    out << res;
    return out.str();
}

} // namespace

std::string FixtureRequest::path() const
{
    return target.substr(0, target.find('?'));
}

std::string FixtureRequest::param(const std::string &name) const
{
    const auto q = target.find('?');
    if (q == std::string::npos)
        return {};
    std::istringstream pairs(target.substr(q + 1));
    for (std::string pair; std::getline(pairs, pair, '&');) {
        const auto eq = pair.find('=');
        if (percentDecode(pair.substr(0, eq)) == name)
            return eq == std::string::npos ? std::string() : percentDecode(pair.substr(eq + 1));
    }
    return {};
}

std::string FixtureRequest::header(const std::string &name) const
{
    for (const auto &[n, v] : headers)
        if (sameName(n, name))
            return v;
    return {};
}

FixtureResponse FixtureResponse::json(std::string body, int status)
{
    FixtureResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

FixtureResponse FixtureResponse::text(std::string body, int status)
{
    FixtureResponse r = json(std::move(body), status);
    r.contentType = "text/plain; charset=utf-8";
    return r;
}

struct FixtureServer::Impl {
    asio::io_context io;
    tcp::acceptor acceptor { io };
    std::thread thread;
    mutable std::mutex mutex;
    Handler handler;
    std::vector<FixtureRequest> requests;

    void accept()
    {
        acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec)
                return;
            serve(std::make_shared<tcp::socket>(std::move(socket)));
            accept();
        });
    }

    void serve(std::shared_ptr<tcp::socket> socket)
    {
        auto buffer = std::make_shared<beast::flat_buffer>();
        auto parser = std::make_shared<http::request_parser<http::string_body>>();
        parser->body_limit(256 * 1024 * 1024);
        http::async_read(*socket, *buffer, *parser, [this, socket, buffer, parser](beast::error_code ec, std::size_t) {
            if (ec)
                return;
            respond(socket, record(parser->get()));
        });
    }

    FixtureResponse record(const http::request<http::string_body> &req)
    {
        FixtureRequest r;
        r.method = std::string(req.method_string());
        r.target = std::string(req.target());
        for (const auto &field : req)
            r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        r.body = req.body();
        Handler h;
        {
            std::lock_guard lock(mutex);
            requests.push_back(r);
            h = handler;
        }
        return h(r);
    }

    void respond(std::shared_ptr<tcp::socket> socket, const FixtureResponse &r)
    {
        auto bytes = std::make_shared<std::string>(serialise(r));
        if (r.closeAfterBytes && *r.closeAfterBytes < bytes->size())
            bytes->resize(*r.closeAfterBytes);
        auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(r.delayMs));
        timer->async_wait([socket, bytes, timer](beast::error_code) {
            asio::async_write(*socket, asio::buffer(*bytes), [socket, bytes](beast::error_code, std::size_t) {
                beast::error_code ignored;
                socket->shutdown(tcp::socket::shutdown_both, ignored);
                socket->close(ignored);
            });
        });
    }
};

FixtureServer::FixtureServer(Handler handler)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->handler = std::move(handler);
    const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    m_impl->acceptor.open(endpoint.protocol());
    m_impl->acceptor.set_option(tcp::acceptor::reuse_address(true));
    m_impl->acceptor.bind(endpoint);
    m_impl->acceptor.listen();
    m_impl->accept();
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->io.run(); });
}

FixtureServer::~FixtureServer()
{
    m_impl->io.stop();
    m_impl->thread.join();
}

unsigned short FixtureServer::port() const
{
    return m_impl->acceptor.local_endpoint().port();
}

std::string FixtureServer::url() const
{
    return "http://127.0.0.1:" + std::to_string(port());
}

std::vector<FixtureRequest> FixtureServer::requests() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->requests;
}

void FixtureServer::setHandler(Handler handler)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->handler = std::move(handler);
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace fdtest

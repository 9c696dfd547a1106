#include "FixtureServer.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
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
    if (r.padBytes > 0)
        res.content_length(r.body.size() + r.padBytes);
    if (r.contentLength && r.contentLength->empty())
        res.erase(http::field::content_length);
    else if (r.contentLength)
        res.set(http::field::content_length, *r.contentLength);
    std::ostringstream out;
    out << res.base() << r.body; // the body as it is, whatever the header says
    return out.str();
}

// One timed write of the response.
struct Piece {
    int delayMs = 0;
    std::string bytes;
    std::size_t spaces = 0; // then this many spaces, in 64 KiB writes
};

std::vector<Piece> plan(const FixtureResponse &r)
{
    std::string bytes = serialise(r);
    std::size_t pad = r.raw ? 0 : r.padBytes;
    if (r.closeAfterBytes && *r.closeAfterBytes < bytes.size() + pad) {
        pad = *r.closeAfterBytes > bytes.size() ? *r.closeAfterBytes - bytes.size() : 0;
        bytes.resize(std::min(bytes.size(), *r.closeAfterBytes));
    }
    std::vector<Piece> pieces;
    if (r.dripBytes > 0) {
        for (std::size_t at = 0; at < bytes.size(); at += r.dripBytes)
            pieces.push_back({ at == 0 ? r.delayMs : r.dripEveryMs, bytes.substr(at, r.dripBytes) });
    } else if (r.stallAfterBytes && *r.stallAfterBytes < bytes.size()) {
        pieces.push_back({ r.delayMs, bytes.substr(0, *r.stallAfterBytes) });
        pieces.push_back({ r.stallMs, bytes.substr(*r.stallAfterBytes) });
    } else {
        pieces.push_back({ r.delayMs, std::move(bytes) });
    }
    pieces.back().spaces = pad;
    return pieces;
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
        write(std::move(socket), std::make_shared<std::vector<Piece>>(plan(r)), 0);
    }

    static void close(tcp::socket &socket)
    {
        beast::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    void write(std::shared_ptr<tcp::socket> socket, std::shared_ptr<std::vector<Piece>> pieces, std::size_t i)
    {
        if (i == pieces->size())
            return close(*socket);
        auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds((*pieces)[i].delayMs));
        timer->async_wait([this, socket, pieces, i, timer](beast::error_code ec) {
            if (ec)
                return;
            asio::async_write(*socket, asio::buffer((*pieces)[i].bytes),
                [this, socket, pieces, i](beast::error_code ec, std::size_t) {
                    if (ec)
                        return close(*socket); // the client gave up
                    writeSpaces(socket, pieces, i, (*pieces)[i].spaces);
                });
        });
    }

    void writeSpaces(std::shared_ptr<tcp::socket> socket, std::shared_ptr<std::vector<Piece>> pieces, std::size_t i,
        std::size_t left)
    {
        static const std::string kSpaces(64 * 1024, ' ');
        if (left == 0)
            return write(std::move(socket), std::move(pieces), i + 1);
        const std::size_t n = std::min(left, kSpaces.size());
        asio::async_write(*socket, asio::buffer(kSpaces.data(), n),
            [this, socket, pieces, i, left, n](beast::error_code ec, std::size_t) {
                if (ec)
                    return close(*socket);
                writeSpaces(socket, pieces, i, left - n);
            });
    }
};

FixtureServer::FixtureServer(Handler handler, const std::string &host)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->handler = std::move(handler);
    const tcp::endpoint endpoint(asio::ip::make_address(host), 0);
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
    return "http://" + m_impl->acceptor.local_endpoint().address().to_string() + ":" + std::to_string(port());
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

std::size_t headerBytes(const FixtureResponse &r)
{
    return r.raw ? 0 : serialise(r).size() - r.body.size();
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

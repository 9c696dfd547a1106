#include "HttpClient.h"
#include "Url.h"
#include "connectors/otlp/Gzip.h"
#include "models/KnownSecrets.h"
#include <QByteArray>
#include <algorithm>
#include <array>
#include <future>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <optional>
#include <thread>

namespace fd {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

// Well under the 100 ms the design allows a cancelled request.
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr std::size_t kErrorBodyKept = 1 << 20;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// Beast reads as much as the buffer has room for (at least 512 bytes): from an empty buffer a large answer
// would come 512 bytes a read.
constexpr std::size_t kReadChunk = 64 * 1024;

std::string seconds(std::chrono::milliseconds d)
{
    const auto ms = d.count();
    return ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
}

bool isCredentialHeader(const std::string &name, const HttpRequestSpec &spec)
{
    static const std::array<std::string, 3> kAlways = { "Authorization", "Proxy-Authorization", "Cookie" };
    const auto same = [&](const std::string &other) { return sameHeaderName(name, other); };
    return std::any_of(kAlways.begin(), kAlways.end(), same)
        || std::any_of(spec.credentialHeaders.begin(), spec.credentialHeaders.end(), same);
}

// A server may echo a basic login decoded ("user:pass was elastic:s3cret"): the pair and its password are secrets too.
void addBasicPassword(const std::string &headerValue, std::vector<std::string> &secrets)
{
    constexpr std::string_view kBasic = "basic ";
    if (headerValue.size() <= kBasic.size()
        || QByteArray::fromStdString(headerValue.substr(0, kBasic.size())).toLower() != kBasic.data())
        return;
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(headerValue.substr(kBasic.size())),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return;
    const std::string login = decoded.decoded.toStdString();
    secrets.push_back(login);
    if (const std::size_t colon = login.find(':'); colon != std::string::npos)
        secrets.push_back(login.substr(colon + 1));
}

// The values a server echoing the request (a debug page, a proxy's 401) would put into a message: each
// credential header's value, a scheme's token alone ("Bearer T", "Basic B") and a basic login decoded. A tenant
// or a user name is private but no secret: hidden, "Table default.logs" would read "Table <hidden>.logs" (review).
std::vector<std::string> secretValues(const HttpRequestSpec &spec)
{
    static const std::array<std::string, 2> kNamesNotSecrets = {"X-Scope-OrgID", "X-ClickHouse-User"};
    std::vector<std::string> secrets;
    for (const auto &header : spec.headers) {
        const auto same = [&](const std::string &other) { return sameHeaderName(header.first, other); };
        if (!isCredentialHeader(header.first, spec) || std::any_of(kNamesNotSecrets.begin(), kNamesNotSecrets.end(), same))
            continue;
        const std::string &value = header.second;
        secrets.push_back(value);
        if (const std::size_t space = value.find(' '); space != std::string::npos)
            secrets.push_back(value.substr(space + 1));
        addBasicPassword(value, secrets);
    }
    return secrets;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool isIpAddress(const std::string &host)
{
    ErrorCode ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

HttpError connectError(const ErrorCode &ec, const Url &url)
{
    const std::string where = url.host + ":" + std::to_string(url.port);
    if (ec == asio::error::connection_refused)
        return { HttpError::Kind::Refused, "connection refused by " + where + " (is the server running?)" };
    if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again || ec == asio::error::no_data)
        return { HttpError::Kind::Dns, "cannot resolve host \"" + url.host + "\": " + ec.message() };
    return { HttpError::Kind::Connect, "cannot connect to " + where + ": " + ec.message() };
}

using Lookup = std::pair<ErrorCode, tcp::resolver::results_type>;

// Resolves on a detached thread. getaddrinfo cannot be interrupted, and Asio's own resolver joins its thread
// when its io_context goes: a cancelled or timed-out request would wait for a stalled DNS server, holding a
// worker of the thread pool. This way it returns at once and the lookup ends on its own.
std::future<Lookup> lookUp(const Url &url, const HttpOptions &options)
{
    std::packaged_task<Lookup()> task([host = url.host, port = std::to_string(url.port), stand = options.hostLookup] {
        asio::io_context io;
        tcp::resolver resolver(io);
        ErrorCode ec;
        // Synchronous: getaddrinfo on this thread.
        auto endpoints = resolver.resolve(stand ? stand(host) : host, port, ec);
        return Lookup { ec, std::move(endpoints) };
    });
    std::future<Lookup> result = task.get_future();
    std::thread(std::move(task)).detach();
    return result;
}

// One request and its response on one connection, driven on a private io_context so that the calling
// thread can give up at a deadline or on cancellation between short runs.
class Exchange
{
public:
    Exchange(const HttpRequestSpec &spec, const CancelTokenPtr &cancel, Clock::time_point deadline)
        : m_spec(spec)
        , m_cancel(cancel)
        , m_deadline(deadline)
    {
    }

    HttpReply fetch(http::verb verb, const Url &url, const HttpHeaders &headers, const std::string &body)
    {
        const Clock::time_point connectDeadline = Clock::now() + m_spec.options.connectTimeout;
        const bool totalFirst = m_deadline <= connectDeadline;
        const auto connectTimeout = [&](const std::string &step) {
            return totalFirst ? noResponse(url) : "timed out after " + seconds(m_spec.options.connectTimeout) + step;
        };
        const Clock::time_point deadline = totalFirst ? m_deadline : connectDeadline;
        connect(url, deadline, connectTimeout(" connecting to " + url.authority()));
        auto request = makeRequest(verb, url, headers, body);
        if (!url.isHttps())
            return roundTrip(m_socket, request, url);
        ssl::context context = tlsContext();
        ssl::stream<tcp::socket &> stream(m_socket, context);
        handshake(stream, url, deadline, connectTimeout(" in the TLS handshake with " + url.authority()));
        return roundTrip(stream, request, url);
    }

private:
    // Starts one asynchronous step and runs the io_context until it completes; throws on cancellation
    // or at the deadline (closing the socket so nothing is left running).
    template <class Start> ErrorCode await(Start &&start, Clock::time_point deadline, const std::string &timeoutMessage)
    {
        std::optional<ErrorCode> result;
        start([&result](ErrorCode ec) { result = ec; });
        m_io.restart();
        while (!result) {
            m_io.run_for(kPollInterval);
            if (result)
                break;
            if (m_cancel && m_cancel->isCancelled()) {
                abort();
                throw Cancelled();
            }
            if (Clock::now() >= deadline) {
                abort();
                throw HttpError(HttpError::Kind::Timeout, timeoutMessage);
            }
        }
        return *result;
    }

    void abort()
    {
        ErrorCode ignored;
        m_socket.close(ignored);
    }

    // The total timeout gives the same message whichever step it interrupts.
    std::string noResponse(const Url &url) const
    {
        return "no response from " + url.authority() + " within " + seconds(m_spec.options.totalTimeout);
    }

    void connect(const Url &url, Clock::time_point deadline, const std::string &timeout)
    {
        std::future<Lookup> lookup = lookUp(url, m_spec.options);
        while (lookup.wait_for(kPollInterval) != std::future_status::ready) {
            throwIfCancelled(m_cancel);
            if (Clock::now() >= deadline)
                throw HttpError(HttpError::Kind::Timeout, timeout);
        }
        const Lookup found = lookup.get();
        ErrorCode ec = found.first;
        const tcp::resolver::results_type &endpoints = found.second; // not a structured binding: clang 14 cannot capture one
        if (!ec)
            ec = await(
                [&](auto done) { asio::async_connect(m_socket, endpoints, [done](ErrorCode e, auto &&) { done(e); }); },
                deadline, timeout);
        if (ec)
            throw connectError(ec, url);
    }

    ssl::context tlsContext() const
    {
        ssl::context context(ssl::context::tls_client);
        context.set_verify_mode(m_spec.options.verifyTls ? ssl::verify_peer : ssl::verify_none);
        ErrorCode ec;
        if (!m_spec.options.caFile.empty())
            context.load_verify_file(m_spec.options.caFile, ec);
        else
            context.set_default_verify_paths(ec);
        if (ec)
            throw HttpError(HttpError::Kind::Tls,
                "cannot load the CA certificates "
                    + (m_spec.options.caFile.empty() ? std::string("of the system") : "from " + m_spec.options.caFile)
                    + ": " + ec.message());
        return context;
    }

    void handshake(
        ssl::stream<tcp::socket &> &stream, const Url &url, Clock::time_point deadline, const std::string &timeout)
    {
        SSL *ssl = stream.native_handle();
        const bool ip = isIpAddress(url.host);
        if (!ip)
            SSL_set_tlsext_host_name(ssl, url.host.c_str()); // SNI
        // OpenSSL's own name check (not a verify callback) so that a mismatch has a verify result to report.
        X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
        const int named = !m_spec.options.verifyTls ? 1
            : ip                                    ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str())
                                                    : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
        if (named != 1)
            throw HttpError(HttpError::Kind::Tls, "cannot check the certificate of " + url.authority());
        const ErrorCode ec
            = await([&](auto done) { stream.async_handshake(ssl::stream_base::client, done); }, deadline, timeout);
        if (!ec)
            return;
        const long verify = SSL_get_verify_result(ssl);
        const std::string why = verify != X509_V_OK
            ? std::string("certificate verification failed: ") + X509_verify_cert_error_string(verify)
            : ec.message();
        throw HttpError(HttpError::Kind::Tls, "TLS handshake with " + url.authority() + " failed: " + why);
    }

    http::request<http::string_body> makeRequest(
        http::verb verb, const Url &url, const HttpHeaders &headers, const std::string &body) const
    {
        http::request<http::string_body> req { verb, url.target, 11 };
        req.set(http::field::host, url.authority());
        req.set(http::field::user_agent, "flightdeck/" FLIGHTDECK_VERSION);
        req.set(http::field::accept_encoding, "gzip");
        if (verb == http::verb::post) {
            req.set(http::field::content_type, m_spec.contentType);
            req.body() = body;
        }
        for (const auto &[name, value] : headers)
            req.set(name, value);
        req.prepare_payload();
        return req;
    }

    template <class Stream> HttpReply roundTrip(Stream &stream, http::request<http::string_body> &req, const Url &url)
    {
        const std::string timeout = noResponse(url);
        ErrorCode ec
            = await([&](auto done) { http::async_write(stream, req, [done](ErrorCode e, std::size_t) { done(e); }); },
                m_deadline, timeout);
        if (ec)
            throw HttpError(
                HttpError::Kind::Io, "sending the request to " + url.authority() + " failed: " + ec.message());
        beast::flat_buffer buffer;
        buffer.reserve(kReadChunk);
        std::optional<http::response_parser<http::string_body>> parser;
        for (int interim = 0;; ++interim) { // a client skips interim (1xx) answers (RFC 9110, 15.2)
            parser.emplace();
            parser->header_limit(kHeaderLimit);
            parser->body_limit(m_spec.options.maxResponseBytes);
            ec = readResponse(stream, buffer, *parser, url, timeout);
            if (ec || !isInterim(parser->get().result_int()))
                break;
            if (interim == kMaxInterimAnswers)
                throw HttpError(HttpError::Kind::Io, url.authority() + " sent more than "
                    + std::to_string(kMaxInterimAnswers) + " interim (1xx) answers and no final one");
        }
        if (ec == ssl::error::stream_truncated && parser->is_done())
            ec = {}; // a server that closes without TLS close_notify after a complete response
        abort();
        if (ec == http::error::body_limit)
            throw tooLarge(url);
        if (ec)
            throw readError(ec, *parser, url);
        return toResponse(parser->release(), url);
    }

    // 101 Switching Protocols ends HTTP on the connection: an answer, which no request here asks for.
    static bool isInterim(int status) { return status >= 100 && status < 200 && status != 101; }
    static constexpr int kMaxInterimAnswers = 10;

    // The header first: Beast 1.74 reading a whole message lets a Content-Length above the body limit
    // through (the eager parse overwrites the error), so the announced length is checked here.
    template <class Stream>
    ErrorCode readResponse(Stream &stream, beast::flat_buffer &buffer, http::response_parser<http::string_body> &parser,
        const Url &url, const std::string &timeout)
    {
        try {
            ErrorCode ec = await([&](auto done) {
                http::async_read_header(stream, buffer, parser, [done](ErrorCode e, std::size_t) { done(e); });
            }, m_deadline, timeout);
            if (!ec && parser.content_length() && *parser.content_length() > m_spec.options.maxResponseBytes)
                return http::error::body_limit;
            if (!ec && !parser.is_done())
                ec = await([&](auto done) {
                    http::async_read(stream, buffer, parser, [done](ErrorCode e, std::size_t) { done(e); });
                }, m_deadline, timeout);
            return ec;
        } catch (const HttpError &e) {
            if (e.kind() != HttpError::Kind::Timeout || !parser.is_header_done())
                throw;
            // The server answered and then stalled or dripped: say so rather than "no response".
            throw HttpError(HttpError::Kind::Timeout,
                "the response from " + url.authority() + " (HTTP " + std::to_string(parser.get().result_int())
                    + ") was not complete within " + seconds(m_spec.options.totalTimeout) + " ("
                    + std::to_string(parser.get().body().size()) + " body bytes so far)");
        }
    }

    static HttpError readError(
        const ErrorCode &ec, const http::response_parser<http::string_body> &parser, const Url &url)
    {
        if (ec == http::error::end_of_stream)
            return { HttpError::Kind::Io, url.authority() + " closed the connection without answering" };
        if (ec == http::error::partial_message || ec == ssl::error::stream_truncated) {
            std::string got;
            if (parser.is_header_done() && parser.content_length())
                got = " (" + std::to_string(parser.get().body().size()) + " of "
                    + std::to_string(*parser.content_length()) + " body bytes)";
            return { HttpError::Kind::Io,
                url.authority() + " closed the connection before the response was complete" + got };
        }
        return { HttpError::Kind::Io, "reading the response from " + url.authority() + " failed: " + ec.message() };
    }

    // Between steps that run on this thread (decompression): the same cancel and deadline as the exchange.
    void checkpoint(const Url &url) const
    {
        throwIfCancelled(m_cancel);
        if (Clock::now() >= m_deadline)
            throw HttpError(HttpError::Kind::Timeout,
                "decompressing the response from " + url.authority() + " took longer than "
                    + seconds(m_spec.options.totalTimeout));
    }

    HttpError tooLarge(const Url &url) const
    {
        return { HttpError::Kind::TooLarge,
            "the response from " + url.authority() + " exceeds the limit of "
                + std::to_string(m_spec.options.maxResponseBytes) + " bytes" };
    }

    HttpReply toResponse(http::response<http::string_body> &&res, const Url &url) const
    {
        HttpReply r;
        r.status = int(res.result_int());
        r.reason = std::string(res.reason());
        r.url = url.toString();
        for (const auto &field : res)
            r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        r.body = std::move(res.body());
        const std::string encoding = r.header("Content-Encoding");
        // Content codings compare without regard to case, like header names.
        if (sameHeaderName(encoding, "gzip") || sameHeaderName(encoding, "x-gzip")
            || sameHeaderName(encoding, "deflate")) {
            try {
                r.body = gunzip(r.body, m_spec.options.maxResponseBytes, [&] { checkpoint(url); });
            } catch (const BodyTooLarge &) {
                throw tooLarge(url);
            } catch (const Cancelled &) {
                throw;
            } catch (const HttpError &) {
                throw; // the deadline
            } catch (const Error &e) {
                throw HttpError(HttpError::Kind::Io,
                    "cannot decompress the " + encoding + " response from " + url.authority() + ": " + e.what());
            }
        }
        return r;
    }

    const HttpRequestSpec &m_spec;
    CancelTokenPtr m_cancel;
    Clock::time_point m_deadline;
    asio::io_context m_io;
    tcp::socket m_socket { m_io };
};

HttpReply send(http::verb verb, const HttpRequestSpec &spec, const CancelTokenPtr &cancel)
{
    const Clock::time_point deadline = Clock::now() + spec.options.totalTimeout;
    Url url = Url::parse(spec.url);
    try {
        for (const auto &[name, value] : spec.headers)
            requireValidHeader(name, value);
    } catch (const Error &e) {
        throw HttpError(HttpError::Kind::Url, e.what()); // the request as asked cannot be sent, as a bad URL
    }
    HttpHeaders headers = spec.headers;
    std::string body = spec.body;
    // A 200's body is data, kept as it came; a message quoting it (fd::Error) hides these.
    rememberSecrets(secretValues(spec));
    for (int hop = 0;; ++hop) {
        HttpReply r = Exchange(spec, cancel, deadline).fetch(verb, url, headers, body);
        const std::string location = r.header("Location");
        if (!isRedirect(r.status) || location.empty()) {
            if (!r.ok()) { // its body is quoted in messages (and read only for the engine's error)
                // The first MiB: hiding a 64 MB body of near misses of a long token had taken minutes (review).
                // A secret the cut leaves in two goes with it, head and all.
                if (r.body.size() > kErrorBodyKept)
                    r.body.resize(kErrorBodyKept - std::min(kErrorBodyKept, kLongestEscape * longestSecret()));
                r.body = withoutSecrets(std::move(r.body));
            }
            return r;
        }
        if (hop >= spec.options.maxRedirects)
            throw HttpError(HttpError::Kind::Redirects,
                "more than " + std::to_string(spec.options.maxRedirects) + " redirects, the last from "
                    + url.toString());
        const Url next = url.resolve(location);
        if (!next.sameOrigin(url))
            std::erase_if(headers, [&](const auto &h) { return isCredentialHeader(h.first, spec); });
        if (r.status == 303 || (verb == http::verb::post && (r.status == 301 || r.status == 302))) {
            verb = http::verb::get;
            body.clear();
        }
        url = next;
    }
}

} // namespace

HttpReply HttpClient::get(const HttpRequestSpec &spec, const CancelTokenPtr &cancel) const
{
    return send(http::verb::get, spec, cancel);
}

HttpReply HttpClient::post(const HttpRequestSpec &spec, const CancelTokenPtr &cancel) const
{
    return send(http::verb::post, spec, cancel);
}

} // namespace fd

#include "OtlpReceiver.h"
#include "InFlightBudget.h"
#include "SerialWorker.h"
#include "models/Error.h"
#include "models/ValidUtf8.h"
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <optional>
#include <semaphore>
#include <thread>
#include <vector>

namespace fd {

// Decoded requests waiting for or in their commit: the decoder runs this far ahead of the store and no
// further, so that decoded batches (larger than their bodies) stay few when the store is slow.
constexpr std::ptrdiff_t kPreparedAhead = 2;
using PreparedSlots = std::counting_semaphore<kPreparedAhead>;

// What every connection of one server shares. Outside the anonymous namespace: OtlpReceiver::Server, a
// class with linkage, holds one.
struct ReceiverContext {
    OtlpHttpHandler &handler;
    const ReceiverLimits &limits;
    InFlightBudget &budget;
    SerialWorker &decoder; // inflates and decodes requests, beside the store's commits
    PreparedSlots &prepared;
    SerialWorker &store; // commits decoded requests in order and answers them
    std::atomic<int> &answering; // answers of the workers not yet written: a stopping receiver writes them first
};

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIoTimeout = std::chrono::seconds(30);
constexpr auto kAnswerGrace = std::chrono::seconds(5); // a stopping receiver's wait for its last answers to be written
constexpr auto kDrainTimeout = std::chrono::seconds(2);
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::uint32_t kRefusedHeaderLimit = 8 * 1024;
constexpr std::size_t kDrainChunk = 16 * 1024;
// Beast reads as much as the buffer has room for, and no less than 512 bytes: a body read into the
// buffer as readHeader() shrinks it takes a system call per 512 bytes (4,300 for 2 MB).
constexpr std::size_t kBodyReadChunk = 64 * 1024;
using Clock = std::chrono::steady_clock;

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
    return HttpResponse{500, "application/json", Json{{"error", "internal error: " + validUtf8(what)}}.dump(), {}};
}


// One connection: read a request, let the decoder and then the store's worker answer it, write, and
// again while kept alive.
// A body is read only once its bytes are reserved in the in-flight budget; when they cannot be, or the
// connection is one too many, the request is answered 503 + Retry-After and the connection closed.
class Session : public std::enable_shared_from_this<Session>
{
public:
    Session(tcp::socket socket, ReceiverContext &context, bool overLimit)
        : m_stream(std::move(socket)), m_context(context), m_overLimit(overLimit)
    {
        if (m_overLimit)
            ++stats().refusing;
        else
            ++stats().connections;
    }

    ~Session()
    {
        releaseBody();
        if (m_overLimit)
            --stats().refusing;
        else
            --stats().connections;
    }

    void start() { readHeader(); }

private:
    ReceiverStats &stats() { return m_context.handler.stats(); }

    void readHeader()
    {
        m_buffer.shrink_to_fit(); // an idle connection keeps no body-sized buffer
        m_parser.emplace();
        m_parser->header_limit(m_overLimit ? kRefusedHeaderLimit : kHeaderLimit);
        m_parser->body_limit(m_context.handler.maxBody());
        m_stream.expires_after(kIoTimeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec == http::error::body_limit)
            return send(tooLarge(), false);
        if (isMalformed(ec)) // a negative or 23-digit Content-Length, it and chunked both ...: say so (exploratory test)
            return send(OtlpHttpHandler::malformed("malformed HTTP request: " + ec.message()), false);
        if (ec)
            return shutdown();
        m_version = m_parser->get().version();
        if (m_overLimit)
            return refuse("too many connections (" + std::to_string(m_context.limits.maxConnections) + ")");
        const auto length = m_parser->content_length();
        if (length && *length > 0 && !reserve(static_cast<std::size_t>(*length)))
            return refuse(busyMessage());
        const std::uint64_t declared = length.value_or(m_context.handler.maxBody()); // chunked: at most maxBody
        m_bodyDeadline = Clock::now() + m_context.limits.bodyTimeout + std::chrono::seconds(declared >> 20);
        // curl waits a second for this before sending a larger body
        if (beast::iequals(m_parser->get()[http::field::expect], "100-continue"))
            return sendContinue();
        readBody();
    }

    void sendContinue()
    {
        m_continue.emplace(http::status::continue_, m_version);
        m_stream.expires_after(kIoTimeout);
        http::async_write(m_stream, *m_continue, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return self->shutdown();
            self->readBody();
        });
    }

    // In pieces, so that a chunked body (no Content-Length) reserves its bytes as they come.
    void readBody()
    {
        if (m_parser->is_done()) // no body, or all of it came with the header
            return onBody();
        if (m_buffer.capacity() < kBodyReadChunk)
            m_buffer.reserve(kBodyReadChunk);
        m_stream.expires_at(std::min(Clock::now() + kIoTimeout, m_bodyDeadline));
        http::async_read_some(m_stream, m_buffer, *m_parser,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onBodyPart(ec); });
    }

    void onBodyPart(beast::error_code ec)
    {
        if (ec == http::error::body_limit) {
            releaseBody();
            return send(tooLarge(), false);
        }
        if (ec)
            return shutdown();
        const std::size_t have = m_parser->get().body().size();
        if (have > m_reserved && !reserve(have)) {
            releaseBody();
            return refuse(busyMessage());
        }
        readBody();
    }

    void onBody()
    {
        const bool keepAlive = m_parser->get().keep_alive();
        auto request = std::make_shared<HttpRequest>(toHttpRequest(m_parser->release()));
        m_parser.reset();
        m_context.decoder.post([self = shared_from_this(), request, keepAlive, queued = Clock::now()] {
            self->prepare(request, queued, keepAlive);
        });
    }

    // On the decoder; the commit follows on the store's worker.
    void prepare(const std::shared_ptr<HttpRequest> &request, Clock::time_point queued, bool keepAlive)
    {
        if (waitedTooLong(queued))
            return reply(storeNotKeepingUp(*request), keepAlive);
        m_context.prepared.acquire();
        auto prepared = std::make_shared<PreparedRequest>(tryPrepare(*request));
        std::string().swap(request->body);
        m_context.store.post([self = shared_from_this(), request, prepared, queued, keepAlive] {
            self->commit(*request, *prepared, queued, keepAlive);
        });
    }

    // On the store's worker.
    void commit(const HttpRequest &request, PreparedRequest &prepared, Clock::time_point queued, bool keepAlive)
    {
        HttpResponse response = waitedTooLong(queued) ? storeNotKeepingUp(request) : tryCommit(std::move(prepared));
        m_context.prepared.release();
        reply(std::move(response), keepAlive);
    }

    bool waitedTooLong(Clock::time_point queued) const
    {
        return Clock::now() - queued > m_context.limits.maxQueueWait;
    }

    HttpResponse storeNotKeepingUp(const HttpRequest &request)
    {
        return refusal(request.target, request.contentType, "the store is not keeping up");
    }

    // Any thread; the answer is written back on the io thread.
    void reply(HttpResponse response, bool keepAlive)
    {
        releaseBody();
        ++m_context.answering;
        auto executor = m_stream.get_executor();
        asio::post(executor, [self = shared_from_this(), response = std::move(response), keepAlive]() mutable {
            self->send(std::move(response), keepAlive, true);
        });
    }

    PreparedRequest tryPrepare(const HttpRequest &request)
    {
        try {
            return m_context.handler.prepare(request);
        } catch (const std::exception &e) {
            return PreparedRequest::answered(internalError(e.what()));
        }
    }

    HttpResponse tryCommit(PreparedRequest prepared)
    {
        try {
            return m_context.handler.commit(std::move(prepared));
        } catch (const std::exception &e) {
            return internalError(e.what());
        }
    }

    bool reserve(std::size_t total)
    {
        if (!m_context.budget.tryReserve(total - m_reserved, m_reserved))
            return false;
        m_reserved = total;
        return true;
    }

    void releaseBody()
    {
        m_context.budget.release(m_reserved);
        m_reserved = 0;
    }

    std::string busyMessage() const
    {
        return "the receiver is busy: " + std::to_string(m_context.limits.maxBytesInFlight)
               + " bytes of requests are in flight; retry later";
    }

    HttpResponse refusal(std::string_view target, std::string_view contentType, const std::string &message)
    {
        ++stats().requests;
        ++stats().failedRequests;
        ++stats().throttled;
        return OtlpHttpHandler::overloaded(target, contentType, message, m_context.limits.retryAfterSeconds);
    }

    // A request the HTTP parser refuses, as opposed to a connection that closed or timed out.
    static bool isMalformed(const beast::error_code &ec)
    {
        return ec && ec.category() == make_error_code(http::error::bad_version).category() && ec != http::error::end_of_stream
            && ec != http::error::partial_message && ec != http::error::need_more;
    }

    // Answers before the body is read; the connection closes after it (its unread body is drained).
    HttpResponse tooLarge() const
    {
        const auto &header = m_parser->get();
        const auto target = header.target();
        const auto contentType = header[http::field::content_type];
        return OtlpHttpHandler::tooLarge({target.data(), target.size()}, {contentType.data(), contentType.size()},
                                         m_context.handler.maxBody());
    }

    void refuse(const std::string &message)
    {
        const auto &header = m_parser->get();
        const auto target = header.target();
        const auto contentType = header[http::field::content_type];
        HttpResponse r = refusal({target.data(), target.size()}, {contentType.data(), contentType.size()}, message);
        m_parser.reset();
        send(std::move(r), false);
    }

    void send(HttpResponse r, bool keepAlive, bool ofAWorker = false)
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
        http::async_write(m_stream, *m_response,
                          [self = shared_from_this(), keepAlive, ofAWorker](beast::error_code ec, std::size_t) {
                              if (ofAWorker)
                                  --self->m_context.answering;
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
    // the answer (a 413 or 503 above all): read and discard what is still coming for a moment.
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
    ReceiverContext &m_context;
    const bool m_overLimit;
    std::size_t m_reserved = 0; // bytes of the in-flight budget this request holds
    Clock::time_point m_bodyDeadline; // set with each request's header
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
    Server(OtlpHttpHandler &handler, const ReceiverLimits &limits)
        : m_budget(limits.maxBytesInFlight, handler.stats().bytesInFlight, handler.stats().peakBytesInFlight),
          m_context{handler, limits, m_budget, m_decoder, m_prepared, m_store, m_answering}
    {
        m_store.setIdleJob([&handler] { return handler.indexFullTextStep(); });
        m_store.post([] {}); // the idle job's first turn: rows left unindexed before this receiver started
    }

    // No more connections; then the decoder (the store's worker still frees the slot it may wait for), then the
    // store's worker, whose commit under way ends and is answered while the io thread still runs (its records
    // are stored: unanswered, a client sends them again); then the io thread, after the answers those posted.
    // The requests still queued are dropped unanswered (none was acknowledged).
    ~Server()
    {
        asio::post(m_ioc, [this] {
            beast::error_code ignored;
            m_acceptor.close(ignored);
            m_acceptRetry.cancel();
        });
        m_decoder.stop();
        m_store.stop();
        asio::post(m_ioc, [this] { stopWhenAnswered(Clock::now() + kAnswerGrace); });
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
    // The io thread stops once the workers' answers are written, or at the deadline (a client that reads none).
    void stopWhenAnswered(Clock::time_point deadline)
    {
        if (m_answering == 0 || Clock::now() >= deadline)
            return m_ioc.stop();
        m_stopCheck.expires_after(std::chrono::milliseconds(1));
        m_stopCheck.async_wait([this, deadline](beast::error_code) { stopWhenAnswered(deadline); });
    }

    void accept()
    {
        m_acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted)
                return;
            if (ec) // out of file descriptors (EMFILE) and the like: accepting again at once would spin
                return acceptLater();
            const bool overLimit = m_context.handler.stats().connections >= m_context.limits.maxConnections;
            // Each refusal holds a descriptor until its 503 is written (up to a header's timeout): as many
            // refusals as connections, and those past them are closed unanswered.
            if (!overLimit || m_context.handler.stats().refusing < m_context.limits.maxConnections)
                std::make_shared<Session>(std::move(socket), m_context, overLimit)->start();
            accept();
        });
    }

    void acceptLater()
    {
        m_acceptRetry.expires_after(std::chrono::milliseconds(100));
        m_acceptRetry.async_wait([this](beast::error_code ec) {
            if (!ec)
                accept();
        });
    }

    InFlightBudget m_budget;
    std::atomic<int> m_answering{0};
    SerialWorker m_store;
    PreparedSlots m_prepared{kPreparedAhead};
    SerialWorker m_decoder;
    ReceiverContext m_context;
    asio::io_context m_ioc{1}; // after the budget and workers: its sessions use them when destroyed
    tcp::acceptor m_acceptor{m_ioc}; // after m_ioc: closed before the io_context goes
    asio::steady_timer m_acceptRetry{m_ioc};
    asio::steady_timer m_stopCheck{m_ioc};
    // Until it is stopped: with the acceptor closed and every session waiting for a worker, the io thread would
    // run out of work and end before the answers came
    asio::executor_work_guard<asio::io_context::executor_type> m_keepRunning = asio::make_work_guard(m_ioc);
    std::thread m_thread;
};

OtlpReceiver::OtlpReceiver(QString storePath, ReceiverLimits limits)
    : m_limits(limits), m_handler(std::make_unique<OtlpHttpHandler>(std::move(storePath), limits.maxBody))
{
    m_handler->setStoreBusyTimeout(limits.storeBusyTimeout);
    m_handler->setFullTextLagLimit(limits.maxFullTextLag);
}

OtlpReceiver::OtlpReceiver(QString storePath, std::size_t maxBody)
    : OtlpReceiver(std::move(storePath), ReceiverLimits{.maxBody = maxBody})
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
    auto server = std::make_unique<Server>(*m_handler, m_limits);
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

#pragma once
#include "OtlpSignal.h"
#include "ReceiverLimits.h"
#include "ReceiverStats.h"
#include "models/Telemetry.h"
#include <QString>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fd {

class Store;

struct HttpRequest {
    std::string method;
    std::string target;
    std::string contentType;
    std::string contentEncoding;
    bool hasOrigin = false;
    std::string body;
};

struct HttpResponse {
    int status = 200;
    std::string contentType;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// A request read and decoded, waiting for the store: either its answer already (an error) or what to
// write. Preparing needs no store, so it may run beside another request's commit.
struct PreparedRequest {
    std::optional<HttpResponse> answer;
    OtlpSignal signal = OtlpSignal::Traces;
    bool protobuf = false;
    TelemetryBatch batch;
    std::int64_t rejected = 0;
    std::optional<Marker> marker;

    static PreparedRequest answered(HttpResponse response)
    {
        PreparedRequest p;
        p.answer = std::move(response);
        return p;
    }
};

// The receiver's HTTP semantics without any networking: OTLP/HTTP export (JSON or protobuf,
// optionally gzip) and the markers API, written into a store it opens on first use. prepare() may run
// on any thread, at once with commit(); commit() runs on one thread at a time (the store is one
// connection). Only stats() may be read from other threads.
class OtlpHttpHandler
{
public:
    static constexpr std::size_t kDefaultMaxBody = 64 * 1024 * 1024;

    explicit OtlpHttpHandler(QString storePath, std::size_t maxBody = kDefaultMaxBody);
    ~OtlpHttpHandler();
    OtlpHttpHandler(const OtlpHttpHandler &) = delete;
    OtlpHttpHandler &operator=(const OtlpHttpHandler &) = delete;

    // prepare() then commit(), on the calling thread.
    HttpResponse handle(const HttpRequest &request);
    // Routes, inflates and decodes; touches neither the store nor the stats.
    PreparedRequest prepare(const HttpRequest &request) const;
    // Writes what prepare() decoded, counts the request and returns its answer.
    HttpResponse commit(PreparedRequest prepared);
    // The 503 + Retry-After answer for a request refused before it is read (the receiver is over a
    // limit), in the encoding its content type asks for.
    static HttpResponse overloaded(std::string_view target, std::string_view contentType, const std::string &message,
                                   int retryAfterSeconds);
    // The 413 for a body past maxBody, found while it is read: an OTLP Status on an export path.
    static HttpResponse tooLarge(std::string_view target, std::string_view contentType, std::size_t maxBody);
    // 400 for a request whose framing the HTTP parser refuses: {"error": message}.
    static HttpResponse malformed(const std::string &message);

    // Adds a short step of log bodies to the full-text index, never waiting for another writer; returns
    // whether more are waiting. On the commit thread, between requests (commit() indexes only when the
    // index falls far behind). Opens the store when no request has yet, unless another writer holds it.
    bool indexFullTextStep();
    // How many log rows may wait for the full-text index while requests keep coming (searching them scans
    // their bodies); past it, each commit indexes twice what it wrote.
    void setFullTextLagLimit(std::int64_t rows) { m_fullTextLagLimit = rows; }

    const ReceiverStats &stats() const { return m_stats; }
    ReceiverStats &stats() { return m_stats; }
    std::size_t maxBody() const { return m_maxBody; }
    // How long an insert waits for another writer (the GUI, `flightdeck import`) before the request
    // is answered 503; SQLite's busy timeout.
    void setStoreBusyTimeout(std::chrono::milliseconds timeout) { m_storeBusyTimeout = timeout; }

private:
    PreparedRequest exportRequest(OtlpSignal signal, const HttpRequest &request) const;
    PreparedRequest markerRequest(const HttpRequest &request) const;
    HttpResponse commitExport(PreparedRequest &prepared);
    HttpResponse commitMarker(Marker &marker);
    void count(const TelemetryBatch &batch, std::int64_t rejected);
    Store &store();

    QString m_storePath;
    std::size_t m_maxBody;
    std::chrono::milliseconds m_storeBusyTimeout{10000};
    std::int64_t m_fullTextLagLimit = ReceiverLimits{}.maxFullTextLag;
    std::unique_ptr<Store> m_store;
    ReceiverStats m_stats;
};

} // namespace fd

#pragma once
#include "OtlpSignal.h"
#include "ReceiverStats.h"
#include "models/Telemetry.h"
#include <QString>
#include <chrono>
#include <cstddef>
#include <memory>
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

// The receiver's HTTP semantics without any networking: OTLP/HTTP export (JSON or protobuf,
// optionally gzip) and the markers API, written into a store it opens on first use. One handler
// serves one thread; only stats() may be read from others.
class OtlpHttpHandler
{
public:
    static constexpr std::size_t kDefaultMaxBody = 64 * 1024 * 1024;

    explicit OtlpHttpHandler(QString storePath, std::size_t maxBody = kDefaultMaxBody);
    ~OtlpHttpHandler();
    OtlpHttpHandler(const OtlpHttpHandler &) = delete;
    OtlpHttpHandler &operator=(const OtlpHttpHandler &) = delete;

    HttpResponse handle(const HttpRequest &request);
    // The 503 + Retry-After answer for a request refused before it is read (the receiver is over a
    // limit), in the encoding its content type asks for.
    static HttpResponse overloaded(std::string_view target, std::string_view contentType, const std::string &message,
                                   int retryAfterSeconds);

    const ReceiverStats &stats() const { return m_stats; }
    ReceiverStats &stats() { return m_stats; }
    std::size_t maxBody() const { return m_maxBody; }
    // How long an insert waits for another writer (the GUI, `flightdeck import`) before the request
    // is answered 503; SQLite's busy timeout.
    void setStoreBusyTimeout(std::chrono::milliseconds timeout) { m_storeBusyTimeout = timeout; }

private:
    enum class Encoding { Json, Protobuf };

    HttpResponse route(const HttpRequest &request);
    HttpResponse exportRequest(OtlpSignal signal, const HttpRequest &request);
    HttpResponse exportBody(OtlpSignal signal, Encoding encoding, std::string_view body);
    HttpResponse markerRequest(const HttpRequest &request);
    HttpResponse storeMarker(std::string_view body);
    void count(const TelemetryBatch &batch, std::int64_t rejected);
    Store &store();

    QString m_storePath;
    std::size_t m_maxBody;
    std::chrono::milliseconds m_storeBusyTimeout{10000};
    std::unique_ptr<Store> m_store;
    ReceiverStats m_stats;
};

} // namespace fd

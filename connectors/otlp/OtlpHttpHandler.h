#pragma once
#include "OtlpSignal.h"
#include "ReceiverStats.h"
#include "models/Telemetry.h"
#include <QString>
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

    const ReceiverStats &stats() const { return m_stats; }
    std::size_t maxBody() const { return m_maxBody; }

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
    std::unique_ptr<Store> m_store;
    ReceiverStats m_stats;
};

} // namespace fd

#include "OtlpHttpHandler.h"
#include "Gzip.h"
#include "OtlpBatchBuilder.h"
#include "OtlpJsonDecoder.h"
#include "OtlpProtoDecoder.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/ValidUtf8.h"
#include "logs_service.pb.h"
#include "metrics_service.pb.h"
#include "rpc_status.pb.h"
#include "trace_service.pb.h"
#include <QScopeGuard>
#include <algorithm>
#include <optional>

namespace fd {

namespace {

constexpr const char *kJsonType = "application/json";
constexpr const char *kProtobufType = "application/x-protobuf";
constexpr const char *kRetryAfterSeconds = "5";

// google.rpc.Code values that OTLP/HTTP puts in an error body.
constexpr int kInvalidArgument = 3;
constexpr int kResourceExhausted = 8;
constexpr int kUnavailable = 14;
// Rows indexed per step between requests: about 50 ms, the longest a request that comes meanwhile waits.
constexpr std::int64_t kIdleIndexRows = 10'000;

std::string lowercase(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trimmed(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// "application/json; charset=utf-8" -> "application/json"
std::string mediaType(std::string_view contentType)
{
    return lowercase(trimmed(contentType.substr(0, contentType.find(';'))));
}

std::string_view pathOf(std::string_view target)
{
    return target.substr(0, target.find('?'));
}

std::optional<OtlpSignal> signalForPath(std::string_view path)
{
    if (path == "/v1/traces")
        return OtlpSignal::Traces;
    if (path == "/v1/logs")
        return OtlpSignal::Logs;
    if (path == "/v1/metrics")
        return OtlpSignal::Metrics;
    return std::nullopt;
}

HttpResponse jsonResponse(int status, const Json &body)
{
    // An error may quote the request's bytes, which need not be UTF-8: those become U+FFFD, not an exception.
    return HttpResponse{status, kJsonType, body.dump(-1, ' ', false, Json::error_handler_t::replace), {}};
}

HttpResponse apiError(int status, const std::string &message)
{
    return jsonResponse(status, Json{{"error", message}});
}

std::string serialized(const google::protobuf::MessageLite &message)
{
    std::string out;
    message.SerializeToString(&out);
    return out;
}

template<typename Response, typename SetRejected>
std::string protoExportResponse(std::int64_t rejected, const std::string &message, SetRejected setRejected)
{
    Response response;
    if (!message.empty()) {
        auto *partial = response.mutable_partial_success();
        setRejected(*partial, rejected);
        partial->set_error_message(message);
    }
    return serialized(response);
}

const char *rejectedJsonKey(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return "rejectedSpans";
    case OtlpSignal::Logs:
        return "rejectedLogRecords";
    case OtlpSignal::Metrics:
        break;
    }
    return "rejectedDataPoints";
}

std::string protoResponseBody(OtlpSignal signal, std::int64_t rejected, const std::string &message)
{
    namespace ct = opentelemetry::proto::collector::trace::v1;
    namespace cl = opentelemetry::proto::collector::logs::v1;
    namespace cm = opentelemetry::proto::collector::metrics::v1;
    switch (signal) {
    case OtlpSignal::Traces:
        return protoExportResponse<ct::ExportTraceServiceResponse>(
            rejected, message, [](auto &p, std::int64_t n) { p.set_rejected_spans(n); });
    case OtlpSignal::Logs:
        return protoExportResponse<cl::ExportLogsServiceResponse>(
            rejected, message, [](auto &p, std::int64_t n) { p.set_rejected_log_records(n); });
    case OtlpSignal::Metrics:
        break;
    }
    return protoExportResponse<cm::ExportMetricsServiceResponse>(
        rejected, message, [](auto &p, std::int64_t n) { p.set_rejected_data_points(n); });
}

// OTLP's partial success also carries a warning about data it accepted whole, with 0 rejected.
HttpResponse exportSuccess(OtlpSignal signal, bool protobuf, std::int64_t rejected, const DroppedIds &idsDropped)
{
    std::string message = rejected > 0 ? rejectionMessage(signal, rejected) : std::string();
    if (idsDropped.any())
        message += (message.empty() ? "" : "; ") + idsDropped.text();
    if (protobuf)
        return HttpResponse{200, kProtobufType, protoResponseBody(signal, rejected, message), {}};
    Json body = Json::object();
    if (!message.empty()) // OTLP/JSON writes int64 as a string
        body["partialSuccess"] = Json{{rejectedJsonKey(signal), std::to_string(rejected)}, {"errorMessage", message}};
    return jsonResponse(200, body);
}

// The error body OTLP/HTTP asks for: a google.rpc.Status in the request's encoding.
HttpResponse exportError(int status, bool protobuf, int code, const std::string &message)
{
    if (!protobuf)
        return jsonResponse(status, Json{{"code", code}, {"message", message}});
    flightdeck::rpc::Status body;
    body.set_code(code);
    body.set_message(validUtf8(message)); // a proto3 string: strict clients refuse one that is no UTF-8
    return HttpResponse{status, kProtobufType, serialized(body), {}};
}

HttpResponse unavailable(bool protobuf, const std::string &message, const std::string &retryAfter = kRetryAfterSeconds)
{
    HttpResponse r = exportError(503, protobuf, kUnavailable, message);
    r.headers.emplace_back("Retry-After", retryAfter);
    return r;
}

// Inflates a compressed body into storage and returns a view of what to decode.
std::string_view decodedBody(const HttpRequest &request, std::size_t limit, std::string &storage)
{
    const std::string encoding = lowercase(trimmed(request.contentEncoding));
    if (encoding.empty() || encoding == "identity")
        return request.body;
    storage = gunzip(request.body, limit);
    return storage;
}

bool isSupportedEncoding(const std::string &contentEncoding)
{
    const std::string e = lowercase(trimmed(contentEncoding));
    return e.empty() || e == "identity" || e == "gzip" || e == "x-gzip" || e == "deflate";
}

// Collectors stamp the observed time of a record that arrives without one.
void stampObservedTime(TelemetryBatch &batch, TimeNs now)
{
    for (LogRecord &r : batch.logs) {
        if (r.observedTime == 0)
            r.observedTime = now;
        if (r.time == 0)
            r.time = r.observedTime;
    }
}

} // namespace

OtlpHttpHandler::OtlpHttpHandler(QString storePath, std::size_t maxBody)
    : m_storePath(std::move(storePath)), m_maxBody(maxBody)
{
}

OtlpHttpHandler::~OtlpHttpHandler() = default;

HttpResponse OtlpHttpHandler::handle(const HttpRequest &request)
{
    return commit(prepare(request));
}

HttpResponse OtlpHttpHandler::overloaded(std::string_view target, std::string_view contentType, const std::string &message,
                                         int retryAfterSeconds)
{
    const std::string retryAfter = std::to_string(retryAfterSeconds);
    if (!signalForPath(pathOf(target))) {
        HttpResponse r = apiError(503, message);
        r.headers.emplace_back("Retry-After", retryAfter);
        return r;
    }
    return unavailable(mediaType(contentType) == kProtobufType, message, retryAfter);
}

HttpResponse OtlpHttpHandler::malformed(const std::string &message)
{
    return apiError(400, message);
}

HttpResponse OtlpHttpHandler::tooLarge(std::string_view target, std::string_view contentType, std::size_t maxBody)
{
    const std::string message = BodyTooLarge(maxBody).what();
    if (!signalForPath(pathOf(target)))
        return apiError(413, message);
    return exportError(413, mediaType(contentType) == kProtobufType, kResourceExhausted, message);
}

PreparedRequest OtlpHttpHandler::prepare(const HttpRequest &request) const
{
    // A browser always sends Origin; refusing it keeps web pages from posting into the store.
    if (request.hasOrigin)
        return PreparedRequest::answered(apiError(403, "requests from a browser (with an Origin header) are not accepted"));
    const std::string_view path = pathOf(request.target);
    const std::optional<OtlpSignal> signal = signalForPath(path);
    if (!signal && path != "/api/markers")
        return PreparedRequest::answered(apiError(404, "no such endpoint: " + std::string(path)));
    if (request.method != "POST") {
        HttpResponse r = apiError(405, "use POST");
        r.headers.emplace_back("Allow", "POST");
        return PreparedRequest::answered(std::move(r));
    }
    return signal ? exportRequest(*signal, request) : markerRequest(request);
}

HttpResponse OtlpHttpHandler::commit(PreparedRequest prepared)
{
    ++m_stats.requests;
    HttpResponse response = prepared.answer ? std::move(*prepared.answer)
        : prepared.marker                   ? commitMarker(*prepared.marker)
                                            : commitExport(prepared);
    if (response.status >= 400)
        ++m_stats.failedRequests;
    if (response.status == 503)
        ++m_stats.throttled;
    return response;
}

PreparedRequest OtlpHttpHandler::exportRequest(OtlpSignal signal, const HttpRequest &request) const
{
    PreparedRequest prepared;
    prepared.signal = signal;
    const std::string type = mediaType(request.contentType);
    if (type != kJsonType && type != kProtobufType) {
        prepared.answer = exportError(415, false, kInvalidArgument, "unsupported content type \"" + request.contentType
                                                                     + "\"; use application/json or application/x-protobuf");
        return prepared;
    }
    prepared.protobuf = type == kProtobufType;
    const auto fail = [&](int status, int code, const std::string &message) {
        prepared.answer = exportError(status, prepared.protobuf, code, message);
        return std::move(prepared);
    };
    if (!isSupportedEncoding(request.contentEncoding))
        return fail(415, kInvalidArgument, "unsupported content encoding \"" + request.contentEncoding + "\"");
    if (request.body.size() > m_maxBody)
        return fail(413, kResourceExhausted, BodyTooLarge(m_maxBody).what());
    try {
        std::string inflated;
        const std::string_view body = decodedBody(request, m_maxBody, inflated);
        prepared.batch = prepared.protobuf ? decodeOtlpProto(signal, body, &prepared.rejected)
                                           : decodeOtlpJson(signal, body, &prepared.rejected);
    } catch (const BodyTooLarge &e) {
        return fail(413, kResourceExhausted, e.what());
    } catch (const Error &e) {
        return fail(400, kInvalidArgument, e.what());
    }
    stampObservedTime(prepared.batch, nowNs());
    return prepared;
}

HttpResponse OtlpHttpHandler::commitExport(PreparedRequest &prepared)
{
    const TelemetryBatch &batch = prepared.batch;
    try {
        if (!batch.empty())
            store().insert(batch);
    } catch (const Error &e) {
        return unavailable(prepared.protobuf, std::string("cannot store the request: ") + e.what());
    }
    count(batch, prepared.rejected);
    // Log bodies join the full-text index between requests (indexFullTextStep), and here only when it is
    // too far behind; search is exact either way (the rows after the index are scanned), the index only
    // makes it fast. The batch is committed by now: a busy index must not turn into a 503 that the client
    // would answer with a copy.
    try {
        if (!batch.logs.empty() && store().fullTextLag() > m_fullTextLagLimit)
            store().indexFullText({}, 2 * static_cast<std::int64_t>(batch.logs.size()));
    } catch (const Error &) {
    }
    return exportSuccess(prepared.signal, prepared.protobuf, prepared.rejected, batch.idsDropped);
}

PreparedRequest OtlpHttpHandler::markerRequest(const HttpRequest &request) const
{
    if (!isSupportedEncoding(request.contentEncoding))
        return PreparedRequest::answered(apiError(415, "unsupported content encoding \"" + request.contentEncoding + "\""));
    if (request.body.size() > m_maxBody)
        return PreparedRequest::answered(apiError(413, BodyTooLarge(m_maxBody).what()));
    PreparedRequest prepared;
    try {
        std::string inflated;
        const std::string_view body = decodedBody(request, m_maxBody, inflated);
        QString problem;
        const Json json = parseJson(std::string(body), &problem); // nested too deep, invalid UTF-8, 1e999 ...
        if (json.is_discarded()) // which the message says (exploratory test)
            return PreparedRequest::answered(apiError(400, "the body is not valid JSON: " + problem.toStdString()));
        if (!json.is_object())
            return PreparedRequest::answered(apiError(400, "the body must be a JSON object describing a marker"));
        prepared.marker = markerFromJson(json, nowNs());
    } catch (const BodyTooLarge &e) {
        return PreparedRequest::answered(apiError(413, e.what()));
    } catch (const Error &e) {
        return PreparedRequest::answered(apiError(400, e.what()));
    }
    return prepared;
}

HttpResponse OtlpHttpHandler::commitMarker(Marker &marker)
{
    bool added = false;
    try {
        const Store::StoredMarker stored = store().insertMarker(marker);
        marker.id = stored.id;
        added = stored.added;
    } catch (const Error &e) {
        HttpResponse r = apiError(503, std::string("cannot store the marker: ") + e.what());
        r.headers.emplace_back("Retry-After", kRetryAfterSeconds);
        return r;
    }
    Json stored = markerToJson(marker);
    if (!stored.contains("id")) // the answer must say which id the marker got
        stored["id"] = marker.id;
    if (!added) // a retry: 200 with the marker as first stored, which is counted once
        return jsonResponse(200, stored);
    ++m_stats.markers;
    return jsonResponse(201, stored);
}

bool OtlpHttpHandler::indexFullTextStep()
{
    // Another writer's turn: try after the next request, which waits for it as long as a request may.
    constexpr std::chrono::milliseconds kNoWait(0);
    try {
        if (!m_store) // at start, for the rows a receiver before this one left unindexed
            m_store = std::make_unique<Store>(m_storePath, Store::Mode::ReadWrite, kNoWait);
        m_store->setBusyTimeout(kNoWait);
        const auto restore = qScopeGuard([this] { m_store->setBusyTimeout(m_storeBusyTimeout); });
        return m_store->indexFullText({}, kIdleIndexRows) == kIdleIndexRows;
    } catch (const Error &) {
        return false;
    }
}

void OtlpHttpHandler::count(const TelemetryBatch &batch, std::int64_t rejected)
{
    m_stats.spans += static_cast<std::int64_t>(batch.spans.size());
    m_stats.logs += static_cast<std::int64_t>(batch.logs.size());
    m_stats.metricPoints += static_cast<std::int64_t>(batch.metrics.size());
    m_stats.rejected += rejected;
}

Store &OtlpHttpHandler::store()
{
    if (!m_store) // opening waits for another writer's lock no longer than a request may
        m_store = std::make_unique<Store>(m_storePath, Store::Mode::ReadWrite, m_storeBusyTimeout);
    return *m_store;
}

} // namespace fd

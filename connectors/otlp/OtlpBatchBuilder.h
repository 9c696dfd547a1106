#pragma once
#include "OtlpSignal.h"
#include "models/Telemetry.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// Protobuf ids are raw bytes and become hex through fd::hexEncode (models/Telemetry.h).
// OTLP/JSON id text with A-F lowered; the builder rejects what is still not an id.
std::string normalizeHexId(std::string_view text);
// Raw bytes -> standard base64, the OTLP/JSON form of bytesValue.
std::string base64(std::string_view bytes);
// A span's or link's W3C trace state as the attribute w3c.tracestate, as Jaeger keeps it, unless it has one.
void keepTraceState(Json &attributes, std::string traceState);
// What the builder rejected of a request, and why ("3 spans rejected: invalid trace, span or parent id, or an end before the start").
std::string rejectionMessage(OtlpSignal signal, std::int64_t rejected);

struct HistogramData {
    std::int64_t count = 0;
    std::optional<double> sum, min, max;
    std::vector<double> bounds;
    std::vector<std::int64_t> buckets;
};

struct ExponentialBuckets {
    std::int32_t offset = 0;
    std::vector<std::int64_t> counts;
};

struct ExponentialHistogramData {
    std::int64_t count = 0;
    std::optional<double> sum, min, max;
    std::int32_t scale = 0;
    std::int64_t zeroCount = 0;
    double zeroThreshold = 0;
    ExponentialBuckets positive, negative;
};

struct SummaryData {
    std::int64_t count = 0;
    double sum = 0;
    std::vector<std::pair<double, double>> quantiles; // (quantile, value)
};

// What a metric's points share.
struct MetricInfo {
    std::string name;
    std::string unit;
    MetricType type = MetricType::Gauge;
    int temporality = 0;
    bool monotonic = false;
};

// What every data point carries.
struct PointHeader {
    TimeNs start = 0;
    TimeNs time = 0;
    Json attributes = Json::object();
    std::int64_t flags = 0; // DataPointFlags: FLAG_NO_RECORDED_VALUE (1) marks a gap, as Prometheus' staleness
};

// The one place where OTLP meets Flightdeck's domain types: the JSON and protobuf decoders walk
// their own input and hand the pieces here, so both map to exactly the same values.
// Whether a span must carry its start and end times, as OTLP requires: what is stored must; a trace a
// backend stored already is shown as it is (Jaeger's own v3 answers carry spans without them).
enum class SpanTimes { Required, Optional };

class OtlpBatchBuilder
{
public:
    explicit OtlpBatchBuilder(SpanTimes times = SpanTimes::Required) : m_times(times) {}

    // Starts a new resource: its attributes and the service named by service.name.
    void beginResource(Json attributes);
    // Starts a new scope of the resource: its name and version become its items' otel.scope.name and
    // otel.scope.version attributes (as Jaeger shows them), its attributes theirs too, unless an item has its own;
    // empty ones none.
    void beginScope(const std::string &name, const std::string &version, Json attributes = Json::object());

    // Ids in lowercase hex; a span with an invalid trace, span or parent id, without the times required or
    // ending before it starts is counted as rejected, a link with invalid ids is left out (and counted). Its trace state is kept
    // (keepTraceState).
    void addSpan(Span span, std::string traceState = {});
    // A string body is kept as is, any other body as its JSON text; event_name becomes the
    // attribute event.name; a missing time falls back to the observed time.
    void addLog(LogRecord record, Json body, std::string eventName);

    void beginMetric(MetricInfo info);
    // A point without a value is rejected; one flagged "no recorded value" is a gap: not stored, not rejected.
    // A histogram whose buckets do not fit its bounds or add up to its count is rejected, as OTLP calls it invalid.
    void addNumberPoint(PointHeader header, std::optional<double> value);
    void addHistogramPoint(PointHeader header, const HistogramData &data);
    void addExponentialHistogramPoint(PointHeader header, const ExponentialHistogramData &data);
    void addSummaryPoint(PointHeader header, const SummaryData &data);

    std::int64_t rejected() const { return m_rejected; }
    TelemetryBatch take() { return std::move(m_batch); }

private:
    MetricPoint point(PointHeader &&header) const;
    void addScope(Json &attributes) const;
    void addPoint(MetricPoint p);

    TelemetryBatch m_batch;
    Json m_resource = Json::object();
    Json m_scope = Json::object(); // the scope's attributes, otel.scope.name and otel.scope.version, when given
    std::string m_service;
    MetricInfo m_metric;
    std::int64_t m_rejected = 0;
    SpanTimes m_times;
};

} // namespace fd

#include "OtlpProtoDecoder.h"
#include "OtlpBatchBuilder.h"
#include "models/Error.h"
#include "logs_service.pb.h"
#include "metrics_service.pb.h"
#include "trace_service.pb.h"
#include <google/protobuf/stubs/logging.h>
#include <climits>
#include <limits>

namespace fd {

namespace {

namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;
namespace logs = opentelemetry::proto::logs::v1;
namespace metrics = opentelemetry::proto::metrics::v1;
namespace collector_trace = opentelemetry::proto::collector::trace::v1;
namespace collector_logs = opentelemetry::proto::collector::logs::v1;
namespace collector_metrics = opentelemetry::proto::collector::metrics::v1;

using KeyValues = google::protobuf::RepeatedPtrField<common::KeyValue>;

TimeNs nanos(std::uint64_t v)
{
    if (v > std::uint64_t(std::numeric_limits<TimeNs>::max())) // not wrapped into a time before 1970
        throw Error("malformed OTLP/protobuf request: a time past the year 2262 (" + std::to_string(v) + " ns)");
    return static_cast<TimeNs>(v);
}

Json anyValue(const common::AnyValue &v);

Json keyValues(const KeyValues &list)
{
    Json out = Json::object();
    for (const common::KeyValue &kv : list)
        out[kv.key()] = kv.has_value() ? anyValue(kv.value()) : Json();
    return out;
}

Json arrayValue(const common::ArrayValue &a)
{
    Json out = Json::array();
    for (const common::AnyValue &item : a.values())
        out.push_back(anyValue(item));
    return out;
}

// AnyValue -> attribute value; bytes become base64, the text OTLP/JSON would have carried.
Json anyValue(const common::AnyValue &v)
{
    switch (v.value_case()) {
    case common::AnyValue::kStringValue:
        return v.string_value();
    case common::AnyValue::kBoolValue:
        return v.bool_value();
    case common::AnyValue::kIntValue:
        return static_cast<std::int64_t>(v.int_value());
    case common::AnyValue::kDoubleValue:
        return doubleAttribute(v.double_value());
    case common::AnyValue::kBytesValue:
        return base64(v.bytes_value());
    case common::AnyValue::kArrayValue:
        return arrayValue(v.array_value());
    case common::AnyValue::kKvlistValue:
        return keyValues(v.kvlist_value().values());
    case common::AnyValue::VALUE_NOT_SET:
        break;
    }
    return Json();
}

SpanEvent spanEvent(const trace::Span::Event &e)
{
    SpanEvent out;
    out.time = nanos(e.time_unix_nano());
    out.name = e.name();
    out.attributes = keyValues(e.attributes());
    return out;
}

SpanLink spanLink(const trace::Span::Link &l)
{
    SpanLink out;
    out.traceId = hexEncode(l.trace_id());
    out.spanId = hexEncode(l.span_id());
    out.attributes = keyValues(l.attributes());
    keepTraceState(out.attributes, l.trace_state());
    return out;
}

void decodeProtoSpan(const trace::Span &s, OtlpBatchBuilder &builder)
{
    Span span;
    span.traceId = hexEncode(s.trace_id());
    span.spanId = hexEncode(s.span_id());
    span.parentSpanId = hexEncode(s.parent_span_id());
    span.name = s.name();
    span.kind = s.kind();
    span.start = nanos(s.start_time_unix_nano());
    span.end = nanos(s.end_time_unix_nano());
    span.attributes = keyValues(s.attributes());
    span.statusCode = s.status().code();
    span.statusMessage = s.status().message();
    for (const auto &e : s.events())
        span.events.push_back(spanEvent(e));
    for (const auto &l : s.links())
        span.links.push_back(spanLink(l));
    builder.addSpan(std::move(span), s.trace_state());
}

void decodeProtoLog(const logs::LogRecord &r, OtlpBatchBuilder &builder)
{
    LogRecord record;
    record.time = nanos(r.time_unix_nano());
    record.observedTime = nanos(r.observed_time_unix_nano());
    record.severity = r.severity_number();
    record.severityText = r.severity_text();
    record.traceId = hexEncode(r.trace_id());
    record.spanId = hexEncode(r.span_id());
    record.attributes = keyValues(r.attributes());
    builder.addLog(std::move(record), r.has_body() ? anyValue(r.body()) : Json(), r.event_name());
}

template<typename Point>
PointHeader pointHeader(const Point &dp)
{
    return PointHeader{nanos(dp.start_time_unix_nano()), nanos(dp.time_unix_nano()), keyValues(dp.attributes()), dp.flags()};
}

std::optional<double> numberValue(const metrics::NumberDataPoint &dp)
{
    switch (dp.value_case()) {
    case metrics::NumberDataPoint::kAsInt: return static_cast<double>(dp.as_int());
    case metrics::NumberDataPoint::kAsDouble: return dp.as_double();
    default: return std::nullopt;
    }
}

template<typename Counts>
std::vector<std::int64_t> counts(const Counts &in)
{
    return std::vector<std::int64_t>(in.begin(), in.end());
}

HistogramData histogramData(const metrics::HistogramDataPoint &dp)
{
    HistogramData h;
    h.count = static_cast<std::int64_t>(dp.count());
    if (dp.has_sum())
        h.sum = dp.sum();
    if (dp.has_min())
        h.min = dp.min();
    if (dp.has_max())
        h.max = dp.max();
    h.bounds.assign(dp.explicit_bounds().begin(), dp.explicit_bounds().end());
    h.buckets = counts(dp.bucket_counts());
    return h;
}

ExponentialBuckets exponentialBuckets(const metrics::ExponentialHistogramDataPoint::Buckets &b)
{
    return ExponentialBuckets{b.offset(), counts(b.bucket_counts())};
}

ExponentialHistogramData exponentialData(const metrics::ExponentialHistogramDataPoint &dp)
{
    ExponentialHistogramData h;
    h.count = static_cast<std::int64_t>(dp.count());
    if (dp.has_sum())
        h.sum = dp.sum();
    if (dp.has_min())
        h.min = dp.min();
    if (dp.has_max())
        h.max = dp.max();
    h.scale = dp.scale();
    h.zeroCount = static_cast<std::int64_t>(dp.zero_count());
    h.zeroThreshold = dp.zero_threshold();
    h.positive = exponentialBuckets(dp.positive());
    h.negative = exponentialBuckets(dp.negative());
    return h;
}

SummaryData summaryData(const metrics::SummaryDataPoint &dp)
{
    SummaryData s;
    s.count = static_cast<std::int64_t>(dp.count());
    s.sum = dp.sum();
    for (const auto &q : dp.quantile_values())
        s.quantiles.emplace_back(q.quantile(), q.value());
    return s;
}

MetricInfo metricInfo(const metrics::Metric &m, MetricType type, int temporality = 0, bool monotonic = false)
{
    return MetricInfo{m.name(), m.unit(), type, temporality, monotonic};
}

void decodeProtoMetric(const metrics::Metric &m, OtlpBatchBuilder &builder)
{
    switch (m.data_case()) {
    case metrics::Metric::kGauge:
        builder.beginMetric(metricInfo(m, MetricType::Gauge));
        for (const auto &dp : m.gauge().data_points())
            builder.addNumberPoint(pointHeader(dp), numberValue(dp));
        break;
    case metrics::Metric::kSum:
        builder.beginMetric(metricInfo(m, MetricType::Sum, m.sum().aggregation_temporality(), m.sum().is_monotonic()));
        for (const auto &dp : m.sum().data_points())
            builder.addNumberPoint(pointHeader(dp), numberValue(dp));
        break;
    case metrics::Metric::kHistogram:
        builder.beginMetric(metricInfo(m, MetricType::Histogram, m.histogram().aggregation_temporality()));
        for (const auto &dp : m.histogram().data_points())
            builder.addHistogramPoint(pointHeader(dp), histogramData(dp));
        break;
    case metrics::Metric::kExponentialHistogram:
        builder.beginMetric(metricInfo(m, MetricType::ExponentialHistogram,
                                       m.exponential_histogram().aggregation_temporality()));
        for (const auto &dp : m.exponential_histogram().data_points())
            builder.addExponentialHistogramPoint(pointHeader(dp), exponentialData(dp));
        break;
    case metrics::Metric::kSummary:
        builder.beginMetric(metricInfo(m, MetricType::Summary));
        for (const auto &dp : m.summary().data_points())
            builder.addSummaryPoint(pointHeader(dp), summaryData(dp));
        break;
    case metrics::Metric::DATA_NOT_SET:
        break;
    }
}

template<typename Request>
Request parse(std::string_view body)
{
    Request request;
    // protobuf logs what it refuses (invalid UTF-8 in a string) to stderr: the error below says it, once.
    const google::protobuf::LogSilencer quiet;
    if (body.size() > INT_MAX || !request.ParseFromArray(body.data(), static_cast<int>(body.size())))
        throw Error(std::string("malformed OTLP/protobuf request: cannot parse ") + request.GetTypeName());
    return request;
}

// resource -> scope -> items, the same walk for every signal.
template<typename Resources, typename ScopesOf, typename ItemsOf, typename Decode>
void walk(const Resources &resources, ScopesOf scopesOf, ItemsOf itemsOf, Decode decode, OtlpBatchBuilder &builder)
{
    for (const auto &entry : resources) {
        builder.beginResource(keyValues(entry.resource().attributes()));
        for (const auto &scope : scopesOf(entry)) {
            builder.beginScope(scope.scope().name(), scope.scope().version(), keyValues(scope.scope().attributes()));
            for (const auto &item : itemsOf(scope))
                decode(item, builder);
        }
    }
}

void decodeTraces(std::string_view body, OtlpBatchBuilder &builder)
{
    const auto request = parse<collector_trace::ExportTraceServiceRequest>(body);
    walk(
        request.resource_spans(), [](const trace::ResourceSpans &r) -> const auto & { return r.scope_spans(); },
        [](const trace::ScopeSpans &s) -> const auto & { return s.spans(); }, decodeProtoSpan, builder);
}

void decodeLogs(std::string_view body, OtlpBatchBuilder &builder)
{
    const auto request = parse<collector_logs::ExportLogsServiceRequest>(body);
    walk(
        request.resource_logs(), [](const logs::ResourceLogs &r) -> const auto & { return r.scope_logs(); },
        [](const logs::ScopeLogs &s) -> const auto & { return s.log_records(); }, decodeProtoLog, builder);
}

void decodeMetrics(std::string_view body, OtlpBatchBuilder &builder)
{
    const auto request = parse<collector_metrics::ExportMetricsServiceRequest>(body);
    walk(
        request.resource_metrics(), [](const metrics::ResourceMetrics &r) -> const auto & { return r.scope_metrics(); },
        [](const metrics::ScopeMetrics &s) -> const auto & { return s.metrics(); }, decodeProtoMetric, builder);
}

} // namespace

TelemetryBatch decodeOtlpProto(OtlpSignal signal, std::string_view body, std::int64_t *rejected)
{
    OtlpBatchBuilder builder;
    switch (signal) {
    case OtlpSignal::Traces:
        decodeTraces(body, builder);
        break;
    case OtlpSignal::Logs:
        decodeLogs(body, builder);
        break;
    case OtlpSignal::Metrics:
        decodeMetrics(body, builder);
        break;
    }
    if (rejected)
        *rejected = builder.rejected();
    return builder.take();
}

} // namespace fd

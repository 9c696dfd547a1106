#include "OtlpJsonDecoder.h"
#include "OtlpBatchBuilder.h"
#include "OtlpJsonFastDecoder.h"
#include "models/Error.h"
#include "models/JsonDepth.h"
#include "models/Numbers.h"
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace fd {

namespace {

// A field's lowerCamelCase name (what OTLP/JSON sends) and its proto name, also accepted.
struct Key {
    const char *camel;
    const char *snake;
};

struct Layout {
    Key resources;
    Key scopes;
    Key items;
};

constexpr Layout kTracesLayout{{"resourceSpans", "resource_spans"}, {"scopeSpans", "scope_spans"}, {"spans", "spans"}};
constexpr Layout kLogsLayout{{"resourceLogs", "resource_logs"}, {"scopeLogs", "scope_logs"}, {"logRecords", "log_records"}};
constexpr Layout kMetricsLayout{
    {"resourceMetrics", "resource_metrics"}, {"scopeMetrics", "scope_metrics"}, {"metrics", "metrics"}};

const Layout &layoutOf(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return kTracesLayout;
    case OtlpSignal::Logs:
        return kLogsLayout;
    case OtlpSignal::Metrics:
        break;
    }
    return kMetricsLayout;
}

[[noreturn]] void malformed(const std::string &what)
{
    throw Error("malformed OTLP/JSON request: " + what);
}

// A present, non-null member, else nullptr (protobuf JSON treats null as the default value).
const Json *member(const Json &object, Key key)
{
    auto it = object.find(key.camel);
    if (it == object.end() && key.snake != key.camel)
        it = object.find(key.snake);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const Json *member(const Json &object, const char *name)
{
    return member(object, Key{name, name});
}

const Json &requireObject(const Json &value, const char *what)
{
    if (!value.is_object())
        malformed(std::string(what) + " must be an object");
    return value;
}

const Json &arrayMember(const Json &object, Key key)
{
    static const Json empty = Json::array();
    const Json *v = member(object, key);
    if (!v)
        return empty;
    if (!v->is_array())
        malformed(std::string(key.camel) + " must be an array");
    return *v;
}

// Past int64 is refused, not wrapped into a negative number: OTLP's int64 fields cannot hold it, and a time or
// count of its fixed64 fields that large (after the year 2262) is no real one either.
[[noreturn]] void pastInt64(const char *what, const std::string &number)
{
    malformed(std::string(what) + " is out of the 64-bit integer range: " + number);
}

std::int64_t parseInt64(const std::string &text, const char *what)
{
    std::int64_t v = 0;
    const char *end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, v);
    if (result.ec == std::errc::result_out_of_range && result.ptr == end)
        pastInt64(what, "\"" + text + "\"");
    if (result.ec != std::errc() || result.ptr != end || text.empty())
        malformed(std::string(what) + " is not an integer: \"" + text + "\"");
    return v;
}

// 64-bit integers arrive as strings (the OTLP/JSON rule) or as plain numbers.
std::int64_t toInt64(const Json &v, const char *what)
{
    if (v.is_number_unsigned()) {
        const std::uint64_t u = v.get<std::uint64_t>();
        if (u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            pastInt64(what, std::to_string(u));
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (const auto n = truncatedInt64(d); n && std::trunc(d) == d)
            return *n;
    }
    if (v.is_string())
        return parseInt64(v.get_ref<const std::string &>(), what);
    malformed(std::string(what) + " must be an integer");
}

double parseDouble(const std::string &text, const char *what)
{
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity")
        return std::numeric_limits<double>::infinity();
    if (text == "-Infinity")
        return -std::numeric_limits<double>::infinity();
    const auto v = parseWhole<double>(text);
    if (!v)
        malformed(std::string(what) + " is not a number: \"" + text + "\"");
    return *v;
}

double toDouble(const Json &v, const char *what)
{
    if (v.is_number())
        return v.get<double>();
    if (v.is_string())
        return parseDouble(v.get_ref<const std::string &>(), what);
    malformed(std::string(what) + " must be a number");
}

std::int64_t int64Of(const Json &object, Key key)
{
    const Json *v = member(object, key);
    return v ? toInt64(*v, key.camel) : 0;
}

int intOf(const Json &object, Key key)
{
    return static_cast<int>(int64Of(object, key));
}

// Protobuf's JSON mapping also writes an enum as its name ("SPAN_KIND_SERVER"): OTLP asks senders for the
// number, and the Collector's parser takes both.
int enumOf(const Json &object, Key key, std::string_view prefix, int count, std::string (*name)(int))
{
    const Json *v = member(object, key);
    if (!v || !v->is_string() || parseWhole<std::int64_t>(v->get_ref<const std::string &>()))
        return intOf(object, key);
    const int number = enumIndexOfName(v->get<std::string>(), prefix, count, name);
    if (number < 0)
        malformed(std::string(key.camel) + " \"" + v->get<std::string>() + "\" is no known value");
    return number;
}

std::string temporalityName(int i)
{
    return i == 0 ? "unspecified" : i == 1 ? "delta" : "cumulative";
}

// SEVERITY_NUMBER_TRACE, _TRACE2 … _FATAL4 as enumIndexOfName compares them.
std::string severityNumberName(int i)
{
    if (i == 0)
        return "unspecified";
    std::string name = severityName(i);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return (i - 1) % 4 == 0 ? name : name + std::to_string((i - 1) % 4 + 1);
}

double doubleOf(const Json &object, Key key)
{
    const Json *v = member(object, key);
    return v ? toDouble(*v, key.camel) : 0.0;
}

std::optional<double> optionalDoubleOf(const Json &object, const char *name)
{
    const Json *v = member(object, name);
    return v ? std::optional<double>(toDouble(*v, name)) : std::nullopt;
}

bool boolOf(const Json &object, Key key)
{
    const Json *v = member(object, key);
    if (v && !v->is_boolean())
        malformed(std::string(key.camel) + " must be true or false");
    return v && v->get<bool>();
}

std::string stringOf(const Json &object, Key key)
{
    const Json *v = member(object, key);
    if (v && !v->is_string())
        malformed(std::string(key.camel) + " must be a string");
    return v ? v->get<std::string>() : std::string();
}

std::string stringOf(const Json &object, const char *name)
{
    return stringOf(object, Key{name, name});
}

// A span's or link's trace state; one that is no text is left out, as it only labels the span: it must not cost
// the request's other spans (review).
std::string traceStateOf(const Json &object)
{
    const Json *v = member(object, Key{"traceState", "trace_state"});
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string idOf(const Json &object, Key key)
{
    return normalizeHexId(stringOf(object, key));
}

Json anyValue(const Json &v);

Json keyValues(const Json &list)
{
    Json out = Json::object();
    for (const Json &kv : list) {
        requireObject(kv, "a KeyValue");
        const Json *value = member(kv, "value");
        out[stringOf(kv, "key")] = value ? anyValue(*value) : Json();
    }
    return out;
}

Json attributesOf(const Json &object)
{
    return keyValues(arrayMember(object, Key{"attributes", "attributes"}));
}

Json arrayValue(const Json &v)
{
    Json out = Json::array();
    for (const Json &item : arrayMember(requireObject(v, "arrayValue"), Key{"values", "values"}))
        out.push_back(anyValue(item));
    return out;
}

// AnyValue -> attribute value: bytesValue stays the base64 text it arrived as.
Json anyValue(const Json &v)
{
    requireObject(v, "an AnyValue");
    if (member(v, Key{"stringValue", "string_value"}))
        return stringOf(v, Key{"stringValue", "string_value"});
    if (const Json *i = member(v, Key{"intValue", "int_value"}))
        return toInt64(*i, "intValue");
    if (const Json *d = member(v, Key{"doubleValue", "double_value"}))
        return doubleAttribute(toDouble(*d, "doubleValue"));
    if (member(v, Key{"boolValue", "bool_value"}))
        return boolOf(v, Key{"boolValue", "bool_value"});
    if (member(v, Key{"bytesValue", "bytes_value"}))
        return stringOf(v, Key{"bytesValue", "bytes_value"});
    if (const Json *a = member(v, Key{"arrayValue", "array_value"}))
        return arrayValue(*a);
    if (const Json *kv = member(v, Key{"kvlistValue", "kvlist_value"}))
        return keyValues(arrayMember(requireObject(*kv, "kvlistValue"), Key{"values", "values"}));
    return Json();
}

SpanEvent spanEvent(const Json &e)
{
    requireObject(e, "a span event");
    SpanEvent out;
    out.time = int64Of(e, Key{"timeUnixNano", "time_unix_nano"});
    out.name = stringOf(e, "name");
    out.attributes = attributesOf(e);
    return out;
}

SpanLink spanLink(const Json &l)
{
    requireObject(l, "a span link");
    SpanLink out;
    out.traceId = idOf(l, Key{"traceId", "trace_id"});
    out.spanId = idOf(l, Key{"spanId", "span_id"});
    out.attributes = attributesOf(l);
    keepTraceState(out.attributes, traceStateOf(l));
    return out;
}

void decodeSpan(const Json &s, OtlpBatchBuilder &builder)
{
    requireObject(s, "a span");
    Span span;
    span.traceId = idOf(s, Key{"traceId", "trace_id"});
    span.spanId = idOf(s, Key{"spanId", "span_id"});
    span.parentSpanId = idOf(s, Key{"parentSpanId", "parent_span_id"});
    span.name = stringOf(s, "name");
    span.kind = enumOf(s, Key{"kind", "kind"}, "span_kind_", 6, spanKindName);
    span.start = int64Of(s, Key{"startTimeUnixNano", "start_time_unix_nano"});
    span.end = int64Of(s, Key{"endTimeUnixNano", "end_time_unix_nano"});
    span.attributes = attributesOf(s);
    if (const Json *status = member(s, "status")) {
        requireObject(*status, "status");
        span.statusCode = enumOf(*status, Key{"code", "code"}, "status_code_", 3, statusCodeName);
        span.statusMessage = stringOf(*status, "message");
    }
    for (const Json &e : arrayMember(s, Key{"events", "events"}))
        span.events.push_back(spanEvent(e));
    for (const Json &l : arrayMember(s, Key{"links", "links"}))
        span.links.push_back(spanLink(l));
    builder.addSpan(std::move(span), traceStateOf(s));
}

void decodeLog(const Json &r, OtlpBatchBuilder &builder)
{
    requireObject(r, "a log record");
    LogRecord record;
    record.time = int64Of(r, Key{"timeUnixNano", "time_unix_nano"});
    record.observedTime = int64Of(r, Key{"observedTimeUnixNano", "observed_time_unix_nano"});
    record.severity = enumOf(r, Key{"severityNumber", "severity_number"}, "severity_number_", 25, severityNumberName);
    record.severityText = stringOf(r, Key{"severityText", "severity_text"});
    record.traceId = idOf(r, Key{"traceId", "trace_id"});
    record.spanId = idOf(r, Key{"spanId", "span_id"});
    record.attributes = attributesOf(r);
    const Json *body = member(r, "body");
    builder.addLog(std::move(record), body ? anyValue(*body) : Json(), stringOf(r, Key{"eventName", "event_name"}));
}

PointHeader pointHeader(const Json &dp)
{
    requireObject(dp, "a data point");
    return PointHeader{int64Of(dp, Key{"startTimeUnixNano", "start_time_unix_nano"}),
                       int64Of(dp, Key{"timeUnixNano", "time_unix_nano"}), attributesOf(dp), int64Of(dp, Key{"flags", "flags"})};
}

const Json &dataPoints(const Json &data)
{
    return arrayMember(data, Key{"dataPoints", "data_points"});
}

std::optional<double> numberValue(const Json &dp)
{
    if (const Json *i = member(dp, Key{"asInt", "as_int"}))
        return static_cast<double>(toInt64(*i, "asInt"));
    if (const Json *d = member(dp, Key{"asDouble", "as_double"}))
        return toDouble(*d, "asDouble");
    return std::nullopt;
}

template<typename T, typename Convert>
std::vector<T> numbers(const Json &object, Key key, Convert convert)
{
    std::vector<T> out;
    for (const Json &v : arrayMember(object, key))
        out.push_back(convert(v, key.camel));
    return out;
}

HistogramData histogramData(const Json &dp)
{
    HistogramData h;
    h.count = int64Of(dp, Key{"count", "count"});
    h.sum = optionalDoubleOf(dp, "sum");
    h.min = optionalDoubleOf(dp, "min");
    h.max = optionalDoubleOf(dp, "max");
    h.bounds = numbers<double>(dp, Key{"explicitBounds", "explicit_bounds"}, toDouble);
    h.buckets = numbers<std::int64_t>(dp, Key{"bucketCounts", "bucket_counts"}, toInt64);
    return h;
}

ExponentialBuckets exponentialBuckets(const Json &dp, const char *name)
{
    ExponentialBuckets b;
    if (const Json *v = member(dp, name)) {
        requireObject(*v, name);
        b.offset = intOf(*v, Key{"offset", "offset"});
        b.counts = numbers<std::int64_t>(*v, Key{"bucketCounts", "bucket_counts"}, toInt64);
    }
    return b;
}

ExponentialHistogramData exponentialData(const Json &dp)
{
    ExponentialHistogramData h;
    h.count = int64Of(dp, Key{"count", "count"});
    h.sum = optionalDoubleOf(dp, "sum");
    h.min = optionalDoubleOf(dp, "min");
    h.max = optionalDoubleOf(dp, "max");
    h.scale = intOf(dp, Key{"scale", "scale"});
    h.zeroCount = int64Of(dp, Key{"zeroCount", "zero_count"});
    h.zeroThreshold = doubleOf(dp, Key{"zeroThreshold", "zero_threshold"});
    h.positive = exponentialBuckets(dp, "positive");
    h.negative = exponentialBuckets(dp, "negative");
    return h;
}

SummaryData summaryData(const Json &dp)
{
    SummaryData s;
    s.count = int64Of(dp, Key{"count", "count"});
    s.sum = doubleOf(dp, Key{"sum", "sum"});
    for (const Json &q : arrayMember(dp, Key{"quantileValues", "quantile_values"})) {
        requireObject(q, "a quantile value");
        s.quantiles.emplace_back(doubleOf(q, Key{"quantile", "quantile"}), doubleOf(q, Key{"value", "value"}));
    }
    return s;
}

void decodeNumbers(const Json &data, OtlpBatchBuilder &builder)
{
    for (const Json &dp : dataPoints(data))
        builder.addNumberPoint(pointHeader(dp), numberValue(dp));
}

void decodeHistograms(const Json &data, OtlpBatchBuilder &builder)
{
    for (const Json &dp : dataPoints(data))
        builder.addHistogramPoint(pointHeader(dp), histogramData(dp));
}

void decodeExponentialHistograms(const Json &data, OtlpBatchBuilder &builder)
{
    for (const Json &dp : dataPoints(data))
        builder.addExponentialHistogramPoint(pointHeader(dp), exponentialData(dp));
}

void decodeSummaries(const Json &data, OtlpBatchBuilder &builder)
{
    for (const Json &dp : dataPoints(data))
        builder.addSummaryPoint(pointHeader(dp), summaryData(dp));
}

struct MetricKind {
    Key key;
    MetricType type;
    void (*decode)(const Json &, OtlpBatchBuilder &);
};

const MetricKind kMetricKinds[] = {
    {{"gauge", "gauge"}, MetricType::Gauge, decodeNumbers},
    {{"sum", "sum"}, MetricType::Sum, decodeNumbers},
    {{"histogram", "histogram"}, MetricType::Histogram, decodeHistograms},
    {{"exponentialHistogram", "exponential_histogram"}, MetricType::ExponentialHistogram,
     decodeExponentialHistograms},
    {{"summary", "summary"}, MetricType::Summary, decodeSummaries},
};

void decodeMetric(const Json &m, OtlpBatchBuilder &builder)
{
    requireObject(m, "a metric");
    for (const MetricKind &kind : kMetricKinds) {
        const Json *data = member(m, kind.key);
        if (!data)
            continue;
        requireObject(*data, kind.key.camel);
        MetricInfo info{stringOf(m, "name"), stringOf(m, "unit"), kind.type};
        info.temporality = enumOf(*data, Key{"aggregationTemporality", "aggregation_temporality"}, "aggregation_temporality_",
                                  3, temporalityName);
        info.monotonic = boolOf(*data, Key{"isMonotonic", "is_monotonic"});
        builder.beginMetric(std::move(info));
        kind.decode(*data, builder);
        return;
    }
}

Json resourceAttributes(const Json &resourceEntry)
{
    const Json *resource = member(resourceEntry, "resource");
    return resource ? attributesOf(requireObject(*resource, "resource")) : Json::object();
}

using ItemDecoder = void (*)(const Json &, OtlpBatchBuilder &);

ItemDecoder itemDecoderOf(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return decodeSpan;
    case OtlpSignal::Logs:
        return decodeLog;
    case OtlpSignal::Metrics:
        break;
    }
    return decodeMetric;
}

bool hasResources(const Json &request, OtlpSignal signal)
{
    const Key key = layoutOf(signal).resources;
    return request.contains(key.camel) || request.contains(key.snake);
}

const char *signalName(OtlpSignal signal)
{
    switch (signal) {
    case OtlpSignal::Traces:
        return "traces";
    case OtlpSignal::Logs:
        return "logs";
    case OtlpSignal::Metrics:
        break;
    }
    return "metrics";
}

// A logs request posted to /v1/traces would otherwise be acknowledged and silently dropped.
void requireSignal(OtlpSignal expected, const Json &request)
{
    if (hasResources(request, expected))
        return;
    const std::optional<OtlpSignal> found = detectOtlpJsonSignal(request);
    if (found)
        malformed(std::string("a ") + signalName(*found) + " request where " + signalName(expected) + " were expected");
}

// The scope's name or version ({"scope": {"name": ...}}); empty when absent or no text (the scope only labels
// its items: it had been ignored, and a sloppy one refuses nothing).
std::string scopeText(const Json &scopeEntry, const char *key)
{
    const auto scope = scopeEntry.find("scope");
    if (scope == scopeEntry.end() || !scope->is_object())
        return {};
    const auto text = scope->find(key);
    return text != scope->end() && text->is_string() ? text->get<std::string>() : std::string();
}

// The scope's attributes, read as strictly as a resource's.
Json scopeAttributes(const Json &scopeEntry)
{
    const auto scope = scopeEntry.find("scope");
    return scope != scopeEntry.end() && scope->is_object() ? attributesOf(*scope) : Json::object();
}

void decodeRequest(OtlpSignal signal, const Json &request, OtlpBatchBuilder &builder)
{
    requireObject(request, "the request");
    requireSignal(signal, request);
    const Layout &layout = layoutOf(signal);
    const ItemDecoder decodeItem = itemDecoderOf(signal);
    for (const Json &entry : arrayMember(request, layout.resources)) {
        requireObject(entry, layout.resources.camel);
        builder.beginResource(resourceAttributes(entry));
        for (const Json &scope : arrayMember(entry, layout.scopes)) {
            requireObject(scope, layout.scopes.camel);
            builder.beginScope(scopeText(scope, "name"), scopeText(scope, "version"), scopeAttributes(scope));
            for (const Json &item : arrayMember(scope, layout.items))
                decodeItem(item, builder);
        }
    }
}

} // namespace

bool isOtlpListName(OtlpSignal signal, OtlpList list, std::string_view name)
{
    const Layout &layout = layoutOf(signal);
    const Key &key = list == OtlpList::Resources ? layout.resources : list == OtlpList::Scopes ? layout.scopes : layout.items;
    return name == key.camel || name == key.snake;
}

std::optional<OtlpSignal> detectOtlpJsonSignal(const Json &request)
{
    if (!request.is_object())
        return std::nullopt;
    for (OtlpSignal signal : {OtlpSignal::Traces, OtlpSignal::Logs, OtlpSignal::Metrics}) {
        if (hasResources(request, signal))
            return signal;
    }
    return std::nullopt;
}

Json decodeOtlpAttributes(const Json &list)
{
    if (!list.is_array())
        malformed("attributes must be an array");
    try {
        return keyValues(list);
    } catch (const Json::exception &e) {
        malformed(jsonProblem(e));
    }
}

TelemetryBatch decodeOtlpJson(OtlpSignal signal, const Json &request, std::int64_t *rejected, SpanTimes times)
{
    OtlpBatchBuilder builder(times);
    try {
        decodeRequest(signal, request, builder);
    } catch (const Json::exception &e) {
        malformed(jsonProblem(e));
    }
    if (rejected)
        *rejected = builder.rejected();
    return builder.take();
}

TelemetryBatch decodeOtlpJson(OtlpSignal signal, std::string_view body, std::int64_t *rejected)
{
    if (std::optional<TelemetryBatch> batch = decodeOtlpJsonFast(signal, body, rejected)) // it stops at kMaxJsonDepth
        return std::move(*batch);
    checkJsonDepth(body);
    Json request;
    try {
        request = Json::parse(body.begin(), body.end());
    } catch (const Json::exception &e) { // out_of_range too: a number past double ("1e999")
        throw Error(std::string("malformed JSON: ") + jsonProblem(e));
    }
    return decodeOtlpJson(signal, request, rejected);
}

} // namespace fd

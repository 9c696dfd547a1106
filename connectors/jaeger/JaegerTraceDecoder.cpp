#include "JaegerTraceDecoder.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>

namespace fd {

namespace {

[[noreturn]] void bad(const std::string &what)
{
    throw Error("malformed Jaeger trace: " + what);
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

const Json &requireJaegerObject(const Json &v, const char *what)
{
    if (!v.is_object())
        bad(std::string(what) + " is not an object");
    return v;
}

// A list member; absent or null is an empty list.
const Json &listOf(const Json &object, const char *key)
{
    static const Json empty = Json::array();
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return empty;
    if (!it->is_array())
        bad(std::string(key) + " is not a list");
    return *it;
}

std::string hexId(const Json &v, std::size_t digits, const char *what)
{
    const std::string id = v.is_string() ? paddedHexId(v.get_ref<const std::string &>(), digits) : std::string();
    if (id.empty())
        bad(std::string(what) + " " + v.dump() + " is not a hex id of at most " + std::to_string(digits) + " digits");
    return id;
}

// Microseconds as a number or a string of digits, to nanoseconds.
TimeNs micros(const Json &v, const char *what)
{
    // Beyond this many microseconds (years 1678 and 2262) there is no time in int64 nanoseconds.
    constexpr std::int64_t kMaxMicros = std::numeric_limits<std::int64_t>::max() / 1000;
    const auto n = jsonInt64(v);
    if (!n)
        bad(std::string(what) + " " + v.dump() + (v.is_number() ? " is out of range" : " is not a number of microseconds"));
    if (*n > kMaxMicros || *n < -kMaxMicros)
        bad(std::string(what) + " " + v.dump() + " is out of range");
    return *n * 1000;
}

// An int64 that Jaeger sends as a string (above 2^53, which JavaScript cannot hold) is an int64 again, every
// digit kept, as DESIGN.md has attribute values keep their type; text that is no int64 stays text.
Json tagValue(const Json &tag)
{
    const std::string type = lower(tag.value("type", std::string("string")));
    const auto it = tag.find("value");
    const Json v = it == tag.end() ? Json() : *it;
    if (type == "bool" && v.is_string())
        return v.get<std::string>() == "true";
    if (type == "int64" && v.is_string())
        if (const auto n = parseWhole<std::int64_t>(v.get_ref<const std::string &>()))
            return *n;
    if (type == "float64" && v.is_string())
        if (const auto d = parseWhole<double>(v.get_ref<const std::string &>()))
            return *d;
    return v;
}

Json tagsObject(const Json &tags)
{
    Json out = Json::object();
    for (const Json &tag : tags) {
        requireJaegerObject(tag, "a tag");
        const auto key = tag.find("key");
        if (key == tag.end() || !key->is_string())
            bad("a tag has no key");
        out[key->get<std::string>()] = tagValue(tag);
    }
    return out;
}

int kindFromName(const std::string &name)
{
    static const std::map<std::string, SpanKind> kinds = { { "internal", SpanKind::Internal },
        { "server", SpanKind::Server }, { "client", SpanKind::Client }, { "producer", SpanKind::Producer },
        { "consumer", SpanKind::Consumer } };
    const auto it = kinds.find(lower(name));
    return int(it == kinds.end() ? SpanKind::Unspecified : it->second);
}

// The tags the OpenTelemetry translator writes for kind and status become those fields again.
void takeKindAndStatus(Span &s)
{
    Json &a = s.attributes;
    if (const auto it = a.find("span.kind"); it != a.end() && it->is_string()) {
        s.kind = kindFromName(it->get<std::string>());
        a.erase(it);
    }
    if (const auto it = a.find("otel.status_code"); it != a.end() && it->is_string()) {
        const std::string code = lower(it->get<std::string>());
        s.statusCode = int(code == "error" ? StatusCode::Error : code == "ok" ? StatusCode::Ok : StatusCode::Unset);
        a.erase(it);
    }
    if (const auto it = a.find("otel.status_description"); it != a.end() && it->is_string()) {
        s.statusMessage = it->get<std::string>();
        a.erase(it);
    }
    if (const auto it = a.find("error"); s.statusCode == 0 && it != a.end() && (*it == true || *it == "true"))
        s.statusCode = int(StatusCode::Error);
}

void applyReferences(Span &s, const Json &refs)
{
    struct Ref {
        std::string traceId, spanId, type;
    };
    std::vector<Ref> all;
    for (const Json &r : refs) {
        requireJaegerObject(r, "a reference");
        all.push_back({ hexId(r.value("traceID", Json()), 32, "reference traceID"),
            hexId(r.value("spanID", Json()), 16, "reference spanID"), lower(r.value("refType", std::string("child_of"))) });
    }
    auto first = [&](const char *type) {
        return std::find_if(all.begin(), all.end(), [&](const Ref &r) { return r.traceId == s.traceId && r.type == type; });
    };
    auto parent = first("child_of");
    if (parent == all.end())
        parent = first("follows_from");
    for (auto it = all.begin(); it != all.end(); ++it) {
        if (it == parent)
            s.parentSpanId = it->spanId;
        else
            s.links.push_back({ it->traceId, it->spanId, Json { { "opentracing.ref_type", it->type } } });
    }
}

SpanEvent logEvent(const Json &log)
{
    requireJaegerObject(log, "a log");
    SpanEvent e;
    e.time = micros(log.value("timestamp", Json()), "log timestamp");
    e.attributes = tagsObject(listOf(log, "fields"));
    e.name = "log";
    if (const auto it = e.attributes.find("event"); it != e.attributes.end() && it->is_string()) {
        e.name = it->get<std::string>();
        e.attributes.erase(it);
    }
    return e;
}

struct Process {
    std::string service = "unknown_service";
    Json resource = Json::object();
};

Process processFrom(const Json &p)
{
    requireJaegerObject(p, "a process");
    Process out;
    out.resource = tagsObject(listOf(p, "tags"));
    if (const auto it = p.find("serviceName"); it != p.end() && it->is_string() && !it->get<std::string>().empty())
        out.service = it->get<std::string>();
    out.resource["service.name"] = out.service;
    return out;
}

Span decodeSpan(const Json &j, const std::string &traceId, const Json &processes)
{
    requireJaegerObject(j, "a span");
    Span s;
    s.traceId = j.contains("traceID") ? hexId(j["traceID"], 32, "traceID") : traceId;
    s.spanId = hexId(j.value("spanID", Json()), 16, "spanID");
    s.name = j.value("operationName", std::string());
    s.start = micros(j.value("startTime", Json()), "startTime");
    s.end = saturatedAdd(s.start, micros(j.value("duration", Json(0)), "duration"));
    s.attributes = tagsObject(listOf(j, "tags"));
    takeKindAndStatus(s);
    applyReferences(s, listOf(j, "references"));
    for (const Json &log : listOf(j, "logs"))
        s.events.push_back(logEvent(log));
    if (const Json &warnings = listOf(j, "warnings"); !warnings.empty())
        s.attributes["jaeger.warnings"] = warnings;
    const auto embedded = j.find("process");
    const std::string pid = j.value("processID", std::string());
    const Process p = embedded != j.end() && embedded->is_object() ? processFrom(*embedded)
        : processes.contains(pid)                                ? processFrom(processes[pid])
                                                                 : Process {};
    s.service = p.service;
    s.resource = p.resource;
    return s;
}

// Nanoseconds since the epoch, as text (the OTLP/JSON rule) or as a number.
TimeNs unixNano(const Json &v, const char *what)
{
    if (const auto n = jsonInt64(v))
        return *n;
    bad(std::string("trace summaries: ") + what + " " + v.dump() + " is not an int64 of nanoseconds");
}

} // namespace

std::vector<Span> decodeJaegerTrace(const Json &trace)
{
    std::vector<Span> spans;
    try {
        requireJaegerObject(trace, "the trace");
        const std::string traceId = trace.contains("traceID") ? hexId(trace["traceID"], 32, "traceID") : std::string();
        const auto processes = trace.find("processes");
        const Json noProcesses = Json::object();
        for (const Json &span : listOf(trace, "spans"))
            spans.push_back(decodeSpan(span, traceId, processes != trace.end() && processes->is_object() ? *processes : noProcesses));
        if (const Json &warnings = listOf(trace, "warnings"); !warnings.empty())
            setOnTopSpans(spans, "jaeger.trace_warnings", warnings);
    } catch (const Json::exception &e) {
        bad(jsonProblem(e));
    }
    std::stable_sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    return spans;
}

std::vector<Span> decodeJaegerOtlpTrace(const Json &answer)
{
    const auto result = answer.find("result");
    if (result == answer.end() || !result->is_object())
        throw Error(std::string("malformed Jaeger v3 trace: no \"result\" object"));
    std::int64_t rejected = 0;
    TelemetryBatch batch = decodeOtlpJson(OtlpSignal::Traces, *result, &rejected, SpanTimes::Optional);
    if (rejected > 0)
        throw Error("malformed Jaeger v3 trace: " + std::to_string(rejected) + " span(s) without valid hex ids");
    std::stable_sort(batch.spans.begin(), batch.spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
    return std::move(batch.spans);
}

namespace {
// A count in a trace summary, 0 when absent. Found by fuzzing: value<int64>() cast a float of 7.8e54 (undefined).
std::int64_t summaryCount(const Json &summary, const char *key)
{
    return jsonInt64At(summary, key, "malformed Jaeger trace: trace summaries: ");
}
} // namespace

std::vector<TraceSummary> decodeJaegerSummaries(const Json &answer)
{
    std::vector<TraceSummary> out;
    try {
        for (const Json &s : listOf(requireJaegerObject(answer, "the answer"), "summaries")) {
            requireJaegerObject(s, "a summary");
            TraceSummary t;
            t.traceId = hexId(s.value("traceId", Json()), 32, "traceId");
            t.start = unixNano(s.value("minStartTimeUnixNano", Json("0")), "minStartTimeUnixNano");
            t.duration = spanBetween(t.start, unixNano(s.value("maxEndTimeUnixNano", Json("0")), "maxEndTimeUnixNano"));
            t.rootService = s.value("rootServiceName", std::string());
            t.rootName = s.value("rootOperationName", std::string());
            t.spans = summaryCount(s, "spanCount");
            t.errors = summaryCount(s, "errorSpanCount");
            out.push_back(std::move(t));
        }
    } catch (const Json::exception &e) {
        bad(std::string("trace summaries: ") + jsonProblem(e));
    }
    return out;
}

} // namespace fd

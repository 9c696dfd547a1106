#include "TempoResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/prometheus/PromResponse.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include <cmath>
#include <QByteArray>
#include <algorithm>
#include <cctype>
#include <map>

namespace fd {

namespace {

const std::string kMalformed = "malformed Tempo answer: ";

[[noreturn]] void bad(const std::string &what)
{
    throw Error(kMalformed + what);
}

const Json &listOf(const Json &object, std::initializer_list<const char *> keys)
{
    static const Json empty = Json::array();
    if (!object.is_object())
        bad("expected an object, got " + bodyExcerpt(object.dump()));
    for (const char *key : keys) {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null())
            continue;
        if (!it->is_array())
            bad(std::string(key) + " is not a list");
        return *it;
    }
    return empty;
}

std::int64_t int64Of(const Json &object, const char *key)
{
    return jsonInt64At(object, key, kMalformed);
}

// A protobuf-JSON id (base64 bytes) or an OTLP/JSON one (hex) as lowercase hex of `digits` digits.
std::string hexId(const Json &v, std::size_t digits)
{
    const std::string text = v.is_string() ? v.get<std::string>() : std::string();
    if (text.empty())
        return text;
    if (text.size() == digits)
        if (std::string hex = paddedHexId(text, digits); !hex.empty())
            return hex;
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(text),
        QByteArray::AbortOnBase64DecodingErrors);
    const std::string hex = decoded ? paddedHexId(hexEncode(decoded.decoded.toStdString()), digits) : std::string();
    if (hex.empty())
        bad("the id \"" + text + "\" is neither base64 nor hex of " + std::to_string(digits) + " digits");
    return hex;
}

void fixIds(Json &object, std::initializer_list<std::pair<const char *, std::size_t>> ids)
{
    for (const auto &[key, digits] : ids)
        if (const auto it = object.find(key); it != object.end())
            *it = hexId(*it, digits);
}

// Protobuf-JSON writes enums by name; OTLP/JSON (what the decoder reads) by number.
void fixEnum(Json &object, const char *key, const std::map<std::string, int> &names)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return;
    const auto name = names.find(it->get<std::string>());
    if (name == names.end())
        bad(std::string(key) + " \"" + it->get<std::string>() + "\" is no known value");
    *it = name->second;
}

Json otlpSpan(Json span)
{
    static const std::map<std::string, int> kinds = { { "SPAN_KIND_UNSPECIFIED", 0 }, { "SPAN_KIND_INTERNAL", 1 },
        { "SPAN_KIND_SERVER", 2 }, { "SPAN_KIND_CLIENT", 3 }, { "SPAN_KIND_PRODUCER", 4 }, { "SPAN_KIND_CONSUMER", 5 } };
    static const std::map<std::string, int> codes
        = { { "STATUS_CODE_UNSET", 0 }, { "STATUS_CODE_OK", 1 }, { "STATUS_CODE_ERROR", 2 } };
    if (!span.is_object())
        bad("a span is not an object");
    fixIds(span, { { "traceId", 32 }, { "spanId", 16 }, { "parentSpanId", 16 } });
    fixEnum(span, "kind", kinds);
    if (const auto status = span.find("status"); status != span.end() && status->is_object())
        fixEnum(*status, "code", codes);
    if (const auto links = span.find("links"); links != span.end() && links->is_array())
        for (Json &link : *links)
            if (link.is_object())
                fixIds(link, { { "traceId", 32 }, { "spanId", 16 } });
    return span;
}

// Tempo's trace ({"resourceSpans"} or the older {"batches"}, scopes maybe "instrumentationLibrarySpans")
// as an OTLP/JSON traces request.
Json otlpTraces(const Json &trace)
{
    Json resources = Json::array();
    for (const Json &rs : listOf(trace, { "resourceSpans", "resource_spans", "batches" })) {
        Json scopes = Json::array();
        for (const Json &scope : listOf(rs, { "scopeSpans", "scope_spans", "instrumentationLibrarySpans" })) {
            Json spans = Json::array();
            for (const Json &span : listOf(scope, { "spans" }))
                spans.push_back(otlpSpan(span));
            scopes.push_back({ { "spans", std::move(spans) } });
        }
        Json out = { { "scopeSpans", std::move(scopes) } };
        if (const auto it = rs.find("resource"); it != rs.end())
            out["resource"] = *it;
        resources.push_back(std::move(out));
    }
    return { { "resourceSpans", std::move(resources) } };
}

bool isPartial(const Json &status)
{
    if (status.is_number()) // a float past int would be an undefined cast: compare as JSON
        return status == 1;
    if (!status.is_string())
        return false;
    std::string s = status.get<std::string>();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s == "partial";
}

// A matched span's intrinsics, when the search selected them, become the span's own fields.
void takeIntrinsics(Span &s)
{
    if (const auto it = s.attributes.find("service.name"); it != s.attributes.end() && it->is_string()) {
        s.service = it->get<std::string>();
        s.resource["service.name"] = s.service;
        s.attributes.erase(it);
    }
    if (const auto it = s.attributes.find("status"); it != s.attributes.end() && it->is_string()) {
        const std::string v = it->get<std::string>();
        s.statusCode = int(v == "error" ? StatusCode::Error : v == "ok" ? StatusCode::Ok : StatusCode::Unset);
        s.attributes.erase(it);
    }
}

} // namespace

Json tempoAnswer(int status, const std::string &body, const std::string &where)
{
    if (status < 200 || status >= 300)
        throw Error(where + ": Tempo answered HTTP " + std::to_string(status)
            + (body.empty() ? std::string() : ": " + bodyExcerpt(body)));
    Json answer = parseJsonAnswer(body, where, "Tempo");
    // An error after the status line went out (a failed search job) comes inside the 200.
    if (const auto it = answer.find("error"); it != answer.end() && !it->is_null() && !(it->is_string() && it->get_ref<const std::string &>().empty()))
        throw Error(where + ": Tempo error: " + (it->is_string() ? it->get<std::string>() : bodyExcerpt(it->dump())));
    return answer;
}

TempoTrace decodeTempoTrace(const Json &answer)
{
    return guardJson("Tempo", [&]() -> TempoTrace {
        if (!answer.is_object())
            bad("the trace is not an object");
        const auto wrapped = answer.find("trace");
        const Json &trace = wrapped != answer.end() ? *wrapped : answer;
        TempoTrace out;
        if (trace.is_null())
            return out;
        std::int64_t rejected = 0;
        TelemetryBatch batch = decodeOtlpJson(OtlpSignal::Traces, otlpTraces(trace), &rejected, SpanTimes::Optional);
        if (rejected > 0)
            bad(std::to_string(rejected) + " span(s) without valid ids");
        out.spans = std::move(batch.spans);
        out.partial = isPartial(answer.value("status", Json()));
        out.message = answer.value("message", std::string());
        if (out.partial)
            setOnTopSpans(out.spans, "tempo.partial", out.message.empty() ? Json(true) : Json(out.message));
        std::stable_sort(
            out.spans.begin(), out.spans.end(), [](const Span &a, const Span &b) { return a.start < b.start; });
        return out;
    });
}

std::vector<TraceSummary> decodeTempoSearch(const Json &answer)
{
    return guardJson("Tempo", [&]() -> std::vector<TraceSummary> {
        std::vector<TraceSummary> out;
        for (const Json &t : listOf(answer, { "traces" })) {
            TraceSummary s;
            s.traceId = paddedHexId(t.value("traceID", std::string()), 32);
            if (s.traceId.empty())
                bad("a trace has no hex traceID: " + bodyExcerpt(t.dump()));
            s.start = int64Of(t, "startTimeUnixNano");
            const auto duration = scaledToNs(int64Of(t, "durationMs"), kMillisecond);
            if (!duration)
                bad("durationMs " + t.at("durationMs").dump() + " is out of range");
            s.duration = *duration;
            s.rootService = t.value("rootServiceName", std::string());
            s.rootName = t.value("rootTraceName", std::string());
            if (const auto stats = t.find("serviceStats"); stats != t.end() && stats->is_object())
                for (const auto &[service, st] : stats->items()) {
                    s.spans = saturatedAdd(s.spans, int64Of(st, "spanCount"));
                    s.errors = saturatedAdd(s.errors, int64Of(st, "errorCount"));
                }
            out.push_back(std::move(s));
        }
        return out;
    });
}

namespace {
// A trace's span sets: "spanSets", or the older single "spanSet".
std::vector<const Json *> spanSetsOf(const Json &trace)
{
    std::vector<const Json *> sets;
    for (const Json &set : listOf(trace, { "spanSets" }))
        sets.push_back(&set);
    if (const auto one = trace.find("spanSet"); sets.empty() && one != trace.end() && one->is_object())
        sets.push_back(&*one);
    return sets;
}
} // namespace

std::int64_t tempoSpansLeftOut(const Json &answer)
{
    return guardJson("Tempo", [&] {
        std::int64_t leftOut = 0;
        for (const Json &t : listOf(answer, { "traces" }))
            for (const Json *set : spanSetsOf(t))
                leftOut = saturatedAdd(leftOut, std::max<std::int64_t>(0, saturatedAdd(int64Of(*set, "matched"), -std::int64_t(listOf(*set, { "spans" }).size()))));
        return leftOut;
    });
}

std::vector<Span> decodeTempoMatchedSpans(const Json &answer)
{
    return guardJson("Tempo", [&]() -> std::vector<Span> {
        std::vector<Span> out;
        for (const Json &t : listOf(answer, { "traces" })) {
            const std::string traceId = paddedHexId(t.value("traceID", std::string()), 32);
            for (const Json *set : spanSetsOf(t))
                for (const Json &j : listOf(*set, { "spans" })) {
                    Span s;
                    s.traceId = traceId;
                    s.spanId = paddedHexId(j.value("spanID", std::string()), 16);
                    if (s.spanId.empty())
                        bad("a matched span has no hex spanID: " + bodyExcerpt(j.dump()));
                    s.name = j.value("name", std::string());
                    s.start = int64Of(j, "startTimeUnixNano");
                    s.end = saturatedAdd(s.start, int64Of(j, "durationNanos"));
                    s.attributes = decodeOtlpAttributes(listOf(j, { "attributes" }));
                    takeIntrinsics(s);
                    out.push_back(std::move(s));
                }
        }
        return out;
    });
}

std::vector<std::string> decodeTempoTagNames(const Json &answer)
{
    return guardJson("Tempo", [&]() -> std::vector<std::string> {
        std::vector<std::string> names;
        for (const Json &scope : listOf(answer, { "scopes" })) {
            const std::string name = scope.is_object() ? jsonValueText(scope.value("name", Json(""))) : std::string();
            for (const Json &tag : listOf(scope, { "tags" }))
                names.push_back(name == "intrinsic" || name.empty() ? jsonValueText(tag) : name + "." + jsonValueText(tag));
        }
        for (const Json &tag : listOf(answer, { "tagNames" })) // the v1 answer
            names.push_back(jsonValueText(tag));
        return names;
    });
}

std::vector<std::string> decodeTempoTagValues(const Json &answer)
{
    return guardJson("Tempo", [&]() -> std::vector<std::string> {
        std::vector<std::string> values;
        for (const Json &v : listOf(answer, { "tagValues" }))
            values.push_back(v.is_object() ? jsonValueText(v.value("value", Json(""))) : jsonValueText(v));
        return values;
    });
}

Frame decodeTempoMetrics(const Json &answer, std::size_t seriesLimit)
{
    return guardJson("Tempo", [&]() -> Frame {
        Json result = Json::array();
        for (const Json &series : listOf(answer, { "series" })) {
            Json metric = Json::object();
            const Json labels = decodeOtlpAttributes(listOf(series, { "labels" }));
            for (const auto &[key, value] : labels.items())
                metric[key] = jsonValueText(value);
            Json values = Json::array();
            for (const Json &sample : listOf(series, { "samples" })) {
                // protobuf-JSON leaves out a zero value
                const Json value = sample.is_object() ? sample.value("value", Json(0.0)) : Json();
                values.push_back(Json::array({ double(int64Of(sample, "timestampMs")) / 1000.0, value }));
            }
            result.push_back({ { "metric", std::move(metric) }, { "values", std::move(values) } });
        }
        Frame f = promFrame(Json { { "resultType", "matrix" }, { "result", std::move(result) } }, seriesLimit, "Tempo");
        return f;
    });
}

} // namespace fd

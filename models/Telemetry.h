#pragma once
#include "Json.h"
#include "Time.h"
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace fd {

// OpenTelemetry severity numbers: TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24.
int severityFromName(const std::string &name); // 0 when unknown
// The numbers a name covers: a bare name (ERROR) its four (17-20), ERROR2 or another word (NOTICE, 10) its
// own; {0, 0} when unknown.
std::pair<int, int> severityRange(const std::string &name);
std::string severityName(int number);          // "INFO", "ERROR" ...; "" for 0
// A condition's level: a number, its text ("13"), or a name (ERROR is 17); 0 when none (a number past int too:
// never wrapped into 1-24).
int severityOfValue(const Json &value);

// The event name a record's attributes give, as the store's event.name column keeps it: "event.name", else
// "event": {"name"}; a number or boolean as its text; "" for none.
std::string eventNameIn(const Json &attributes);

struct LogRecord {
    TimeNs time = 0;
    TimeNs observedTime = 0;
    int severity = 0;
    std::string severityText;
    std::string body;       // a string body as is; any other body as its JSON text
    bool bodyIsJson = false;
    std::string service;
    std::string traceId;    // lowercase hex, "" when absent
    std::string spanId;
    Json attributes = Json::object();
    Json resource = Json::object();
};

enum class SpanKind { Unspecified = 0, Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 };
std::string spanKindName(int kind);

enum class StatusCode { Unset = 0, Ok = 1, Error = 2 };
std::string statusCodeName(int code);
// An OTLP enum written as a name, in any case, with or without its prefix ("SPAN_KIND_SERVER", "Server" and
// "server" for the prefix "span_kind_" and spanKindName): its number among the first `count`; -1 for none.
int enumIndexOfName(std::string text, std::string_view prefix, int count, std::string (*name)(int));

struct SpanEvent {
    TimeNs time = 0;
    std::string name;
    Json attributes = Json::object();
    friend bool operator==(const SpanEvent &, const SpanEvent &) = default;
    friend bool operator<(const SpanEvent &a, const SpanEvent &b)
    {
        return std::tie(a.time, a.name, a.attributes) < std::tie(b.time, b.name, b.attributes);
    }
};

struct SpanLink {
    std::string traceId;
    std::string spanId;
    Json attributes = Json::object();
    friend bool operator==(const SpanLink &, const SpanLink &) = default;
    friend bool operator<(const SpanLink &a, const SpanLink &b)
    {
        return std::tie(a.traceId, a.spanId, a.attributes) < std::tie(b.traceId, b.spanId, b.attributes);
    }
};

struct Span {
    std::string traceId;
    std::string spanId;
    std::string parentSpanId; // "" for a root
    std::string service;
    std::string name;
    int kind = 0;
    TimeNs start = 0;
    TimeNs end = 0;
    int statusCode = 0;
    std::string statusMessage;
    Json attributes = Json::object();
    Json resource = Json::object();
    std::vector<SpanEvent> events;
    std::vector<SpanLink> links;
    DurationNs duration() const { return saturatedSub(end, start); } // negative when the span says so
};

enum class MetricType { Gauge = 0, Sum = 1, Histogram = 2, Summary = 3, ExponentialHistogram = 4 };

struct MetricPoint {
    TimeNs time = 0;
    TimeNs startTime = 0;
    std::string name;
    std::string unit;
    std::string service;
    int type = 0;
    bool monotonic = false;
    int temporality = 0; // 1 delta, 2 cumulative
    double value = 0;    // gauge/sum value; a histogram's sum
    Json attributes = Json::object();
    Json resource = Json::object();
    Json extra;          // histogram: {"count", "bounds", "buckets", "min", "max"}
};

struct Marker {
    std::int64_t id = 0;
    TimeNs time = 0;
    std::string kind; // deploy rollback flag config incident_start incident_end note alert
    std::string service;
    std::string title;
    std::string version;
    std::string commit;
    TimeNs commitTime = 0; // 0 when unknown
    std::string url;
    Json attributes = Json::object();
};
void checkMarkerKind(const std::string &kind); // throws fd::Error naming the kinds there are
Json markerToJson(const Marker &m);
// Throws fd::Error with a message naming the bad field.
Marker markerFromJson(const Json &j, TimeNs now);

// Ids that were no ids (the wrong length, not hex), left out and said to the sender: log records are stored
// without them, span links that carry one are left out of their span.
struct DroppedIds {
    std::int64_t logRecords = 0;
    std::int64_t links = 0;
    DroppedIds &operator+=(const DroppedIds &more)
    {
        logRecords += more.logRecords;
        links += more.links;
        return *this;
    }
    bool any() const { return logRecords > 0 || links > 0; }
    std::string text() const; // empty when none
};

struct TelemetryBatch {
    std::vector<LogRecord> logs;
    std::vector<Span> spans;
    std::vector<MetricPoint> metrics;
    DroppedIds idsDropped;
    bool empty() const { return logs.empty() && spans.empty() && metrics.empty(); }
};

std::string hexEncode(const std::string &bytes);

} // namespace fd

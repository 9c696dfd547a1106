#pragma once
#include "models/Frame.h"
#include "models/Json.h"
#include "models/Telemetry.h"
#include "models/TraceFrames.h"
#include <cstddef>
#include <string>
#include <vector>

namespace fd {

// Decoders for Tempo's HTTP API answers, pure so they are tested on payloads built from its documented
// formats. All throw fd::Error saying what is wrong.

// Tempo answers errors in plain text (400 for bad TraceQL, 404, 500 ...): that text is the message.
// Returns the parsed JSON of a 2xx answer; `where` names the source and endpoint.
Json tempoAnswer(int status, const std::string &body, const std::string &where);

struct TempoTrace {
    std::vector<Span> spans;
    bool partial = false; // Tempo gave up part of the trace (too large, a querier failed ...)
    std::string message;
};
// GET /api/v2/traces/{id}: {"trace": {"resourceSpans": [...]}, "status", "message"} in protobuf-JSON
// form (base64 ids, enum names such as SPAN_KIND_SERVER); also the v1 shape {"batches": [...]}. A partial
// trace is kept, and says so in attribute tempo.partial on its top spans.
TempoTrace decodeTempoTrace(const Json &answer);

// GET /api/search: one summary per trace (hex ids with leading zeros stripped are padded to 32 digits).
std::vector<TraceSummary> decodeTempoSearch(const Json &answer);
// GET /api/search: the spans that matched (the traces' spanSets), as far as the answer describes them.
std::vector<Span> decodeTempoMatchedSpans(const Json &answer);
// GET /api/search: the matched spans the answer leaves out (past spss, a span set's "matched" beyond its spans).
std::int64_t tempoSpansLeftOut(const Json &answer);

// GET /api/v2/search/tags: scoped names ("span.http.method", "resource.service.name"; intrinsics bare).
std::vector<std::string> decodeTempoTagNames(const Json &answer);
// GET /api/v2/search/tag/{tag}/values: {"tagValues": [{"type", "value"}]}.
std::vector<std::string> decodeTempoTagValues(const Json &answer);

// GET /api/metrics/query_range: {"series": [{"labels": [KeyValue], "samples": [{"timestampMs", "value"}]}]}
// as the frame of a Prometheus matrix (time, one column per label, value).
Frame decodeTempoMetrics(const Json &answer, std::size_t seriesLimit);

} // namespace fd

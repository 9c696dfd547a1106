#pragma once
#include "models/Json.h"
#include "models/Telemetry.h"
#include "models/TraceFrames.h"
#include <vector>

namespace fd {

// Jaeger traces to Flightdeck spans. Ids become lowercase hex padded to 32 (trace) and 16 (span) digits, as
// the store keeps them. All throw fd::Error saying what is wrong with a payload.
//
// The internal API's trace ({"traceID", "spans", "processes", "warnings"}), as the OpenTelemetry Jaeger
// translator maps it: the first CHILD_OF reference into the same trace is the parent (else the first
// FOLLOWS_FROM one); every other reference becomes a link with attribute opentracing.ref_type (child_of,
// follows_from). Tags are attributes (span.kind, otel.status_code, otel.status_description and error=true
// give kind and status); an int64 sent as a string stays that string, every digit kept; binary stays base64.
// Process tags are the resource; logs are events (named by their "event" field); span warnings become
// attribute jaeger.warnings and trace warnings jaeger.trace_warnings on the top spans. Spans sharing an
// id are all kept.
std::vector<Span> decodeJaegerTrace(const Json &trace);
// The v3 API's {"result": OTLP TracesData} (hex ids, as OTLP/JSON has them).
std::vector<Span> decodeJaegerOtlpTrace(const Json &answer);
// The v3 API's {"summaries": [...]} (GET /api/v3/trace-summaries).
std::vector<TraceSummary> decodeJaegerSummaries(const Json &answer);

} // namespace fd

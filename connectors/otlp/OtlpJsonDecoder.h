#pragma once
#include "OtlpBatchBuilder.h"
#include "OtlpSignal.h"
#include "models/Json.h"
#include "models/Telemetry.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fd {

// Which export request an OTLP/JSON document is: resourceSpans, resourceLogs or resourceMetrics.
std::optional<OtlpSignal> detectOtlpJsonSignal(const Json &request);

// The lists a request nests: resources (resourceLogs), their scopes (scopeLogs), the scopes' items
// (logRecords). True when `name` is that list's member name, in OTLP/JSON's form or proto's (resource_logs).
enum class OtlpList { Resources, Scopes, Items };
bool isOtlpListName(OtlpSignal signal, OtlpList list, std::string_view name);

// Decodes an OTLP/JSON Export*ServiceRequest. Throws fd::Error for malformed JSON or a wrong
// shape; records that cannot be stored (a span with a bad id) are skipped and counted in
// *rejected instead of failing the whole request. The text form tries decodeOtlpJsonFast first
// (OtlpJsonFastDecoder.h); the document form is the full decoder both end in.
TelemetryBatch decodeOtlpJson(OtlpSignal signal, std::string_view body, std::int64_t *rejected = nullptr);
TelemetryBatch decodeOtlpJson(OtlpSignal signal, const Json &request, std::int64_t *rejected = nullptr,
                              SpanTimes times = SpanTimes::Required);

// An OTLP/JSON KeyValue list ([{"key", "value": AnyValue}]) as an attributes object; throws fd::Error.
Json decodeOtlpAttributes(const Json &keyValues);

// Json converts from text implicitly: these keep a std::string or literal body from being ambiguous.
inline TelemetryBatch decodeOtlpJson(OtlpSignal signal, const std::string &body, std::int64_t *rejected = nullptr)
{
    return decodeOtlpJson(signal, std::string_view(body), rejected);
}
inline TelemetryBatch decodeOtlpJson(OtlpSignal signal, const char *body, std::int64_t *rejected = nullptr)
{
    return decodeOtlpJson(signal, std::string_view(body), rejected);
}

} // namespace fd

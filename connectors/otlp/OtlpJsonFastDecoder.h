#pragma once
#include "OtlpSignal.h"
#include "models/Telemetry.h"
#include <cstdint>
#include <optional>
#include <string_view>

namespace fd {

// The receiver's fast path for OTLP/JSON spans and log records, the shape SDKs send: one pass over the
// text (nlohmann's SAX events) straight into spans and log records, without the document tree that
// decodeOtlpJson builds and walks. It takes only what it is sure to read as that decoder does; anything
// else (metrics, snake_case keys, null, span events or links, a list given twice where the tree would
// keep only the last, malformed JSON) gives nullopt, and the caller decodes the body with
// the tree, which gives the same batch or the error. tests/fuzz/fuzz_otlp_json checks both agree.
std::optional<TelemetryBatch> decodeOtlpJsonFast(OtlpSignal signal, std::string_view body, std::int64_t *rejected);

} // namespace fd

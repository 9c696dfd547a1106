#pragma once
#include "OtlpSignal.h"
#include "models/Telemetry.h"
#include <cstdint>
#include <string_view>

namespace fd {

// Decodes an OTLP/protobuf Export*ServiceRequest to the same values decodeOtlpJson gives for its
// JSON twin. Throws fd::Error when the body does not parse; records that cannot be stored are
// skipped and counted in *rejected.
TelemetryBatch decodeOtlpProto(OtlpSignal signal, std::string_view body, std::int64_t *rejected = nullptr);

} // namespace fd

#pragma once
#include "ClickHouseResponse.h"
#include "ClickHouseSchema.h"
#include "ClickHouseSql.h"
#include "models/Telemetry.h"
#include <string>
#include <vector>

namespace fd {

// Every span of one trace from otel_traces, in start order, with events and links where the table has them.
ChSql chTraceSql(const ChTable &traces, const std::string &traceId);
// The rows of chTraceSql as spans (kind and status from the exporter's text: "Server", "SPAN_KIND_SERVER" ...).
std::vector<Span> chSpans(const ChResult &rows);

} // namespace fd

#pragma once
#include "models/Json.h"
#include "models/Telemetry.h"

namespace fd {

// One JSON-lines log object to a log record. Well-known keys (time/timestamp/@timestamp/ts,
// severity/level, body/message/msg, service/service.name, trace_id, span_id) become fields; every
// other key becomes an attribute (a nested object stays one: its fields are queried by dotted path). Throws fd::Error when the object has no usable time.
LogRecord logRecordFromJsonLine(Json object);

} // namespace fd

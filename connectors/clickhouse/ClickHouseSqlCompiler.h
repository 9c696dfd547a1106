#pragma once
#include "ClickHouseSchema.h"
#include "ClickHouseSql.h"
#include "models/Query.h"
#include "models/Time.h"
#include <string>

namespace fd {

// Compiles the Query tree to ClickHouse SQL over the exporter's schema, using only the columns the relation
// has. Rows come as the embedded store gives them:
//   logs     time, severity, severity_text, service.name, body, trace_id, span_id, attributes, resource
//   spans    time, trace_id, span_id, parent_span_id, service.name, name, kind, duration_ms, status,
//            status_message, attributes, resource
//   metrics  time, name, service.name, value, unit, attributes, resource
// aggregates as time (with an interval) + one column per group_by + the value (named "count", the
// aggregate's text, or "value" for metrics). Other fields are attributes: LogAttributes['k'], else the
// resource's. Throws fd::Error naming what cannot be expressed or a column the table lacks.
ChSql chCompile(const Query &q, const TimeRange &range, const ChRelation &relation);

// Attribute keys seen in the range (of one metric's points when metricName is given): one column "key";
// no statement (empty sql) when the table has no attribute maps.
ChSql chAttributeKeys(
    const ChRelation &relation, Signal signal, const TimeRange &range, const std::string &metricName, int limit);
// The values of a field with their counts, most frequent first: columns "value" and "count".
ChSql chFieldValues(const ChRelation &relation, Signal signal, const std::string &field, const std::string &metricName,
    const TimeRange &range, int limit);
// One row per trace (DataSource::recentTraces): trace_id, time, root_service, root_name, duration_ms, spans, errors.
ChSql chRecentTraces(const ChRelation &traces, const TimeRange &range, int limit);

} // namespace fd

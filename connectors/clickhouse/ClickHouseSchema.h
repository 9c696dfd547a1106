#pragma once
#include "ClickHouseResponse.h"
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace fd {

// The tables the OpenTelemetry Collector's ClickHouse exporter writes.
enum class ChTableKind { Logs, Traces, Gauge, Sum, Histogram };
// The key of options.tables that renames a table: "logs", "traces", "metrics_gauge" ...
const char *chTableOption(ChTableKind kind);
// "otel_logs", "otel_traces", "otel_metrics_gauge" ...
const char *chDefaultTableName(ChTableKind kind);

// One table's columns as DESCRIBE TABLE lists them (nested columns flattened: "Events.Name").
struct ChTable {
    std::string database;
    std::string name;
    std::vector<ChColumn> columns;
    bool exists = true;

    bool has(const std::string &column) const;
    std::string type(const std::string &column) const; // "" when absent
    // The first of these columns the table has; "" when none (exporter versions name some differently).
    std::string pick(std::initializer_list<const char *> candidates) const;
    std::string qualifiedName() const; // `db`.`table`
    // The column as Int64 nanoseconds since the epoch (DateTime64, DateTime or integer nanoseconds);
    // throws fd::Error for other types.
    std::string nanoseconds(const std::string &column) const;
};

// What a statement reads from: a table, or for metrics the union of the metric tables with their columns
// named alike (TimeUnix, MetricName, ServiceName, Value, MetricUnit, Attributes, ResourceAttributes).
struct ChRelation {
    std::string from; // `db`.`table` or (SELECT ... UNION ALL ...)
    ChTable table; // the columns it has
};
ChRelation chTableRelation(const ChTable &table);
// Throws fd::Error when no table is given or one lacks a column every metric needs.
ChRelation chMetricsRelation(const std::vector<std::pair<ChTableKind, ChTable>> &tables);

// What the current exporter creates, for compile() before the server was asked.
ChTable chDefaultTable(ChTableKind kind, const std::string &database, const std::string &name);
// From a DESCRIBE TABLE ... FORMAT JSON answer.
ChTable chTableFromDescribe(const std::string &database, const std::string &name, const ChResult &describe);

// `name` with backticks and backslashes escaped.
std::string chIdentifier(const std::string &name);
// A column name as SQL: as is when it is a plain word, else quoted.
std::string chColumnRef(const std::string &column);

} // namespace fd

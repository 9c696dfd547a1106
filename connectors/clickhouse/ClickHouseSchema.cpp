#include "ClickHouseSchema.h"
#include "models/Error.h"
#include <algorithm>
#include <cctype>

namespace fd {

namespace {

constexpr const char *kMap = "Map(LowCardinality(String), String)";
constexpr const char *kTime = "DateTime64(9)";

std::vector<ChColumn> defaultColumns(ChTableKind kind)
{
    switch (kind) {
    case ChTableKind::Logs:
        return { { "Timestamp", kTime }, { "TimestampTime", "DateTime" }, { "TraceId", "String" },
            { "SpanId", "String" }, { "TraceFlags", "UInt8" }, { "SeverityText", "LowCardinality(String)" },
            { "SeverityNumber", "UInt8" }, { "ServiceName", "LowCardinality(String)" }, { "Body", "String" },
            { "ResourceAttributes", kMap }, { "ScopeName", "String" }, { "LogAttributes", kMap } };
    case ChTableKind::Traces:
        return { { "Timestamp", kTime }, { "TraceId", "String" }, { "SpanId", "String" }, { "ParentSpanId", "String" },
            { "SpanName", "LowCardinality(String)" }, { "SpanKind", "LowCardinality(String)" },
            { "ServiceName", "LowCardinality(String)" }, { "ResourceAttributes", kMap }, { "SpanAttributes", kMap },
            { "Duration", "UInt64" }, { "StatusCode", "LowCardinality(String)" }, { "StatusMessage", "String" },
            { "Events.Timestamp", "Array(DateTime64(9))" }, { "Events.Name", "Array(LowCardinality(String))" },
            { "Events.Attributes", "Array(Map(LowCardinality(String), String))" }, { "Links.TraceId", "Array(String)" },
            { "Links.SpanId", "Array(String)" }, { "Links.Attributes", "Array(Map(LowCardinality(String), String))" } };
    case ChTableKind::Gauge:
        return { { "ResourceAttributes", kMap }, { "ServiceName", "LowCardinality(String)" },
            { "MetricName", "String" }, { "MetricUnit", "String" }, { "Attributes", kMap }, { "TimeUnix", kTime },
            { "Value", "Float64" } };
    case ChTableKind::Sum:
        return { { "ResourceAttributes", kMap }, { "ServiceName", "LowCardinality(String)" },
            { "MetricName", "String" }, { "MetricUnit", "String" }, { "Attributes", kMap }, { "TimeUnix", kTime },
            { "Value", "Float64" }, { "AggregationTemporality", "Int32" }, { "IsMonotonic", "Bool" } };
    case ChTableKind::Histogram:
        return { { "ResourceAttributes", kMap }, { "ServiceName", "LowCardinality(String)" },
            { "MetricName", "String" }, { "MetricUnit", "String" }, { "Attributes", kMap }, { "TimeUnix", kTime },
            { "Count", "UInt64" }, { "Sum", "Float64" }, { "AggregationTemporality", "Int32" } };
    }
    return {};
}

} // namespace

const char *chTableOption(ChTableKind kind)
{
    switch (kind) {
    case ChTableKind::Logs:
        return "logs";
    case ChTableKind::Traces:
        return "traces";
    case ChTableKind::Gauge:
        return "metrics_gauge";
    case ChTableKind::Sum:
        return "metrics_sum";
    case ChTableKind::Histogram:
        return "metrics_histogram";
    }
    return "logs";
}

const char *chDefaultTableName(ChTableKind kind)
{
    switch (kind) {
    case ChTableKind::Logs:
        return "otel_logs";
    case ChTableKind::Traces:
        return "otel_traces";
    case ChTableKind::Gauge:
        return "otel_metrics_gauge";
    case ChTableKind::Sum:
        return "otel_metrics_sum";
    case ChTableKind::Histogram:
        return "otel_metrics_histogram";
    }
    return "otel_logs";
}

bool ChTable::has(const std::string &column) const
{
    return !type(column).empty();
}

std::string ChTable::type(const std::string &column) const
{
    for (const ChColumn &c : columns)
        if (c.name == column)
            return c.type;
    return {};
}

std::string ChTable::pick(std::initializer_list<const char *> candidates) const
{
    for (const char *c : candidates)
        if (has(c))
            return c;
    return {};
}

std::string ChTable::qualifiedName() const
{
    return chIdentifier(database) + "." + chIdentifier(name);
}

std::string ChTable::nanoseconds(const std::string &column) const
{
    const std::string t = chInnerType(type(column));
    if (t.starts_with("DateTime64"))
        return "toUnixTimestamp64Nano(" + chColumnRef(column) + ")";
    if (t.starts_with("DateTime"))
        return "toInt64(" + chColumnRef(column) + ") * 1000000000";
    if (t == "Int64")
        return chColumnRef(column);
    if (chColumnType(t) == ColumnType::Int64)
        return "toInt64(" + chColumnRef(column) + ")";
    throw Error("ClickHouse column " + column + " is of type " + t
        + ", which Flightdeck cannot read as a time (DateTime64, DateTime or integer nanoseconds)");
}

ChRelation chTableRelation(const ChTable &table)
{
    return { table.qualifiedName(), table };
}

ChRelation chMetricsRelation(const std::vector<std::pair<ChTableKind, ChTable>> &tables)
{
    if (tables.empty())
        throw Error(std::string("the ClickHouse source has no metrics tables (otel_metrics_gauge, otel_metrics_sum, "
                                "otel_metrics_histogram, or options.tables)"));
    ChRelation rel;
    rel.table = tables.front().second;
    rel.table.columns = { { "TimeUnix", rel.table.type("TimeUnix") }, { "MetricName", "String" },
        { "ServiceName", "String" }, { "Value", "Float64" }, { "MetricUnit", "String" },
        { "Attributes", "Map(String, String)" }, { "ResourceAttributes", "Map(String, String)" }, { "Cumulative", "UInt8" } };
    std::string from;
    for (const auto &table : tables) {
        const auto &t = table.second; // no structured binding: clang 14 cannot capture one in the lambda below
        const std::string value = table.first == ChTableKind::Histogram ? "Sum" : "Value";
        for (const std::string &needed : { std::string("TimeUnix"), std::string("MetricName"), value })
            if (!t.has(needed))
                throw Error("ClickHouse table " + t.database + "." + t.name + " has no " + needed
                    + " column (needed for metrics)");
        const auto col = [&](const std::string &name, const char *fallback) {
            return t.has(name) ? name : std::string(fallback) + " AS " + name;
        };
        from += std::string(from.empty() ? "" : " UNION ALL ") + "SELECT TimeUnix, MetricName, "
            + col("ServiceName", "''") + ", " + (value == "Value" ? std::string("Value") : "Sum AS Value") + ", "
            + col("MetricUnit", "''") + ", " + col("Attributes", "map()") + ", " + col("ResourceAttributes", "map()") + ", "
            + (t.has("AggregationTemporality") ? "toUInt8(AggregationTemporality = 2)" : "toUInt8(0)") + " AS Cumulative"
            + " FROM " + t.qualifiedName();
    }
    rel.from = "(" + from + ")";
    return rel;
}

ChTable chDefaultTable(ChTableKind kind, const std::string &database, const std::string &name)
{
    return { database, name, defaultColumns(kind), true };
}

ChTable chTableFromDescribe(const std::string &database, const std::string &name, const ChResult &describe)
{
    ChTable t { database, name, {}, true };
    for (const Json &row : describe.data)
        if (row.is_object() && row.value("name", Json()).is_string() && row.value("type", Json()).is_string())
            t.columns.push_back({ row["name"].get<std::string>(), row["type"].get<std::string>() });
    return t;
}

std::string chIdentifier(const std::string &name)
{
    std::string out = "`";
    for (const char c : name) {
        if (c == '`' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '`';
}

std::string chColumnRef(const std::string &column)
{
    const bool plain = !column.empty() && std::all_of(column.begin(), column.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    return plain ? column : chIdentifier(column);
}

} // namespace fd

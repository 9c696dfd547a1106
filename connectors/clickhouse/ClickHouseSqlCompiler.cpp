#include "ClickHouseSqlCompiler.h"
#include "models/BucketRates.h"
#include "ClickHouseSqlBuilder.h"
#include <set>
#include <algorithm>

namespace fd {

namespace {

using T = ColumnType;

std::string orDefault(const ChTable &t, const std::string &column, const char *fallback)
{
    return t.has(column) ? chColumnRef(column) : std::string(fallback);
}

std::string rowColumns(ChSqlBuilder &b, Signal signal, std::vector<ColumnType> &types)
{
    const ChTable &t = b.table();
    const std::string time = b.field("time").expr + " AS time, ";
    const std::string maps = (b.attributesMap().empty() ? "'{}'" : b.attributesMap()) + " AS attributes, "
        + (b.resourceMap().empty() ? "'{}'" : b.resourceMap()) + " AS resource";
    const std::string service = orDefault(t, "ServiceName", "''") + " AS `service.name`, ";
    switch (signal) {
    case Signal::Logs:
        types = { T::Time, T::Int64, T::String, T::String, T::String, T::String, T::String, T::Json, T::Json };
        return time + orDefault(t, "SeverityNumber", "0") + " AS severity, " + orDefault(t, "SeverityText", "''")
            + " AS severity_text, " + service + orDefault(t, "Body", "''") + " AS body, "
            + orDefault(t, "TraceId", "''") + " AS trace_id, " + orDefault(t, "SpanId", "''") + " AS span_id, " + maps;
    case Signal::Spans:
        types = { T::Time, T::String, T::String, T::String, T::String, T::String, T::String, T::Double, T::String,
            T::String, T::Json, T::Json };
        return time + orDefault(t, "TraceId", "''") + " AS trace_id, " + orDefault(t, "SpanId", "''") + " AS span_id, "
            + orDefault(t, "ParentSpanId", "''") + " AS parent_span_id, " + service + orDefault(t, "SpanName", "''")
            + " AS name, " + (t.has("SpanKind") ? b.field("kind").expr : "'unspecified'") + " AS kind, "
            + (t.has("Duration") ? b.field("duration_ms").expr : "0") + " AS duration_ms, "
            + (t.has("StatusCode") ? b.field("status").expr : "'unset'") + " AS status, "
            + orDefault(t, "StatusMessage", "''") + " AS status_message, " + maps;
    case Signal::Metrics:
        types = { T::Time, T::String, T::String, T::Double, T::String, T::Json, T::Json };
        return time + orDefault(t, "MetricName", "''") + " AS name, " + service + orDefault(t, "Value", "0")
            + " AS value, " + orDefault(t, "MetricUnit", "''") + " AS unit, " + maps;
    }
    return {};
}

ChSql rows(const Query &q, ChSqlBuilder &b)
{
    std::vector<ColumnType> types;
    const std::string select = rowColumns(b, q.signal, types);
    const std::string time = chColumnRef(b.column("time"));
    std::string order = time + (q.oldestFirst ? "" : " DESC");
    if (!q.sortField.empty()) { // by the field, rows without it last, then newest first
        const ChField f = q.sortByAttribute ? b.attribute(q.sortField) : b.field(q.sortField);
        const std::string direction = q.sortDescending ? " DESC" : " ASC";
        // Rows alike in the field and in time still come in one order, by what they hold: else a page at an
        // offset could repeat one and skip another. Only text aliases: a number a column lacks is a constant,
        // which some versions read as a column's position.
        const std::string tiebreak = q.signal == Signal::Logs ? ", body, " + chIdentifier("service.name") + ", trace_id, span_id"
            : q.signal == Signal::Spans                       ? std::string(", trace_id, span_id")
                                                              : std::string();
        order = (f.exists.empty() ? f.expr + direction + " NULLS LAST" : "NOT " + f.exists + ", " + f.expr + direction)
            + ", " + time + " DESC" + tiebreak;
    }
    const std::string sql = "SELECT " + select + " FROM " + b.from() + b.where() + " ORDER BY " + order;
    return b.finish(sql, types, q.limit > 0 ? q.limit : 1'000'000, q.sortField.empty() ? 0 : q.rowOffset);
}

// NaN where a group holds points of a cumulative sum or histogram: adding up their running totals had given 22/s for
// a counter rising 0.74/s (exploratory test against a real ClickHouse); their increases need what the SQL has not.
std::string notOfCounterTotals(const std::string &sum)
{
    return "if(max(Cumulative) = 1, nan, " + sum + ")";
}

std::string aggregateExpr(const Query &q, const TimeRange &range, ChSqlBuilder &b, ColumnType &type)
{
    using K = Aggregate::Kind;
    const Aggregate &a = q.agg;
    type = T::Double;
    const auto numeric = [&] {
        const ChField f = b.field(a.field);
        return f.numeric() ? f.expr : "toFloat64OrNull(" + f.expr + ")";
    };
    const std::string seconds = chNumber(double(rateSpan(range, q.interval)) / kSecond);
    switch (a.kind) {
    case K::None:
    case K::Count:
        type = T::Int64;
        return "count()";
    case K::Rate:
        return q.signal == Signal::Metrics ? notOfCounterTotals("sum(" + b.field("value").expr + ") / " + seconds)
                                           : "count() / " + seconds;
    case K::Sum:
        return q.signal == Signal::Metrics && a.field == "value" ? notOfCounterTotals("sum(" + numeric() + ")")
                                                                 : "sum(" + numeric() + ")";
    case K::Avg:
        return "avg(" + numeric() + ")";
    case K::Min:
        return "min(" + numeric() + ")";
    case K::Max:
        return "max(" + numeric() + ")";
    case K::Percentile:
        return "quantile(" + chNumber(a.percentile / 100) + ")(" + numeric() + ")";
    case K::CountDistinct: // uniq estimates: 201,209 distinct of 200,000 rows (exploratory test); COUNT(DISTINCT) is this
        type = T::Int64;
        return "uniqExact(" + b.field(a.field).expr + ")";
    }
    return "count()";
}

ChSql aggregate(const Query &q, const TimeRange &range, ChSqlBuilder &b)
{
    std::vector<ColumnType> types;
    std::vector<std::string> names; // the frame's, as the store names its columns
    std::set<std::string> taken;
    // Each expression its own alias: ClickHouse refuses one alias for two (a group by a field named "count" beside
    // the count, or by "time" beside the buckets: review); the frame gets the names back.
    const auto alias = [&](const std::string &name) {
        std::string a = name;
        for (int n = 2; taken.count(a); ++n)
            a = name + " " + std::to_string(n);
        taken.insert(a);
        names.push_back(name);
        return a;
    };
    std::string select, groups;
    if (q.interval > 0) {
        select = b.bucket() + " AS " + alias("time") + ", ";
        groups = "time";
        types.push_back(T::Time);
    }
    for (const std::string &g : q.groupBy) {
        const std::string a = chIdentifier(alias(g));
        select += "toString(" + b.field(g).expr + ") AS " + a + ", ";
        groups += (groups.empty() ? "" : ", ") + a;
        types.push_back(T::String);
    }
    ColumnType aggType;
    const std::string value = chIdentifier(alias(aggregateColumnName(q)));
    select += aggregateExpr(q, range, b, aggType) + " AS " + value;
    types.push_back(aggType);
    std::string sql = "SELECT " + select + " FROM " + b.from() + b.where();
    if (!groups.empty())
        sql += " GROUP BY " + groups + " ORDER BY " + (q.interval > 0 ? groups : value + " DESC");
    // A time series keeps every bucket of every group up to a hard cap; groups obey the limit.
    const int limit = q.interval > 0 ? 1'000'000 : groups.empty() ? 0 : q.limit;
    ChSql out = b.finish(sql, types, limit);
    out.columnNames = std::move(names);
    return out;
}

Query signalOnly(Signal signal)
{
    Query q;
    q.signal = signal;
    return q;
}

} // namespace

ChSql chCompile(const Query &q, const TimeRange &range, const ChRelation &relation)
{
    ChSqlBuilder b(q, range, relation);
    return aggregates(q) ? aggregate(q, range, b) : rows(q, b);
}

ChSql chAttributeKeys(
    const ChRelation &relation, Signal signal, const TimeRange &range, const std::string &metricName, int limit)
{
    const Query q = signalOnly(signal);
    ChSqlBuilder b(q, range, relation);
    std::vector<std::string> keys;
    for (const std::string &map : { b.attributesMap(), b.resourceMap() })
        if (!map.empty())
            keys.push_back("mapKeys(" + map + ")");
    if (keys.empty())
        return {};
    const std::string all = keys.size() == 1 ? keys[0] : "arrayConcat(" + keys[0] + ", " + keys[1] + ")";
    return b.finish(
        "SELECT DISTINCT arrayJoin(" + all + ") AS key FROM " + b.from() + b.where(metricName) + " ORDER BY key",
        { T::String }, limit);
}

ChSql chFieldValues(const ChRelation &relation, Signal signal, const std::string &field, const std::string &metricName,
    const TimeRange &range, int limit)
{
    const Query q = signalOnly(signal);
    ChSqlBuilder b(q, range, relation);
    const ChField f = b.field(field);
    std::string sql
        = "SELECT toString(" + f.expr + ") AS value, count() AS count FROM " + b.from() + b.where(metricName);
    if (f.kind == ChFieldKind::Attribute)
        sql += " AND " + f.exists;
    return b.finish(sql + " GROUP BY value ORDER BY count DESC, value", { T::String, T::Int64 }, limit);
}

ChSql chRecentTraces(const ChRelation &traces, const TimeRange &range, int limit)
{
    const Query q = signalOnly(Signal::Spans);
    ChSqlBuilder b(q, range, traces);
    const std::string start = b.field("time").expr;
    const std::string end = b.table().has("Duration") ? "max(" + start + " + Duration)" : "max(" + start + ")";
    // The root span (no parent) names the trace; without one, the earliest span does.
    const std::string rootOrder
        = "(" + chColumnRef(b.column("parent_span_id")) + " != '', " + chColumnRef(b.column("time")) + ")";
    const std::string sql = "SELECT " + chColumnRef(b.column("trace_id")) + " AS trace_id, min(" + start
        + ") AS time, argMin(" + chColumnRef(b.column("service.name")) + ", " + rootOrder + ") AS root_service, argMin("
        + chColumnRef(b.column("name")) + ", " + rootOrder + ") AS root_name, (" + end + " - min(" + start
        + ")) / 1000000 AS duration_ms, count() AS spans, "
        + (b.table().has("StatusCode") ? "countIf(" + b.field("status").expr + " = 'error')" : std::string("0"))
        + " AS errors FROM " + b.from() + b.where() + " GROUP BY trace_id ORDER BY time DESC";
    return b.finish(sql, { T::String, T::Time, T::String, T::String, T::Double, T::Int64, T::Int64 }, limit);
}

} // namespace fd

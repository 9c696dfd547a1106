#include "ClickHouseSqlBuilder.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include "models/Error.h"
#include "models/Telemetry.h"
#include <algorithm>
#include <cctype>

namespace fd {

namespace {

using Kind = ChFieldKind;

struct Intrinsic {
    const char *field;
    const char *column;
    const char *alt; // the name another exporter version gives it, or nullptr
    Kind kind;
    const char *wrap; // "%" stands for the column; nullptr: the column itself
};

const std::vector<Intrinsic> &intrinsics(Signal s)
{
    static const std::vector<Intrinsic> logs = { { "time", "Timestamp", "TimestampTime", Kind::Time, nullptr },
        { "severity", "SeverityNumber", nullptr, Kind::Severity, nullptr },
        { "severity_text", "SeverityText", nullptr, Kind::Text, nullptr },
        { "body", "Body", nullptr, Kind::Text, nullptr },
        { "service.name", "ServiceName", nullptr, Kind::Text, nullptr },
        { "service", "ServiceName", nullptr, Kind::Text, nullptr },
        { "trace_id", "TraceId", nullptr, Kind::Text, nullptr },
        { "span_id", "SpanId", nullptr, Kind::Text, nullptr } };
    static const std::vector<Intrinsic> spans = { { "time", "Timestamp", nullptr, Kind::Time, nullptr },
        { "start", "Timestamp", nullptr, Kind::Time, nullptr }, { "name", "SpanName", nullptr, Kind::Text, nullptr },
        { "duration_ms", "Duration", nullptr, Kind::Real, "(% / 1000000)" },
        { "duration_ns", "Duration", nullptr, Kind::Int, nullptr },
        { "status", "StatusCode", nullptr, Kind::Status, "lower(replaceOne(%, 'STATUS_CODE_', ''))" },
        { "status_message", "StatusMessage", nullptr, Kind::Text, nullptr },
        { "kind", "SpanKind", nullptr, Kind::SpanKind, "lower(replaceOne(%, 'SPAN_KIND_', ''))" },
        { "service.name", "ServiceName", nullptr, Kind::Text, nullptr },
        { "service", "ServiceName", nullptr, Kind::Text, nullptr },
        { "trace_id", "TraceId", nullptr, Kind::Text, nullptr }, { "span_id", "SpanId", nullptr, Kind::Text, nullptr },
        { "parent_span_id", "ParentSpanId", nullptr, Kind::Text, nullptr } };
    static const std::vector<Intrinsic> metrics = { { "time", "TimeUnix", nullptr, Kind::Time, nullptr },
        { "name", "MetricName", nullptr, Kind::Text, nullptr }, { "value", "Value", nullptr, Kind::Real, nullptr },
        { "unit", "MetricUnit", nullptr, Kind::Text, nullptr },
        { "service.name", "ServiceName", nullptr, Kind::Text, nullptr },
        { "service", "ServiceName", nullptr, Kind::Text, nullptr } };
    return s == Signal::Logs ? logs : s == Signal::Spans ? spans : metrics;
}

std::string wrapped(const char *wrap, const std::string &column)
{
    if (!wrap)
        return column;
    std::string out = wrap;
    out.replace(out.find('%'), 1, column);
    return out;
}

// "ERROR", "Error", "STATUS_CODE_ERROR", 2 -> "error"; "" when it names none of names.
std::string enumName(const Json &v, const std::string &prefix, int count, std::string (*name)(int))
{
    if (v.is_number_integer()) // as int64: a cast to int would wrap 2^32 + 2 to 2
        return v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() < count ? name(int(v.get<std::int64_t>())) : std::string();
    const int index = v.is_string() ? enumIndexOfName(v.get<std::string>(), prefix, count, name) : -1;
    return index >= 0 ? name(index) : std::string();
}

} // namespace

ChSqlBuilder::ChSqlBuilder(const Query &q, const TimeRange &range, const ChRelation &rel)
    : m_q(q)
    , m_range(range)
    , m_rel(rel)
{
    const bool logs = q.signal == Signal::Logs, spans = q.signal == Signal::Spans;
    m_attrs = logs ? table().pick({ "LogAttributes", "Attributes" })
        : spans    ? table().pick({ "SpanAttributes", "Attributes" })
                   : table().pick({ "Attributes" });
    m_resource = table().pick({ "ResourceAttributes" });
}

void ChSqlBuilder::missing(const std::string &column, const std::string &what) const
{
    throw Error("ClickHouse table " + table().database + "." + table().name + " has no " + column
        + " column (needed for " + what + ")");
}

std::optional<ChField> ChSqlBuilder::intrinsic(const std::string &name) const
{
    for (const Intrinsic &i : intrinsics(m_q.signal)) {
        if (name != i.field)
            continue;
        const std::string col = table().has(i.column) ? i.column : i.alt && table().has(i.alt) ? i.alt : "";
        if (col.empty())
            missing(i.column, name);
        if (i.kind == Kind::Time)
            return ChField { table().nanoseconds(col), i.kind, {} };
        return ChField { wrapped(i.wrap, chColumnRef(col)), i.kind, {} };
    }
    return std::nullopt;
}

std::string ChSqlBuilder::column(const std::string &fieldName) const
{
    for (const Intrinsic &i : intrinsics(m_q.signal))
        if (fieldName == i.field) {
            if (table().has(i.column))
                return i.column;
            if (i.alt && table().has(i.alt))
                return i.alt;
            missing(i.column, fieldName);
        }
    return {};
}

ChField ChSqlBuilder::field(const std::string &name)
{
    if (auto f = intrinsic(name))
        return *f;
    return attribute(name);
}

ChField ChSqlBuilder::attribute(const std::string &name)
{
    if (name.empty())
        throw Error(std::string("a field name is empty"));
    if (m_attrs.empty() && m_resource.empty())
        missing(m_q.signal == Signal::Logs    ? "LogAttributes"
                : m_q.signal == Signal::Spans ? "SpanAttributes"
                                              : "Attributes",
            "the attribute \"" + name + "\"");
    const std::string key = m_params.string(name);
    if (m_attrs.empty() || m_resource.empty()) {
        const std::string map = m_attrs.empty() ? m_resource : m_attrs;
        return { map + "[" + key + "]", Kind::Attribute, "mapContains(" + map + ", " + key + ")" };
    }
    return {
        "if(mapContains(" + m_attrs + ", " + key + "), " + m_attrs + "[" + key + "], " + m_resource + "[" + key + "])",
        Kind::Attribute, "(mapContains(" + m_attrs + ", " + key + ") OR mapContains(" + m_resource + ", " + key + "))"
    };
}

// col OP t, with t written in the column's own type so that the table's order key is used.
std::string ChSqlBuilder::timeBound(const std::string &col, TimeNs t, const char *op)
{
    const std::string type = chInnerType(table().type(col));
    if (type.starts_with("DateTime64"))
        return chColumnRef(col) + " " + op + " fromUnixTimestamp64Nano(" + m_params.int64(t) + ")";
    if (type.starts_with("DateTime")) {
        const bool upper = op[0] == '<';
        // [from, to) in whole seconds: from rounded down, to rounded up.
        const TimeNs seconds = upper ? alignDown(t + kSecond - 1, kSecond) / kSecond : alignDown(t, kSecond) / kSecond;
        return chColumnRef(col) + " " + op + " toDateTime(" + m_params.int64(seconds) + ")";
    }
    return table().nanoseconds(col) + " " + op + " " + m_params.int64(t);
}

std::string ChSqlBuilder::where(const std::string &metricName)
{
    requireNonEmpty(m_range);
    // One parameter per statement: the order of evaluation inside one expression is unspecified.
    const std::string time = column("time");
    std::string sql = " WHERE " + timeBound(time, m_range.from, ">=");
    sql += " AND " + timeBound(time, m_range.to, "<");
    // The exporter's second-resolution copy is in the primary key: bounding it lets the server skip parts.
    if (time == "Timestamp" && chInnerType(table().type("TimestampTime")) == "DateTime") {
        sql += " AND TimestampTime >= toDateTime(" + m_params.int64(alignDown(m_range.from, kSecond) / kSecond) + ")";
        sql += " AND TimestampTime <= toDateTime(" + m_params.int64(alignDown(m_range.to - 1, kSecond) / kSecond) + ")";
    }
    if (!metricName.empty())
        sql += " AND " + chColumnRef(column("name")) + " = " + m_params.string(metricName);
    for (const Condition &c : m_q.where)
        sql += " AND " + condition(c);
    if (!m_q.search.empty()) {
        const std::string searched = m_q.signal == Signal::Logs ? "body" : "name";
        sql += " AND positionCaseInsensitiveUTF8(" + chColumnRef(column(searched)) + ", " + m_params.string(m_q.search)
            + ") > 0";
    }
    return sql;
}

std::string ChSqlBuilder::condition(const Condition &c)
{
    const ChField f = field(c.field);
    const bool pattern = c.op == Op::Regex || c.op == Op::NotRegex;
    if (f.kind == Kind::Severity && c.value.is_string()
        && (pattern || !valueFromText(c.value.get<std::string>(), Op::Gt).is_number()))
        return severityCondition(f, c); // a name ("13" and "13.0" are compared as the number, as the store does)
    if (f.kind == Kind::Status)
        return enumCondition(f, c, enumName(c.value, "status_code_", 3, statusCodeName));
    if (f.kind == Kind::SpanKind)
        return enumCondition(f, c, enumName(c.value, "span_kind_", 6, spanKindName));
    Json value = c.value;
    const bool id = c.field == "trace_id" || c.field == "span_id" || c.field == "parent_span_id";
    if (id && value.is_string() && (c.op == Op::Eq || c.op == Op::Ne)) {
        // The exporter writes ids in lowercase hex; a table written otherwise keeps them as they came.
        const std::string text = value.get<std::string>(), stored = storedId(text);
        if (stored != text) {
            const std::string either = f.expr + " IN (" + m_params.string(stored) + ", " + m_params.string(text) + ")";
            return c.op == Op::Eq ? either : "NOT " + either;
        }
    }
    if (f.kind == Kind::Time && (c.op == Op::Regex || c.op == Op::NotRegex)) // review: as the store refuses it
        throw Error(patternOnTimeError(c.field));
    if (f.kind == Kind::Time && (value.is_string() || value.is_number())) { // a number is Unix seconds, as in the store
        QString error;
        const auto t = parseTime(toQString(value.is_string() ? value.get<std::string>() : value.dump()), nowNs(), &error);
        if (!t)
            throw Error(error);
        value = *t;
    }
    return compare(f, c.op, value, numberAlsoMatched(c));
}

std::string ChSqlBuilder::compare(const ChField &f, Op op, Json value, const Json &sameNumber)
{
    if (op == Op::Exists || op == Op::NotExists) {
        // A log without a level has severity 0 and no severity text, as the store has it.
        const std::string has = f.kind == Kind::Attribute ? f.exists
            : f.kind == Kind::Severity ? "(" + f.expr + " > 0 OR notEmpty(" + chColumnRef(column("severity_text")) + "))"
            : f.numeric()              ? "1"
                                       : "notEmpty(" + f.expr + ")";
        return op == Op::Exists ? has : "NOT " + has;
    }
    if (value.is_boolean())
        value = f.numeric() ? Json(value.get<bool>() ? 1 : 0) : Json(value.get<bool>() ? "true" : "false");
    if (op == Op::Regex || op == Op::NotRegex) {
        const std::string pattern = value.is_string() ? value.get<std::string>() : value.dump();
        const std::string match
            = "match(" + (f.numeric() ? "toString(" + f.expr + ")" : f.expr) + ", " + m_params.string(pattern) + ")";
        return op == Op::Regex ? match : "NOT " + match;
    }
    if (value.is_string() && f.numeric()) {
        const Json number = valueFromText(value.get<std::string>(), Op::Gt);
        if (!number.is_number())
            throw Error("\"" + value.get<std::string>() + "\" is no number, and the field is one");
        value = number;
    }
    const std::string sqlOp = opName(op);
    if (sameNumber.is_number() && value.is_string() && (op == Op::Eq || op == Op::Ne)) {
        // "1.50" or "02134" as equality kept it: the text, or any text of that number (all map values are text)
        const std::string same = "(" + f.expr + " = " + m_params.string(value.get<std::string>()) + " OR "
            + textAsNumber(f, "=", m_params.float64(sameNumber.get<double>())) + ")";
        return op == Op::Eq ? same : "NOT " + same;
    }
    if (value.is_string())
        return f.expr + " " + sqlOp + " " + m_params.string(value.get<std::string>());
    if (!value.is_number())
        throw Error("cannot compare a field with " + value.dump());
    const auto integer = value.is_number_integer() ? jsonInt64(value) : std::nullopt; // past int64: a Float64
    const std::string number = integer ? m_params.int64(*integer) : m_params.float64(value.get<double>());
    if (f.kind == Kind::Severity && isOrdering(op))
        return levelCompared(f, sqlOp, number);
    if (f.numeric())
        return f.expr + " " + sqlOp + " " + number;
    // Text (map values are all text) compared as a number; text that is none matches only !=.
    return op == Op::Ne ? "NOT " + textAsNumber(f, "=", number) : textAsNumber(f, sqlOp, number);
}

std::string ChSqlBuilder::levelCompared(const ChField &f, const std::string &sqlOp, const std::string &number)
{
    return "(" + f.expr + " > 0 AND " + f.expr + " " + sqlOp + " " + number + ")";
}

// The text field read as a number and compared; false where it is no number.
std::string ChSqlBuilder::textAsNumber(const ChField &f, const std::string &sqlOp, const std::string &number)
{
    return "ifNull(toFloat64OrNull(" + f.expr + ") " + sqlOp + " " + number + ", 0)";
}

std::string ChSqlBuilder::enumCondition(const ChField &f, const Condition &c, const std::string &name)
{
    if (c.op == Op::Exists || c.op == Op::NotExists || c.op == Op::Regex || c.op == Op::NotRegex)
        return compare(f, c.op, c.value);
    if (name.empty() || (c.op != Op::Eq && c.op != Op::Ne))
        throw Error("the condition " + conditionToText(c) + " is not supported: use = or != with "
            + (f.kind == Kind::Status ? "unset, ok or error" : "internal, server, client, producer or consumer"));
    return f.expr + (c.op == Op::Eq ? " = " : " != ") + m_params.string(name);
}

std::string ChSqlBuilder::severityCondition(const ChField &f, const Condition &c)
{
    const std::string name = c.value.get<std::string>();
    if (c.op == Op::Regex || c.op == Op::NotRegex)
        return compare({ chColumnRef(column("severity_text")), Kind::Text, {} }, c.op, c.value);
    const auto [first, last] = severityRange(name);
    if (first == 0)
        throw Error("unknown severity \"" + name + "\" (use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24)");
    const std::string low = std::to_string(first), high = std::to_string(last);
    switch (c.op) {
    case Op::Eq:
        return f.expr + " BETWEEN " + low + " AND " + high;
    case Op::Ne:
        return f.expr + " NOT BETWEEN " + low + " AND " + high;
    case Op::Gt:
        return f.expr + " > " + high;
    case Op::Ge:
        return f.expr + " >= " + low;
    case Op::Lt:
        return levelCompared(f, "<", low);
    case Op::Le:
        return levelCompared(f, "<=", high);
    default:
        return compare(f, c.op, c.value);
    }
}

std::string ChSqlBuilder::bucket() const
{
    const std::string time = column("time");
    const DurationNs step = m_q.interval;
    if (chInnerType(table().type(time)).starts_with("DateTime64") && step % kSecond == 0)
        return "toInt64(toUnixTimestamp(toStartOfInterval(" + chColumnRef(time) + ", INTERVAL "
            + std::to_string(step / kSecond) + " SECOND))) * 1000000000";
    return "intDiv(" + table().nanoseconds(time) + ", " + std::to_string(step) + ") * " + std::to_string(step);
}

ChSql ChSqlBuilder::finish(std::string sql, std::vector<ColumnType> types, int limit, std::int64_t offset)
{
    if (limit > 0)
        sql += " LIMIT " + std::to_string(limit);
    if (offset > 0)
        sql += " OFFSET " + std::to_string(offset);
    return { std::move(sql), m_params.take(), std::move(types), limit, offset };
}

std::vector<std::string> ChSqlBuilder::intrinsicFields(Signal signal, const ChTable &table)
{
    std::vector<std::string> out;
    for (const Intrinsic &i : intrinsics(signal))
        if (table.has(i.column) || (i.alt && table.has(i.alt)))
            out.push_back(i.field);
    return out;
}

} // namespace fd

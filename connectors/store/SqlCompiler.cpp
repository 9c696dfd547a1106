#include "SqlCompiler.h"
#include <sqlite3.h>
#include "models/BucketRates.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Telemetry.h"
#include <algorithm>
#include <array>
#include <charconv>
#include <set>

namespace fd {

namespace {

enum class FieldKind { Int, Real, Text, Time, Severity, Status, SpanKind, Attribute };

struct Field {
    std::string expr;
    FieldKind kind;
    bool numeric() const { return kind != FieldKind::Text && kind != FieldKind::Attribute; }
};

bool isServiceField(const std::string &name)
{
    return name == "service.name" || name == "service";
}

struct Intrinsic {
    const char *name;
    const char *expr;
    FieldKind kind;
};

// No "id": the row number is the store's own, and "id" a common key of JSON logs (a filter on it had read the
// row number).
constexpr std::array<Intrinsic, 10> kLogFields = {{{"time", "l.time", FieldKind::Time},
                                                   {"observed_time", "l.observed_time", FieldKind::Time},
                                                   {"severity", "l.severity", FieldKind::Severity},
                                                   {"severity_text", "l.severity_text", FieldKind::Text},
                                                   {"body", "l.body", FieldKind::Text},
                                                   {"service.name", "l.service", FieldKind::Text},
                                                   {"service", "l.service", FieldKind::Text},
                                                   {"trace_id", "l.trace_id", FieldKind::Text},
                                                   {"span_id", "l.span_id", FieldKind::Text},
                                                   {"event.name", "l.event_name", FieldKind::Text}}};
constexpr std::array<Intrinsic, 14> kSpanFields = {{{"time", "l.start", FieldKind::Time},
                                                    {"start", "l.start", FieldKind::Time},
                                                    {"end", "l.\"end\"", FieldKind::Time},
                                                    {"name", "l.name", FieldKind::Text},
                                                    {"duration_ms", "(l.duration / 1000000.0)", FieldKind::Real},
                                                    {"duration_ns", "l.duration", FieldKind::Int},
                                                    {"status", "l.status_code", FieldKind::Status},
                                                    {"status_message", "l.status_message", FieldKind::Text},
                                                    {"kind", "l.kind", FieldKind::SpanKind},
                                                    {"service.name", "l.service", FieldKind::Text},
                                                    {"service", "l.service", FieldKind::Text},
                                                    {"trace_id", "l.trace_id", FieldKind::Text},
                                                    {"span_id", "l.span_id", FieldKind::Text},
                                                    {"parent_span_id", "l.parent_span_id", FieldKind::Text}}};
constexpr std::array<Intrinsic, 6> kMetricFields = {{{"time", "l.time", FieldKind::Time},
                                                     {"name", "l.name", FieldKind::Text},
                                                     {"value", "l.value", FieldKind::Real},
                                                     {"unit", "l.unit", FieldKind::Text},
                                                     {"service.name", "l.service", FieldKind::Text},
                                                     {"service", "l.service", FieldKind::Text}}};

const char *tableOf(Signal s)
{
    switch (s) {
    case Signal::Logs: return "logs";
    case Signal::Spans: return "spans";
    case Signal::Metrics: return "metric_points";
    }
    return "logs";
}


std::string quoteIdentifier(const std::string &name)
{
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

// A key as a JSON path label. SQLite before 3.45 compares a label with the key as the stored JSON text writes
// it, escapes and all, and ends a quoted label at its first '"' whatever comes before it: there a key holding a
// quote is given unquoted, which works unless it also holds a '.' or '[' (they end an unquoted label). From 3.45
// a quoted label is unescaped before it is compared.
std::string jsonPath(const std::string &key)
{
    static const bool rawLabels = sqlite3_libversion_number() < 3045000;
    const std::string quoted = Json(key).dump(-1, ' ', false, Json::error_handler_t::replace);
    const std::string_view label = std::string_view(quoted).substr(1, quoted.size() - 2);
    if (rawLabels && label.find('"') != std::string_view::npos && label.find_first_of(".[") == std::string_view::npos)
        return "$." + std::string(label);
    return "$." + quoted;
}

std::size_t codePoints(const std::string &text)
{
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// "a.b.c" as a path through nested objects: $."a"."b"."c".
std::string nestedJsonPath(const std::string &name)
{
    std::string out = "$";
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = name.find('.', start);
        out += jsonPath(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start)).substr(1);
        if (dot == std::string::npos)
            return out;
        start = dot + 1;
    }
}

// The JSON paths a dotted name may take, most likely first: one flat key, nested objects, then nested
// objects around a dotted key ({"k8s": {"labels": {"app.kubernetes.io/name"}}}) and a dotted key holding
// objects ({"http.request": {"header": …}}), as findDotted reads them.
std::vector<std::string> dottedJsonPaths(const std::string &name)
{
    std::vector<std::string> out = {jsonPath(name)};
    std::vector<std::size_t> dots;
    for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
        dots.push_back(dot);
    if (dots.empty())
        return out;
    out.push_back(nestedJsonPath(name));
    constexpr std::size_t kMixedUpToDots = 4; // each path is one more json_extract for a row without the field
    if (dots.size() < 2 || dots.size() > kMixedUpToDots)
        return out;
    for (const std::size_t dot : dots) {
        const std::string head = name.substr(0, dot), tail = name.substr(dot + 1);
        if (tail.find('.') != std::string::npos)
            out.push_back(nestedJsonPath(head) + jsonPath(tail).substr(1));
        if (head.find('.') != std::string::npos)
            out.push_back(jsonPath(head) + nestedJsonPath(tail).substr(1));
    }
    return out;
}

// A field as rows and groups show it: span status and kind by name, though kept as codes.
std::string shownExpr(const Field &f)
{
    if (f.kind == FieldKind::Status)
        return "CASE " + f.expr + " WHEN 1 THEN 'ok' WHEN 2 THEN 'error' ELSE 'unset' END";
    if (f.kind == FieldKind::SpanKind)
        return "CASE " + f.expr + " WHEN 1 THEN 'internal' WHEN 2 THEN 'server' WHEN 3 THEN 'client' "
               "WHEN 4 THEN 'producer' WHEN 5 THEN 'consumer' ELSE 'unspecified' END";
    return f.expr;
}

// Builds one statement, collecting parameters in order of appearance.
class Builder
{
public:
    Builder(const Query &q, const TimeRange &range, bool fullText, std::optional<TimeRange> stored)
        : m_q(q), m_range(range), m_fullText(fullText), m_stored(stored)
    {
    }

    CompiledSql build();
    CompiledSql buildGroupValues();

private:
    // How an attribute's value is read: as json_extract gives it (true as 1), as groups tell values apart
    // (groupedValue), its text alone, a number or text (no boolean), or as a pattern reads it (true as "true").
    enum class AttributeValue { Plain, Grouped, TextOnly, NumberOrText, Shown };
    // The signal's own column, else the attribute's value in the given form.
    Field field(const std::string &name, AttributeValue form = AttributeValue::Plain);
    std::optional<Field> intrinsic(const std::string &name) const; // a column of the signal's table
    Field attributeField(const std::string &key, AttributeValue form = AttributeValue::Plain);
    static std::string valueForm(AttributeValue form, const std::string &column, const std::string &path);
    static AttributeValue attributeForm(const Condition &c);
    std::string param(SqlParam p)
    {
        m_params.push_back(std::move(p));
        return "?" + std::to_string(m_params.size()); // numbered: an expression may appear twice

    }
    std::string condition(const Condition &c);
    std::string severityCondition(const Field &f, const Condition &c);
    // sameNumber: the number a text value also matches on an attribute (numberAlsoMatched), or null.
    std::string compare(const Field &f, Op op, const Json &value, const Json &sameNumber = Json());
    SqlParam numberParam(const Json &v) const;
    std::string whereClause();
    std::string timeBounds();
    bool readsOnlyServiceAndTime() const;
    bool sortsRowsByService() const;
    bool filtersOnlyByService() const;
    bool aggregated() const { return aggregates(m_q); }
    bool arrivalMarks() const { return m_q.signal != Signal::Metrics; } // the tables whose rows have ids
    std::string fromClause(bool withResource) const;
    bool readsIncreases() const;
    // An aggregate of metric points' `value`, which a histogram's buckets answer better than its sum.
    bool pointValues() const { return m_q.signal == Signal::Metrics && m_q.raw.empty() && m_q.agg.field == "value"; }
    std::string pointIncreases() const;
    std::string rowColumns(std::vector<ColumnType> &types);
    std::string groupValues(CompiledSql &out);
    std::string aggregateExpr(ColumnType &type);
    std::string perSecond(const std::string &expr) const;

    const Query &m_q;
    TimeRange m_range;
    std::vector<SqlParam> m_params;
    bool m_needsResource = false;
    bool m_fullText = true;
    std::optional<TimeRange> m_stored;
};

Field Builder::field(const std::string &name, AttributeValue form)
{
    const std::optional<Field> f = intrinsic(name);
    return f ? *f : attributeField(name, form);
}

std::optional<Field> Builder::intrinsic(const std::string &name) const
{
    auto lookup = [&](const auto &fields) -> std::optional<Field> {
        for (const Intrinsic &i : fields)
            if (name == i.name)
                return Field{i.expr, i.kind};
        return std::nullopt;
    };
    std::optional<Field> f;
    switch (m_q.signal) {
    case Signal::Logs: f = lookup(kLogFields); break;
    case Signal::Spans: f = lookup(kSpanFields); break;
    case Signal::Metrics: f = lookup(kMetricFields); break;
    }
    return f;
}

// The record's attribute, else the resource's.
// A JSON value as a group-by reads it: numbers as SQLite's numbers (500, 500.0 and 5e2 are one group), a text
// as its canonical JSON text ("\u00e9" and "é" are one), true and false as JSON, an object or array as its JSON
// (spellings and key order inside it count), null as no value so that the next path is tried. The store types
// the column from these (typeGroupValues). json_type and json_extract share SQLite's parse of the document: about
// a tenth slower than json_extract alone (BENCHMARKS.md, fourteenth stop).
std::string groupedValue(const std::string &column, const std::string &path)
{
    const std::string type = "json_type(" + column + ", " + path + ")", value = "json_extract(" + column + ", " + path + ")";
    // A missing key (most rows, for most keys) costs json_type alone: no ELSE reads the value again.
    return "CASE " + type + " WHEN 'integer' THEN " + value + " WHEN 'real' THEN " + value + " WHEN 'text' THEN json_quote("
           + value + ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'object' THEN " + value
           + " WHEN 'array' THEN " + value + " END";
}

// The value of a text attribute, NULL for any other type (a number, a boolean, an object or an array).
std::string textValue(const std::string &column, const std::string &path)
{
    return "CASE json_type(" + column + ", " + path + ") WHEN 'text' THEN json_extract(" + column + ", " + path + ") END";
}

// A number or a text (which fd_num may read as one); NULL for a boolean, which json_extract gives as 1 or 0
// (a sum of flags had counted the true ones), an object or an array.
std::string numberOrTextValue(const std::string &column, const std::string &path)
{
    const std::string value = "json_extract(" + column + ", " + path + ")";
    return "CASE json_type(" + column + ", " + path + ") WHEN 'integer' THEN " + value + " WHEN 'real' THEN " + value
           + " WHEN 'text' THEN " + value + " END";
}

// The value as a pattern reads it: true and false as their words (json_extract gives 1 and 0).
std::string shownValue(const std::string &column, const std::string &path)
{
    return "CASE json_type(" + column + ", " + path + ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE json_extract("
           + column + ", " + path + ") END";
}

std::string Builder::valueForm(AttributeValue form, const std::string &column, const std::string &path)
{
    switch (form) {
    case AttributeValue::Plain: break;
    case AttributeValue::Grouped: return groupedValue(column, path);
    case AttributeValue::TextOnly: return textValue(column, path);
    case AttributeValue::NumberOrText: return numberOrTextValue(column, path);
    case AttributeValue::Shown: return shownValue(column, path);
    }
    return "json_extract(" + column + ", " + path + ")";
}

Field Builder::attributeField(const std::string &name, AttributeValue form)
{
    if (name.empty())
        throw Error(std::string("a field name is empty"));
    m_needsResource = true;
    // A dotted name is a flat key ("http.status": 500, as OpenTelemetry writes them) or a path into nested
    // objects ({"http": {"status": 500}}, as JSON lines often are); the flat key wins.
    const std::vector<std::string> paths = dottedJsonPaths(name);
    // The first path that holds a value; a value these forms read as NULL (a record's true, for a threshold) still
    // hides the resource's of that name (review: the resource's 3 had been summed instead).
    const bool firstHeld = form == AttributeValue::TextOnly || form == AttributeValue::NumberOrText;
    std::string expr = firstHeld ? "CASE" : "COALESCE(";
    for (const std::string column : {"l.attrs", "r.attrs"})
        for (const std::string &path : paths) {
            const std::string p = param(path);
            if (firstHeld)
                expr += " WHEN json_type(" + column + ", " + p + ") <> 'null' THEN " + valueForm(form, column, p);
            else
                expr += (expr.back() == '(' ? "" : ", ") + valueForm(form, column, p);
        }
    return {expr + (firstHeld ? " END" : ")"), FieldKind::Attribute};
}


SqlParam Builder::numberParam(const Json &v) const
{
    if (const auto n = v.is_number_integer() ? jsonInt64(v) : std::nullopt)
        return *n;
    if (v.is_number()) // a float, or an integer past int64: compared as a double, never wrapped
        return v.get<double>();
    if (v.is_boolean())
        return std::int64_t(v.get<bool>() ? 1 : 0);
    return v.get<std::string>();
}

std::string Builder::compare(const Field &f, Op op, const Json &value, const Json &sameNumber)
{
    const std::string x = f.expr;
    const bool number = value.is_number() || value.is_boolean();
    switch (op) {
    case Op::Eq:
    case Op::Ne: {
        std::string eq;
        // JSON's true is 1 to json_extract: a boolean, or its word, matches both (and the number 1 or 0).
        const bool truth = value.is_boolean() || (f.kind == FieldKind::Attribute && (value == "true" || value == "false"));
        if (truth)
            eq = x + " IN (" + param(std::int64_t(value == true || value == "true")) + ", "
                 + param(std::string(value == true || value == "true" ? "true" : "false")) + ")";
        else if (value.is_number() && !f.numeric())
            eq = x + " IN (" + param(numberParam(value)) + ", " + param(value.dump()) + ")";
        else if (sameNumber.is_number() && f.kind == FieldKind::Attribute)
            eq = x + " IN (" + param(value.get<std::string>()) + ", " + param(numberParam(sameNumber)) + ")"; // "02134", "1.10"
        else
            eq = x + " = " + param(numberParam(value));
        return op == Op::Eq ? eq : "(" + x + " IS NULL OR NOT (" + eq + "))";
    }
    case Op::Gt:
    case Op::Ge:
    case Op::Lt:
    case Op::Le: {
        const std::string sqlOp = opName(op);
        if (number && f.kind == FieldKind::Attribute)
            return "fd_num(" + x + ") " + sqlOp + " " + param(numberParam(value));
        if (number && f.kind == FieldKind::Severity) // a record without a level (0) has no low one
            return "(" + x + " > 0 AND " + x + " " + sqlOp + " " + param(numberParam(value)) + ")";
        if (!number && f.numeric())
            throw Error("\"" + value.get<std::string>() + "\" is no number, and the field is one");
        return x + " " + sqlOp + " " + param(numberParam(value));
    }
    case Op::Regex:
    case Op::NotRegex: {
        const std::string pattern = value.is_string() ? value.get<std::string>() : value.dump();
        const std::string match = "fd_regexp(" + param(pattern) + ", " + x + ")";
        return op == Op::Regex ? match : "(" + x + " IS NULL OR NOT " + match + ")";
    }
    // A record without a trace, a span without a parent …: its intrinsic text is stored empty.
    case Op::Exists:
    case Op::NotExists: {
        // A log without a level has severity 0 and no severity text.
        const std::string present = f.kind == FieldKind::Text       ? "COALESCE(" + x + ", '') <> ''"
                                    : f.kind == FieldKind::Severity ? "(" + x + " > 0 OR l.severity_text <> '')"
                                                                    : x + " IS NOT NULL";
        return op == Op::Exists ? present : "NOT " + present;
    }
    }
    return "1";
}

std::string Builder::severityCondition(const Field &f, const Condition &c)
{
    if (c.op == Op::Regex || c.op == Op::NotRegex) { // a pattern over the names the table shows, not one name
        // A record without a level (0) has no name: (0 - 1) / 4 is 0 in SQLite, which named it TRACE.
        std::string shown = "CASE WHEN l.severity_text <> '' THEN l.severity_text WHEN " + f.expr
                            + " BETWEEN 1 AND 24 THEN CASE (" + f.expr + " - 1) / 4";
        for (int i = 0; i < 6; ++i)
            shown += " WHEN " + std::to_string(i) + " THEN '" + severityName(1 + 4 * i) + "'";
        return compare({shown + " END END", FieldKind::Text}, c.op, c.value);
    }
    const std::string name = c.value.get<std::string>();
    const auto [low, high] = severityRange(name);
    if (low == 0)
        throw Error("unknown severity \"" + name
                    + "\" (use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24; severity_text = " + name + " matches a level by its text)");
    const std::string x = f.expr;
    switch (c.op) {
    case Op::Eq: return x + " BETWEEN " + std::to_string(low) + " AND " + std::to_string(high);
    case Op::Ne: return x + " NOT BETWEEN " + std::to_string(low) + " AND " + std::to_string(high);
    case Op::Gt: return x + " > " + std::to_string(high);
    case Op::Ge: return x + " >= " + std::to_string(low);
    case Op::Lt: return x + " BETWEEN 1 AND " + std::to_string(low - 1); // 0 is no level, not a low one
    case Op::Le: return x + " BETWEEN 1 AND " + std::to_string(high);
    default: return compare({"l.severity_text", FieldKind::Text}, c.op, c.value);
    }
}

namespace {
TimeNs timeValue(const std::string &text)
{
    QString error;
    const auto t = parseTime(QString::fromStdString(text), nowNs(), &error);
    if (!t)
        throw Error(error);
    return *t;
}
} // namespace

// How a condition reads an attribute's value.
Builder::AttributeValue Builder::attributeForm(const Condition &c)
{
    using Form = AttributeValue;
    // Text against text values alone: SQLite orders every number before any text, so "lat < abc" (or a quoted
    // "10.5") had matched every number (exploratory test); an object's or an array's JSON is no text either.
    if (isOrdering(c.op))
        return c.value.is_string() ? Form::TextOnly : Form::NumberOrText; // a flag is no number: true is not > 0
    // json_extract reads true as 1: "ok = 1" had matched the flags (exploratory test). Only 0 and 1 need the
    // words; any other equality keeps the plain (cheaper) value.
    const bool zeroOrOne = c.value.is_number() && (c.value == 0 || c.value == 1);
    return c.op == Op::Regex || c.op == Op::NotRegex || zeroOrOne ? Form::Shown : Form::Plain; // flag ~ ^t
}

std::string Builder::condition(const Condition &c)
{
    const Field f = field(c.field, attributeForm(c));
    if (f.kind == FieldKind::Time && (c.op == Op::Regex || c.op == Op::NotRegex)) // it had matched the nanoseconds' digits
        throw Error(patternOnTimeError(c.field));
    Json value = c.value;
    // duration_ms = 1.50 (the text equality kept), duration_ms < "15", severity >= "13": a numeric field holds
    // numbers alone
    if (value.is_string() && f.numeric() && c.op != Op::Regex && c.op != Op::NotRegex)
        if (const Json n = valueFromText(value.get<std::string>(), Op::Gt); n.is_number())
            value = n;
    if (f.kind == FieldKind::Severity && value.is_string())
        return severityCondition(f, c);
    if (value.is_string() && c.op != Op::Regex && c.op != Op::NotRegex) {
        const std::string text = value.get<std::string>();
        if (f.kind == FieldKind::Status) {
            const int code = text == "error" || text == "ERROR" || text == "STATUS_CODE_ERROR" ? 2
                             : text == "ok" || text == "OK" || text == "STATUS_CODE_OK"     ? 1
                             : text == "unset" || text == "UNSET" || text == "STATUS_CODE_UNSET" ? 0 : -1;
            if (code < 0)
                throw Error("unknown status \"" + text + "\" (use unset, ok or error)");
            value = code;
        } else if (f.kind == FieldKind::SpanKind) {
            for (int k = 0; k <= 5; ++k)
                if (text == spanKindName(k))
                    value = k;
            if (value.is_string())
                throw Error("unknown span kind \"" + text + "\" (use internal, server, client, producer, consumer)");
        } else if (f.kind == FieldKind::Time) {
            return compare(f, c.op, timeValue(text)); // nanoseconds already, not seconds as below
        } else if (c.field == "trace_id" || c.field == "span_id" || c.field == "parent_span_id") {
            // Ids are kept lowercase, but earlier JSON-lines imports kept theirs as written: either matches.
            if (const std::string stored = storedId(text); stored != text && (c.op == Op::Eq || c.op == Op::Ne)) {
                const std::string either = f.expr + " IN (" + param(stored) + ", " + param(text) + ")";
                return c.op == Op::Eq ? either : "(" + f.expr + " IS NULL OR NOT (" + either + "))";
            }
            value = storedId(text);
        }
    }
    if (f.kind == FieldKind::Time && value.is_number()) // Unix seconds, as every time the command line takes
        value = timeValue(value.dump());
    return compare(f, c.op, value, numberAlsoMatched(c));
}

// A count over service and time only, which the covering (service, time) index answers. Elsewhere the
// hints would not pay: told that most rows match, SQLite reads a filtered group-by in service order through
// that index, a random row lookup each (2.3x slower than the time index over 10M rows).
bool Builder::readsOnlyServiceAndTime() const
{
    return m_q.signal != Signal::Metrics && m_q.agg.kind == Aggregate::Kind::Count && filtersOnlyByService()
           && std::all_of(m_q.groupBy.begin(), m_q.groupBy.end(), isServiceField);
}

// Rows ordered by service, filtered by nothing but service: over most of the stored rows the
// (service, time) index then gives them in order, and a page reads only its own rows (a descending page of
// 10M rows: 9 ms against 1.9 s sorting them all; ascending, each service's rows are sorted newest first).
bool Builder::sortsRowsByService() const
{
    return !aggregated() && !m_q.sortByAttribute && isServiceField(m_q.sortField) && filtersOnlyByService();
}

bool Builder::filtersOnlyByService() const
{
    return m_q.search.empty()
           && std::all_of(m_q.where.begin(), m_q.where.end(), [](const Condition &c) { return isServiceField(c.field); });
}

std::string Builder::timeBounds()
{
    const std::string timeExpr = field("time").expr;
    const std::string from = timeExpr + " >= " + param(m_range.from);
    const std::string to = timeExpr + " < " + param(m_range.to);
    if (!m_stored || !(readsOnlyServiceAndTime() || sortsRowsByService()))
        return from + " AND " + to;
    // The share of the stored rows each bound keeps, taking them as spread evenly over the stored span.
    const auto length = static_cast<double>(std::max<TimeNs>(1, m_stored->to - m_stored->from));
    const auto share = [length](TimeNs kept) {
        return std::to_string(std::clamp(static_cast<double>(kept) / length, 0.001, 1.0));
    };
    // SQLite multiplies the two: the window's share on one, none on the other (a window in the middle is small).
    return "likelihood(" + from + ", " + share(std::min(m_range.to, m_stored->to) - std::max(m_range.from, m_stored->from))
           + ") AND likelihood(" + to + ", 1.0)";
}

std::string Builder::whereClause()
{
    std::string sql = " WHERE " + timeBounds();
    if (arrivalMarks()) {
        if (m_q.arrivedAfter >= 0)
            sql += " AND l.id > " + param(m_q.arrivedAfter);
        if (m_q.arrivedUpTo >= 0) // unary +: the time index still orders the rows, not the id
            sql += " AND +l.id <= " + param(m_q.arrivedUpTo);
    }
    for (const Condition &c : m_q.where)
        sql += " AND " + condition(c);
    if (!m_q.search.empty()) {
        const bool logs = m_q.signal == Signal::Logs;
        // The trigram index answers 3 characters or more; it holds the rows up to fts_indexed_id, the
        // newer ones are scanned. fd_contains decides in every case, so both ways give the same rows. A tail
        // reads the few rows after its mark: matching the index over the whole history would cost more.
        if (logs && m_fullText && codePoints(m_q.search) >= 3 && m_q.arrivedAfter < 0)
            sql += " AND l.id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH " + param(fullTextQuery(m_q.search))
                   + " UNION ALL SELECT id FROM logs WHERE id > (SELECT CAST(value AS INTEGER) FROM meta "
                     "WHERE key = 'fts_indexed_id'))";
        sql += std::string(" AND fd_contains(") + (logs ? "l.body" : "l.name") + ", " + param(m_q.search) + ")";
    }
    return sql;
}

std::string Builder::fromClause(bool withResource) const
{
    std::string sql = std::string(" FROM ") + (readsIncreases() ? pointIncreases() : tableOf(m_q.signal)) + " l";
    if (arrivalMarks() && m_q.arrivedAfter >= 0)
        sql += " NOT INDEXED"; // the rows after the mark through the id, never all of the range through its index
    if (withResource)
        sql += " LEFT JOIN resources r ON r.id = l.resource_id";
    return sql;
}

// A rate, or a sum of the value, over counters exported cumulatively (OTLP's default temporality) adds up
// what each point grew since the series' point before, not running totals.
bool Builder::readsIncreases() const
{
    using K = Aggregate::Kind;
    const K k = m_q.agg.kind;
    return m_q.signal == Signal::Metrics && m_q.raw.empty()
           && (k == K::Rate || ((k == K::Sum || k == K::Avg || k == K::Percentile) && m_q.agg.field == "value"));
}

// The points with a cumulative point's value replaced by its increase. A lower value or another start time is
// a restart: the point's value is what it counted since. A series' first point counts whole when its counter
// started within the range, else not at all (what it counted before is unknown). The points before the
// range's first are looked for up to kIncreaseLookback before it. Bounds are this process's integers, written
// as literals: the clause appears twice (the rows and their count).
std::string Builder::pointIncreases() const
{
    constexpr DurationNs kIncreaseLookback = kHour;
    const std::string from = std::to_string(m_range.from);
    const std::string scanFrom = std::to_string(saturatedSub(m_range.from, kIncreaseLookback));
    // counted: 'whole' (a delta, a gauge, a restart, a counter started in the range), 'since' (what it grew
    // since the point before) or 'unknown' (what it counted before the range is not known: nothing).
    return "(SELECT id, time, start_time, name, unit, service, type, temporality, monotonic, attrs, extra, resource_id, "
           "CASE counted WHEN 'whole' THEN value WHEN 'since' THEN value - prev ELSE 0 END AS value, "
           "value AS raw_value, " // as sent, for what increases do not mean (a counter's average)
           // A cumulative histogram's buckets count from the point before (fd_metric_percentile, fd_metric_avg).
           "CASE WHEN type IN (2, 4) THEN CASE counted WHEN 'since' THEN prev_extra WHEN 'unknown' THEN 'skip' END "
           "END AS base_extra "
           "FROM (SELECT *, CASE WHEN temporality = 2 AND type IN (1, 2, 4) THEN CASE "
           "WHEN CASE WHEN type IN (2, 4) THEN prev_extra ELSE prev END IS NULL "
           "THEN CASE WHEN start_time >= " + from + " THEN 'whole' ELSE 'unknown' END "
           // A histogram's sum may fall (negative observations): its count says whether it restarted. A
           // non-monotonic sum (an up-down counter) falls as it likes: only a new start time restarts it, and its
           // increase may be negative, as its delta points would be (a rate had added up its levels).
           "WHEN CASE WHEN type IN (2, 4) THEN COALESCE(json_extract(extra, '$.count') < json_extract(prev_extra, '$.count'), "
           "value < prev) WHEN monotonic = 1 THEN value < prev ELSE 0 END OR start_time <> prev_start "
           "THEN 'whole' ELSE 'since' END ELSE 'whole' END "
           "AS counted "
           "FROM (SELECT *, LAG(value) OVER series AS prev, LAG(start_time) OVER series AS prev_start, "
           "LAG(extra) OVER series AS prev_extra "
           "FROM metric_points WHERE time >= " + scanFrom + " AND time < " + std::to_string(m_range.to)
           + " WINDOW series AS (PARTITION BY name, service, resource_id, attrs ORDER BY time))))";
}

std::string Builder::rowColumns(std::vector<ColumnType> &types)
{
    using T = ColumnType;
    switch (m_q.signal) {
    case Signal::Logs:
        types = {T::Time, T::Int64, T::String, T::String, T::String, T::String, T::String, T::Json, T::Json};
        return "l.time AS time, l.severity AS severity, l.severity_text AS severity_text, l.service AS \"service.name\", "
               "l.body AS body, l.trace_id AS trace_id, l.span_id AS span_id, l.attrs AS attributes, r.attrs AS resource";
    case Signal::Spans:
        types = {T::Time, T::String, T::String, T::String, T::String, T::String, T::String, T::Double, T::String,
                 T::String, T::Json, T::Json};
        return "l.start AS time, l.trace_id AS trace_id, l.span_id AS span_id, l.parent_span_id AS parent_span_id, "
               "l.service AS \"service.name\", l.name AS name, " + shownExpr(field("kind")) + " AS kind, "
               "l.duration / 1000000.0 AS duration_ms, " + shownExpr(field("status")) + " AS status, "
               "l.status_message AS status_message, l.attrs AS attributes, r.attrs AS resource";
    case Signal::Metrics:
        types = {T::Time, T::String, T::String, T::Double, T::String, T::Json, T::Json};
        return "l.time AS time, l.name AS name, l.service AS \"service.name\", l.value AS value, l.unit AS unit, "
               "l.attrs AS attributes, r.attrs AS resource";
    }
    return {};
}

// The expression per second of its bucket, or of the range up to now: a range reaching into the future has
// no events there yet. In integer nanoseconds: std::to_string of a 100 ns bucket's seconds wrote 0.000000.
std::string Builder::perSecond(const std::string &expr) const
{
    return expr + " * 1000000000.0 / " + std::to_string(rateSpan(m_range, m_q.interval));
}

// The field's value, NULL where the record has none: a record without a trace keeps an empty trace_id, one
// without a level severity 0 (which had counted as a level in min, avg and count_distinct).
std::string withoutNone(const Field &f)
{
    if (f.kind == FieldKind::Text)
        return "NULLIF(" + f.expr + ", '')";
    return f.kind == FieldKind::Severity ? "NULLIF(" + f.expr + ", 0)" : f.expr;
}

// `histogram` for a histogram point, `other` for any other.
std::string histogramOr(const std::string &histogram, const std::string &other)
{
    return "CASE WHEN l.type IN (2, 4) THEN " + histogram + " ELSE " + other + " END";
}

// The smallest or largest value of the points. A histogram's value is its sum: its smallest and largest
// observations are kept apart; a summary's are its quantiles 0 and 1 (it had given its sum). A point with
// observations but without them (optional in OTLP) leaves the extreme unknown, NULL: the other points' had been
// taken, a max below the p99 of the same points (exploratory test).
std::string pointExtreme(bool min)
{
    const std::string quantile = std::string("(SELECT json_extract(q.value, '$.value') FROM json_each(l.extra, '$.quantiles') q "
                                             "WHERE json_extract(q.value, '$.quantile') = ") + (min ? "0" : "1") + ")";
    const std::string known = histogramOr(std::string("json_extract(l.extra, '$.") + (min ? "min" : "max") + "')",
                                          "CASE WHEN l.type = 3 THEN " + quantile + " ELSE l.value END");
    const std::string unknown = "l.type IN (2, 3, 4) AND json_extract(l.extra, '$.count') > 0 AND (" + known + ") IS NULL";
    return "CASE WHEN MAX(" + unknown + ") THEN NULL ELSE " + (min ? "MIN(" : "MAX(") + known + ") END";
}

std::string Builder::aggregateExpr(ColumnType &type)
{
    using K = Aggregate::Kind;
    const Aggregate &a = m_q.agg;
    type = ColumnType::Double;
    auto numeric = [&] {
        const Field f = field(a.field, AttributeValue::NumberOrText);
        return f.kind == FieldKind::Attribute || f.kind == FieldKind::Text ? "fd_num(" + f.expr + ")" : withoutNone(f);
    };
    switch (a.kind) {
    case K::None:
    case K::Count: type = ColumnType::Int64; return "COUNT(*)";
    case K::Rate:
        if (m_q.signal == Signal::Metrics)
            return perSecond("SUM(l.value)");
        return perSecond("COUNT(*)");
    case K::Sum: return "fd_sum(" + numeric() + ")";
    case K::Avg:
        if (pointValues())
            return "fd_metric_avg(l.type, " + histogramOr("l.value", "l.raw_value") + ", l.extra, l.base_extra)";
        return "AVG(" + numeric() + ")";
    case K::Min:
    case K::Max: {
        if (pointValues())
            return pointExtreme(a.kind == K::Min);
        if (field(a.field).kind == FieldKind::Time)
            type = ColumnType::Time; // the first or last time, shown as one
        return (a.kind == K::Min ? "MIN(" : "MAX(") + numeric() + ")";
    }
    case K::Percentile:
        if (pointValues())
            return "fd_metric_percentile(l.type, " + histogramOr("l.value", "l.raw_value") + ", l.extra, l.base_extra, "
                   + Json(a.percentile).dump() + ")";
        return "fd_percentile(" + numeric() + ", " + Json(a.percentile).dump() + ")";
    case K::CountDistinct: {
        type = ColumnType::Int64;
        // Values told apart as group-by tells them: true is not 1 (exploratory test: 4 distinct, 6 groups)
        const Field f = field(a.field, AttributeValue::Grouped);
        // A record without a trace has its trace_id stored empty: no value, as exists() has it.
        return "COUNT(DISTINCT " + withoutNone(f) + ")";
    }
    }
    return "COUNT(*)";
}

// The groups' columns, each followed by ", ".
std::string Builder::groupValues(CompiledSql &out)
{
    std::string select;
    for (const std::string &g : m_q.groupBy) {
        const Field f = field(g, AttributeValue::Grouped); // a group of true is not one of 1
        if (f.kind == FieldKind::Attribute)
            out.typedByGroupValues.push_back(out.columnTypes.size());
        else if (f.kind != FieldKind::Time) // a time is shown as one, not as its nanoseconds
            out.typedByCells.push_back(out.columnTypes.size());
        select += shownExpr(f) + " AS " + quoteIdentifier(g) + ", ";
        out.columnTypes.push_back(f.kind == FieldKind::Time ? ColumnType::Time : ColumnType::String);
    }
    return select;
}

CompiledSql Builder::buildGroupValues()
{
    CompiledSql out;
    std::string select = groupValues(out);
    select.resize(select.size() - 2);
    const std::string where = whereClause(); // after the select: parameters are numbered in order
    out.sql = "SELECT " + select + fromClause(m_needsResource) + where;
    out.params = m_params;
    return out;
}

CompiledSql Builder::build()
{
    CompiledSql out;
    std::string select;
    std::size_t groupColumns = 0;
    if (!aggregated()) {
        select = rowColumns(out.columnTypes);
        // Rows: the result has a mark, but for a further page (arrivedUpTo), whose mark the first page gave.
        if (arrivalMarks() && m_q.arrivedUpTo < 0) {
            out.arrivalTable = tableOf(m_q.signal);
            out.arrivalColumn = m_q.arrivedAfter >= 0;
            if (out.arrivalColumn)
                select += ", l.id";
        }
    } else {
        if (m_q.interval > 0) {
            const std::string step = std::to_string(m_q.interval);
            const std::string time = field("time").expr;
            // Integer division rounds toward zero: a time before 1970 needs floor division to find its bucket.
            const std::string index = m_range.from < 0 ? "(" + time + " / " + step + " - (" + time + " % " + step + " < 0))"
                                                       : "(" + time + " / " + step + ")";
            select = index + " * " + step + " AS time, ";
            out.columnTypes.push_back(ColumnType::Time);
            ++groupColumns;
        }
        select += groupValues(out);
        groupColumns += m_q.groupBy.size();
        ColumnType aggType;
        select += aggregateExpr(aggType) + " AS " + quoteIdentifier(aggregateColumnName(m_q));
        out.columnTypes.push_back(aggType);
    }
    const std::string where = whereClause(); // after the select: parameters are numbered in order
    const bool whereNeedsResource = m_needsResource;
    std::string body = "SELECT " + select + fromClause(whereNeedsResource || !aggregated()) + where; // rows show it
    if (groupColumns > 0) {
        body += " GROUP BY ";
        for (std::size_t i = 1; i <= groupColumns; ++i)
            body += (i > 1 ? ", " : "") + std::to_string(i);
    }
    // Groups past the limit are stepped through and counted: a second query grouped every row again. Rows
    // are counted without the resources a row shows (7× faster over 2M rows): a join on their key neither
    // adds rows nor drops any.
    const bool countsPastLimit = m_q.countTotal && aggregated();
    if (m_q.countTotal && !aggregated()) {
        out.countSql = "SELECT COUNT(*)" + fromClause(whereNeedsResource) + where;
        out.countParams = m_params; // not those of the order below
    }
    if (out.arrivalColumn)
        body += " ORDER BY l.id";
    else if (!aggregated() && !m_q.sortField.empty()) // ties newest first, then by id: pages at offsets never overlap
        body += " ORDER BY " + (m_q.sortByAttribute ? attributeField(m_q.sortField) : field(m_q.sortField)).expr
                + (m_q.sortDescending ? " DESC" : " ASC")
                + (sortsRowsByService() ? "" : " NULLS LAST") // never NULL, and NULLS LAST would forgo its index
                + ", time DESC, l.id DESC";
    else if (!aggregated())
        body += m_q.oldestFirst ? " ORDER BY time" : " ORDER BY time DESC";
    else if (m_q.interval > 0)
        body += " ORDER BY 1";
    else if (!m_q.groupBy.empty())
        body += " ORDER BY " + std::to_string(groupColumns + 1) + " DESC";
    // A time series keeps every bucket of every group up to a hard cap; rows and groups obey the limit, and
    // get no LIMIT at all without one (an export of every row: with any LIMIT, SQLite sorts in a b-tree
    // rather than with its merge sorter).
    out.limit = m_q.interval > 0 ? 1'000'000 : std::max(0, m_q.limit);
    out.sql = body + (out.limit > 0 ? " LIMIT " + std::to_string(out.limit + 1) : std::string());
    if (countsPastLimit)
        out.unlimitedSql = body;
    if (!aggregated() && m_q.rowOffset > 0)
        out.sql += (out.limit > 0 ? " OFFSET " : " LIMIT -1 OFFSET ") + std::to_string(m_q.rowOffset);
    out.params = m_params;
    return out;
}

std::string literal(const SqlParam &p)
{
    if (std::holds_alternative<std::monostate>(p))
        return "NULL";
    if (const auto *i = std::get_if<std::int64_t>(&p))
        return std::to_string(*i);
    if (const auto *d = std::get_if<double>(&p))
        return std::to_string(*d);
    std::string out = "'";
    for (char c : std::get<std::string>(p)) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + "'";
}

} // namespace

std::string CompiledSql::display() const
{
    std::string out;
    bool inString = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'')
            inString = !inString;
        if (c != '?' || inString) {
            out += c;
            continue;
        }
        std::size_t end = i + 1;
        while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])))
            ++end;
        // Raw SQL may hold "?" and digits where SQLite sees none (a comment): too many digits are no parameter.
        std::size_t index = 0;
        std::from_chars(sql.data() + i + 1, sql.data() + end, index);
        out += index >= 1 && index <= params.size() ? literal(params[index - 1]) : sql.substr(i, end - i);
        i = end - 1;
    }
    return out;
}

std::vector<std::string> intrinsicFields(Signal signal)
{
    std::vector<std::string> out;
    auto add = [&out](const auto &fields) {
        for (const Intrinsic &i : fields)
            if (std::string_view(i.name) != "service")
                out.push_back(i.name);
    };
    switch (signal) {
    case Signal::Logs: add(kLogFields); break;
    case Signal::Spans: add(kSpanFields); break;
    case Signal::Metrics: add(kMetricFields); break;
    }
    return out;
}

std::string fullTextQuery(const std::string &search)
{
    std::vector<std::size_t> starts; // where each character begins, and the end
    for (std::size_t i = 0; i < search.size(); ++i)
        if ((search[i] & 0xC0) != 0x80)
            starts.push_back(i);
    starts.push_back(search.size());
    const std::size_t windows = starts.size() >= 4 ? starts.size() - 3 : 0;
    // More trigrams narrow little more, and each is a lookup: every k-th, at most 32.
    constexpr std::size_t kMaxTerms = 32;
    const std::size_t stride = std::max<std::size_t>(1, (windows + kMaxTerms - 1) / kMaxTerms);
    std::set<std::string> trigrams;
    for (std::size_t w = 0; w < windows; w += stride)
        trigrams.insert(search.substr(starts[w], starts[w + 3] - starts[w]));
    std::string out;
    for (const std::string &trigram : trigrams)
        out += (out.empty() ? "" : " AND ") + quoteIdentifier(trigram); // an FTS5 string quotes as an identifier
    return out;
}

CompiledSql compileQuery(const Query &q, const TimeRange &range, bool fullText, std::optional<TimeRange> stored)
{
    requireNonEmpty(range);
    return Builder(q, range, fullText, stored).build();
}

CompiledSql compileGroupValues(const Query &q, const std::vector<std::string> &fields, const TimeRange &range,
    bool fullText, std::optional<TimeRange> stored)
{
    requireNonEmpty(range);
    if (fields.empty())
        throw Error(std::string("no field to read the values of"));
    Query grouped = q;
    grouped.raw.clear();
    grouped.groupBy = fields;
    grouped.agg = Aggregate { Aggregate::Kind::Count, {}, 0 };
    grouped.interval = 0;
    return Builder(grouped, range, fullText, stored).buildGroupValues();
}

} // namespace fd

#include "Query.h"
#include <algorithm>
#include <charconv>
#include "Numbers.h"
#include "QueryText.h"
#include "Error.h"
#include <QRegularExpression>
#include <array>
#include <cctype>
#include <string_view>

namespace fd {

namespace {
struct OpText {
    Op op;
    const char *text;
};
// Longer operators first so that ">=" is not read as ">".
constexpr std::array<OpText, 8> kOps = {{{Op::Ne, "!="}, {Op::Ge, ">="}, {Op::Le, "<="}, {Op::NotRegex, "!~"},
                                         {Op::Eq, "="}, {Op::Gt, ">"}, {Op::Lt, "<"}, {Op::Regex, "~"}}};

Op opFromText(const std::string &text)
{
    if (text == "==")
        return Op::Eq;
    if (text == "exists")
        return Op::Exists;
    if (text == "!exists")
        return Op::NotExists;
    for (const OpText &o : kOps)
        if (text == o.text)
            return o.op;
    throw Error("unknown operator \"" + text + "\" (use = != > >= < <= ~ !~ exists !exists)");
}

std::string requireString(const Json &j, const char *what)
{
    if (!j.is_string())
        throw Error(std::string("query: \"") + what + "\" must be a string");
    return j.get<std::string>();
}
} // namespace

// A number when the whole text is one; otherwise the text. Equality keeps the text of a number that does
// not print back as itself ("02134", "1.10", "1e3"): identifiers and versions, which the store matches as
// text and as the number. A pattern is always text ("1.10" is not 1.1).
namespace {
constexpr std::string_view kOperatorChars = "=!<>~";

// A value, or a key holding a space or an operator, is quoted: "user agent" = 'curl 8'.
bool isQuoted(const std::string &text)
{
    return text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front();
}

// A key as parseWhere reads it back: quoted when it holds a space, an operator, a quote or a bracket.
std::string fieldText(const std::string &field)
{
    if (!field.empty() && field.find_first_of(" \t\n\r\f\v=!<>~\"'()&,") == std::string::npos)
        return field;
    return field.find('"') == std::string::npos ? '"' + field + '"' : '\'' + field + '\'';
}

// A field as parseAggregate reads it back: quoted only when it holds a space or a bracket, or starts with a quote
// (the query sentence takes an aggregate's field bare: sum(a&b)).
std::string aggregateField(const std::string &field)
{
    const bool bare = !field.empty() && field.find_first_of(" \t\n\r\f\v()") == std::string::npos
        && field.front() != '"' && field.front() != '\'';
    if (bare)
        return field;
    return field.find('"') == std::string::npos ? '"' + field + '"' : '\'' + field + '\'';
}
} // namespace

Json valueFromText(const std::string &text, Op op)
{
    if (isQuoted(text))
        return text.substr(1, text.size() - 2);
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())) || op == Op::Regex || op == Op::NotRegex)
        return text;
    // As a number is written ("500", "-1.5e3"); not what strtod also takes ("0x1F4", "+5", "inf", "5\0…").
    Json number;
    if (const auto i = parseWhole<std::int64_t>(text))
        number = *i;
    else if (const auto d = parseWhole<double>(text); d && std::isfinite(*d))
        number = *d;
    else
        return text;
    if ((op == Op::Eq || op == Op::Ne) && number.dump() != text)
        return text;
    return number;
}

Json numberInText(const Json &value)
{
    if (!value.is_string() || valueFromText(value.get<std::string>(), Op::Eq).is_number())
        return nullptr; // not text, or text that says it is text: a quoted "500"
    const Json n = valueFromText(value.get<std::string>(), Op::Gt);
    return n.is_number() ? n : Json();
}

bool isOrdering(Op op)
{
    return op == Op::Gt || op == Op::Ge || op == Op::Lt || op == Op::Le;
}

Json numberAlsoMatched(const Condition &c)
{
    return c.quoted ? Json() : numberInText(c.value);
}

Condition textOnly(Condition c)
{
    c.quoted = (c.op == Op::Eq || c.op == Op::Ne) && numberInText(c.value).is_number();
    return c;
}

std::string signalName(Signal s)
{
    switch (s) {
    case Signal::Logs: return "logs";
    case Signal::Spans: return "spans";
    case Signal::Metrics: return "metrics";
    }
    return "logs";
}

std::optional<Signal> signalFromName(const std::string &s)
{
    if (s == "logs" || s == "log" || s == "events")
        return Signal::Logs;
    if (s == "spans" || s == "traces" || s == "span")
        return Signal::Spans;
    if (s == "metrics" || s == "metric")
        return Signal::Metrics;
    return std::nullopt;
}

std::string opName(Op op)
{
    if (op == Op::Exists)
        return "exists";
    if (op == Op::NotExists)
        return "!exists";
    for (const OpText &o : kOps)
        if (o.op == op)
            return o.text;
    return "=";
}

std::string Aggregate::functionName() const
{
    switch (kind) {
    case Kind::None: return "";
    case Kind::Count: return "count";
    case Kind::Rate: return "rate";
    case Kind::Sum: return "sum";
    case Kind::Avg: return "avg";
    case Kind::Min: return "min";
    case Kind::Max: return "max";
    case Kind::CountDistinct: return "count_distinct";
    case Kind::Percentile: { // every digit that reads back (fuzz_sentence: p9.50050430271 had become p9.500504)
        std::array<char, 400> digits {};
        char *end = std::to_chars(digits.data(), digits.data() + digits.size(), percentile, std::chars_format::fixed).ptr;
        return "p" + std::string(digits.data(), end);
    }
    }
    return "";
}

std::string Aggregate::text() const
{
    if (kind == Kind::None || kind == Kind::Count || kind == Kind::Rate)
        return functionName();
    return functionName() + "(" + aggregateField(field) + ")";
}

Aggregate parseAggregate(const std::string &input)
{
    const std::string text = trim(input);
    if (text.empty() || text == "none")
        return {};
    if (text == "count" || text == "rate")
        return makeAggregate(text, "*");
    static const QRegularExpression re(QStringLiteral(R"(^([\w.]+)\(\s*("[^"]+"|'[^']+'|[^()\s]+)\s*\)$)")); // p99.9
    const auto m = re.match(QString::fromStdString(text));
    if (!m.hasMatch())
        throw Error("invalid aggregate \"" + text +
                    "\" (use count, rate, sum(f), avg(f), min(f), max(f), pNN(f), count_distinct(f))");
    // quoted as in --where: count_distinct("user agent")
    return makeAggregate(m.captured(1).toStdString(), parseField(m.captured(2).toStdString()));
}

Aggregate makeAggregate(const std::string &fn, const std::string &field)
{
    Aggregate a;
    a.field = field;
    static const QRegularExpression pct(QStringLiteral(R"(^p(100|\d{1,2}(?:\.\d+)?)$)"));
    if (fn == "sum")
        a.kind = Aggregate::Kind::Sum;
    else if (fn == "avg")
        a.kind = Aggregate::Kind::Avg;
    else if (fn == "min")
        a.kind = Aggregate::Kind::Min;
    else if (fn == "max")
        a.kind = Aggregate::Kind::Max;
    else if (fn == "count_distinct")
        a.kind = Aggregate::Kind::CountDistinct;
    else if (const auto pm = pct.match(QString::fromStdString(fn)); pm.hasMatch()) {
        a.kind = Aggregate::Kind::Percentile;
        a.percentile = pm.captured(1).toDouble();
    } else if ((fn == "count" || fn == "rate") && field == "*") {
        a.kind = fn == "count" ? Aggregate::Kind::Count : Aggregate::Kind::Rate;
        a.field.clear();
    } else if (fn == "count" || fn == "rate") { // it had been dropped without a word (exploratory test)
        throw Error(fn + " takes no field: use " + fn + ", count_distinct(" + aggregateField(field) + "), or exists("
                    + fieldText(field) + ") to keep the records that have it");
    } else {
        throw Error("unknown aggregate function \"" + fn + "\"");
    }
    return a;
}

namespace {
// FIELD OP VALUE cut into its parts; the value text is trimmed and may be empty.
struct ConditionParts {
    std::string field;
    std::size_t fieldEnd = 0; // in the text, after a closing quote
    const OpText *op = nullptr; // null: no known operator after the field
    std::string value;
};

ConditionParts splitCondition(const std::string &expr)
{
    ConditionParts parts;
    std::size_t fieldEnd = 0;
    if (!expr.empty() && (expr.front() == '"' || expr.front() == '\'')) {
        const std::size_t close = expr.find(expr.front(), 1);
        fieldEnd = close == std::string::npos ? expr.size() : close + 1;
    }
    while (fieldEnd < expr.size() && !std::isspace(static_cast<unsigned char>(expr[fieldEnd]))
           && kOperatorChars.find(expr[fieldEnd]) == std::string_view::npos)
        ++fieldEnd;
    parts.field = expr.substr(0, fieldEnd);
    parts.fieldEnd = fieldEnd;
    if (isQuoted(parts.field))
        parts.field = parts.field.substr(1, parts.field.size() - 2);
    else if (!parts.field.empty() && (parts.field.front() == '"' || parts.field.front() == '\''))
        parts.field.clear(); // an unclosed quote: no field
    const std::size_t pos = expr.find_first_not_of(" \t", fieldEnd);
    if (pos == std::string::npos)
        return parts;
    for (const OpText &o : kOps) {
        const std::size_t len = std::char_traits<char>::length(o.text);
        if (expr.compare(pos, len, o.text) == 0) {
            std::size_t valueStart = pos + len;
            if (o.op == Op::Eq && expr.compare(valueStart, 1, "=") == 0)
                ++valueStart; // accept "=="
            parts.op = &o;
            parts.value = trim(expr.substr(valueStart));
            break;
        }
    }
    return parts;
}

// Whether " and " after this text ends a condition: not while the value is still to come, so that
// "msg = and and ok = 1" reads the value "and".
bool holdsValue(const std::string &text)
{
    const std::string expr = trim(text);
    if (expr.empty())
        return false;
    const ConditionParts parts = splitCondition(expr);
    return !parts.op || !parts.value.empty();
}
} // namespace

Condition parseWhere(const std::string &input)
{
    const std::string expr = trim(input);
    static const QRegularExpression existsRe(
        QStringLiteral(R"(^(!?)exists\(\s*([^()\s"']+|"[^"]+"|'[^']+')\s*\)$)"));
    if (const auto m = existsRe.match(QString::fromStdString(expr)); m.hasMatch()) {
        const std::string field = m.captured(2).toStdString();
        return {isQuoted(field) ? field.substr(1, field.size() - 2) : field,
                m.captured(1).isEmpty() ? Op::Exists : Op::NotExists, nullptr};
    }

    const ConditionParts parts = splitCondition(expr);
    if (parts.field.empty() || expr.find_first_not_of(" \t", parts.fieldEnd) == std::string::npos)
        throw Error("invalid filter \"" + expr + "\": expected FIELD OP VALUE, e.g. service.name = auth");
    if (!parts.op)
        throw Error("invalid filter \"" + expr + "\": unknown operator (use = != > >= < <= ~ !~, exists(FIELD))");
    if (parts.value.empty())
        throw Error("invalid filter \"" + expr + "\": the value is missing");
    // "a <> b" read as a < "> b", "a == b" as a = "= b": quote such a value when it is meant.
    if (kOperatorChars.find(parts.value.front()) != std::string_view::npos)
        throw Error("invalid filter \"" + expr + "\": unknown operator (use = != > >= < <= ~ !~; quote a value that "
                    "starts with one)");
    const Json value = valueFromText(parts.value, parts.op->op);
    if (parts.op->op == Op::Regex || parts.op->op == Op::NotRegex) {
        const QRegularExpression check(QString::fromStdString(value.is_string() ? value.get<std::string>() : parts.value));
        if (!check.isValid())
            throw Error("invalid regular expression in \"" + expr + "\": " + check.errorString().toStdString());
    }
    const Condition c{parts.field, parts.op->op, value};
    return isQuoted(parts.value) ? textOnly(c) : c;
}

std::string parseField(const std::string &text)
{
    const std::string field = trim(text);
    return isQuoted(field) ? field.substr(1, field.size() - 2) : field;
}

std::vector<Condition> parseWhereList(const std::string &text)
{
    std::vector<Condition> out;
    std::string current;
    char quote = 0;
    auto flush = [&] {
        if (!trim(current).empty())
            out.push_back(parseWhere(current));
        current.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (text.compare(i, 2, "&&") == 0) {
            flush();
            ++i;
            continue;
        } else if (std::isspace(static_cast<unsigned char>(c)) && i + 4 < text.size()
                   && (text.compare(i + 1, 3, "and") == 0 || text.compare(i + 1, 3, "AND") == 0)
                   && std::isspace(static_cast<unsigned char>(text[i + 4])) && holdsValue(current)) {
            flush();
            i += 4;
            continue;
        }
        current += c;
    }
    if (quote)
        throw Error("unbalanced quote in \"" + text + "\"");
    flush();
    return out;
}

std::string whereListToText(const std::vector<Condition> &where)
{
    std::string text;
    for (const Condition &c : where)
        text += (text.empty() ? "" : " and ") + conditionToText(c);
    return text;
}


std::string conditionToText(const Condition &c)
{
    if (c.op == Op::Exists || c.op == Op::NotExists)
        return opName(c.op) + "(" + fieldText(c.field) + ")";
    const std::string value = c.value.is_string() ? c.value.get<std::string>() : c.value.dump();
    // Quoted when empty or when parseWhereList would split it, trim it, read a number, start a quote in it or
    // take its first character for an operator, with the quote character it lacks. The syntax has no escape: a value holding both cannot be written.
    const bool needsQuotes = c.value.is_string()
        && (c.quoted || value.empty() || valueFromText(value, c.op) != c.value || value.find_first_of(" \t\n\r\f\v\"'") != std::string::npos
            || value.find("&&") != std::string::npos || kOperatorChars.find(value.front()) != std::string_view::npos);
    const char quote = value.find('"') == std::string::npos ? '"' : '\'';
    return fieldText(c.field) + " " + opName(c.op) + " " + (needsQuotes ? quote + value + quote : value);
}

bool aggregates(const Query &q)
{
    return q.agg.kind != Aggregate::Kind::None || q.interval > 0 || !q.groupBy.empty();
}

std::string aggregateColumnName(const Query &q)
{
    return q.signal == Signal::Metrics ? std::string("value") : q.agg.kind == Aggregate::Kind::None ? std::string("count") : q.agg.text();
}

std::string patternOnTimeError(const std::string &field)
{
    return field + " is a time: compare it with = != < <= > >= (a pattern matches text)";
}

Query queryFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("a query must be a JSON object"));
    Query q;
    if (const auto it = j.find("signal"); it != j.end()) {
        const auto s = signalFromName(requireString(*it, "signal"));
        if (!s)
            throw Error("query: unknown signal \"" + it->get<std::string>() + "\" (use logs, spans or metrics)");
        q.signal = *s;
    }
    if (const auto it = j.find("source"); it != j.end() && !it->is_null())
        q.source = requireString(*it, "source");
    if (const auto it = j.find("where"); it != j.end() && !it->is_null()) {
        if (!it->is_array())
            throw Error(std::string("query: \"where\" must be an array"));
        for (const Json &c : *it) {
            if (c.is_string()) {
                q.where.push_back(parseWhere(c.get<std::string>()));
                continue;
            }
            if (!c.is_object() || !c.contains("field") || !c["field"].is_string())
                throw Error("query: each \"where\" entry needs a \"field\": " + c.dump());
            Condition cond;
            cond.field = c["field"].get<std::string>();
            cond.op = opFromText(c.contains("op") ? requireString(c["op"], "op") : std::string("="));
            cond.value = c.contains("value") ? c["value"] : Json();
            if (cond.value.is_null() && cond.op != Op::Exists && cond.op != Op::NotExists)
                throw Error("query: the condition on \"" + cond.field + "\" needs a \"value\"");
            if (cond.value.is_structured()) // the compilers read one value (a library's type_error had been the message)
                throw Error("query: the \"value\" of the condition on \"" + cond.field
                            + "\" is a text, number or boolean, not " + (cond.value.is_array() ? "a list" : "an object"));
            const Json quoted = c.value("quoted", Json(false));
            if (!quoted.is_boolean())
                throw Error("query: \"quoted\" of the condition on \"" + cond.field + "\" is true or false");
            if (isOrdering(cond.op) && cond.value.is_string() && !quoted.get<bool>()) // "10.5" from a script: a number, as typed
                if (const Json n = valueFromText(cond.value.get<std::string>(), cond.op); n.is_number())
                    cond.value = n;
            q.where.push_back(quoted.get<bool>() ? textOnly(std::move(cond)) : std::move(cond));
        }
    }
    if (const auto it = j.find("search"); it != j.end() && !it->is_null())
        q.search = requireString(*it, "search");
    if (const auto it = j.find("group_by"); it != j.end() && !it->is_null()) {
        if (it->is_string())
            q.groupBy.push_back(it->get<std::string>());
        else if (it->is_array())
            for (const Json &g : *it)
                q.groupBy.push_back(requireString(g, "group_by"));
        else
            throw Error(std::string("query: \"group_by\" must be an array of field names"));
    }
    if (const auto it = j.find("agg"); it != j.end() && !it->is_null())
        q.agg = parseAggregate(requireString(*it, "agg"));
    if (const auto it = j.find("interval"); it != j.end() && !it->is_null()) {
        const auto seconds = it->is_number() ? jsonInt64(*it) : std::nullopt; // a number of seconds
        const std::string text = seconds ? std::to_string(*seconds) + "s" : it->is_number() ? it->dump() : requireString(*it, "interval");
        const auto d = parseDuration(QString::fromStdString(text));
        if (!d || *d <= 0)
            throw Error("query: invalid interval \"" + text + "\" (e.g. 30s, 5m, 1h)");
        q.interval = *d;
    }
    if (const auto it = j.find("limit"); it != j.end() && !it->is_null()) {
        const std::optional<std::int64_t> limit = jsonWholeNumber(*it); // 1000.0 too (review)
        if (!limit || *limit <= 0)
            throw Error(std::string("query: \"limit\" must be a positive integer"));
        q.limit = static_cast<int>(std::min<std::int64_t>(*limit, 10'000'000));
    }
    if (const auto it = j.find("order"); it != j.end() && !it->is_null()) {
        const std::string order = requireString(*it, "order");
        if (order != "oldest_first" && order != "newest_first")
            throw Error("query: \"order\" must be \"newest_first\" or \"oldest_first\", not \"" + order + "\"");
        q.oldestFirst = order == "oldest_first";
    }
    if (const auto it = j.find("raw"); it != j.end() && !it->is_null())
        q.raw = requireString(*it, "raw");
    return q;
}

void checkQueryKeys(const Json &j)
{
    static const std::vector<std::string> kKeys = {"signal", "source", "where", "search", "group_by", "agg",
                                                   "interval", "limit", "order", "raw"};
    static const std::vector<std::string> kConditionKeys = {"field", "op", "value", "quoted"};
    const auto known = [](const std::vector<std::string> &keys, const std::string &key) {
        return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    const auto joined = [](const std::vector<std::string> &keys) {
        std::string out;
        for (const std::string &k : keys)
            out += (out.empty() ? "" : ", ") + k;
        return out;
    };
    const auto unknown = [&](const std::string &key) {
        return Error("unknown key \"" + key + "\" (a query has " + joined(kKeys) + "; a condition " + joined(kConditionKeys) + ")");
    };
    if (!j.is_object())
        return;
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!known(kKeys, it.key()))
            throw unknown(it.key());
    const auto where = j.find("where");
    for (std::size_t i = 0; where != j.end() && where->is_array() && i < where->size(); ++i)
        if (const Json &c = (*where)[i]; c.is_object())
            for (auto it = c.begin(); it != c.end(); ++it)
                if (!known(kConditionKeys, it.key()))
                    throw unknown("where[" + std::to_string(i) + "]." + it.key());
}

Json queryToJson(const Query &q)
{
    Json j;
    j["signal"] = signalName(q.signal);
    if (!q.source.empty())
        j["source"] = q.source;
    Json where = Json::array();
    for (const Condition &c : q.where) {
        Json cj = {{"field", c.field}, {"op", opName(c.op)}};
        if (!c.value.is_null())
            cj["value"] = c.value;
        if (c.quoted || (isOrdering(c.op) && c.value.is_string() && valueFromText(c.value.get<std::string>(), c.op).is_number()))
            cj["quoted"] = true; // text, which reading the JSON would take for the number it reads as
        where.push_back(std::move(cj));
    }
    j["where"] = std::move(where);
    if (!q.search.empty())
        j["search"] = q.search;
    if (!q.groupBy.empty())
        j["group_by"] = q.groupBy;
    if (q.agg.kind != Aggregate::Kind::None)
        j["agg"] = q.agg.text();
    if (q.interval > 0)
        j["interval"] = formatDuration(q.interval).toStdString();
    j["limit"] = q.limit;
    if (q.oldestFirst)
        j["order"] = "oldest_first";
    j["raw"] = q.raw.empty() ? Json() : Json(q.raw);
    return j;
}

std::optional<DurationNs> conditionDuration(const Condition &c)
{
    const Json number = c.value.is_number() ? c.value : numberInText(c.value); // "1.50" as = keeps it
    if (!number.is_number())
        return std::nullopt;
    return fractionalToNs(number.get<double>(), c.field == "duration_ms" ? kMillisecond : 1);
}

} // namespace fd

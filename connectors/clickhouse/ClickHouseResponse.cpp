#include "ClickHouseResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "ClickHouseError.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include <charconv>

namespace fd {

namespace {

constexpr const char *kLate = " (the query failed after sending part of its result)";

bool looksLikeHtml(const std::string &body)
{
    const std::string start = trim(body.substr(0, 200));
    return start.starts_with('<');
}

std::optional<Cell> typedCell(const Json &v, ColumnType type)
{
    if (v.is_null())
        return Cell {};
    switch (type) {
    case ColumnType::Time:
    case ColumnType::Int64:
        if (v.is_boolean())
            return Cell { std::int64_t(v.get<bool>()) };
        if (const auto i = jsonInt64(v))
            return Cell { *i };
        return std::nullopt;
    case ColumnType::Double:
        if (v.is_number() || v.is_boolean())
            return Cell { v.get<double>() };
        if (v.is_string()) { // "nan", "inf", "-inf" with output_format_json_quote_denormals
            std::string_view text = v.get_ref<const std::string &>();
            if (text.starts_with('+'))
                text.remove_prefix(1);
            if (const auto d = parseWhole<double>(text))
                return Cell { *d };
        }
        return std::nullopt; // other text (it had been read as 0: exploratory test): the column stays text
    case ColumnType::String:
        return Cell { v.is_string() ? v.get<std::string>() : v.dump() };
    case ColumnType::Json:
        if (v.is_string()) { // a column the query wrote as JSON text ('{}' for a missing map)
            const Json parsed = parseJson(v.get<std::string>());
            return Cell { parsed.is_structured() ? v.get<std::string>() : v.dump() };
        }
        return Cell { v.dump() };
    }
    return std::nullopt;
}

std::optional<Column> typedColumn(const ChResult &r, const std::string &name, ColumnType type, std::size_t rows)
{
    Column col { name, type, {} };
    col.cells.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const Json &row = r.data[i];
        const auto it = row.find(name);
        std::optional<Cell> cell = typedCell(it == row.end() ? Json() : *it, type);
        if (!cell)
            return std::nullopt;
        col.cells.push_back(std::move(*cell));
    }
    return col;
}

} // namespace

std::string ChError::text() const
{
    return "ClickHouse error" + (code ? " " + std::to_string(code) : std::string()) + ": " + message;
}

std::optional<ChError> chErrorFromText(const std::string &text)
{
    const auto exception = text.rfind("DB::Exception");
    std::size_t codeAt = text.rfind("Code: ", exception == std::string::npos ? std::string::npos : exception);
    if (codeAt == std::string::npos || (exception == std::string::npos && codeAt != 0))
        return std::nullopt;
    ChError e;
    const char *digits = text.data() + codeAt + 6;
    const char *end = text.data() + text.size();
    const auto [after, ec] = std::from_chars(digits, end, e.code);
    if (ec != std::errc())
        return std::nullopt;
    std::string rest = text.substr(std::size_t(after - text.data()));
    rest = rest.substr(0, rest.find('\n'));
    if (const auto m = rest.find("DB::Exception: "); m != std::string::npos)
        rest = rest.substr(m + 15);
    else if (!rest.empty() && (rest[0] == '.' || rest[0] == ','))
        rest = rest.substr(1);
    for (const char *tail : { ", e.what() = ", " (version " })
        if (const auto t = rest.find(tail); t != std::string::npos)
            rest = rest.substr(0, t);
    e.message = trim(rest);
    return e;
}

ChResult chParseJson(const std::string &body)
{
    // A String column holds bytes, and the server writes them as they are: one row of Latin-1 made every
    // query over it fail (found by review). Such bytes are shown as U+FFFD instead.
    const Json j = parseAnswerJson(body, "the ClickHouse answer");
    if (j.is_discarded()) {
        if (const auto e = chErrorFromText(body))
            throw ClickHouseError(*e, 200, kLate);
        if (looksLikeHtml(body))
            throw Error(
                "ClickHouse answered with an HTML page instead of JSON (a proxy or login page?): " + bodyExcerpt(body));
        if (trim(body).empty())
            throw Error(std::string("ClickHouse sent an empty answer where JSON was expected"));
        if (trim(body).starts_with('{'))
            throw Error("the ClickHouse answer is truncated or no valid JSON (" + jsonParseProblem(body) + ")");
        throw Error("ClickHouse did not answer with JSON: " + bodyExcerpt(body));
    }
    if (j.is_object() && j.contains("exception")) { // newer servers write a late exception inside the JSON
        const std::string text = j["exception"].is_string() ? j["exception"].get<std::string>() : j["exception"].dump();
        throw ClickHouseError(chErrorFromText(text).value_or(ChError { 0, text }), 200, kLate);
    }
    if (!j.is_object() || !j.contains("meta") || !j["meta"].is_array() || !j.contains("data") || !j["data"].is_array())
        throw Error("not a ClickHouse FORMAT JSON answer (no meta and data): " + bodyExcerpt(body));
    ChResult r;
    for (const Json &m : j["meta"]) {
        if (!m.is_object() || !m.value("name", Json()).is_string() || !m.value("type", Json()).is_string())
            throw Error("not a ClickHouse FORMAT JSON answer (a column without a name and type): " + bodyExcerpt(m.dump()));
        r.meta.push_back({ m.at("name").get<std::string>(), m.at("type").get<std::string>() });
    }
    r.data = j["data"];
    r.rows = jsonInt64(j.value("rows", Json(r.data.size()))).value_or(std::int64_t(r.data.size()));
    if (const auto it = j.find("rows_before_limit_at_least"); it != j.end())
        r.rowsBeforeLimit = jsonInt64(*it);
    r.totals = j.value("totals", Json());
    r.extremes = j.value("extremes", Json());
    r.statistics = j.value("statistics", Json());
    return r;
}

std::vector<Json> chParseJsonEachRow(const std::string &body)
{
    std::vector<Json> rows;
    std::size_t start = 0, lineNo = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos)
            end = body.size();
        const std::string line = trim(body.substr(start, end - start));
        start = end + 1;
        ++lineNo;
        if (line.empty())
            continue;
        Json row = parseJson(line);
        if (!row.is_object()) {
            if (const auto e = chErrorFromText(line))
                throw ClickHouseError(*e, 200, kLate);
            throw Error(
                "ClickHouse JSONEachRow line " + std::to_string(lineNo) + " is no JSON object: " + bodyExcerpt(line));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

ColumnType chColumnType(const std::string &type)
{
    const std::string t = chInnerType(type);
    if (t.starts_with("Array(") || t.starts_with("Tuple(") || t.starts_with("Map(") || t.starts_with("Nested(")
        || t.starts_with("Object(") || t == "JSON")
        return ColumnType::Json;
    if (t.starts_with("Float"))
        return ColumnType::Double;
    for (const char *i : { "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Bool" })
        if (t == i)
            return ColumnType::Int64;
    return ColumnType::String;
}

std::string chInnerType(std::string type)
{
    for (const std::string w : { "Nullable(", "LowCardinality(" })
        while (type.starts_with(w) && type.ends_with(")"))
            type = type.substr(w.size(), type.size() - w.size() - 1);
    return type;
}

Frame chFrame(const ChResult &r, const std::vector<ColumnType> &types, std::size_t limit)
{
    Frame f;
    const std::size_t rows = limit > 0 ? std::min(limit, r.data.size()) : r.data.size();
    f.truncated = rows < r.data.size();
    f.total = std::int64_t(r.data.size());
    for (std::size_t c = 0; c < r.meta.size(); ++c) {
        ColumnType type = c < types.size() ? types[c] : chColumnType(r.meta[c].type);
        if (c >= types.size() && r.meta[c].name == "time" && type == ColumnType::Int64)
            type = ColumnType::Time;
        // A UInt64 beyond Int64 (or text in a number column) keeps the column as text, every digit kept.
        std::optional<Column> col = typedColumn(r, r.meta[c].name, type, rows);
        f.columns.push_back(col ? std::move(*col) : *typedColumn(r, r.meta[c].name, ColumnType::String, rows));
    }
    return f;
}

} // namespace fd

#include "LokiResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "connectors/prometheus/PromResponse.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include "models/Telemetry.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

namespace fd {

namespace {

TimeNs nanoseconds(const Json &text)
{
    const std::string &s = text.get_ref<const std::string &>();
    const auto t = parseWhole<TimeNs>(s);
    if (!t)
        throw Error("Loki: a log line's time is not nanoseconds: \"" + s + "\"");
    return *t;
}

void mergeObject(Json &into, const Json &from)
{
    if (!from.is_object())
        return;
    for (const auto &[key, value] : from.items())
        into[key] = value;
}

LokiEntry entry(const Json &stream, const Json &value)
{
    if (!value.is_array() || value.size() < 2 || !value[0].is_string() || !value[1].is_string())
        throw Error("Loki: a log line is not [\"<ns>\", \"<line>\", ...]: " + bodyExcerpt(value.dump()));
    LokiEntry e;
    e.time = nanoseconds(value[0]);
    e.line = value[1].get<std::string>();
    e.stream = stream;
    if (value.size() > 2 && value[2].is_object()) {
        mergeObject(e.metadata, value[2].value("structuredMetadata", Json::object()));
        mergeObject(e.metadata, value[2].value("parsed", Json::object()));
    }
    return e;
}

// A label's text from the line's metadata or its stream; nullptr when neither has it.
const Json *findLabel(const LokiEntry &e, const std::string &name)
{
    if (const auto it = e.metadata.find(name); it != e.metadata.end())
        return &*it;
    if (const auto it = e.stream.find(name); it != e.stream.end())
        return &*it;
    return nullptr;
}

void appendEntry(Frame &f, const LokiEntry &e, const std::string &serviceLabel, const std::string &levelLabel)
{
    std::string levelKey = levelLabel;
    for (const char *fallback : { "detected_level", "level" })
        if (!findLabel(e, levelKey))
            levelKey = fallback;
    const Cell level = jsonTextCell(findLabel(e, levelKey));
    Json attributes = e.metadata;
    for (const std::string &consumed : { levelKey, std::string("trace_id"), std::string("span_id") })
        attributes.erase(consumed);
    f.columns[0].cells.emplace_back(e.time);
    f.columns[1].cells.emplace_back(isNull(level) ? Cell() : Cell(std::int64_t(severityFromName(cellToString(level)))));
    f.columns[2].cells.push_back(level);
    f.columns[3].cells.push_back(jsonTextCell(findLabel(e, serviceLabel)));
    f.columns[4].cells.emplace_back(e.line);
    // ids in lowercase hex, as every source shows them, so that a trace id finds its trace (an SDK's may be upper)
    const auto idCell = [&](const char *key) {
        const Json *id = findLabel(e, key);
        return id ? Cell(storedId(jsonValueText(*id))) : Cell();
    };
    f.columns[5].cells.push_back(idCell("trace_id"));
    f.columns[6].cells.push_back(idCell("span_id"));
    f.columns[7].cells.emplace_back(attributes.dump());
    f.columns[8].cells.emplace_back(e.stream.dump());
}

double summaryNumber(const Json &summary, const char *key)
{
    const auto it = summary.find(key);
    return it != summary.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string bytesText(double bytes)
{
    static const char *kUnits[] = { "B", "kB", "MB", "GB", "TB" };
    int unit = 0;
    while (bytes >= 1000 && unit < 4)
        bytes /= 1000, ++unit;
    char buf[32];
    std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, kUnits[unit]);
    return buf;
}

Cell aggregateValue(double v, bool integer)
{
    if (!integer)
        return std::isnan(v) ? Cell(std::monostate {}) : Cell(v);
    const auto count = roundedInt64(v); // a count past int64 (or infinite) is none
    return count ? Cell(*count) : Cell(std::monostate {});
}

// The lines of a streams result; nlohmann's exceptions are left to lokiEntries.
std::vector<LokiEntry> entries(const Json &data, bool oldestFirst)
{
    if (!data.is_object() || data.value("resultType", Json()) != "streams" || !data.contains("result")
        || !data["result"].is_array())
        throw Error(std::string("Loki: the answer holds no log streams"));
    std::vector<LokiEntry> out;
    for (const Json &s : data["result"]) {
        if (!s.is_object())
            throw Error("Loki: a stream is not an object: " + bodyExcerpt(s.dump()));
        const Json stream = s.value("stream", Json::object());
        const auto values = s.find("values");
        if (values == s.end() || !values->is_array())
            throw Error("Loki: a stream has no values: " + bodyExcerpt(s.dump()));
        for (const Json &v : *values)
            out.push_back(entry(stream, v));
    }
    std::stable_sort(out.begin(), out.end(), [oldestFirst](const LokiEntry &a, const LokiEntry &b) {
        return oldestFirst ? a.time < b.time : a.time > b.time;
    });
    return out;
}

} // namespace

Json lokiData(const std::string &body, std::vector<std::string> *warnings)
{
    Json j = parseAnswerJson(body);
    if (j.is_discarded())
        throw Error("not a Loki API answer: " + notJsonAnswer(body, "Loki"));
    if (!j.is_object() || !j.contains("status"))
        throw Error("not a Loki API answer: " + bodyExcerpt(body));
    if (j["status"] == "success" && j.contains("data")) {
        if (const auto it = j.find("warnings"); warnings && it != j.end() && it->is_array())
            for (const Json &w : *it)
                if (const std::string text = withoutSecrets("Loki: " + jsonValueText(w)); // a server's text, shown
                    std::find(warnings->begin(), warnings->end(), text) == warnings->end()) // once over the pages
                    warnings->push_back(text);
        return std::move(j["data"]);
    }
    for (const char *key : { "error", "message" })
        if (const auto it = j.find(key); it != j.end() && !it->is_null())
            throw Error("Loki error: " + (it->is_string() ? it->get<std::string>() : bodyExcerpt(it->dump())));
    throw Error("Loki error: " + bodyExcerpt(body));
}

std::vector<LokiEntry> lokiEntries(const Json &data, bool oldestFirst)
{
    return guardJson("Loki", [&] { return entries(data, oldestFirst); });
}

Frame lokiLogsFrame(const std::vector<LokiEntry> &entries, const std::string &serviceLabel, const std::string &levelLabel)
{
    using T = ColumnType;
    Frame f;
    f.columns = { { "time", T::Time, {} }, { "severity", T::Int64, {} }, { "severity_text", T::String, {} },
        { "service.name", T::String, {} }, { "body", T::String, {} }, { "trace_id", T::String, {} },
        { "span_id", T::String, {} }, { "attributes", T::Json, {} }, { "resource", T::Json, {} } };
    guardJson("Loki", [&] {
        for (const LokiEntry &e : entries)
            appendEntry(f, e, serviceLabel, levelLabel);
    });
    f.total = std::int64_t(f.rowCount());
    return f;
}

void LokiStats::add(const Json &data)
{
    const auto stats = data.find("stats");
    if (stats == data.end() || !stats->is_object() || !stats->contains("summary"))
        return;
    const Json &summary = (*stats)["summary"];
    bytes += summaryNumber(summary, "totalBytesProcessed");
    lines += summaryNumber(summary, "totalLinesProcessed");
    seconds += summaryNumber(summary, "execTime");
    ++answers;
}

std::string LokiStats::note() const
{
    if (answers == 0)
        return {};
    char buf[160];
    std::snprintf(buf, sizeof buf, "Loki processed %s in %.0f lines in %.2f s", bytesText(bytes).c_str(), lines, seconds);
    std::string out = buf;
    if (answers > 1)
        out += " (" + std::to_string(answers) + " requests)";
    return out;
}

Frame lokiAggregateFrame(const Json &data, const LokiAggregateShape &shape)
{
    const Frame series = promFrame(data, std::numeric_limits<std::size_t>::max(), "Loki");
    std::vector<int> from; // the series frame's column of each group field, -1 when no series has it
    for (const std::string &label : shape.groupLabels)
        from.push_back(series.columnIndex(label));
    const auto valueColumn = std::size_t(series.columnIndex("value"));
    std::vector<std::size_t> rows(series.rowCount());
    std::iota(rows.begin(), rows.end(), 0);
    auto groupText = [&](std::size_t row) {
        std::vector<std::string> out;
        for (const int c : from)
            out.push_back(c < 0 ? std::string() : cellToString(series.cell(row, std::size_t(c))));
        return out;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        if (shape.step == 0)
            return cellToDouble(series.cell(a, valueColumn)) > cellToDouble(series.cell(b, valueColumn));
        const TimeNs ta = cellToInt(series.cell(a, 0)), tb = cellToInt(series.cell(b, 0));
        return ta != tb ? ta < tb : groupText(a) < groupText(b);
    });
    Frame f;
    if (shape.step > 0)
        f.columns.push_back({ "time", ColumnType::Time, {} });
    for (const std::string &g : shape.groupFields)
        f.columns.push_back({ g, ColumnType::String, {} });
    f.columns.push_back({ shape.valueName, shape.integer ? ColumnType::Int64 : ColumnType::Double, {} });
    for (const std::size_t row : rows) {
        std::size_t c = 0;
        if (shape.step > 0)
            f.columns[c++].cells.emplace_back(saturatedAdd(cellToInt(series.cell(row, 0)), -shape.step));
        for (const int col : from)
            f.columns[c++].cells.push_back(col < 0 ? Cell() : series.cell(row, std::size_t(col)));
        f.columns[c].cells.push_back(aggregateValue(cellToDouble(series.cell(row, valueColumn)), shape.integer));
    }
    f.total = std::int64_t(f.rowCount());
    if (shape.limit > 0 && f.rowCount() > shape.limit) {
        for (Column &c : f.columns)
            c.cells.resize(shape.limit);
        f.truncated = true;
    }
    return f;
}

} // namespace fd

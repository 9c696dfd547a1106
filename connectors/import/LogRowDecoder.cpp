#include "LogRowDecoder.h"
#include "JsonLinesDecoder.h"
#include "models/Error.h"
#include "models/JsonDepth.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include "models/Rfc3339.h"
#include <functional>
#include <algorithm>
#include <charconv>
#include <climits>

namespace fd {

namespace {
using Member = JsonLineScanner::Member;

constexpr std::array<std::string_view, 6> kOtlpKeys = {"resourceSpans", "resource_spans", "resourceLogs",
                                                      "resource_logs", "resourceMetrics", "resource_metrics"};

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// A string member's value, escapes decoded (the scanner has validated them).
std::string text(const Member &m)
{
    const std::string_view raw = m.value.substr(1, m.value.size() - 2);
    if (!m.escaped)
        return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    auto hex4 = [&raw](std::size_t at) {
        std::uint32_t v = 0;
        std::from_chars(raw.data() + at, raw.data() + at + 4, v, 16);
        return v;
    };
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\') {
            out += raw[i];
            continue;
        }
        const char c = raw[++i];
        switch (c) {
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
            std::uint32_t cp = hex4(i + 1);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(i + 3) - 0xDC00);
                i += 6;
            }
            appendUtf8(out, cp);
            break;
        }
        default: out += c; // " \ /
        }
    }
    return out;
}

// The first of keys present (not null) that `accept`s, when given.
template <std::size_t N>
const Member *firstOf(const std::vector<Member> &members, const std::array<std::string_view, N> &keys,
                      const std::function<bool(const Member &)> &accept = {})
{
    for (const std::string_view key : keys)
        for (const Member &m : members)
            if (m.key == key && m.kind != 'n' && (!accept || accept(m)))
                return &m;
    return nullptr;
}

TimeNs timeOf(const Member &m)
{
    if (m.kind == '0') {
        if (const auto i = m.integer ? parseWhole<std::int64_t>(m.value) : std::nullopt)
            return jsonl::timeFromInteger(*i); // exact, no detour through double
        return jsonl::timeFromNumber(parseWhole<double>(m.value).value_or(0)); // the scanner let no overflow by
    }
    if (m.kind == '"')
        return jsonl::timeFromText(text(m));
    throw Error("the time is neither a number nor a string: " + Json::parse(m.value).dump());
}

std::string dumpOrNull(const Json &j) { return j.is_null() || j.empty() ? std::string("{}") : j.dump(); }
} // namespace

std::uint32_t LogRowDecoder::addResource(std::string text, const std::string &service, LogRows &rows)
{
    rows.resources.push_back({std::move(text), service});
    return static_cast<std::uint32_t>(rows.resources.size() - 1);
}

std::uint32_t LogRowDecoder::serviceResource(const std::string &service, LogRows &rows)
{
    if (const auto it = m_serviceResources.find(service); it != m_serviceResources.end())
        return it->second;
    const std::uint32_t id = addResource(Json::object({{"service.name", service}}).dump(), service, rows);
    m_serviceResources.emplace(service, id);
    return id;
}

void LogRowDecoder::append(LogRecord r, LogRows &rows)
{
    if (rows.resources.empty())
        m_serviceResources.clear();
    rows.keys.add(Signal::Logs, {}, r.attributes, r.time);
    rows.keys.add(Signal::Logs, {}, r.resource, r.time);
    LogRow row;
    row.time = r.time;
    row.severity = r.severity;
    row.severityText = std::move(r.severityText);
    row.body = std::move(r.body);
    row.bodyIsJson = r.bodyIsJson;
    row.traceId = std::move(r.traceId);
    row.spanId = std::move(r.spanId);
    row.eventName = eventNameIn(r.attributes);
    row.attributes = dumpOrNull(r.attributes);
    row.resource = addResource(dumpOrNull(r.resource), r.service, rows);
    row.service = std::move(r.service);
    rows.rows.push_back(std::move(row));
}

LogRowDecoder::Outcome LogRowDecoder::decode(std::string_view line, bool detectOtlp, LogRows &rows)
{
    if (rows.resources.empty())
        m_serviceResources.clear();
    switch (m_scanner.scan(line)) {
    case JsonLineScanner::Result::Invalid:
        throw Error(std::string("not valid JSON"));
    case JsonLineScanner::Result::Other:
        throw Error(std::string("a line must hold a JSON object"));
    case JsonLineScanner::Result::Unusual: {
        checkJsonDepth(line);
        Json j = Json::parse(line.begin(), line.end(), nullptr, false);
        if (j.is_discarded())
            throw Error(std::string("not valid JSON"));
        if (detectOtlp && j.is_object())
            for (const std::string_view key : kOtlpKeys)
                if (j.contains(std::string(key)))
                    return Outcome::OtlpRequest;
        append(logRecordFromJsonLine(std::move(j)), rows);
        return Outcome::Row;
    }
    case JsonLineScanner::Result::Object:
        break;
    }
    const std::vector<Member> &members = m_scanner.members();
    if (detectOtlp)
        for (const Member &m : members)
            for (const std::string_view key : kOtlpKeys)
                if (m.key == key)
                    return Outcome::OtlpRequest;
    // An empty time is none, as null is (JsonLinesDecoder reads it so)
    const Member *time = firstOf(members, jsonl::kTimeKeys, [](const Member &m) { return m.kind != '"' || !text(m).empty(); });
    if (!time)
        throw Error(std::string(jsonl::kNoTimeField));
    LogRow row;
    row.time = timeOf(*time);
    // The first level key that names a level, else the first there (as JsonLinesDecoder chooses)
    const auto namesLevel = [](const Member &m) {
        const auto number = m.kind == '0' && m.integer ? parseWhole<std::int64_t>(m.value) : std::nullopt;
        return (number && jsonl::severityFromNumber(m.key, *number) > 0)
            || (m.kind == '"' && jsonl::severityFromText(m.key, text(m)) > 0);
    };
    const Member *severity = firstOf(members, jsonl::kSeverityKeys, namesLevel);
    if (!severity)
        severity = firstOf(members, jsonl::kSeverityKeys);
    const bool integer = severity && severity->kind == '0' && severity->integer;
    const auto number = integer ? parseWhole<std::int64_t>(severity->value) : std::nullopt;
    const Member *severityText = nullptr;
    if (number && jsonl::severityFromNumber(severity->key, *number) > 0) {
        row.severity = jsonl::severityFromNumber(severity->key, *number);
        row.severityText = severityName(row.severity);
        severityText = firstOf(members, std::array<std::string_view, 1>{jsonl::kSeverityTextKey},
                               [](const Member &m) { return m.kind == '"'; });
        if (severityText)
            row.severityText = text(*severityText);
    } else if (severity && severity->kind == '"') {
        row.severityText = text(*severity);
        row.severity = jsonl::severityFromText(severity->key, row.severityText);
    } else if (!severity && time->key == "@t") { // Serilog's compact JSON leaves out the level of Information
        row.severity = jsonl::kClefInformation;
        row.severityText = "Information";
    } else {
        severity = nullptr; // no level: an attribute like any other
    }
    const Member *body = firstOf(members, jsonl::kBodyKeys, [](const Member &m) { return m.kind == '"'; });
    if (!body)
        body = firstOf(members, jsonl::kBodyKeys);
    if (body) {
        row.bodyIsJson = body->kind != '"';
        row.body = row.bodyIsJson ? Json::parse(body->value).dump() : text(*body);
    }
    const Member *service = firstOf(members, jsonl::kServiceKeys);
    if (service && service->kind == '"')
        row.service = text(*service);
    else if (service && service->kind == '{')
        row.service = jsonl::serviceNameIn(Json::parse(service->value, nullptr, false));
    if (service && service->kind != '"')
        service = nullptr; // an attribute like any other
    const Member *resource = nullptr, *nested = nullptr;
    Json eventMembers; // null, allocating nothing, on almost every line
    m_text.assign(1, '{');
    const auto taken = [&](const Member &m) { return &m == time || &m == severity || &m == body || &m == service || &m == severityText; };
    for (const Member &m : members) {
        if (taken(m))
            continue;
        if (m.kind == '{' && m.key == jsonl::kNestedAttributesKey) {
            nested = &m;
            continue;
        }
        if (m.kind == '"' && (m.key == "trace_id" || m.key == "span_id")) {
            (m.key == "trace_id" ? row.traceId : row.spanId) = storedId(text(m));
            continue;
        }
        if (m.kind == '{' && m.key == "resource") {
            resource = &m;
            continue;
        }
        if (m.key == "event.name" || (m.key == "event" && m.kind == '{'))
            eventMembers[m.key] = Json::parse(m.value); // rare: parsed for eventNameIn, as the document path reads it
        if (m_text.size() > 1)
            m_text += ',';
        m_text += '"';
        m_text += m.key;
        m_text += "\":";
        // An object or array is compared and grouped by its text: one spelling for "\u00e9" and "é" (exploratory
        // test: Python's json.dumps escapes, Go and Node do not, and one value had been two groups). As the
        // document path writes it (numbers past 64 bits in it then as doubles, as there). Only \u and \/ are
        // written otherwise; "\n" in a nested stack trace is common and is copied as it is.
        if ((m.kind == '{' || m.kind == '[')
            && (m.value.find("\\u") != std::string_view::npos || m.value.find("\\/") != std::string_view::npos))
            m_text += Json::parse(m.value).dump();
        else
            m_text += m.value;
        if (m.pathsBegin == m.pathsEnd)
            rows.keys.addPath(Signal::Logs, {}, m.key, row.time);
        for (std::uint32_t i = m.pathsBegin; i < m.pathsEnd; ++i)
            rows.keys.addPath(Signal::Logs, {}, m_scanner.path(i), row.time);
    }
    if (nested) { // rare: parsed, as the document path reads it; a member of the line itself of the same name wins
        Json inner = Json::parse(nested->value);
        for (const Member &m : members)
            if (!taken(m) && &m != nested && &m != resource && !(m.kind == '"' && (m.key == "trace_id" || m.key == "span_id")))
                inner.erase(std::string(m.key));
        for (const auto &[key, value] : inner.items()) {
            m_text += m_text.size() > 1 ? "," : "";
            m_text += Json(key).dump() + ':' + value.dump();
            if (key == "event.name" || (key == "event" && value.is_object()))
                eventMembers[key] = value;
        }
        rows.keys.add(Signal::Logs, {}, inner, row.time);
    }
    m_text += '}';
    row.attributes = m_text;
    row.eventName = eventNameIn(eventMembers);
    if (resource) {
        Json attrs = Json::parse(resource->value);
        jsonl::settleService(row.service, attrs);
        rows.keys.add(Signal::Logs, {}, attrs, row.time);
        row.resource = addResource(dumpOrNull(attrs), row.service, rows);
    } else {
        if (row.service.empty())
            row.service = jsonl::kUnknownService;
        rows.keys.addPath(Signal::Logs, {}, "service.name", row.time);
        row.resource = serviceResource(row.service, rows);
    }
    rows.rows.push_back(std::move(row));
    return Outcome::Row;
}

} // namespace fd

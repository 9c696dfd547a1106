#include "Telemetry.h"
#include "Numbers.h"
#include "Error.h"
#include <algorithm>
#include <array>
#include <cctype>

namespace fd {

namespace {
constexpr std::array<const char *, 6> kSeverityNames = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
constexpr std::array<const char *, 8> kMarkerKinds = {"deploy", "rollback", "flag", "config",
                                                      "incident_start", "incident_end", "note", "alert"};

std::string upper(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

std::string stringField(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return {};
    if (!it->is_string())
        throw Error(std::string("marker field \"") + key + "\" must be a string");
    return it->get<std::string>();
}

TimeNs timeField(const Json &j, const char *key, TimeNs now, TimeNs fallback)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    QString error;
    std::optional<TimeNs> t;
    if (it->is_number())
        t = secondsToNs(it->get<double>());
    else if (it->is_string())
        t = parseTime(QString::fromStdString(it->get<std::string>()), now, &error);
    if (!t)
        throw Error(std::string("marker field \"") + key + "\": " +
                    (error.isEmpty() ? std::string("must be a time: RFC 3339, Unix seconds (within years 1678-2262) or now-1h")
                                     : error.toStdString()));
    return *t;
}
} // namespace

int severityFromName(const std::string &name)
{
    std::string n = upper(name);
    // Other loggers' words: syslog's as OpenTelemetry's log data model maps them, .NET's and Python's.
    static const std::pair<const char *, int> kOtherWords[] = {{"WARNING", 13}, {"CRITICAL", 21}, {"CRIT", 21},
        {"EMERG", 21}, {"EMERGENCY", 21}, {"PANIC", 21}, {"ALERT", 19}, {"ERR", 17}, {"NOTICE", 10},
        {"INFORMATION", 9}, {"INFORMATIONAL", 9}, {"VERBOSE", 1},
        // the three letters of zerolog's and Serilog's console output
        {"TRC", 1}, {"DBG", 5}, {"INF", 9}, {"WRN", 13}, {"FTL", 21}, {"VRB", 1}, {"FAT", 21}};
    for (const auto &[word, number] : kOtherWords)
        if (n == word)
            return number;
    for (std::size_t i = 0; i < kSeverityNames.size(); ++i) {
        const std::string base = kSeverityNames[i];
        if (n == base)
            return static_cast<int>(i) * 4 + 1;
        if (n.size() == base.size() + 1 && n.compare(0, base.size(), base) == 0 && n.back() >= '2' && n.back() <= '4')
            return static_cast<int>(i) * 4 + (n.back() - '0');
    }
    return 0;
}

std::pair<int, int> severityRange(const std::string &name)
{
    const int number = severityFromName(name);
    const bool bare = number > 0 && (number - 1) % 4 == 0 && !std::isdigit(static_cast<unsigned char>(name.back()));
    return {number, bare ? number + 3 : number};
}

int severityOfValue(const Json &value)
{
    if (!value.is_string())
        return jsonInt(value).value_or(0);
    const std::string &text = value.get_ref<const std::string &>();
    return parseWhole<int>(text).value_or(severityFromName(text));
}

std::string eventNameIn(const Json &attributes)
{
    const auto text = [](const Json &v) { return v.is_string() ? v.get<std::string>() : v.is_primitive() && !v.is_null() ? v.dump() : ""; };
    if (const auto flat = attributes.find("event.name"); flat != attributes.end())
        return text(*flat);
    if (const auto event = attributes.find("event"); event != attributes.end() && event->is_object())
        if (const auto name = event->find("name"); name != event->end())
            return text(*name);
    return {};
}

std::string severityName(int number)
{
    if (number < 1 || number > 24)
        return {};
    return kSeverityNames[(number - 1) / 4];
}

std::string spanKindName(int kind)
{
    static const char *names[] = {"unspecified", "internal", "server", "client", "producer", "consumer"};
    return kind >= 0 && kind <= 5 ? names[kind] : "unspecified";
}

std::string statusCodeName(int code)
{
    static const char *names[] = {"unset", "ok", "error"};
    return code >= 0 && code <= 2 ? names[code] : "unset";
}

int enumIndexOfName(std::string text, std::string_view prefix, int count, std::string (*name)(int))
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (text.starts_with(prefix))
        text = text.substr(prefix.size());
    for (int i = 0; i < count; ++i)
        if (text == name(i))
            return i;
    return -1;
}

void checkMarkerKind(const std::string &kind)
{
    if (std::find(kMarkerKinds.begin(), kMarkerKinds.end(), kind) != kMarkerKinds.end())
        return;
    std::string known;
    for (const char *k : kMarkerKinds)
        known += (known.empty() ? "" : ", ") + std::string(k);
    throw Error("marker kind \"" + kind + "\" is not one of " + known);
}

Json markerToJson(const Marker &m)
{
    Json j;
    if (m.id)
        j["id"] = m.id;
    j["time"] = formatRfc3339Std(m.time);
    j["kind"] = m.kind;
    j["service"] = m.service;
    j["title"] = m.title;
    j["version"] = m.version;
    j["commit"] = m.commit;
    j["commit_time"] = m.commitTime ? Json(formatRfc3339Std(m.commitTime)) : Json();
    j["url"] = m.url;
    j["attributes"] = m.attributes;
    return j;
}

Marker markerFromJson(const Json &j, TimeNs now)
{
    if (!j.is_object())
        throw Error(std::string("a marker must be a JSON object"));
    Marker m;
    m.kind = stringField(j, "kind");
    checkMarkerKind(m.kind);
    m.service = stringField(j, "service");
    m.title = stringField(j, "title");
    if (m.title.empty())
        throw Error(std::string("a marker needs a \"title\""));
    m.version = stringField(j, "version");
    m.commit = stringField(j, "commit");
    m.url = stringField(j, "url");
    m.time = timeField(j, "time", now, now);
    m.commitTime = timeField(j, "commit_time", now, 0);
    // A change is committed before it is deployed: a commit clock a little ahead (skew) makes a lead time of 0;
    // an hour ahead is a mistake, which DORA would otherwise drop without a word.
    if (m.commitTime != 0 && m.commitTime > m.time + kHour) // 0: none given
        throw Error("marker \"commit_time\" " + formatRfc3339Std(m.commitTime) + " is over an hour after its \"time\" "
                    + formatRfc3339Std(m.time) + ": a change is committed before it is deployed");
    if (m.commitTime != 0) // 0: none given (a marker before 1970 had been given one)
        m.commitTime = std::min(m.commitTime, m.time);
    if (const auto it = j.find("attributes"); it != j.end() && !it->is_null()) {
        if (!it->is_object())
            throw Error(std::string("marker field \"attributes\" must be an object"));
        m.attributes = *it;
    }
    return m;
}

std::string hexEncode(const std::string &bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::string DroppedIds::text() const
{
    std::string text;
    if (logRecords > 0)
        text = std::to_string(logRecords) + " log records stored without their trace or span id";
    if (links > 0)
        text += (text.empty() ? "" : ", ") + std::to_string(links) + " span links left out";
    return text.empty() ? text : text + ": the id was no valid id (32 or 16 hex digits)";
}

} // namespace fd

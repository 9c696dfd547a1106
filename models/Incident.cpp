#include "Incident.h"
#include "BoardEvaluator.h"
#include "Error.h"
#include <algorithm>
#include <cmath>

namespace fd {

namespace {
std::string text(const Json &j, const char *key, const std::string &fallback = {})
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if (!it->is_string())
        throw Error(std::string("incident field \"") + key + "\" must be a string");
    return it->get<std::string>();
}

TimeNs time(const Json &j, const char *key)
{
    const std::string t = text(j, key);
    if (t.empty())
        return 0;
    QString error;
    const auto parsed = parseTime(QString::fromStdString(t), nowNs(), &error);
    if (!parsed)
        throw Error(std::string("incident field \"") + key + "\": " + error.toStdString());
    return *parsed;
}

std::string oneOf(const std::string &value, const std::vector<std::string> &allowed, const char *field)
{
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end())
        return value;
    std::string list;
    for (const std::string &a : allowed)
        list += (list.empty() ? "" : ", ") + a;
    throw Error(std::string("incident field \"") + field + "\" must be one of " + list + " (not \"" + value + "\")");
}

IncidentEntry entryFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("each incident timeline entry must be an object"));
    IncidentEntry e;
    e.time = time(j, "time");
    e.kind = oneOf(text(j, "kind", "note"), incidentEntryKinds(), "kind");
    e.title = text(j, "title");
    e.text = text(j, "text");
    e.ref = jsonObjectField(j, "ref");
    e.image = text(j, "image");
    return e;
}

Json entryToJson(const IncidentEntry &e)
{
    Json j = {{"time", formatRfc3339Std(e.time)}, {"kind", e.kind}, {"title", e.title}};
    if (!e.text.empty())
        j["text"] = e.text;
    if (!e.ref.empty())
        j["ref"] = e.ref;
    if (!e.image.empty())
        j["image"] = e.image;
    return j;
}

double share(const Json &w, const char *key)
{
    const auto it = w.find(key);
    return it != w.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string percent(double share)
{
    return std::to_string(std::lround(share * 100)) + " %";
}
} // namespace

const std::vector<std::string> &incidentSeverities()
{
    static const std::vector<std::string> s = {"SEV1", "SEV2", "SEV3", "SEV4"};
    return s;
}

const std::vector<std::string> &incidentStatuses()
{
    static const std::vector<std::string> s = {"open", "mitigated", "resolved"};
    return s;
}

const std::vector<std::string> &incidentEntryKinds()
{
    static const std::vector<std::string> k = {"note", "event", "span", "trace", "chart", "marker", "query", "anomaly"};
    return k;
}

void Incident::addEntry(IncidentEntry entry)
{
    const auto at = std::upper_bound(timeline.begin(), timeline.end(), entry.time,
                                     [](TimeNs t, const IncidentEntry &e) { return t < e.time; });
    timeline.insert(at, std::move(entry));
}

void Incident::sortTimeline()
{
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const IncidentEntry &a, const IncidentEntry &b) { return a.time < b.time; });
}

Incident incidentFromJson(const Json &j)
{
    if (!j.is_object())
        throw Error(std::string("each incident must be an object"));
    Incident i;
    i.title = text(j, "title");
    if (i.title.empty())
        throw Error(std::string("each incident needs a \"title\""));
    i.severity = oneOf(text(j, "severity", i.severity), incidentSeverities(), "severity");
    i.status = oneOf(text(j, "status", i.status), incidentStatuses(), "status");
    i.owner = text(j, "owner");
    i.service = text(j, "service");
    i.start = time(j, "start");
    i.end = time(j, "end");
    i.summary = text(j, "summary");
    i.impact = text(j, "impact");
    i.cause = text(j, "cause");
    const Json actionItems = j.value("action_items", Json::array());
    if (!actionItems.is_array()) // a string had been read as a list of itself
        throw Error(std::string("incident field \"action_items\" must be an array"));
    for (const Json &item : actionItems) {
        if (!item.is_string())
            throw Error(std::string("incident \"action_items\" must be strings"));
        i.actionItems.push_back(item.get<std::string>());
    }
    const Json timeline = j.value("timeline", Json::array());
    if (!timeline.is_array())
        throw Error(std::string("incident field \"timeline\" must be an array"));
    for (const Json &e : timeline) {
        i.timeline.push_back(entryFromJson(e));
        if (i.timeline.back().time == 0) // an entry of no time is of the incident's start, not of 1970 (exploratory test)
            i.timeline.back().time = i.start;
    }
    i.sortTimeline();
    return i;
}

Json incidentToJson(const Incident &i)
{
    Json timeline = Json::array();
    for (const IncidentEntry &e : i.timeline)
        timeline.push_back(entryToJson(e));
    Json j = {{"title", i.title}, {"severity", i.severity}, {"status", i.status}};
    for (const auto &[key, value] : {std::pair<const char *, const std::string &>{"owner", i.owner},
                                     {"service", i.service}, {"summary", i.summary}, {"impact", i.impact},
                                     {"cause", i.cause}})
        if (!value.empty())
            j[key] = value;
    j["start"] = i.start ? Json(formatRfc3339Std(i.start)) : Json();
    j["end"] = i.end ? Json(formatRfc3339Std(i.end)) : Json();
    j["action_items"] = i.actionItems;
    j["timeline"] = std::move(timeline);
    return j;
}

Incident incidentFromAnomaly(const std::string &tileName, const Anomaly &a)
{
    Incident i;
    i.title = tileName + (a.direction < 0 ? " dropped" : " rose");
    i.severity = std::abs(a.size) >= 0.3 ? "SEV2" : "SEV3";
    i.start = a.start;
    i.end = a.open ? 0 : a.end;
    i.status = a.open ? "open" : "mitigated";
    i.summary = tileName + " left its normal range (" + (a.size >= 0 ? "+" : "") + percent(a.size) + " against expected).";
    i.addEntry({a.start, "anomaly", tileName + " left its normal range", i.summary,
                {{"tile", tileName}, {"start", formatRfc3339Std(a.start)}}, {}});
    if (!a.open)
        i.addEntry({a.end, "anomaly", tileName + " back in range", {}, {{"tile", tileName}}, {}});
    for (std::size_t n = 0; n < a.suspects.size() && n < 3; ++n) {
        const Suspect &s = a.suspects[n];
        std::string reasons;
        for (const std::string &r : s.reasons)
            reasons += (reasons.empty() ? "" : "; ") + r;
        if (n == 0 && i.service.empty())
            i.service = s.marker.service;
        i.addEntry({s.marker.time, "marker", "Suspect: " + s.marker.kind + " " + s.marker.title, reasons,
                    {{"marker", markerToJson(s.marker)}, {"score", s.score}}, {}});
    }
    for (const Json &w : a.whatChanged) {
        if (!w.is_object())
            continue;
        i.addEntry({a.start, "note",
                    "What changed: " + jsonValueText(w.value("field", Json())) + " = " + jsonValueText(w.value("value", Json())),
                    percent(share(w, "share_baseline")) + " → " + percent(share(w, "share_anomaly")) + " of events",
                    {{"what_changed", w}}, {}});
    }
    return i;
}

std::vector<Marker> incidentMarkers(const std::vector<Incident> &incidents)
{
    std::vector<Marker> out;
    for (const Incident &i : incidents) {
        if (!i.start)
            continue;
        Marker m;
        m.kind = "incident_start";
        m.time = i.start;
        m.service = i.service;
        m.title = i.title;
        m.attributes = {{"severity", i.severity}, {"status", i.status}};
        out.push_back(m);
        if (i.end) {
            m.kind = "incident_end";
            m.time = i.end;
            out.push_back(m);
        }
    }
    return out;
}

std::string uniqueIncidentTitle(const std::vector<Incident> &existing, const std::string &wanted)
{
    const auto taken = [&](const std::string &t) {
        return std::any_of(existing.begin(), existing.end(), [&](const Incident &i) { return i.title == t; });
    };
    std::string title = wanted;
    for (int n = 2; taken(title); ++n)
        title = wanted + " (" + std::to_string(n) + ")";
    return title;
}

} // namespace fd

#pragma once
#include "Telemetry.h"
#include <string>
#include <vector>

namespace fd {

struct Anomaly;

// One thing on an incident's timeline: a note, or something added from a view, with what it refers to
// so it can be opened again (a trace id, a query, a marker ...).
struct IncidentEntry {
    TimeNs time = 0;
    std::string kind = "note"; // note event span trace chart marker query anomaly
    std::string title;         // one line
    std::string text;          // details, Markdown allowed
    Json ref = Json::object(); // e.g. {"trace_id": ..., "span_id": ...}, {"query": {...}}, {"marker": {...}}
    std::string image;         // a chart snapshot: PNG as base64, so the incident reopens offline
};

struct Incident {
    std::string title;
    std::string severity = "SEV3"; // SEV1 (worst) .. SEV4
    std::string status = "open";   // open | mitigated | resolved
    std::string owner;
    std::string service;
    TimeNs start = 0;
    TimeNs end = 0; // 0 while unresolved
    std::string summary;
    std::string impact;
    std::string cause;
    std::vector<std::string> actionItems;
    std::vector<IncidentEntry> timeline; // in time order (addEntry keeps it so)

    // Inserts after every entry at the same time, so entries added together keep their order.
    void addEntry(IncidentEntry entry);
    void sortTimeline();
};

const std::vector<std::string> &incidentSeverities();
const std::vector<std::string> &incidentStatuses();
const std::vector<std::string> &incidentEntryKinds();

// Throw fd::Error naming the bad field.
Incident incidentFromJson(const Json &j);
Json incidentToJson(const Incident &i);

// Pre-filled from a tile's anomaly: window, direction and size, suspects and what changed as entries.
Incident incidentFromAnomaly(const std::string &tileName, const Anomaly &a);

// incident_start / incident_end markers (an end once the service is restored), for DORA and the charts.
std::vector<Marker> incidentMarkers(const std::vector<Incident> &incidents);

// A unique title for a new incident among `existing` ("Login success drop", "... (2)").
std::string uniqueIncidentTitle(const std::vector<Incident> &existing, const std::string &wanted);

} // namespace fd

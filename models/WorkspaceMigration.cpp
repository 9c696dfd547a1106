#include "WorkspaceMigration.h"
#include "Error.h"
#include "Workspace.h"
#include <algorithm>
#include <iterator>

namespace fd {

namespace {
// Version 1 kept `incidents` as free JSON (nothing wrote it; people did by hand). Version 2 gives
// incidents a shape: an object keeps its known keys ("name" becomes "title"), anything else it held
// is kept as a note on its timeline; a non-object becomes an incident with that note.
Json incidentV2(const Json &old, std::size_t index)
{
    static const char *known[] = {"title", "severity", "status", "owner", "service", "start", "end",
                                  "summary", "impact", "cause", "action_items", "timeline"};
    Json incident = Json::object();
    Json leftover = Json::object();
    if (old.is_object()) {
        for (const auto &[key, value] : old.items()) {
            if (key == "name" && value.is_string() && !old.contains("title"))
                incident["title"] = value;
            else if (std::find(std::begin(known), std::end(known), key) != std::end(known))
                incident[key] = value;
            else
                leftover[key] = value;
        }
    } else {
        leftover["value"] = old;
    }
    if (!incident.contains("title") || !incident["title"].is_string() || incident["title"].get<std::string>().empty())
        incident["title"] = "Incident " + std::to_string(index + 1);
    if (!leftover.empty()) {
        Json timeline = incident.value("timeline", Json::array());
        timeline.push_back({{"time", incident.value("start", Json())}, {"kind", "note"},
                            {"title", "Kept from the version 1 workspace"}, {"text", leftover.dump(2)}});
        incident["timeline"] = timeline;
    }
    return incident;
}

std::vector<std::string> v1ToV2(Json &j)
{
    std::vector<std::string> notes;
    Json incidents = Json::array();
    const Json old = j.value("incidents", Json::array());
    const Json items = old.is_array() ? old : Json::array({old});
    for (std::size_t i = 0; i < items.size(); ++i)
        incidents.push_back(incidentV2(items[i], i));
    if (!incidents.empty())
        notes.push_back(std::to_string(incidents.size()) + " incident(s) converted to the version 2 shape");
    j["incidents"] = incidents;
    j["flightdeck_workspace"] = 2;
    return notes;
}

using Step = std::vector<std::string> (*)(Json &);
// kSteps[n] takes version n + 1 to n + 2.
constexpr Step kSteps[] = {v1ToV2};
static_assert(std::size(kSteps) + 1 == Workspace::kFormatVersion, "one migration step per format version");
} // namespace

std::vector<std::string> migrateWorkspaceJson(Json &j)
{
    if (!j.is_object() || !j.contains("flightdeck_workspace"))
        throw Error(std::string("not a Flightdeck workspace (no \"flightdeck_workspace\" version)"));
    const int from = jsonInt(j["flightdeck_workspace"]).value_or(0);
    if (from < 1)
        throw Error(std::string("invalid \"flightdeck_workspace\" version"));
    if (from > Workspace::kFormatVersion)
        throw Error("this workspace has format version " + std::to_string(from)
                    + ", newer than this Flightdeck understands (" + std::to_string(Workspace::kFormatVersion) + ")");
    std::vector<std::string> notes;
    for (int v = from; v < Workspace::kFormatVersion; ++v) {
        const auto stepNotes = kSteps[v - 1](j);
        notes.insert(notes.end(), stepNotes.begin(), stepNotes.end());
    }
    return notes;
}

} // namespace fd

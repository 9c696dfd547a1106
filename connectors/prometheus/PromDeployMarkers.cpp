#include "PromDeployMarkers.h"
#include "models/Error.h"
#include <map>
#include <set>

namespace fd {

namespace {

using VersionsAt = std::map<TimeNs, std::set<std::string>>;

Marker makeMarker(TimeNs t, const std::string &service, const std::string &version, const std::string &previous,
                  bool rollback, const std::string &sourceId, const PromDeploySpec &spec)
{
    Marker m;
    m.time = t;
    m.kind = rollback ? "rollback" : "deploy";
    m.service = service;
    m.version = version;
    m.title = service + " " + version + (rollback ? " (rollback)" : "");
    m.attributes["previous_version"] = previous;
    m.attributes["source"] = sourceId;
    m.attributes["detected_from"] = spec.query + " label " + spec.versionLabel;
    return m;
}

void scanService(const std::string &service, const VersionsAt &versionsAt, const PromDeploySpec &spec,
                 const std::string &sourceId, std::vector<Marker> &out)
{
    std::set<std::string> before = versionsAt.begin()->second;
    std::string current = before.size() == 1 ? *before.begin() : std::string();
    std::set<std::string> ranEarlier = before;
    for (auto it = std::next(versionsAt.begin()); it != versionsAt.end(); ++it) {
        for (const std::string &version : it->second) {
            if (before.count(version) || version == current)
                continue;
            out.push_back(makeMarker(it->first, service, version, current, ranEarlier.count(version) > 0, sourceId, spec));
            current = version;
            ranEarlier.insert(version);
        }
        before = it->second;
    }
}

} // namespace

std::vector<Marker> deployMarkersFromFrame(const Frame &frame, const PromDeploySpec &spec, const std::string &sourceId)
{
    const int timeCol = frame.columnIndex("time");
    const int versionCol = frame.columnIndex(spec.versionLabel);
    const int serviceCol = frame.columnIndex(spec.serviceLabel);
    if (frame.rowCount() == 0)
        return {};
    if (timeCol < 0 || versionCol < 0)
        throw Error("the deploy query \"" + spec.query + "\" gives no \"" + spec.versionLabel + "\" label to follow");
    std::map<std::string, VersionsAt> byService;
    for (std::size_t row = 0; row < frame.rowCount(); ++row) {
        const std::string service = serviceCol >= 0 ? cellToString(frame.cell(row, serviceCol)) : std::string();
        byService[service][cellToInt(frame.cell(row, timeCol))].insert(cellToString(frame.cell(row, versionCol)));
    }
    std::vector<Marker> markers;
    for (const auto &[service, versionsAt] : byService)
        scanService(service, versionsAt, spec, sourceId, markers);
    return markers;
}

} // namespace fd

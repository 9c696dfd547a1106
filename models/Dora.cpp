#include "Dora.h"
#include "Baseline.h"
#include <algorithm>
#include <cmath>

namespace fd {

namespace {
// How long after a range its incidents' ends are looked for: an incident open longer has no restore time.
constexpr DurationNs kIncidentEndsReadAhead = 30 * kDay;

// The end of the incident `start` opened, nullptr while it is open. Its service's incident markers are taken in
// time order (an end before a start at the same time), and an end closes the latest incident still open: an
// incident never closed keeps no later incident's end, and one inside another closes first. An end that closes
// nothing closes a start of its time and title (one incident started and resolved at one instant). Markers in
// any order.
const Marker *incidentEnd(const Marker &start, const std::vector<Marker> &markers)
{
    std::vector<const Marker *> ofService;
    for (const Marker &m : markers)
        if ((m.kind == "incident_start" || m.kind == "incident_end") && m.service == start.service)
            ofService.push_back(&m);
    std::stable_sort(ofService.begin(), ofService.end(), [](const Marker *a, const Marker *b) {
        return a->time != b->time ? a->time < b->time : a->kind == "incident_end" && b->kind != "incident_end";
    });
    std::vector<const Marker *> open;
    const Marker *unmatchedEnd = nullptr; // an end with no incident open: it may close one started at its time
    for (const Marker *m : ofService) {
        // Started and resolved at one instant, as an incident of the workspace writes both (with one title): it had
        // stayed open for the next end to close. A stray end of another title (a repeat) closes nothing.
        if (m->kind == "incident_start" && unmatchedEnd && unmatchedEnd->time == m->time && unmatchedEnd->title == m->title) {
            if (m == &start)
                return unmatchedEnd;
            unmatchedEnd = nullptr;
        } else if (m->kind == "incident_start") {
            open.push_back(m);
        } else if (!open.empty()) {
            if (open.back() == &start)
                return m;
            open.pop_back();
        } else {
            unmatchedEnd = m;
        }
    }
    return nullptr;
}

// Whether an incident was open at some time of [from, to].
bool overlapsIncident(TimeNs from, TimeNs to, const std::vector<Marker> &markers)
{
    for (const Marker &start : markers) {
        if (start.kind != "incident_start" || start.time > to)
            continue;
        const Marker *end = incidentEnd(start, markers);
        if (!end || end->time >= from)
            return true;
    }
    return false;
}

// An anomaly that came back in range is a restore too, unless an incident already counts it (DESIGN.md:
// "anomaly or incident start to back in range or resolved"): one outage is often both, the anomaly seen minutes
// before the incident is declared. Anomalies belong to no service: overall only.
void addAnomalyRestores(std::vector<double> &restores, const std::vector<Marker> &markers,
                        const std::vector<AnomalyWindow> &anomalies, const TimeRange &range)
{
    for (const AnomalyWindow &a : anomalies)
        if (a.end > a.start && range.contains(a.start) && !overlapsIncident(a.start, a.end, markers))
            restores.push_back(static_cast<double>(a.end - a.start) / kMinute);
}

DoraFigures figures(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies,
                    const TimeRange &range, const std::string &service)
{
    DoraFigures f;
    std::vector<double> leadTimes, restores;
    int failures = 0;
    for (const Marker &m : markers) {
        if (!range.contains(m.time) || (!service.empty() && m.service != service))
            continue;
        if (m.kind == "deploy") {
            ++f.deploys;
            if (m.commitTime > 0 && m.commitTime <= m.time)
                leadTimes.push_back(static_cast<double>(m.time - m.commitTime) / kHour);
            if (!deployFailure(m, markers, anomalies).empty())
                ++failures;
        } else if (m.kind == "incident_start") {
            if (const Marker *end = incidentEnd(m, markers))
                restores.push_back(static_cast<double>(end->time - m.time) / kMinute);
        }
    }
    if (service.empty())
        addAnomalyRestores(restores, markers, anomalies, range);
    const double days = static_cast<double>(range.length()) / kDay;
    if (days > 0)
        f.deploysPerDay = f.deploys / days;
    f.leadTimeHoursMedian = median(leadTimes);
    if (f.deploys > 0)
        f.changeFailureRate = static_cast<double>(failures) / f.deploys;
    f.timeToRestoreMinutesMedian = median(restores);
    return f;
}

Json toJson(const DoraFigures &f)
{
    return {{"deploys", f.deploys},
            {"deploys_per_day", roundedNumber(f.deploysPerDay, 2)},
            {"lead_time_hours_median", roundedNumber(f.leadTimeHoursMedian, 2)},
            {"change_failure_rate", roundedNumber(f.changeFailureRate, 2)},
            {"time_to_restore_minutes_median", roundedNumber(f.timeToRestoreMinutesMedian, 2)}};
}
} // namespace

std::string deployFailure(const Marker &deploy, const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies)
{
    const TimeNs until = deploy.time + kChangeFailureWindow;
    // a deploy or an incident of no service (a monolith, an infrastructure change) is of every service
    const auto sameService = [&](const std::string &service) { return service.empty() || deploy.service.empty() || service == deploy.service; };
    for (const Marker &m : markers) {
        if (m.time <= deploy.time || m.time > until)
            continue;
        if (m.kind == "rollback" && sameService(m.service))
            return "rollback";
        if (m.kind == "incident_start" && sameService(m.service))
            return "incident";
    }
    for (const AnomalyWindow &a : anomalies)
        if (saturatedAdd(a.start, a.step) >= deploy.time - 5 * kMinute && a.start <= until
            && (a.services.empty() || deploy.service.empty()
                || std::find(a.services.begin(), a.services.end(), deploy.service) != a.services.end()))
            return "anomaly";
    return {};
}

std::vector<Marker> doraMarkers(DataSource &source, TimeNs from, TimeNs to, const CancelTokenPtr &cancel,
                                std::vector<std::string> *leftOut)
{
    const auto read = [&](const TimeRange &range) {
        return leftOut ? source.markersLeavingOut(range, cancel, *leftOut) : source.markers(range, cancel);
    };
    const TimeNs near = saturatedAdd(to, kChangeFailureWindow);
    std::vector<Marker> markers = read({from, near});
    const auto unresolved = [&](const Marker &start) {
        return start.kind == "incident_start" && start.time < to && !incidentEnd(start, markers);
    };
    // up to now (an end marked a moment ahead counts), and not further than the read-ahead
    const TimeNs latest = std::min(saturatedAdd(nowNs(), kChangeFailureWindow), saturatedAdd(near, kIncidentEndsReadAhead));
    if (near < latest && std::any_of(markers.begin(), markers.end(), unresolved))
        for (Marker &m : read({near, latest}))
            if (m.kind == "incident_end" || m.kind == "incident_start") // a later start takes the ends after it
                markers.push_back(std::move(m));
    return markers;
}

Dora computeDora(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies, const TimeRange &range)
{
    Dora d;
    d.overall = figures(markers, anomalies, range, {});
    for (const Marker &m : markers) // the services that deployed in the range (markers may reach before it)
        if (m.kind == "deploy" && !m.service.empty() && range.contains(m.time) && !d.byService.count(m.service))
            d.byService[m.service] = figures(markers, anomalies, range, m.service);
    return d;
}

Json doraToJson(const Dora &d)
{
    Json byService = Json::object();
    for (const auto &[service, f] : d.byService)
        byService[service] = toJson(f);
    return {{"overall", toJson(d.overall)}, {"by_service", byService}};
}

} // namespace fd

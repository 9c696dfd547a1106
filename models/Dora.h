#pragma once
#include "DataSource.h"
#include "Telemetry.h"
#include <map>
#include <string>
#include <vector>

namespace fd {

// An anomaly as DORA sees it: when a tile left its normal range and when it came back (0 while out).
struct AnomalyWindow {
    TimeNs start = 0;
    TimeNs end = 0;
    std::vector<std::string> services; // of its tile's scope, whose deploys it can fail; empty: any service
    DurationNs step = 0; // its tile's bucket: a deploy inside the first bucket comes before the anomaly
    AnomalyWindow(TimeNs s = 0, TimeNs e = 0, std::vector<std::string> scope = {}, DurationNs bucket = 0)
        : start(s), end(e), services(std::move(scope)), step(bucket) {}
};

// The four DORA figures, from deploy markers, rollbacks, incidents and anomalies.
struct DoraFigures {
    int deploys = 0;
    double deploysPerDay = NAN;
    double leadTimeHoursMedian = NAN;    // deploy time - commit time
    double changeFailureRate = NAN;      // deploys followed within 1 h by a rollback, incident or anomaly
    // incident start -> end, and anomaly start -> back in range for anomalies no incident covers
    double timeToRestoreMinutesMedian = NAN;
};

struct Dora {
    DoraFigures overall;
    std::map<std::string, DoraFigures> byService;
};

// How long after a deploy a rollback, incident or anomaly makes it a failure: markers are needed up to this
// long after a range for the deploys near its end.
constexpr DurationNs kChangeFailureWindow = kHour;

// Why a deploy counts as a change failure: "rollback" or "incident" of its service within 1 h after it, else
// "anomaly" of a tile whose scope has its service (one starting from 5 min before it to 1 h after); "" when it
// did not fail. A deploy, incident or tile scope of no service is of every service.
std::string deployFailure(const Marker &deploy, const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies);

// The markers DORA reads for the deploys and incidents of [from, to): those up to kChangeFailureWindow after it,
// and, when an incident of the range is still open there, the incident markers of up to 30 days after it (one
// resolved a day after the range had no restore time). An end closes the latest incident of its service before it.
// With leftOut, a source whose markers cannot be read is left out and named there instead of failing them all.
std::vector<Marker> doraMarkers(DataSource &source, TimeNs from, TimeNs to, const CancelTokenPtr &cancel,
                                std::vector<std::string> *leftOut = nullptr);

Dora computeDora(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies, const TimeRange &range);
Json doraToJson(const Dora &d);

} // namespace fd

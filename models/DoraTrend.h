#pragma once
#include "Dora.h"
#include <cmath>
#include <string>
#include <vector>

namespace fd {

enum class DoraFigure { DeploysPerDay, LeadTime, ChangeFailureRate, TimeToRestore };

// More deploys a day are better; a shorter lead time, a lower failure rate and a shorter time to
// restore are better.
bool lowerIsBetter(DoraFigure which);
double figureValue(const DoraFigures &f, DoraFigure which);

// One figure against the previous period of the same length.
struct FigureTrend {
    double current = NAN;
    double previous = NAN;
    double delta = NAN; // current - previous; NaN when either is unknown
    int verdict = 0;    // +1 better, -1 worse, 0 unchanged (within 1 %) or unknown
};
FigureTrend figureTrend(double current, double previous, bool lowerIsBetter);

struct DoraTrendRow {
    std::string service; // "" for all services
    DoraFigures current;
    DoraFigures previous;
    FigureTrend trend(DoraFigure which) const;
};

// A deploy behind the figures, and why it counts as a change failure (see deployFailure()).
struct DeployEntry {
    Marker marker;
    double leadTimeHours = NAN;
    std::string failure; // rollback | incident | anomaly | ""
};

struct DoraTrend {
    TimeRange range;
    TimeRange previousRange;
    DoraTrendRow overall;
    std::vector<DoraTrendRow> services; // by name
    std::vector<DeployEntry> deploys;   // in range, newest first
    std::vector<std::string> leftOut;   // the markers not counted, and why (a source that could not be read)
};

// The period of the same length just before `range`.
TimeRange previousPeriod(const TimeRange &range);

// DORA for `range` against previousPeriod(range), through computeDora for both; `markers` should
// cover both periods (a failure or a restore near the boundary looks at markers past it).
DoraTrend computeDoraTrend(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies,
                           const TimeRange &range);

} // namespace fd

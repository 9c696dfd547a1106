#include "DoraTrend.h"
#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr double kUnchanged = 0.01; // a move under 1 % of the larger value is noise, not a trend

std::vector<DeployEntry> deploysIn(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies,
                                   const TimeRange &range)
{
    std::vector<DeployEntry> out;
    for (const Marker &m : markers) {
        if (m.kind != "deploy" || !range.contains(m.time))
            continue;
        DeployEntry e;
        e.marker = m;
        if (m.commitTime > 0 && m.commitTime <= m.time)
            e.leadTimeHours = static_cast<double>(m.time - m.commitTime) / kHour;
        e.failure = deployFailure(m, markers, anomalies);
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const DeployEntry &a, const DeployEntry &b) { return a.marker.time > b.marker.time; });
    return out;
}

} // namespace

bool lowerIsBetter(DoraFigure which)
{
    return which != DoraFigure::DeploysPerDay;
}

double figureValue(const DoraFigures &f, DoraFigure which)
{
    switch (which) {
    case DoraFigure::DeploysPerDay:
        return f.deploysPerDay;
    case DoraFigure::LeadTime:
        return f.leadTimeHoursMedian;
    case DoraFigure::ChangeFailureRate:
        return f.changeFailureRate;
    case DoraFigure::TimeToRestore:
        return f.timeToRestoreMinutesMedian;
    }
    return NAN;
}

FigureTrend figureTrend(double current, double previous, bool lowerIsBetter)
{
    FigureTrend t;
    t.current = current;
    t.previous = previous;
    if (!std::isfinite(current) || !std::isfinite(previous))
        return t;
    t.delta = current - previous;
    const double scale = std::max(std::abs(current), std::abs(previous));
    if (std::abs(t.delta) <= kUnchanged * scale)
        return t;
    const bool lower = t.delta < 0;
    t.verdict = lower == lowerIsBetter ? 1 : -1;
    return t;
}

FigureTrend DoraTrendRow::trend(DoraFigure which) const
{
    return figureTrend(figureValue(current, which), figureValue(previous, which), lowerIsBetter(which));
}

TimeRange previousPeriod(const TimeRange &range)
{
    return {range.from - range.length(), range.from};
}

DoraTrend computeDoraTrend(const std::vector<Marker> &markers, const std::vector<AnomalyWindow> &anomalies,
                           const TimeRange &range)
{
    DoraTrend t;
    t.range = range;
    t.previousRange = previousPeriod(range);
    const Dora now = computeDora(markers, anomalies, t.range);
    const Dora before = computeDora(markers, anomalies, t.previousRange);
    t.overall = {{}, now.overall, before.overall};
    // Both hold every service that ever deployed in `markers`, so the keys agree.
    for (const auto &[service, figures] : now.byService) {
        const auto b = before.byService.find(service);
        const DoraFigures previous = b != before.byService.end() ? b->second : DoraFigures{};
        if (figures.deploys > 0 || previous.deploys > 0)
            t.services.push_back({service, figures, previous});
    }
    t.deploys = deploysIn(markers, anomalies, range);
    return t;
}

} // namespace fd

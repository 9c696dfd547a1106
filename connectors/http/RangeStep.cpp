#include "RangeStep.h"
#include <algorithm>

namespace fd {

DurationNs chooseRangeStep(DurationNs rangeLength, DurationNs interval, int points)
{
    const DurationNs wanted = interval > 0 ? interval : rangeLength / std::max(points, 1);
    const DurationNs floor = (rangeLength + kMaxRangePoints - 1) / kMaxRangePoints;
    if (floor > wanted) // widened: to a round step, which a chart's axis and the note about it show as asked
        return (niceIntervalAtLeast(floor) + kMillisecond - 1) / kMillisecond * kMillisecond;
    const DurationNs step = std::max(wanted, kMillisecond);
    return (step + kMillisecond - 1) / kMillisecond * kMillisecond; // the API takes whole milliseconds
}

void keepRangeStep(Frame &f, DurationNs interval, DurationNs step, const std::string &engine)
{
    f.step = step;
    if (interval <= 0 || step <= interval)
        return;
    const std::string asked = formatDuration(interval).toStdString();
    const std::string why = step - interval < kMillisecond
        ? "steps are whole milliseconds"
        : "every " + asked + " over this range would be more than " + std::to_string(kMaxRangePoints) + " points";
    f.notes.push_back(engine + ": computed every " + formatDuration(step).toStdString() + ", not every " + asked
                      + " (" + why + ")");
}

} // namespace fd

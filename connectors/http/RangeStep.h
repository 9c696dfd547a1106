#pragma once
#include "models/Frame.h"
#include "models/Time.h"
#include <cstdint>
#include <string>

namespace fd {

// Prometheus refuses query_range answers with more points than this per series; Loki and the
// Elasticsearch buckets are held to the same.
constexpr std::int64_t kMaxRangePoints = 11'000;

// The step of a range query: the interval, or range/points without one, widened to a round step when it
// would give more than kMaxRangePoints.
DurationNs chooseRangeStep(DurationNs rangeLength, DurationNs interval, int points = 1000);
// Keeps the step a range query was computed with in the frame (its chart fills gaps on that grid), with a
// note when it is coarser than the interval asked for.
void keepRangeStep(Frame &f, DurationNs interval, DurationNs step, const std::string &engine);

} // namespace fd

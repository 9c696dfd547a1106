#pragma once
#include "Cancel.h"
#include "DataSource.h"
#include "TraceCompare.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// How the traces of one operation usually run at one operation path.
struct PathMedian {
    std::vector<std::string> path;
    std::int64_t traces = 0; // how many of the profile's traces have the path
    // The lower median over every trace of the profile, 0 for one without the path: above 0 exactly when
    // more than half of the traces have the path.
    std::int64_t count = 0;
    // The median of the summed durations over the traces that have the path (of an even number: the mean
    // of the middle two, rounded down).
    DurationNs total = 0;
};

// The median trace of N traces, per operation path, in tree order.
struct MedianProfile {
    std::int64_t traces = 0;
    std::vector<PathMedian> paths;

    const PathMedian *find(const std::vector<std::string> &path) const;
};

MedianProfile medianProfile(const std::vector<PathTotals> &traces);

// One trace (B) against the profile (A, the median counts and totals): a path is missing when most
// traces have it and this one does not, added when this one has it and most traces do not. Paths that
// neither this trace nor most traces have are left out.
std::vector<PathDiff> compareWithMedian(const MedianProfile &profile, const TraceTree &trace);

// A trace against the median of up to `n` other traces in range whose root span has the same service
// and operation (the newest).
struct MedianComparison {
    std::string service;   // of the trace's root span
    std::string operation;
    std::vector<std::string> similar; // the ids of the profile's traces, newest first
    MedianProfile profile;
    std::vector<PathDiff> diff;
};
// Throws fd::Error when the trace is not found or has no similar trace in range.
MedianComparison compareWithSimilar(DataSource &source, const std::string &traceId, const TimeRange &range, int n,
                                    const CancelTokenPtr &cancel);

} // namespace fd

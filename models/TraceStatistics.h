#pragma once
#include "TraceTree.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// What one operation (service and span name) cost in a trace.
struct OperationStats {
    std::string service;
    std::string name;
    std::int64_t count = 0;
    std::int64_t errors = 0;
    DurationNs total = 0; // the sum of its spans' durations
    DurationNs self = 0;  // of that, the time no child of the span covered (children clipped to it)
    DurationNs max = 0;
    DurationNs average() const { return count > 0 ? total / count : 0; }
};

// One entry per service and operation of the tree's spans (placeholders left out), the largest total
// first (then by service and name). Self time is what a profiler calls it: where the span itself,
// not a child, was running; overlapping children count once.
std::vector<OperationStats> traceStatistics(const TraceTree &tree);

} // namespace fd

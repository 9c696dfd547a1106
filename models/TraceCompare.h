#pragma once
#include "TraceTree.h"

#include <cstdint>
#include <string>
#include <vector>

namespace fd {

// One operation path ("service:name" of each span from the root down) in two traces of the same
// request, A (the baseline) and B.
struct PathDiff {
    std::vector<std::string> path; // "service:name" per level; a missing parent is "(missing parent)"
    std::int64_t countA = 0;
    std::int64_t countB = 0;
    DurationNs totalA = 0; // the summed durations of the spans at this path
    DurationNs totalB = 0;

    bool added() const { return countA == 0; }   // only in B
    bool missing() const { return countB == 0; } // only in A
    DurationNs delta() const { return totalB - totalA; }
    // B against A as a fraction (0.5: 50% slower); 0 when the path is in one trace only.
    double relativeDelta() const;
    std::string text() const; // the path joined with " / "
};

// Every path of either trace in tree order (a parent before its children, siblings by name), with
// how often and how long it ran in each: a structural and a duration diff in one list.
std::vector<PathDiff> compareTraces(const TraceTree &a, const TraceTree &b);

} // namespace fd

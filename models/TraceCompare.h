#pragma once
#include "TraceTree.h"

#include <cstdint>
#include <map>
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

// How often and how long (the summed durations) the spans at one operation path ran in one trace.
struct PathTotal {
    std::int64_t count = 0;
    DurationNs total = 0;
};
// Every operation path of one trace; the map's order is tree order (a prefix sorts before what extends it).
using PathTotals = std::map<std::vector<std::string>, PathTotal>;
PathTotals pathTotals(const TraceTree &tree);

// Every path of either trace in tree order (a parent before its children, siblings by name), with
// how often and how long it ran in each: a structural and a duration diff in one list.
std::vector<PathDiff> compareTraces(const TraceTree &a, const TraceTree &b);

} // namespace fd

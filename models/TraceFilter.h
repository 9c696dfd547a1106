#pragma once
#include <string>
#include <vector>

namespace fd {

// Which spans of a trace a waterfall keeps. The criteria that are set all apply (a span must pass
// each of them); a default filter keeps every span.
struct TraceFilter {
    bool errorsOnly = false;
    bool criticalOnly = false;
    double minDurationPercent = 0; // keep spans longer than this share of the trace; 0: any
    std::vector<std::string> services; // keep these services; empty: all

    bool isActive() const { return errorsOnly || criticalOnly || minDurationPercent > 0 || !services.empty(); }
    bool operator==(const TraceFilter &) const = default;
};

} // namespace fd

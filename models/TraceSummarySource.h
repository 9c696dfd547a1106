#pragma once
#include "Cancel.h"
#include "TraceFrames.h"

#include <optional>
#include <string>
#include <vector>

namespace fd {

// What a DataSource may also offer: the summaries of many traces in one round trip (the store answers
// them with one SQL query), so that a trace search need not load every result with trace(). Kept out of
// DataSource.h, which most of the tree includes; findTraces looks for it with dynamic_cast.
class TraceSummarySource
{
public:
    virtual ~TraceSummarySource() = default;
    // As summarizeTrace() of each trace's spans (services filled) for those of traceIds that the source
    // holds, in any order; nullopt when it cannot tell after all (a router whose spans source cannot).
    virtual std::optional<std::vector<TraceSummary>> traceSummaries(const std::vector<std::string> &traceIds,
                                                                    const CancelTokenPtr &cancel) = 0;
};

} // namespace fd

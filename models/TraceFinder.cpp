#include "TraceFinder.h"
#include "Error.h"
#include "TraceFrames.h"

#include <algorithm>

namespace fd {

namespace {

std::string joinedServices(const std::vector<Span> &spans)
{
    std::vector<std::string> services;
    for (const Span &s : spans)
        services.push_back(s.service);
    std::sort(services.begin(), services.end());
    services.erase(std::unique(services.begin(), services.end()), services.end());
    std::string joined;
    for (const std::string &s : services)
        joined += (joined.empty() ? "" : ", ") + s;
    return joined;
}

} // namespace

Frame findTraces(DataSource &source, const std::vector<Condition> &where, const TimeRange &range, int limit,
                 const CancelTokenPtr &cancel)
{
    Query q;
    q.signal = Signal::Spans;
    q.where = where;
    q.groupBy = {"trace_id"};
    q.agg = {Aggregate::Kind::Max, "time", 0}; // ordered by it: the newest matching span first
    q.limit = limit;
    const Frame ids = source.query(q, range, cancel);
    const int idColumn = ids.columnIndex("trace_id");
    if (idColumn < 0)
        throw Error(std::string("the source did not group spans by trace_id"));

    std::vector<TraceSummary> traces;
    std::vector<std::pair<std::string, std::string>> services; // trace id, its services
    for (std::size_t r = 0; r < ids.rowCount(); ++r) {
        if (cancel && cancel->isCancelled())
            throw Cancelled();
        const std::string id = cellToString(ids.cell(r, static_cast<std::size_t>(idColumn)));
        const std::vector<Span> spans = id.empty() ? std::vector<Span>{} : source.trace(id);
        if (spans.empty())
            continue;
        traces.push_back(summarizeTrace(spans));
        services.emplace_back(traces.back().traceId, joinedServices(spans));
    }
    Frame f = traceSummariesFrame(std::move(traces), limit);
    f.columns.push_back({"services", ColumnType::String, {}});
    const int traceColumn = f.columnIndex("trace_id");
    for (std::size_t r = 0; r < f.rowCount(); ++r) {
        const std::string id = cellToString(f.cell(r, static_cast<std::size_t>(traceColumn)));
        const auto it = std::find_if(services.begin(), services.end(), [&](const auto &p) { return p.first == id; });
        f.columns.back().cells.emplace_back(it != services.end() ? it->second : std::string());
    }
    f.truncated = f.truncated || ids.truncated;
    f.total = std::max<std::int64_t>(f.total, ids.total);
    return f;
}

} // namespace fd

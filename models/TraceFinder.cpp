#include "TraceFinder.h"
#include "Error.h"
#include "TraceFrames.h"
#include "TraceSummarySource.h"

#include <algorithm>
#include <unordered_map>

namespace fd {

namespace {

// One row per trace with a matching span: trace_id and the time of its newest matching span.
Frame matchingTraces(DataSource &source, const std::vector<Condition> &where, const TimeRange &range, int limit,
                     const CancelTokenPtr &cancel)
{
    Query q;
    q.signal = Signal::Spans;
    q.where = where;
    q.groupBy = {"trace_id"};
    q.agg = {Aggregate::Kind::Max, "time", 0}; // ordered by it: the newest matching span first
    q.limit = limit;
    return source.query(q, range, cancel);
}

std::vector<std::string> traceIds(const Frame &traces)
{
    const int idColumn = traces.columnIndex("trace_id");
    if (idColumn < 0)
        throw Error(std::string("the source did not group spans by trace_id"));
    std::vector<std::string> out;
    for (std::size_t r = 0; r < traces.rowCount(); ++r)
        if (std::string id = cellToString(traces.cell(r, static_cast<std::size_t>(idColumn))); !id.empty())
            out.push_back(std::move(id));
    return out;
}

// In the order of ids (the order the source found them), for the stable sort by start.
std::vector<TraceSummary> summaries(DataSource &source, const std::vector<std::string> &ids,
                                    const CancelTokenPtr &cancel)
{
    std::unordered_map<std::string, TraceSummary> known;
    if (auto *fast = dynamic_cast<TraceSummarySource *>(&source))
        if (std::optional<std::vector<TraceSummary>> many = fast->traceSummaries(ids, cancel))
            for (TraceSummary &t : *many)
                known.emplace(t.traceId, std::move(t));
    std::vector<TraceSummary> out;
    for (const std::string &id : ids) {
        throwIfCancelled(cancel);
        if (const auto it = known.find(id); it != known.end()) {
            out.push_back(std::move(it->second));
            continue;
        }
        if (const std::vector<Span> spans = source.trace(id, cancel); !spans.empty())
            out.push_back(summarizeTrace(spans));
    }
    return out;
}

} // namespace

Frame findTraces(DataSource &source, const std::vector<Condition> &where, const TimeRange &range, int limit,
                 const CancelTokenPtr &cancel)
{
    const Frame ids = matchingTraces(source, where, range, limit, cancel);
    Frame f = traceSummariesFrame(summaries(source, traceIds(ids), cancel), limit, true);
    f.truncated = f.truncated || ids.truncated;
    f.total = std::max<std::int64_t>(f.total, ids.total);
    return f;
}

std::vector<std::string> findSimilarTraces(DataSource &source, const std::string &service,
                                           const std::string &operation, const TimeRange &range, int limit,
                                           const std::string &except, const CancelTokenPtr &cancel)
{
    // A span of the operation can also sit deeper in other traces: ask for more, keep those it is the root of.
    const Frame f = findTraces(source, {{"service.name", Op::Eq, service}, {"name", Op::Eq, operation}}, range,
                               2 * limit + 1, cancel);
    const int id = f.columnIndex("trace_id"), rootService = f.columnIndex("root_service"),
              rootName = f.columnIndex("root_name");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < f.rowCount() && out.size() < static_cast<std::size_t>(limit); ++r) {
        const auto text = [&](int column) { return cellToString(f.cell(r, static_cast<std::size_t>(column))); };
        if (text(rootService) == service && text(rootName) == operation && text(id) != except)
            out.push_back(text(id));
    }
    return out;
}

} // namespace fd

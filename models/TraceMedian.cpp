#include "TraceMedian.h"
#include "Error.h"
#include "TraceFinder.h"

#include <algorithm>
#include <map>

namespace fd {

namespace {

// Partitions values around their lower median (the ((n - 1) / 2)-th smallest) and returns it.
template<typename T>
T lowerMedian(std::vector<T> &values)
{
    const auto middle = values.begin() + static_cast<long>((values.size() - 1) / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

DurationNs median(std::vector<DurationNs> &values)
{
    const DurationNs low = lowerMedian(values);
    if (values.size() % 2 == 1)
        return low;
    const DurationNs high = *std::min_element(values.begin() + static_cast<long>(values.size() / 2), values.end());
    return low + (high - low) / 2;
}

} // namespace

const PathMedian *MedianProfile::find(const std::vector<std::string> &path) const
{
    const auto it = std::lower_bound(paths.begin(), paths.end(), path,
                                     [](const PathMedian &p, const std::vector<std::string> &key) { return p.path < key; });
    return it != paths.end() && it->path == path ? &*it : nullptr;
}

MedianProfile medianProfile(const std::vector<PathTotals> &traces)
{
    std::map<std::vector<std::string>, std::vector<PathTotal>> seen; // per path, one entry per trace that has it
    for (const PathTotals &trace : traces)
        for (const auto &[path, total] : trace)
            seen[path].push_back(total);
    MedianProfile profile;
    profile.traces = static_cast<std::int64_t>(traces.size());
    for (const auto &[path, totals] : seen) {
        std::vector<std::int64_t> counts(traces.size(), 0); // the traces without the path count 0
        std::vector<DurationNs> durations;
        for (std::size_t i = 0; i < totals.size(); ++i) {
            counts[i] = totals[i].count;
            durations.push_back(totals[i].total);
        }
        profile.paths.push_back({path, static_cast<std::int64_t>(totals.size()), lowerMedian(counts), median(durations)});
    }
    return profile; // the map's order is tree order, so find() can search it
}

std::vector<PathDiff> compareWithMedian(const MedianProfile &profile, const TraceTree &trace)
{
    const PathTotals own = pathTotals(trace);
    std::vector<PathDiff> out;
    auto ownIt = own.begin();
    const auto addOwn = [&out](const std::vector<std::string> &path, const PathTotal &t) {
        PathDiff d;
        d.path = path;
        d.countB = t.count;
        d.totalB = t.total;
        out.push_back(std::move(d));
    };
    // Both lists are in tree order: merge them.
    for (const PathMedian &m : profile.paths) {
        for (; ownIt != own.end() && ownIt->first < m.path; ++ownIt)
            addOwn(ownIt->first, ownIt->second);
        const bool inTrace = ownIt != own.end() && ownIt->first == m.path;
        if (m.count == 0 && !inTrace)
            continue;
        PathDiff d;
        d.path = m.path;
        if (m.count > 0) {
            d.countA = m.count;
            d.totalA = m.total;
        }
        if (inTrace) {
            d.countB = ownIt->second.count;
            d.totalB = ownIt->second.total;
            ++ownIt;
        }
        out.push_back(std::move(d));
    }
    for (; ownIt != own.end(); ++ownIt)
        addOwn(ownIt->first, ownIt->second);
    return out;
}

MedianComparison compareWithSimilar(DataSource &source, const std::string &traceId, const TimeRange &range, int n,
                                    const CancelTokenPtr &cancel)
{
    std::vector<Span> spans = source.trace(traceId, cancel);
    if (spans.empty())
        throw Error("trace " + traceId + " was not found");
    const TraceTree tree = TraceTree::build(std::move(spans));
    const Span *root = tree.root();
    if (!root)
        throw Error("trace " + traceId + " has no root span");
    MedianComparison out;
    out.service = root->service;
    out.operation = root->name;
    out.similar = findSimilarTraces(source, out.service, out.operation, range, n, traceId, cancel);
    if (out.similar.empty())
        throw Error("no other trace of " + out.service + " \"" + out.operation + "\" in the time range");
    std::vector<PathTotals> totals;
    for (const std::string &id : out.similar) {
        throwIfCancelled(cancel);
        totals.push_back(pathTotals(TraceTree::build(source.trace(id, cancel))));
    }
    out.profile = medianProfile(totals);
    out.diff = compareWithMedian(out.profile, tree);
    return out;
}

} // namespace fd

#include "TraceStatistics.h"

#include <algorithm>
#include <map>

namespace fd {

namespace {

struct Child {
    int parentRow;
    TimeNs start;
    TimeNs end;
};

// Per row: how much of it its children cover, their intervals clipped to it and merged.
std::vector<DurationNs> coveredByChildren(const TraceTree &tree)
{
    std::vector<Child> children;
    children.reserve(tree.rows.size());
    for (const TraceTree::Row &r : tree.rows)
        if (r.parentRow >= 0)
            children.push_back({r.parentRow, r.start, r.end});
    std::sort(children.begin(), children.end(), [](const Child &a, const Child &b) {
        return a.parentRow != b.parentRow ? a.parentRow < b.parentRow : a.start < b.start;
    });
    std::vector<DurationNs> covered(tree.rows.size(), 0);
    for (std::size_t i = 0; i < children.size();) {
        const auto parent = static_cast<std::size_t>(children[i].parentRow);
        const TimeNs from = tree.rows[parent].start, to = tree.rows[parent].end;
        TimeNs runStart = 0, runEnd = 0;
        bool open = false;
        for (; i < children.size() && static_cast<std::size_t>(children[i].parentRow) == parent; ++i) {
            const TimeNs s = std::max(children[i].start, from), e = std::min(children[i].end, to);
            if (e <= s)
                continue;
            if (open && s <= runEnd) {
                runEnd = std::max(runEnd, e);
                continue;
            }
            if (open)
                covered[parent] += runEnd - runStart;
            runStart = s, runEnd = e, open = true;
        }
        if (open)
            covered[parent] += runEnd - runStart;
    }
    return covered;
}

} // namespace

std::vector<OperationStats> traceStatistics(const TraceTree &tree)
{
    const std::vector<DurationNs> covered = coveredByChildren(tree);
    std::map<std::pair<std::string, std::string>, OperationStats> byOperation;
    for (std::size_t r = 0; r < tree.rows.size(); ++r) {
        const TraceTree::Row &row = tree.rows[r];
        if (row.placeholder)
            continue;
        const Span &span = tree.spans[row.span];
        OperationStats &s = byOperation[{span.service, span.name}];
        const DurationNs duration = std::max<DurationNs>(0, row.end - row.start);
        ++s.count;
        s.errors += row.error ? 1 : 0;
        s.total += duration;
        s.self += std::max<DurationNs>(0, duration - covered[r]);
        s.max = std::max(s.max, duration);
    }
    std::vector<OperationStats> out;
    out.reserve(byOperation.size());
    for (auto &[key, stats] : byOperation) {
        stats.service = key.first;
        stats.name = key.second;
        out.push_back(std::move(stats));
    }
    std::stable_sort(out.begin(), out.end(), [](const OperationStats &a, const OperationStats &b) { return a.total > b.total; });
    return out;
}

} // namespace fd

#include "TraceStatistics.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

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
                covered[parent] = saturatedAdd(covered[parent], spanBetween(runStart, runEnd));
            runStart = s, runEnd = e, open = true;
        }
        if (open)
            covered[parent] = saturatedAdd(covered[parent], spanBetween(runStart, runEnd));
    }
    return covered;
}

} // namespace

std::vector<OperationStats> traceStatistics(const TraceTree &tree)
{
    const std::vector<DurationNs> covered = coveredByChildren(tree);
    // Keyed by service index and a view of the name, so that a million spans allocate nothing per span.
    struct Key {
        int service;
        std::string_view name;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key &k) const
        {
            return std::hash<std::string_view>()(k.name) ^ (static_cast<std::size_t>(k.service) * 0x9e3779b97f4a7c15ULL);
        }
    };
    std::unordered_map<Key, OperationStats, KeyHash> byOperation;
    for (std::size_t r = 0; r < tree.rows.size(); ++r) {
        const TraceTree::Row &row = tree.rows[r];
        if (row.placeholder)
            continue;
        const Span &span = tree.span(row.span);
        auto [it, inserted] = byOperation.try_emplace(Key{row.serviceIndex, span.name});
        OperationStats &s = it->second;
        if (inserted) {
            s.service = span.service;
            s.name = span.name;
        }
        const DurationNs duration = spanBetween(row.start, row.end);
        ++s.count;
        s.errors += row.error ? 1 : 0;
        s.total = saturatedAdd(s.total, duration);
        s.self = saturatedAdd(s.self, spanBetween(covered[r], duration));
        s.max = std::max(s.max, duration);
    }
    std::vector<OperationStats> out;
    out.reserve(byOperation.size());
    for (auto &entry : byOperation)
        out.push_back(std::move(entry.second));
    std::sort(out.begin(), out.end(), [](const OperationStats &a, const OperationStats &b) {
        if (a.total != b.total)
            return a.total > b.total;
        return a.service != b.service ? a.service < b.service : a.name < b.name;
    });
    return out;
}

} // namespace fd

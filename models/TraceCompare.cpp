#include "TraceCompare.h"

#include <algorithm>
#include <map>

namespace fd {

// Rows are in pre-order, so a row's parent path is known when the row is reached.
PathTotals pathTotals(const TraceTree &tree)
{
    PathTotals paths;
    std::vector<std::vector<std::string>> rowPaths(tree.rows.size());
    for (std::size_t r = 0; r < tree.rows.size(); ++r) {
        const TraceTree::Row &row = tree.rows[r];
        const Span &span = tree.span(row.span);
        std::vector<std::string> path = row.parentRow >= 0 ? rowPaths[static_cast<std::size_t>(row.parentRow)]
                                                           : std::vector<std::string>{};
        path.push_back(row.placeholder ? std::string("(missing parent)") : span.service + ":" + span.name);
        rowPaths[r] = path;
        if (row.placeholder)
            continue;
        PathTotal &t = paths[path];
        t.count += 1;
        t.total = saturatedAdd(t.total, spanBetween(row.start, row.end));
    }
    return paths;
}

double PathDiff::relativeDelta() const
{
    if (added() || missing() || totalA == 0)
        return 0;
    return static_cast<double>(delta()) / static_cast<double>(totalA);
}

std::string PathDiff::text() const
{
    std::string out;
    for (const std::string &p : path)
        out += (out.empty() ? "" : " / ") + p;
    return out;
}

std::vector<PathDiff> compareTraces(const TraceTree &a, const TraceTree &b)
{
    std::map<std::vector<std::string>, PathDiff> paths;
    for (const auto &[path, t] : pathTotals(a)) {
        paths[path].countA = t.count;
        paths[path].totalA = t.total;
    }
    for (const auto &[path, t] : pathTotals(b)) {
        paths[path].countB = t.count;
        paths[path].totalB = t.total;
    }
    std::vector<PathDiff> out;
    out.reserve(paths.size());
    for (auto &[path, diff] : paths) {
        diff.path = path;
        out.push_back(std::move(diff));
    }
    return out; // in tree order, as the maps are
}

} // namespace fd

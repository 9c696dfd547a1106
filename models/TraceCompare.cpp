#include "TraceCompare.h"

#include <algorithm>
#include <map>

namespace fd {

namespace {

using PathMap = std::map<std::vector<std::string>, PathDiff>;

// Rows are in pre-order, so a row's parent path is known when the row is reached.
void addTree(const TraceTree &tree, PathMap &paths, bool isA)
{
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
        PathDiff &d = paths[path];
        const DurationNs duration = std::max<DurationNs>(0, row.end - row.start);
        (isA ? d.countA : d.countB) += 1;
        (isA ? d.totalA : d.totalB) += duration;
    }
}

} // namespace

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
    PathMap paths;
    addTree(a, paths, true);
    addTree(b, paths, false);
    std::vector<PathDiff> out;
    out.reserve(paths.size());
    for (auto &[path, diff] : paths) {
        diff.path = path;
        out.push_back(std::move(diff));
    }
    return out; // the map's order is tree order: a prefix sorts before what extends it
}

} // namespace fd

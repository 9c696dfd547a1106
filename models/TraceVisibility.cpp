#include "TraceVisibility.h"

#include <algorithm>
#include <unordered_set>

namespace fd {

namespace {

// The filter compiled against one tree, so that testing a row is a few lookups.
class RowMatcher
{
public:
    RowMatcher(const TraceTree &tree, const TraceFilter &filter)
        : m_tree(tree)
        , m_filter(filter)
    {
        const double length = static_cast<double>(spanBetween(tree.start, tree.end));
        m_minDuration = filter.minDurationPercent / 100.0 * length;
        if (!filter.services.empty()) {
            const std::unordered_set<std::string> wanted(filter.services.begin(), filter.services.end());
            m_service.resize(tree.services.size());
            for (std::size_t i = 0; i < tree.services.size(); ++i)
                m_service[i] = wanted.count(tree.services[i]) ? 1 : 0;
        }
    }

    bool matches(std::size_t row) const
    {
        const TraceTree::Row &r = m_tree.rows[row];
        if (r.placeholder)
            return false; // not a span: kept only as the context of its children
        if (m_filter.errorsOnly && !m_tree.isError(row))
            return false;
        if (m_filter.criticalOnly && !m_tree.isCritical(row))
            return false;
        if (m_filter.minDurationPercent > 0 && !(static_cast<double>(spanBetween(r.start, r.end)) > m_minDuration))
            return false;
        return m_service.empty() || m_service[static_cast<std::size_t>(r.serviceIndex)];
    }

private:
    const TraceTree &m_tree;
    const TraceFilter &m_filter;
    double m_minDuration = 0;
    std::vector<char> m_service; // per tree service: wanted; empty when every service is
};

} // namespace

TraceVisibility TraceVisibility::compute(
    const TraceTree &tree, const std::vector<char> &collapsed, const TraceFilter &filter)
{
    TraceVisibility v;
    const std::size_t n = tree.rows.size();
    v.filtered = filter.isActive();
    std::vector<char> match(n, 1);
    if (v.filtered) {
        const RowMatcher matcher(tree, filter);
        for (std::size_t r = 0; r < n; ++r)
            match[r] = matcher.matches(r) ? 1 : 0;
    }
    v.kept = match;
    // Pre-order: every descendant comes after its ancestors, so one backward pass lifts "kept" to the root.
    for (std::size_t r = n; r-- > 0;) {
        const int parent = tree.rows[r].parentRow;
        if (v.kept[r] && parent >= 0)
            v.kept[static_cast<std::size_t>(parent)] = 1;
    }
    std::vector<int> keptBefore(n + 1, 0); // prefix sums, to count a collapsed subtree in O(1)
    for (std::size_t r = 0; r < n; ++r) {
        keptBefore[r + 1] = keptBefore[r] + v.kept[r];
        v.matching += match[r];
    }

    v.rows.reserve(static_cast<std::size_t>(keptBefore[n]));
    for (std::size_t r = 0; r < n;) {
        const std::size_t end = tree.rows[r].subtreeEnd;
        if (!v.kept[r]) {
            r = end; // nothing below a span that is not kept is kept either
            continue;
        }
        const int below = keptBefore[end] - keptBefore[r + 1];
        const bool isCollapsed = r < collapsed.size() && collapsed[r] && below > 0;
        v.rows.push_back(static_cast<int>(r));
        v.context.push_back(match[r] ? 0 : 1);
        v.descendants.push_back(below);
        v.hidden.push_back(isCollapsed ? below : 0);
        r = isCollapsed ? end : r + 1;
    }
    return v;
}

std::vector<char> TraceVisibility::collapsedBelow(const TraceTree &tree, int depth)
{
    std::vector<char> collapsed(tree.rows.size(), 0);
    for (std::size_t r = 0; r < tree.rows.size(); ++r)
        collapsed[r] = tree.rows[r].depth >= depth && tree.hasChildren(r) ? 1 : 0;
    return collapsed;
}

int TraceVisibility::lowerBound(int treeRow) const
{
    return static_cast<int>(std::lower_bound(rows.begin(), rows.end(), treeRow) - rows.begin());
}

int TraceVisibility::indexOf(int treeRow) const
{
    const int i = lowerBound(treeRow);
    return i < count() && rows[static_cast<std::size_t>(i)] == treeRow ? i : -1;
}

} // namespace fd

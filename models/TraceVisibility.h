#pragma once
#include "TraceFilter.h"
#include "TraceTree.h"

#include <vector>

namespace fd {

// The rows of a TraceTree that a waterfall shows, given its collapsed rows and its filter. A span that
// fails the filter is hidden unless a descendant passes it: then it stays, greyed, as context so the
// tree still reads. One linear pass over the rows, so it is recomputed on every change, never patched.
struct TraceVisibility {
    std::vector<int> rows; // the tree rows shown, ascending (display order)
    std::vector<int> hidden; // per shown row: the kept spans its collapse hides (0 when expanded)
    std::vector<int> descendants; // per shown row: its kept descendants (whether it can expand at all)
    std::vector<char> context; // per shown row: shown only as an ancestor of a matching span
    std::vector<char> kept; // per tree row: matches the filter or is an ancestor of a span that does
    int matching = 0; // tree rows that match the filter themselves
    bool filtered = false; // the filter was active

    // collapsed holds one flag per tree row (it may be empty: nothing collapsed).
    static TraceVisibility compute(
        const TraceTree &tree, const std::vector<char> &collapsed, const TraceFilter &filter);
    // The flags that leave rows down to depth shown: every row at that depth or deeper with children is collapsed.
    static std::vector<char> collapsedBelow(const TraceTree &tree, int depth);

    int count() const { return static_cast<int>(rows.size()); }
    int indexOf(int treeRow) const; // -1 when not shown
    // The shown row at or after treeRow (count() when there is none).
    int lowerBound(int treeRow) const;
};

} // namespace fd

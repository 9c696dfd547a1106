#pragma once
#include "models/Cancel.h"
#include "models/TraceFilter.h"
#include "models/TraceTree.h"
#include "models/TraceVisibility.h"
#include "ServiceColors.h"

#include <QAbstractScrollArea>
#include <memory>
#include <vector>

namespace fd {

class TraceMinimap;

// The spans of one trace, one row each in TraceTree display order: an indented "service • name"
// column with disclosure triangles and bars on a shared time axis, with a minimap of the whole trace
// on the right. Subtrees collapse, a filter hides the spans it does not keep (their ancestors stay,
// greyed), a search highlights spans and steps through them, and dragging on the time axis zooms.
// Only the visible rows are painted and the shown rows are recomputed in one linear pass, so a
// 100k-span trace scrolls, collapses and filters as fast as a small one.
//
// "Row" below is an index among the rows shown (0 = the top one); "tree row" an index into tree()->rows.
class TraceWaterfall : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TraceWaterfall(QWidget *parent = nullptr);

    // Resets collapsing, zoom and selection; the filter and the search text carry over.
    void setTree(std::shared_ptr<const TraceTree> tree);
    std::shared_ptr<const TraceTree> tree() const { return m_tree; }
    // The colours of the tree's services, which the legend, minimap and statistics share.
    const ServiceColors &serviceColors() const { return m_colors; }
    // Shown instead of the rows when there is no tree (or an empty one).
    void setPlaceholderText(const QString &text);
    const QString &placeholderText() const { return m_placeholder; }

    // Index into tree()->spans; -1 when nothing is selected.
    int selectedSpan() const;
    // Selects the span, expands what hides it, scrolls it into view and emits spanSelected.
    void setSelectedSpan(int spanIndex);

    const TraceVisibility &visibility() const { return *m_visibility; }
    int visibleRowCount() const { return m_visibility->count(); }
    int treeRowAt(int row) const; // -1 when out of range
    int rowOfSpan(int spanIndex) const; // -1 when not shown

    bool isCollapsed(int treeRow) const;
    void setCollapsed(int treeRow, bool collapsed);
    // Shows rows down to depth; everything deeper is collapsed into its ancestor at that depth.
    void collapseBelowDepth(int depth);
    void expandAll();

    const TraceFilter &filter() const { return m_filter; }
    void setFilter(const TraceFilter &filter);

    QString searchText() const { return m_searchText; }
    // Searches at once in a small trace; a big one is searched on a worker thread, and a step asked
    // for meanwhile is taken when the matches arrive.
    void setSearchText(const QString &text);
    bool isSearching() const { return m_searchCancel != nullptr; }
    int searchMatchCount() const { return static_cast<int>(m_matches.size()); }
    int currentSearchMatch() const { return m_currentMatch; } // 0-based; -1 before the first step
    const std::vector<int> &searchMatches() const { return m_matches; } // tree rows, display order
    void nextSearchMatch();
    void previousSearchMatch();

    TimeNs windowStart() const { return m_windowStart; }
    TimeNs windowEnd() const { return m_windowEnd; }
    bool isZoomed() const;
    // Lays the bars out over [from, to) (clamped to the trace); the whole trace resets the zoom.
    void setTimeWindow(TimeNs from, TimeNs to);
    void resetZoom();
    // Where time t falls, in viewport coordinates.
    double xOfTime(TimeNs t) const;
    // The time axis above the bars, in viewport coordinates: drag on it to zoom.
    QRect timeAxisRect() const;

    TraceMinimap *minimap() const { return m_minimap; }
    int rowHeight() const;
    int headerHeight() const;
    // The row's rectangle in viewport coordinates (it may lie outside the visible area).
    QRect rowRect(int row) const;
    // The row's disclosure triangle, in viewport coordinates (empty when the row cannot expand).
    QRect disclosureRect(int row) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void spanSelected(int spanIndex);
    // A right-click on a row: it is selected first.
    void spanContextMenuRequested(int spanIndex, const QPoint &globalPos);
    void treeChanged();
    // The rows shown changed: a collapse, an expansion or a filter.
    void visibilityChanged();
    void searchChanged(int currentMatch, int matchCount);
    void timeWindowChanged(TimeNs from, TimeNs to);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    struct Axis {
        double left = 0;   // x of the window's start
        double width = 1;  // pixels for the window
        double start = 0;  // ns
        double length = 1; // ns
        double x(TimeNs t) const { return left + (static_cast<double>(t) - start) * width / length; }
    };
    struct RowState {
        int treeRow = -1;
        bool selected = false;
        bool context = false; // kept only as an ancestor of a span that passes the filter
        bool match = false;
        bool currentMatch = false;
    };

    Axis axis() const;
    RowState rowState(int row) const;
    int rowAt(int y) const;
    int nameWidth() const;
    int nameIndent(int depth, int columnWidth) const;
    bool onDivider(int x) const;
    bool canExpand(int row) const;
    int firstShownRow() const;

    void recomputeVisibility();
    void keepAnchorRow(int anchorTreeRow, int offset);
    void startSearch();
    void applySearchResult(std::vector<int> rows);
    void rebuildMatches();
    void revealTreeRow(int treeRow);
    void selectTreeRow(int treeRow);
    void stepRows(int delta);
    void collapseOrGoUp();
    void expandOrGoDown();
    void goToMatch(int match);
    void ensureRowVisible(int row);
    void updateScrollBar();
    void syncMinimap();
    void layoutMinimap();
    void finishZoomDrag();

    void paintPlaceholder(QPainter &p, const QString &text);
    void paintHeader(QPainter &p, const Axis &a);
    void paintTicks(QPainter &p, const Axis &a, int top, int bottom, bool labels);
    void paintZoomBand(QPainter &p);
    void paintRow(QPainter &p, const Axis &a, int row);
    void paintRowBackground(QPainter &p, const QRect &rect, const RowState &state, int row);
    void paintDisclosure(QPainter &p, const QRect &box, bool collapsed);
    void paintName(QPainter &p, const RowState &state, int row, const QRect &rect);
    void paintPlaceholderName(QPainter &p, const TraceTree::Row &r, bool selected, const QRect &rect);
    void paintBar(QPainter &p, const Axis &a, const RowState &state, const QRect &rect);
    QString rowToolTip(int row) const;

    std::shared_ptr<const TraceTree> m_tree;
    ServiceColors m_colors;
    std::shared_ptr<const TraceVisibility> m_visibility;
    std::vector<int> m_rowOfSpan;   // span -> tree row
    std::vector<char> m_collapsed;  // per tree row
    TraceFilter m_filter;
    QString m_searchText;
    std::vector<int> m_allMatches;  // tree rows matching the search
    std::vector<int> m_matches;     // those the filter keeps, which n/N step through
    int m_currentMatch = -1;
    int m_searchGeneration = 0;     // a result for an older search is dropped
    CancelTokenPtr m_searchCancel;  // of the search running on a worker thread
    int m_pendingStep = 0;          // +1/-1: n/N pressed while it ran
    int m_selectedTreeRow = -1;
    TimeNs m_windowStart = 0;
    TimeNs m_windowEnd = 0;
    TraceMinimap *m_minimap = nullptr;
    double m_nameFraction = 0.35;
    bool m_draggingDivider = false;
    int m_zoomFrom = -1; // x where a drag on the time axis began; -1 when not dragging
    int m_zoomTo = -1;
    QString m_placeholder;
};

} // namespace fd

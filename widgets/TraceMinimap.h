#pragma once
#include "models/TraceTree.h"
#include "models/TraceVisibility.h"
#include "ServiceColors.h"

#include <QImage>
#include <QWidget>
#include <memory>
#include <vector>

namespace fd {

// A thin overview of every shown row of a trace beside its waterfall (a few rows per pixel line, bars
// in service colours over the whole trace's time) with a rectangle for what the waterfall shows.
// Dragging the rectangle, or pressing elsewhere, asks to scroll there; when the waterfall is zoomed,
// dragging sideways asks to pan its time window. The overview is drawn once per content change.
class TraceMinimap : public QWidget
{
    Q_OBJECT
public:
    explicit TraceMinimap(QWidget *parent = nullptr);

    void setContent(std::shared_ptr<const TraceTree> tree, std::shared_ptr<const TraceVisibility> visibility);
    // What the waterfall shows: its first row (fractional while scrolled mid-row), how many rows fit,
    // and its time window.
    void setView(double firstRow, double rowsShown, TimeNs windowStart, TimeNs windowEnd);
    // The shown rows that match the search, marked at the strip's edge.
    void setMatches(std::vector<int> rows);
    // The view's rectangle in widget coordinates.
    QRect viewRect() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void scrollRequested(double firstRow);
    void panRequested(TimeNs windowStart);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QRect contentRect() const;
    double pixelsPerRow() const;
    double xOf(TimeNs t) const;
    TimeNs timeAt(double x) const;
    bool zoomed() const;
    void renderOverview();
    void dragTo(const QPoint &pos);

    std::shared_ptr<const TraceTree> m_tree;
    ServiceColors m_colors; // as the waterfall's: the same services, the same colours
    std::shared_ptr<const TraceVisibility> m_visibility;
    QImage m_overview;
    std::vector<int> m_matches;
    bool m_stale = true;
    double m_firstRow = 0;
    double m_rowsShown = 0;
    TimeNs m_windowStart = 0;
    TimeNs m_windowEnd = 0;
    bool m_dragging = false;
    QPointF m_grab; // where in the view rectangle the drag took hold
};

} // namespace fd

#pragma once
#include "models/TraceTree.h"

#include <QAbstractScrollArea>
#include <memory>
#include <vector>

namespace fd {

// The spans of one trace, one row each in TraceTree display order: an indented "service • name"
// column and bars on a shared time axis. Only the visible rows are painted, so a 100k-span trace
// scrolls as fast as a small one.
class TraceWaterfall : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TraceWaterfall(QWidget *parent = nullptr);

    void setTree(std::shared_ptr<const TraceTree> tree);
    std::shared_ptr<const TraceTree> tree() const { return m_tree; }
    // Shown instead of the rows when there is no tree (or an empty one).
    void setPlaceholderText(const QString &text);

    // Index into tree()->spans; -1 when nothing is selected.
    int selectedSpan() const;
    // Selects the span, scrolls it into view and emits spanSelected.
    void setSelectedSpan(int spanIndex);

    int rowHeight() const;
    int headerHeight() const;
    // The row's rectangle in viewport coordinates (it may lie outside the visible area).
    QRect rowRect(int row) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void spanSelected(int spanIndex);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Axis {
        double left = 0;   // x of the trace start
        double width = 1;  // pixels for the whole trace
        double start = 0;  // ns
        double length = 1; // ns
        double x(TimeNs t) const { return left + (static_cast<double>(t) - start) * width / length; }
    };

    Axis axis() const;
    int rowAt(int y) const;
    int nameWidth() const;
    bool onDivider(int x) const;
    void selectRow(int row);
    void ensureRowVisible(int row);
    void updateScrollBar();

    void paintPlaceholder(QPainter &p);
    void paintHeader(QPainter &p, const Axis &a);
    void paintGrid(QPainter &p, const Axis &a, int top);
    void paintRow(QPainter &p, const Axis &a, int row);
    void paintName(QPainter &p, const TraceTree::Row &row, const QRect &rect, bool selected);
    void paintBar(QPainter &p, const Axis &a, const Span &span, const QRect &rect, bool selected, bool critical);

    std::shared_ptr<const TraceTree> m_tree;
    std::vector<int> m_rowOfSpan;
    int m_selectedRow = -1;
    double m_nameFraction = 0.35;
    bool m_draggingDivider = false;
    QString m_placeholder;
};

} // namespace fd

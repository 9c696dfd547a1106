#include "TraceMinimap.h"
#include "StatusColors.h"
#include "ServiceColors.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr int kMinimapMargin = 3;
constexpr double kMaxRowPixels = 3.0; // a short trace stays a compact map instead of stretching
const QColor kMinimapMatchColor(0xff, 0xa0, 0x00);

// The rows that land on one pixel line: their union on the time axis and one colour.
struct Line {
    double x0 = 0;
    double x1 = 0;
    QColor color;
    int rank = -1; // error 2, matching 1, context 0: the strongest row gives the line its colour
};

} // namespace

TraceMinimap::TraceMinimap(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(tr("The whole trace. Drag the rectangle to scroll (and, when zoomed, to pan)."));
}

void TraceMinimap::setContent(std::shared_ptr<const TraceTree> tree, std::shared_ptr<const TraceVisibility> visibility)
{
    m_tree = std::move(tree);
    m_colors = m_tree ? ServiceColors(m_tree->services) : ServiceColors();
    m_visibility = std::move(visibility);
    m_stale = true;
    update();
}

void TraceMinimap::setView(double firstRow, double rowsShown, TimeNs windowStart, TimeNs windowEnd)
{
    m_firstRow = firstRow;
    m_rowsShown = rowsShown;
    m_windowStart = windowStart;
    m_windowEnd = windowEnd;
    update();
}

void TraceMinimap::setMatches(std::vector<int> rows)
{
    m_matches = std::move(rows);
    update();
}

QSize TraceMinimap::sizeHint() const
{
    return { 64, 200 };
}

QRect TraceMinimap::contentRect() const
{
    return rect().adjusted(kMinimapMargin, kMinimapMargin, -kMinimapMargin, -kMinimapMargin);
}

double TraceMinimap::pixelsPerRow() const
{
    const int rows = m_visibility ? m_visibility->count() : 0;
    return rows > 0 ? std::min(kMaxRowPixels, static_cast<double>(contentRect().height()) / rows) : kMaxRowPixels;
}

double TraceMinimap::xOf(TimeNs t) const
{
    const QRect c = contentRect();
    const double length = m_tree ? std::max(1.0, static_cast<double>(spanBetween(m_tree->start, m_tree->end))) : 1.0;
    const double start = m_tree ? static_cast<double>(m_tree->start) : 0.0;
    return c.left() + (static_cast<double>(t) - start) * c.width() / length;
}

TimeNs TraceMinimap::timeAt(double x) const
{
    if (!m_tree)
        return 0;
    const QRect c = contentRect();
    const double length = static_cast<double>(spanBetween(m_tree->start, m_tree->end));
    return saturatedAdd(m_tree->start, static_cast<TimeNs>(std::llround((x - c.left()) * length / std::max(1, c.width()))));
}

bool TraceMinimap::zoomed() const
{
    return m_tree && (m_windowStart > m_tree->start || m_windowEnd < m_tree->end);
}

QRect TraceMinimap::viewRect() const
{
    const QRect c = contentRect();
    const double scale = pixelsPerRow();
    const double top = c.top() + m_firstRow * scale;
    const int rows = m_visibility ? m_visibility->count() : 0;
    const double height = std::max(4.0, std::min(m_rowsShown, rows - m_firstRow) * scale); // no taller than the rows
    const double x0 = std::clamp(xOf(m_windowStart), static_cast<double>(c.left()), static_cast<double>(c.right()));
    const double x1 = std::clamp(xOf(m_windowEnd), x0 + 3, static_cast<double>(c.right() + 1));
    return QRectF(x0, top, x1 - x0, height).toAlignedRect().intersected(rect().adjusted(0, 0, -1, -1));
}

void TraceMinimap::renderOverview()
{
    m_stale = false;
    m_overview = QImage(size(), QImage::Format_ARGB32_Premultiplied);
    m_overview.fill(Qt::transparent);
    if (!m_tree || !m_visibility || m_visibility->rows.empty())
        return;
    const QRect c = contentRect();
    const double scale = pixelsPerRow();
    std::vector<Line> lines(static_cast<std::size_t>(std::max(1, c.height())));
    const auto &vis = *m_visibility;
    for (std::size_t i = 0; i < vis.rows.size(); ++i) {
        const auto line = static_cast<std::size_t>(std::min<double>(i * scale, lines.size() - 1));
        const TraceTree::Row &row = m_tree->rows[static_cast<std::size_t>(vis.rows[i])];
        const int rank = row.error ? 2 : vis.context[i] || row.placeholder ? 0 : 1;
        Line &l = lines[line];
        const double x0 = xOf(row.start);
        const double x1 = xOf(row.end);
        if (l.rank < 0) {
            l.x0 = x0;
            l.x1 = x1;
        } else {
            l.x0 = std::min(l.x0, x0);
            l.x1 = std::max(l.x1, x1);
        }
        if (rank > l.rank) {
            l.rank = rank;
            l.color = rank == 2            ? kErrorColor
                      : row.serviceIndex < 0 ? palette().color(QPalette::Mid) // a missing parent
                                             : m_colors.color(m_tree->services[static_cast<std::size_t>(row.serviceIndex)]);
            if (rank == 0)
                l.color.setAlpha(90);
        }
    }
    QPainter p(&m_overview);
    const int lineHeight = std::max(1, static_cast<int>(std::floor(scale)) - (scale >= 3 ? 1 : 0));
    for (std::size_t y = 0; y < lines.size(); ++y) {
        const Line &l = lines[y];
        if (l.rank >= 0)
            p.fillRect(QRectF(l.x0, c.top() + static_cast<double>(y), std::max(1.0, l.x1 - l.x0), lineHeight), l.color);
    }
}

void TraceMinimap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_stale)
        renderOverview();
    p.drawImage(0, 0, m_overview);
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(0, 0, 0, height());
    if (!m_visibility || m_visibility->rows.empty())
        return;
    const QRect c = contentRect();
    int lastY = -1;
    for (int row : m_matches) { // one tick per pixel line, however many matches share it
        const int y = c.top() + static_cast<int>(row * pixelsPerRow());
        if (y != lastY)
            p.fillRect(QRect(width() - 6, y, 5, 2), kMinimapMatchColor);
        lastY = y;
    }
    QColor shade = palette().color(QPalette::Highlight);
    shade.setAlpha(45);
    const QRect view = viewRect();
    p.fillRect(view, shade);
    p.setPen(QPen(palette().color(QPalette::Highlight), 1));
    p.drawRect(view.adjusted(0, 0, -1, -1));
}

void TraceMinimap::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_stale = true;
}

void TraceMinimap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_visibility || m_visibility->rows.empty())
        return QWidget::mousePressEvent(event);
    const QPointF pos = event->position();
    const QRect view = viewRect();
    // Pressing beside the rectangle centres it there first, then drags it like a grab inside.
    m_grab = view.contains(pos.toPoint()) ? pos - QPointF(view.topLeft())
                                          : QPointF(view.width() / 2.0, view.height() / 2.0);
    m_dragging = true;
    setCursor(Qt::ClosedHandCursor);
    dragTo(pos.toPoint());
}

void TraceMinimap::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging)
        dragTo(event->position().toPoint());
}

void TraceMinimap::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = false;
    unsetCursor();
    QWidget::mouseReleaseEvent(event);
}

void TraceMinimap::dragTo(const QPoint &pos)
{
    const double top = pos.y() - m_grab.y();
    Q_EMIT scrollRequested((top - contentRect().top()) / pixelsPerRow());
    if (zoomed())
        Q_EMIT panRequested(timeAt(pos.x() - m_grab.x()));
}

} // namespace fd

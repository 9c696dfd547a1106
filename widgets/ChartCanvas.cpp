#include "ChartCanvas.h"
#include <QApplication>
#include "ChartView.h"
#include <QDateTime>
#include <QMouseEvent>
#include <QToolTip>
#include <cmath>

namespace fd {
namespace {

constexpr int kMarkerHitPixels = 4;

QString markerToolTip(const Marker &m)
{
    QStringList lines;
    QString head = QString::fromStdString(m.kind);
    if (!m.service.empty())
        head += QStringLiteral(" · ") + QString::fromStdString(m.service);
    lines << head;
    if (!m.title.empty())
        lines << QString::fromStdString(m.title);
    if (!m.version.empty())
        lines << QStringLiteral("version ") + QString::fromStdString(m.version);
    if (!m.commit.empty())
        lines << QStringLiteral("commit ") + QString::fromStdString(m.commit).left(12);
    lines << QDateTime::fromMSecsSinceEpoch(m.time / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ChartCanvas::ChartCanvas(QChart *chart, QWidget *parent) : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setFrameShape(QFrame::NoFrame);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
}

void ChartCanvas::setXRange(double minMs, double maxMs)
{
    m_xMin = minMs;
    m_xMax = maxMs;
}

void ChartCanvas::setCrosshair(std::optional<CrosshairLabel> crosshair)
{
    m_crosshair = std::move(crosshair);
    refreshOverlay();
}

void ChartCanvas::setRubberBand(std::optional<std::pair<double, double>> band)
{
    m_rubberBand = band;
    refreshOverlay();
}

void ChartCanvas::refreshOverlay()
{
    scene()->update();
}

QRectF ChartCanvas::plotRect() const
{
    return chart()->mapRectToScene(chart()->plotArea());
}

QRectF ChartCanvas::plotRectInViewport() const
{
    // QChartView neither scales nor scrolls its scene: the two differ by a whole-pixel offset at most.
    return plotRect().translated(QPointF(mapFromScene(QPointF(0, 0))));
}

double ChartCanvas::msAtViewportX(qreal x) const
{
    const QRectF plot = plotRectInViewport();
    if (plot.width() <= 0)
        return m_xMin;
    return m_xMin + (x - plot.left()) / plot.width() * (m_xMax - m_xMin);
}

qreal ChartCanvas::sceneX(double ms) const
{
    const QRectF plot = plotRect();
    if (!(m_xMax > m_xMin))
        return plot.left();
    return plot.left() + (ms - m_xMin) / (m_xMax - m_xMin) * plot.width();
}

QString ChartCanvas::toolTipAt(const QPoint &viewportPos) const
{
    const Marker *m = markerNear(mapToScene(viewportPos));
    return m ? markerToolTip(*m) : QString();
}

void ChartCanvas::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = plotRect();
    if (plot.width() <= 1)
        return;
    painter->save();
    painter->setClipRect(plot);
    if (!m_showPlaceholder) // no series, no anomaly of them to shade (a blank form had shown a red block)
        drawAnomalies(painter, plot);
    drawMarkers(painter, plot);
    if (m_showPlaceholder)
        drawPlaceholder(painter, plot);
    drawRubberBand(painter, plot);
    drawCrosshair(painter, plot);
    painter->restore();
}

void ChartCanvas::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QString tip = toolTipAt(event->position().toPoint());
    if (!tip.isEmpty()) {
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
        m_tipShown = true;
    } else if (m_tipShown) {
        QToolTip::hideText();
        m_tipShown = false;
    }
}

void ChartCanvas::drawAnomalies(QPainter *painter, const QRectF &plot) const
{
    const QColor fill(224, 49, 49, 40);
    for (const auto &[from, to] : m_anomalies) {
        const qreal left = sceneX(from);
        const qreal right = std::max(sceneX(to), left + 2);
        painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), fill);
    }
}

void ChartCanvas::drawMarkers(QPainter *painter, const QRectF &plot) const
{
    const qreal arrow = m_compact ? 3 : 5;
    for (const Marker &m : m_markers) {
        const qreal x = sceneX(toMs(m.time));
        if (x < plot.left() - 1 || x > plot.right() + 1)
            continue;
        const QColor color = ChartView::markerColor(m.kind);
        painter->setPen(QPen(color, m_compact ? 1.2 : 1.5));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const QPointF tip[3] = {{x - arrow, plot.top()}, {x + arrow, plot.top()}, {x, plot.top() + arrow * 1.4}};
        painter->setBrush(color);
        painter->drawPolygon(tip, 3);
    }
}

void ChartCanvas::drawPlaceholder(QPainter *painter, const QRectF &plot) const
{
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(plot, Qt::AlignCenter, m_placeholder);
}

void ChartCanvas::drawRubberBand(QPainter *painter, const QRectF &plot) const
{
    if (!m_rubberBand)
        return;
    const qreal a = sceneX(m_rubberBand->first), b = sceneX(m_rubberBand->second);
    const QRectF band(std::min(a, b), plot.top(), std::abs(b - a), plot.height());
    const QColor accent = palette().color(QPalette::Highlight);
    QColor fill = accent;
    fill.setAlpha(45);
    painter->fillRect(band, fill);
    painter->setPen(QPen(accent, 1));
    painter->drawLine(band.topLeft(), band.bottomLeft());
    painter->drawLine(band.topRight(), band.bottomRight());
}

void ChartCanvas::drawCrosshair(QPainter *painter, const QRectF &plot) const
{
    if (!m_crosshair)
        return;
    const qreal x = sceneX(m_crosshair->ms);
    if (x < plot.left() || x > plot.right())
        return;
    const QColor ink = palette().color(QPalette::WindowText);
    QColor lineColor = ink;
    lineColor.setAlpha(150);
    painter->setPen(QPen(lineColor, 1, Qt::DashLine));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    if (m_crosshair->lines.empty() && m_crosshair->title.isEmpty())
        return;

    QFont font = painter->font();
    if (m_compact)
        font.setPointSizeF(std::max(6.5, font.pointSizeF() - 2));
    painter->setFont(font);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF fm(font);
    const qreal swatch = m_compact ? 6 : 9, pad = m_compact ? 3 : 6, lineHeight = fm.height();
    qreal textWidth = m_crosshair->title.isEmpty() ? 0 : QFontMetricsF(bold).horizontalAdvance(m_crosshair->title) + 2;
    for (const CrosshairLabel::Line &l : m_crosshair->lines)
        textWidth = std::max(textWidth, fm.horizontalAdvance(l.text) + swatch + pad);
    const int rows = static_cast<int>(m_crosshair->lines.size()) + (m_crosshair->title.isEmpty() ? 0 : 1);
    QRectF box(0, plot.top() + (m_compact ? 2 : 8), textWidth + 2 * pad, rows * lineHeight + 2 * pad);
    box.moveLeft(x + 8);
    if (box.right() > plot.right())
        box.moveRight(x - 8); // flip to the left near the right edge
    if (box.left() < plot.left())
        box.moveLeft(plot.left());

    painter->setPen(QPen(palette().color(QPalette::Mid), 1));
    painter->setBrush(readoutBackground());
    painter->drawRoundedRect(box, 3, 3);
    qreal y = box.top() + pad;
    painter->setPen(ink);
    if (!m_crosshair->title.isEmpty()) {
        painter->setFont(bold);
        painter->drawText(QRectF(box.left() + pad, y, textWidth, lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                          m_crosshair->title);
        painter->setFont(font);
        y += lineHeight;
    }
    for (const CrosshairLabel::Line &l : m_crosshair->lines) {
        if (l.color.isValid()) {
            painter->setPen(Qt::NoPen);
            painter->setBrush(l.color);
            painter->drawRect(QRectF(box.left() + pad, y + (lineHeight - swatch) / 2, swatch, swatch));
        }
        painter->setPen(ink);
        painter->drawText(QRectF(box.left() + pad + swatch + pad, y, textWidth, lineHeight),
                          Qt::AlignLeft | Qt::AlignVCenter, l.text);
        y += lineHeight;
    }
}

QColor ChartCanvas::readoutBackground() const
{
    QColor background = QApplication::palette(this).color(QPalette::Base);
    background.setAlpha(225);
    return background;
}

const Marker *ChartCanvas::markerNear(const QPointF &scenePos) const
{
    const QRectF plot = plotRect().adjusted(-kMarkerHitPixels, -kMarkerHitPixels, kMarkerHitPixels, kMarkerHitPixels);
    if (!plot.contains(scenePos))
        return nullptr;
    const Marker *best = nullptr;
    qreal bestDistance = kMarkerHitPixels + 0.5;
    for (const Marker &m : m_markers) {
        const qreal distance = std::abs(sceneX(toMs(m.time)) - scenePos.x());
        if (distance <= bestDistance) {
            best = &m;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace fd

#include "ChartInteraction.h"
#include "ChartCanvas.h"
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace fd {
namespace {

constexpr qreal kMinSelectPixels = 5;
constexpr double kWheelZoomPerNotch = 0.8; // one notch in shows 80 % of the window

} // namespace

ChartInteraction::ChartInteraction(ChartCanvas *canvas)
    : QObject(canvas)
    , m_canvas(canvas)
    , m_viewport(canvas->viewport())
{
    canvas->viewport()->installEventFilter(this);
    canvas->viewport()->setCursor(Qt::CrossCursor);
}

void ChartInteraction::setZoomEnabled(bool enabled)
{
    m_zoomEnabled = enabled;
    m_canvas->viewport()->setCursor(enabled ? Qt::CrossCursor : Qt::ArrowCursor);
    if (!enabled && m_drag != Drag::None) {
        m_drag = Drag::None;
        m_canvas->setRubberBand(std::nullopt);
    }
}

bool ChartInteraction::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_viewport)
        return false;
    switch (event->type()) {
    case QEvent::MouseButtonPress:
        return press(static_cast<QMouseEvent *>(event));
    case QEvent::MouseMove:
        move(static_cast<QMouseEvent *>(event));
        return false; // the canvas still shows marker tooltips
    case QEvent::MouseButtonRelease:
        return release(static_cast<QMouseEvent *>(event));
    case QEvent::MouseButtonDblClick:
        if (!m_zoomEnabled)
            return false;
        Q_EMIT resetRequested();
        return true;
    case QEvent::Wheel:
        return wheel(static_cast<QWheelEvent *>(event));
    case QEvent::Leave:
        if (m_drag == Drag::None && m_inside) {
            m_inside = false;
            Q_EMIT left();
        }
        return false;
    default:
        return false;
    }
}

bool ChartInteraction::press(QMouseEvent *event)
{
    if (!m_zoomEnabled || !m_canvas->plotRectInViewport().contains(event->position()))
        return false;
    const bool pan = event->button() == Qt::MiddleButton
                     || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (!pan && event->button() != Qt::LeftButton)
        return false;
    m_drag = pan ? Drag::Pan : Drag::Select;
    m_pressX = event->position().x();
    m_pressFrom = m_canvas->xMinMs();
    m_pressTo = m_canvas->xMaxMs();
    if (pan)
        m_canvas->viewport()->setCursor(Qt::ClosedHandCursor);
    return true;
}

void ChartInteraction::move(QMouseEvent *event)
{
    hover(event->position());
    if (m_drag == Drag::Select) {
        m_canvas->setRubberBand(std::make_pair(clampedMs(m_pressX), clampedMs(event->position().x())));
    } else if (m_drag == Drag::Pan) {
        const qreal width = m_canvas->plotRectInViewport().width();
        if (width <= 0)
            return;
        const double shift = -(event->position().x() - m_pressX) / width * (m_pressTo - m_pressFrom);
        Q_EMIT windowRequested(m_pressFrom + shift, m_pressTo + shift, false);
    }
}

bool ChartInteraction::release(QMouseEvent *event)
{
    if (m_drag == Drag::None)
        return false;
    const Drag drag = m_drag;
    m_drag = Drag::None;
    m_canvas->viewport()->setCursor(Qt::CrossCursor);
    const qreal x = event->position().x();
    if (drag == Drag::Select) {
        m_canvas->setRubberBand(std::nullopt);
        if (std::abs(x - m_pressX) >= kMinSelectPixels) {
            const double a = clampedMs(m_pressX), b = clampedMs(x);
            Q_EMIT windowRequested(std::min(a, b), std::max(a, b), true);
        }
    } else {
        const qreal width = m_canvas->plotRectInViewport().width();
        const double shift = width > 0 ? -(x - m_pressX) / width * (m_pressTo - m_pressFrom) : 0;
        Q_EMIT windowRequested(m_pressFrom + shift, m_pressTo + shift, true);
    }
    return true;
}

bool ChartInteraction::wheel(QWheelEvent *event)
{
    if (!m_zoomEnabled || !m_canvas->plotRectInViewport().contains(event->position()))
        return false;
    const QPoint delta = event->angleDelta();
    const double notches = (delta.y() != 0 ? delta.y() : delta.x()) / 120.0;
    if (notches == 0)
        return true;
    const double factor = std::pow(kWheelZoomPerNotch, notches);
    const double at = m_canvas->msAtViewportX(event->position().x());
    const double from = m_canvas->xMinMs(), to = m_canvas->xMaxMs();
    Q_EMIT windowRequested(at - (at - from) * factor, at + (to - at) * factor, false);
    return true;
}

void ChartInteraction::hover(const QPointF &pos)
{
    if (m_canvas->plotRectInViewport().contains(pos)) {
        m_inside = true;
        Q_EMIT hovered(m_canvas->msAtViewportX(pos.x()));
    } else if (m_inside && m_drag == Drag::None) {
        m_inside = false;
        Q_EMIT left();
    }
}

double ChartInteraction::clampedMs(qreal x) const
{
    const QRectF plot = m_canvas->plotRectInViewport();
    return m_canvas->msAtViewportX(std::clamp(x, plot.left(), plot.right()));
}

} // namespace fd

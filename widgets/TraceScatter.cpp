#include "TraceScatter.h"

#include "StatusColors.h"
#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr double kRadius = 3.5;
constexpr double kHitRadius = 7;
constexpr double kMinMs = 1e-3; // a zero duration still needs a place on a log axis
const QColor kOkColor(0x19, 0x76, 0xd2);

QString decadeLabel(double logMs)
{
    const double ms = std::pow(10.0, logMs);
    if (ms >= 1000)
        return QStringLiteral("%1 s").arg(ms / 1000);
    if (ms >= 1)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 µs").arg(ms * 1000);
}

QString durationLabel(double ms)
{
    return ms >= 1000 ? QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2) : QStringLiteral("%1 ms").arg(ms, 0, 'f', 2);
}

} // namespace

TraceScatter::TraceScatter(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void TraceScatter::setPoints(std::vector<Point> points, const TimeRange &range)
{
    m_points = std::move(points);
    m_hover = -1;
    m_from = range.from;
    m_to = range.to;
    double lo = 1e300, hi = 0;
    for (const Point &pt : m_points) {
        m_from = std::min(m_from, pt.time);
        m_to = std::max(m_to, pt.time);
        lo = std::min(lo, std::max(pt.durationMs, kMinMs));
        hi = std::max(hi, std::max(pt.durationMs, kMinMs));
    }
    if (m_to <= m_from)
        m_to = m_from + kSecond;
    m_logMin = m_points.empty() ? 0 : std::floor(std::log10(lo));
    m_logMax = m_points.empty() ? 3 : std::max(m_logMin + 1, std::ceil(std::log10(hi)));
    if (!m_points.empty() && std::log10(hi) >= m_logMax) // a duration of exactly a decade sits below the top
        m_logMax += 1;
    update();
}

void TraceScatter::setCurrentTrace(const QString &traceId)
{
    m_current = traceId;
    update();
}

QRect TraceScatter::plotRect() const
{
    const int left = fontMetrics().horizontalAdvance(QStringLiteral("100 ms")) + 10;
    const int bottom = fontMetrics().height() + 8;
    return rect().adjusted(left, fontMetrics().height() / 2 + 4, -16, -bottom);
}

double TraceScatter::xOf(TimeNs t) const
{
    const QRect plot = plotRect();
    return plot.left() + static_cast<double>(t - m_from) / static_cast<double>(m_to - m_from) * plot.width();
}

double TraceScatter::yOf(double ms) const
{
    const QRect plot = plotRect();
    const double f = (std::log10(std::max(ms, kMinMs)) - m_logMin) / (m_logMax - m_logMin);
    return plot.bottom() - f * plot.height();
}

QPointF TraceScatter::positionOf(int index) const
{
    const Point &pt = m_points[static_cast<std::size_t>(index)];
    return {xOf(pt.time), yOf(pt.durationMs)};
}

int TraceScatter::pointAt(const QPoint &pos) const
{
    int best = -1;
    double bestDistance = kHitRadius * kHitRadius;
    for (int i = 0; i < static_cast<int>(m_points.size()); ++i) {
        const QPointF d = positionOf(i) - QPointF(pos);
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance <= bestDistance) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

QString TraceScatter::toolTipOf(int index) const
{
    const Point &pt = m_points[static_cast<std::size_t>(index)];
    QString tip = pt.label + QLatin1Char('\n') + durationLabel(pt.durationMs) + tr(" · %n span(s)", nullptr, int(pt.spans))
        + QLatin1Char('\n') + QDateTime::fromMSecsSinceEpoch(pt.time / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    if (pt.error)
        tip += QLatin1Char('\n') + tr("has errors");
    return tip + QLatin1Char('\n') + tr("trace %1 (click to open)").arg(pt.traceId);
}

QSize TraceScatter::sizeHint() const
{
    return {360, 200};
}

QSize TraceScatter::minimumSizeHint() const
{
    return {160, 100};
}

void TraceScatter::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRect plot = plotRect();
    if (m_points.empty()) {
        p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No traces found"));
        return;
    }
    paintAxes(p, plot);
    p.setPen(palette().color(QPalette::Disabled, QPalette::Text));
    p.drawText(plot.adjusted(6, 2, -6, -2), Qt::AlignTop | Qt::AlignLeft, tr("duration (log scale) · red: with errors"));
    p.setRenderHint(QPainter::Antialiasing);
    p.setClipRect(plot.adjusted(-5, -5, 5, 5));
    // Errors last, so that they stay visible in a crowd of fine traces.
    for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < static_cast<int>(m_points.size()); ++i)
            if (m_points[static_cast<std::size_t>(i)].error == (pass == 1))
                paintPoint(p, i);
}

QString TraceScatter::tickFormat(qint64 spanMs)
{
    // Over most of a year the ticks name their year (exploratory test: 8 years read as 12-31 00:00 … 06-07 00:00)
    return spanMs > 300 * 86'400'000LL ? QStringLiteral("yyyy-MM-dd")
         : spanMs > 2 * 86'400'000     ? QStringLiteral("MM-dd HH:mm")
         : spanMs > 120'000            ? QStringLiteral("HH:mm")
                                       : QStringLiteral("HH:mm:ss");
}

void TraceScatter::paintAxes(QPainter &p, const QRect &plot)
{
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(plot);
    const QColor grid = palette().color(QPalette::Midlight);
    for (double d = m_logMin; d <= m_logMax + 1e-9; d += 1) {
        const int y = static_cast<int>(std::lround(yOf(std::pow(10.0, d))));
        p.setPen(grid);
        p.drawLine(plot.left() + 1, y, plot.right() - 1, y);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(0, y - 10, plot.left() - 5, 20), Qt::AlignRight | Qt::AlignVCenter, decadeLabel(d));
    }
    const QString format = tickFormat((m_to - m_from) / 1'000'000);
    const int ticks = std::max(2, plot.width() / 110);
    for (int i = 0; i <= ticks; ++i) {
        const TimeNs t = m_from + (m_to - m_from) / ticks * i;
        const int x = static_cast<int>(std::lround(xOf(t)));
        p.setPen(palette().color(QPalette::Mid));
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
        const QString label = QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(format);
        const int w = fontMetrics().horizontalAdvance(label);
        const int left = std::clamp(x - w / 2, 0, width() - w);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(left, plot.bottom() + 4, w, fontMetrics().height()), Qt::AlignCenter, label);
    }
}

void TraceScatter::paintPoint(QPainter &p, int index)
{
    const Point &pt = m_points[static_cast<std::size_t>(index)];
    const QPointF c = positionOf(index);
    QColor color = pt.error ? kErrorColor : kOkColor;
    const bool current = !m_current.isEmpty() && pt.traceId == m_current;
    const bool hover = index == m_hover;
    color.setAlpha(current || hover ? 255 : 170);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    const double r = hover ? kRadius + 2 : kRadius;
    p.drawEllipse(c, r, r);
    if (current || hover) {
        p.setPen(QPen(palette().color(QPalette::Text), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, r + 3, r + 3);
    }
}

void TraceScatter::mouseMoveEvent(QMouseEvent *event)
{
    const int hit = pointAt(event->position().toPoint());
    if (hit != m_hover) {
        m_hover = hit;
        update();
    }
    setCursor(hit >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (hit >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), toolTipOf(hit), this);
    else
        QToolTip::hideText();
}

void TraceScatter::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const int hit = pointAt(event->position().toPoint());
    if (hit >= 0)
        Q_EMIT traceClicked(m_points[static_cast<std::size_t>(hit)].traceId);
}

void TraceScatter::leaveEvent(QEvent *)
{
    if (m_hover >= 0) {
        m_hover = -1;
        update();
    }
}

} // namespace fd

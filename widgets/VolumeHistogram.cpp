#include "VolumeHistogram.h"
#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace fd {

namespace {
const QColor kClassColors[SeverityHistogram::ClassCount] = {QColor(0x9e, 0x9e, 0x9e), QColor(0x64, 0x95, 0xc8),
                                                            QColor(0xf0, 0xa2, 0x02), QColor(0xd3, 0x2f, 0x2f)};
const char *const kClassNames[SeverityHistogram::ClassCount] = {"debug/other", "info", "warn", "error"};
constexpr int kAxisHeight = 14;

QString timeLabel(TimeNs t, const QString &format)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(format);
}
} // namespace

QString VolumeHistogram::timeText(TimeNs t)
{
    return timeLabel(t, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

VolumeHistogram::VolumeHistogram(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(60);
    setMouseTracking(true);
    setCursor(Qt::CrossCursor);
    setFocusPolicy(Qt::ClickFocus); // out of the filter's edit, whose own undo would take Ctrl+Z (zoom back)
    setToolTip(tr("Event volume by severity; drag across it to zoom into that time (Ctrl+Z: back)"));
}

void VolumeHistogram::setHistogram(SeverityHistogram histogram, const TimeRange &range)
{
    m_histogram = std::move(histogram);
    m_range = range;
    m_emptyText.clear();
    update();
}

QRectF VolumeHistogram::plotRect() const
{
    return QRectF(rect()).adjusted(2, 2, -2, -kAxisHeight);
}

double VolumeHistogram::xForTime(TimeNs t) const
{
    const QRectF r = plotRect();
    const double span = std::max<double>(1, static_cast<double>(m_range.length()));
    return r.left() + r.width() * static_cast<double>(t - m_range.from) / span;
}

TimeNs VolumeHistogram::timeForX(double x) const
{
    const QRectF r = plotRect();
    const double f = std::clamp((x - r.left()) / std::max(1.0, r.width()), 0.0, 1.0);
    return m_range.from + static_cast<TimeNs>(f * static_cast<double>(m_range.length()));
}

void VolumeHistogram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const QRectF r = plotRect();
    const std::int64_t most = m_histogram.maxTotal();
    if (most > 0 && m_histogram.step > 0) {
        for (std::size_t i = 0; i < m_histogram.buckets.size(); ++i) {
            const TimeNs t = m_histogram.start + static_cast<TimeNs>(i) * m_histogram.step;
            const double x0 = std::max(r.left(), xForTime(t)), x1 = std::min(r.right(), xForTime(t + m_histogram.step));
            double y = r.bottom();
            for (int c = 0; c < SeverityHistogram::ClassCount; ++c) {
                const double h = r.height() * static_cast<double>(m_histogram.buckets[i][c]) / static_cast<double>(most);
                p.fillRect(QRectF(x0, y - h, std::max(1.0, x1 - x0 - 1), h), kClassColors[c]);
                y -= h;
            }
        }
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(r.bottomLeft(), r.bottomRight());
    if (m_histogram.step <= 0) { // cleared: no range to label
        p.drawText(r, Qt::AlignCenter, m_emptyText.isEmpty() ? tr("no volume to show") : m_emptyText);
        return;
    }
    p.setPen(palette().color(QPalette::Text));
    // "17:25 … 17:25" over a day would read as no time at all: ends on two dates carry them.
    const auto day = [](TimeNs t) { return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).date(); };
    const QString format = day(m_range.from) != day(m_range.to) ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm");
    p.drawText(QRectF(r.left(), r.bottom(), r.width(), kAxisHeight), Qt::AlignLeft | Qt::AlignVCenter, timeLabel(m_range.from, format));
    p.drawText(QRectF(r.left(), r.bottom(), r.width(), kAxisHeight), Qt::AlignRight | Qt::AlignVCenter, timeLabel(m_range.to, format));
    p.drawText(QRectF(r.left(), r.bottom(), r.width(), kAxisHeight), Qt::AlignHCenter | Qt::AlignVCenter,
               tr("max %1 per %2").arg(most).arg(formatDuration(m_histogram.step)));
    if (m_dragFrom >= 0 && m_dragTo >= 0)
        p.fillRect(QRectF(QPointF(std::min(m_dragFrom, m_dragTo), r.top()), QPointF(std::max(m_dragFrom, m_dragTo), r.bottom())),
                   QColor(0x33, 0x66, 0xcc, 60));
}

void VolumeHistogram::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        m_dragFrom = m_dragTo = qRound(event->position().x());
}

void VolumeHistogram::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragFrom >= 0) {
        m_dragTo = qRound(event->position().x());
        update();
    } else {
        showBucketToolTip(event->position().toPoint());
    }
}

void VolumeHistogram::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragFrom < 0 || event->button() != Qt::LeftButton)
        return;
    const int from = std::min(m_dragFrom, m_dragTo), to = std::max(m_dragFrom, m_dragTo);
    m_dragFrom = m_dragTo = -1;
    update();
    // A click is not a selection; before a histogram arrived, the axis has no times.
    if (to - from >= 3 && m_range.to > m_range.from)
        Q_EMIT rangeSelected({timeForX(from), timeForX(to)});
}

void VolumeHistogram::showBucketToolTip(const QPoint &pos)
{
    if (m_histogram.step <= 0 || m_histogram.buckets.empty())
        return;
    const TimeNs t = timeForX(pos.x());
    const auto i = static_cast<std::size_t>(std::max<TimeNs>(0, (t - m_histogram.start) / m_histogram.step));
    if (i >= m_histogram.buckets.size())
        return;
    QString text = timeLabel(m_histogram.start + static_cast<TimeNs>(i) * m_histogram.step, QStringLiteral("yyyy-MM-dd HH:mm"));
    for (int c = SeverityHistogram::ClassCount - 1; c >= 0; --c)
        text += QStringLiteral("\n%1: %2").arg(QString::fromLatin1(kClassNames[c])).arg(m_histogram.buckets[i][c]);
    QToolTip::showText(mapToGlobal(pos), text, this);
}

} // namespace fd

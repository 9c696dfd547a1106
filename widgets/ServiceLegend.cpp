#include "ServiceLegend.h"
#include "ServiceColors.h"

#include <QMouseEvent>
#include <QPainter>

namespace fd {

namespace {

constexpr int kSwatch = 10;
constexpr int kPadding = 6;
constexpr int kSpacing = 6;

} // namespace

ServiceLegend::ServiceLegend(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setToolTip(tr("Click a service to show only its spans; click more to add them, click again to remove."));
}

void ServiceLegend::setServices(const QStringList &services, const std::vector<int> &spanCounts)
{
    m_services = services;
    m_colors = ServiceColors(services);
    m_counts = spanCounts;
    m_counts.resize(static_cast<std::size_t>(services.size()), 0);
    m_selected.clear();
    updateGeometry();
    update();
}

void ServiceLegend::setSelected(const QStringList &selected)
{
    if (selected == m_selected)
        return;
    m_selected = selected;
    update();
}

QString ServiceLegend::chipText(int index) const
{
    return QStringLiteral("%1  %2").arg(m_services[index]).arg(m_counts[static_cast<std::size_t>(index)]);
}

std::vector<QRect> ServiceLegend::layoutChips(int width) const
{
    std::vector<QRect> rects;
    const int h = fontMetrics().height() + 6;
    int x = 0;
    int y = 0;
    for (int i = 0; i < m_services.size(); ++i) {
        const int w = kPadding + kSwatch + 5 + fontMetrics().horizontalAdvance(chipText(i)) + kPadding;
        if (x > 0 && x + w > width) {
            x = 0;
            y += h + 4;
        }
        rects.emplace_back(x, y, w, h);
        x += w + kSpacing;
    }
    return rects;
}

QRect ServiceLegend::chipRect(int index) const
{
    const auto rects = layoutChips(width());
    return index >= 0 && index < static_cast<int>(rects.size()) ? rects[static_cast<std::size_t>(index)] : QRect();
}

int ServiceLegend::heightForWidth(int width) const
{
    const auto rects = layoutChips(width);
    return rects.empty() ? 0 : rects.back().bottom() + 1;
}

QSize ServiceLegend::sizeHint() const
{
    return { 400, std::max(heightForWidth(400), fontMetrics().height() + 6) };
}

QSize ServiceLegend::minimumSizeHint() const
{
    return { 50, fontMetrics().height() + 6 };
}

int ServiceLegend::chipAt(const QPoint &pos) const
{
    const auto rects = layoutChips(width());
    for (std::size_t i = 0; i < rects.size(); ++i) {
        if (rects[i].contains(pos))
            return static_cast<int>(i);
    }
    return -1;
}

void ServiceLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const auto rects = layoutChips(width());
    for (int i = 0; i < m_services.size(); ++i) {
        const QRectF r = QRectF(rects[static_cast<std::size_t>(i)]).adjusted(0.5, 0.5, -0.5, -0.5);
        const bool chosen = m_selected.contains(m_services[i]);
        const bool faded = !m_selected.isEmpty() && !chosen;
        QColor color = m_colors.color(m_services[i]);
        p.setOpacity(faded ? 0.45 : 1.0);
        p.setPen(chosen ? QPen(palette().color(QPalette::Text), 1.5) : QPen(palette().color(QPalette::Mid)));
        p.setBrush(chosen ? color.lighter(170) : palette().color(QPalette::Base));
        p.drawRoundedRect(r, 4, 4);
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawRoundedRect(QRectF(r.left() + kPadding, r.center().y() - kSwatch / 2.0, kSwatch, kSwatch), 2, 2);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(r.adjusted(kPadding + kSwatch + 5, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, chipText(i));
    }
}

void ServiceLegend::mousePressEvent(QMouseEvent *event)
{
    const int chip = event->button() == Qt::LeftButton ? chipAt(event->position().toPoint()) : -1;
    if (chip < 0)
        return QWidget::mousePressEvent(event);
    const QString service = m_services[chip];
    if (m_selected.contains(service))
        m_selected.removeAll(service);
    else
        m_selected.append(service);
    update();
    Q_EMIT selectionChanged(m_selected);
}

void ServiceLegend::mouseMoveEvent(QMouseEvent *event)
{
    setCursor(chipAt(event->position().toPoint()) >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

} // namespace fd

#include "ChartLegend.h"
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>

namespace fd {
namespace {

constexpr int kSwatch = 14;
constexpr int kSwatchGap = 6;       // swatch to text
constexpr int kSpacing = 16;  // between entries
constexpr int kLegendMargin = 6;

} // namespace

ChartLegend::ChartLegend(QWidget *parent) : QWidget(parent)
{
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click: hide or show a series · Shift+click: show only that series (again: show all)"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setBackgroundRole(QPalette::Base); // continues the chart's background
    setAutoFillBackground(true);
}

void ChartLegend::setEntries(std::vector<Entry> entries)
{
    const bool sameNames = entries.size() == m_entries.size()
                           && std::equal(entries.begin(), entries.end(), m_entries.begin(),
                                         [](const Entry &a, const Entry &b) { return a.name == b.name; });
    m_entries = std::move(entries);
    if (!sameNames)
        updateGeometry();
    update();
}

QRect ChartLegend::entryRect(const QString &name) const
{
    const std::vector<QRect> rects = layoutEntries(width());
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].name == name)
            return rects[i];
    return {};
}

int ChartLegend::rowHeight() const
{
    return fontMetrics().height() + 6;
}

std::vector<QRect> ChartLegend::layoutEntries(int width) const
{
    std::vector<QRect> rects;
    rects.reserve(m_entries.size());
    const QFontMetrics fm = fontMetrics();
    const int right = std::max(width - kLegendMargin, kLegendMargin + 1);
    int x = kLegendMargin, y = 2;
    for (const Entry &e : m_entries) {
        const int w = kSwatch + kSwatchGap + fm.horizontalAdvance(e.name) + 4;
        if (x > kLegendMargin && x + w > right) {
            x = kLegendMargin;
            y += rowHeight();
        }
        rects.emplace_back(x, y, w, rowHeight());
        x += w + kSpacing;
    }
    return rects;
}

int ChartLegend::heightOfRows(int rows) const
{
    return rows * rowHeight() + 3;
}

int ChartLegend::heightForWidth(int width) const
{
    if (m_entries.empty())
        return 0;
    const std::vector<QRect> rects = layoutEntries(width);
    return rects.back().bottom() + 3;
}

QSize ChartLegend::sizeHint() const
{
    return {400, heightForWidth(width() > 0 ? width() : 400)};
}

QSize ChartLegend::minimumSizeHint() const
{
    return {50, m_entries.empty() ? 0 : rowHeight() + 4};
}

int ChartLegend::entryAt(const QPoint &pos) const
{
    const std::vector<QRect> rects = layoutEntries(width());
    for (std::size_t i = 0; i < rects.size(); ++i)
        if (rects[i].contains(pos))
            return static_cast<int>(i);
    return -1;
}

void ChartLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const std::vector<QRect> rects = layoutEntries(width());
    const QColor dim = palette().color(QPalette::PlaceholderText);
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const Entry &e = m_entries[i];
        const QRect r = rects[i];
        const QRectF swatch(r.left(), r.center().y() - 4.5, kSwatch, 9);
        if (e.visible) {
            p.setPen(Qt::NoPen);
            p.setBrush(e.color);
        } else {
            p.setPen(QPen(dim, 1.2));
            p.setBrush(Qt::NoBrush);
        }
        p.drawRoundedRect(swatch, 2, 2);
        p.setPen(e.visible ? palette().color(QPalette::WindowText) : dim);
        QFont f = font();
        f.setStrikeOut(!e.visible);
        p.setFont(f);
        p.drawText(QRect(r.left() + kSwatch + kSwatchGap, r.top(), r.width() - kSwatch - kSwatchGap, r.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, e.name);
    }
}

void ChartLegend::mousePressEvent(QMouseEvent *event)
{
    m_pressed = event->button() == Qt::LeftButton ? entryAt(event->position().toPoint()) : -1;
    event->accept();
}

void ChartLegend::mouseReleaseEvent(QMouseEvent *event)
{
    const int at = entryAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && at >= 0 && at == m_pressed)
        Q_EMIT entryClicked(m_entries[static_cast<std::size_t>(at)].name, event->modifiers());
    m_pressed = -1;
    event->accept();
}

} // namespace fd

#include "ShareBarDelegate.h"
#include <QApplication>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace fd {

namespace {

constexpr int kBarHeight = 4;
constexpr int kBarGap = 2;
constexpr int kPad = 4;

QString percent(double share)
{
    return std::isfinite(share) ? QString::number(std::lround(share * 100)) + QLatin1Char('%') : QStringLiteral("?");
}

void drawBar(QPainter *painter, const QRect &track, double share, const QColor &color)
{
    painter->fillRect(track, QColor(0, 0, 0, 18));
    const double s = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
    const int w = static_cast<int>(std::lround(track.width() * s));
    if (w > 0)
        painter->fillRect(QRect(track.left(), track.top(), std::max(w, 2), track.height()), color);
}

} // namespace

QString ShareBarDelegate::shareText(double before, double after)
{
    return percent(before) + QStringLiteral(" → ") + percent(after);
}

void ShareBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QVariant beforeData = index.data(BeforeRole);
    const double before = beforeData.toDouble();
    const double after = index.data(AfterRole).toDouble();
    const QRect area = opt.rect.adjusted(kPad, 2, -kPad, -2);
    const bool single = !beforeData.isValid();
    const int barsHeight = single ? kBarHeight : 2 * kBarHeight + kBarGap;
    const QRect textRect(area.left(), area.top(), area.width(), area.height() - barsHeight - 1);
    painter->save();
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, text);
    const QRect track(area.left(), area.bottom() - barsHeight + 1, area.width(), kBarHeight);
    if (single) {
        drawBar(painter, track, after, QColor(0x2f, 0x6f, 0xeb));
        painter->restore();
        return;
    }
    drawBar(painter, track, before, QColor(0x8a, 0x8f, 0x98));
    const QColor grew(0xd6, 0x36, 0x36), shrank(0x2f, 0x6f, 0xeb);
    drawBar(painter, track.translated(0, kBarHeight + kBarGap), after, after >= before ? grew : shrank);
    painter->restore();
}

QSize ShareBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(s.height() + 2 * kBarHeight + kBarGap + 4);
    s.setWidth(std::max(s.width() + 2 * kPad, 110));
    return s;
}

} // namespace fd

#include "TrendDelegate.h"
#include <QApplication>
#include <QPainter>

namespace fd {

namespace {
constexpr int kPad = 6;
constexpr int kTrendGap = 14;
constexpr int kRowPad = 8; // the figures are the point of the panel: give them air
} // namespace

QColor TrendDelegate::verdictColor(int verdict)
{
    if (verdict > 0)
        return {0x2e, 0x9d, 0x4f};
    if (verdict < 0)
        return {0xd6, 0x36, 0x36};
    return {0x8a, 0x8f, 0x98};
}

void TrendDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QString trend = index.data(TextRole).toString();
    if (trend.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QRect area = opt.rect.adjusted(kPad, 0, -kPad, 0);
    painter->save();
    painter->setFont(opt.font);
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(area, Qt::AlignLeft | Qt::AlignVCenter, text);
    QFont bold = opt.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(verdictColor(index.data(VerdictRole).toInt()));
    // Right after the value, where the eye is; right-aligned only when the column is too narrow.
    const int after = opt.fontMetrics.horizontalAdvance(text) + kTrendGap;
    const int trendWidth = QFontMetrics(bold).horizontalAdvance(trend);
    const QRect trendRect = after + trendWidth <= area.width() ? area.adjusted(after, 0, 0, 0) : area;
    painter->drawText(trendRect, (trendRect == area ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, trend);
    painter->restore();
}

QSize TrendDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setHeight(s.height() + kRowPad);
    const QString trend = index.data(TextRole).toString();
    if (!trend.isEmpty()) {
        QFont bold = option.font;
        bold.setBold(true);
        s.setWidth(s.width() + QFontMetrics(bold).horizontalAdvance(trend) + kTrendGap + kPad);
    }
    return s;
}

} // namespace fd

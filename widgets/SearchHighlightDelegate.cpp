#include "SearchHighlightDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QTextLayout>

namespace fd {

QList<std::pair<int, int>> SearchHighlightDelegate::matches(const QString &text, const QString &term)
{
    QList<std::pair<int, int>> out;
    if (term.isEmpty())
        return out;
    for (qsizetype at = text.indexOf(term, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(term, at + term.size(), Qt::CaseInsensitive))
        out.append({ static_cast<int>(at), static_cast<int>(term.size()) });
    return out;
}

QColor SearchHighlightDelegate::highlightColor()
{
    return { 0xff, 0xd5, 0x4f };
}

void SearchHighlightDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QList<std::pair<int, int>> found = matches(opt.text, m_term);
    if (found.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QString text = opt.text;
    opt.text.clear();
    const QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    QList<QTextLayout::FormatRange> formats;
    for (const auto &[start, length] : found) {
        QTextLayout::FormatRange range;
        range.start = start;
        range.length = length;
        range.format.setBackground(highlightColor());
        range.format.setForeground(QColor(Qt::black));
        formats.append(range);
    }
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(2, 0, -2, 0);
    QTextLayout layout(text, opt.font, painter->device());
    layout.setFormats(formats);
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(textOption);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(std::max(textRect.width(), static_cast<int>(line.naturalTextWidth())));
    layout.endLayout();

    painter->save();
    painter->setClipRect(textRect);
    const bool selected = opt.state & QStyle::State_Selected;
    painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
    const qreal y = textRect.top() + (textRect.height() - layout.boundingRect().height()) / 2;
    layout.draw(painter, QPointF(textRect.left(), y));
    painter->restore();
}

} // namespace fd

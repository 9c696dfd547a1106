#include "CompletionCountDelegate.h"
#include <QLocale>
#include <QPainter>

namespace fd {

void CompletionCountDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    const QVariant count = index.data(kCountRole);
    if (!count.isValid())
        return;
    painter->save();
    painter->setPen(option.palette.color(option.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                              : QPalette::PlaceholderText));
    painter->drawText(option.rect.adjusted(0, 0, -6, 0), Qt::AlignRight | Qt::AlignVCenter,
                      QLocale().toString(count.toLongLong()));
    painter->restore();
}

QSize CompletionCountDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (const QVariant count = index.data(kCountRole); count.isValid())
        size.rwidth() += option.fontMetrics.horizontalAdvance(QLocale().toString(count.toLongLong())) + 24;
    return size;
}

} // namespace fd

#pragma once
#include <QStyledItemDelegate>

namespace fd {

// A completion list's item with its count (kCountRole) right-aligned in grey beside it: how many events
// hold that value.
class CompletionCountDelegate : public QStyledItemDelegate
{
public:
    static constexpr int kCountRole = Qt::UserRole + 1;

    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fd

#pragma once
#include <QStyledItemDelegate>

namespace fd {

// A figure and its trend in one cell: the value on the left, "▲ +1.0" on the right in green when
// better, red when worse, grey when unchanged. Reads the trend from TextRole and VerdictRole
// (+1 better, -1 worse, 0 unchanged or unknown).
class TrendDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum Role { TextRole = Qt::UserRole + 50, VerdictRole };

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor verdictColor(int verdict);
};

} // namespace fd

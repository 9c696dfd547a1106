#pragma once
#include <QStyledItemDelegate>

namespace fd {

// A share that moved, as "12% → 97%" with two thin bars under it: the baseline share in grey, the
// anomaly's in the colour of its direction. Reads the shares (0..1) from BeforeRole and AfterRole;
// without a BeforeRole value, one share: the text over a single bar of AfterRole.
class ShareBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    enum Role { BeforeRole = Qt::UserRole + 40, AfterRole };

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QString shareText(double before, double after);
};

} // namespace fd

#pragma once
#include "Frame.h"
#include <QAbstractTableModel>

namespace fd {

// Any query result as a table: one column per frame column, cells formatted when asked for
// (O(1) data(), nothing materialised up front). Times in local time unless setUtc(true); a column's
// fractions rounded alike, every digit in the tooltip.
class FrameTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // The cell's value for sorting: a number for time and number columns, the text otherwise.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit FrameTableModel(QObject *parent = nullptr);

    void setFrame(FramePtr frame);
    const FramePtr &frame() const { return m_frame; }
    void setUtc(bool utc);
    QString cellText(int row, int column) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    FramePtr m_frame;
    std::vector<int> m_decimals; // of each column's doubles
    bool m_utc = false;
};

} // namespace fd

#pragma once
#include "Incident.h"
#include <QAbstractTableModel>

namespace fd {

// The timeline of one incident as a table; time, title and details are editable in place, and an
// edited time moves the entry to its place in time order.
class IncidentTimelineModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, KindColumn, TitleColumn, TextColumn, ColumnCount };
    static constexpr int EntryRole = Qt::UserRole + 1; // the entry's index in the timeline

    explicit IncidentTimelineModel(QObject *parent = nullptr) : QAbstractTableModel(parent) {}

    void setTimeline(std::vector<IncidentEntry> timeline);
    const std::vector<IncidentEntry> &timeline() const { return m_timeline; }
    const IncidentEntry &entry(int row) const { return m_timeline.at(static_cast<std::size_t>(row)); }
    int addEntry(IncidentEntry entry); // returns its row
    void removeEntry(int row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    void edited();

private:
    std::vector<IncidentEntry> m_timeline;
};

} // namespace fd

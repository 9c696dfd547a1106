#include "IncidentTimelineModel.h"
#include <algorithm>

namespace fd {

namespace {
QString shortTime(TimeNs t) { return t ? formatRfc3339(t).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')) : QString(); }
} // namespace

void IncidentTimelineModel::setTimeline(std::vector<IncidentEntry> timeline)
{
    beginResetModel();
    m_timeline = std::move(timeline);
    endResetModel();
}

int IncidentTimelineModel::addEntry(IncidentEntry entry)
{
    const auto at = std::upper_bound(m_timeline.begin(), m_timeline.end(), entry.time,
                                     [](TimeNs t, const IncidentEntry &e) { return t < e.time; });
    const int row = static_cast<int>(at - m_timeline.begin());
    beginInsertRows({}, row, row);
    m_timeline.insert(at, std::move(entry));
    endInsertRows();
    Q_EMIT edited();
    return row;
}

void IncidentTimelineModel::removeEntry(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_timeline.erase(m_timeline.begin() + row);
    endRemoveRows();
    Q_EMIT edited();
}

int IncidentTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_timeline.size());
}

int IncidentTimelineModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant IncidentTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const IncidentEntry &e = entry(index.row());
    if (role == EntryRole)
        return index.row();
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(e.text.empty() ? e.title : e.text);
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case TimeColumn: return role == Qt::EditRole ? formatRfc3339(e.time) : shortTime(e.time);
    case KindColumn: return QString(QString::fromStdString(e.kind) + (e.image.empty() ? QString() : QStringLiteral(" (picture)")));
    case TitleColumn: return QString::fromStdString(e.title);
    case TextColumn: return role == Qt::EditRole ? QString::fromStdString(e.text)
                                                 : QString::fromStdString(e.text).section(QLatin1Char('\n'), 0, 0);
    default: return {};
    }
}

QVariant IncidentTimelineModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *names[] = {"Time (UTC)", "Kind", "What", "Details"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

Qt::ItemFlags IncidentTimelineModel::flags(const QModelIndex &index) const
{
    const Qt::ItemFlags f = QAbstractTableModel::flags(index);
    return !index.isValid() || index.column() == KindColumn ? f : f | Qt::ItemIsEditable;
}

bool IncidentTimelineModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount())
        return false;
    IncidentEntry &e = m_timeline[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case TimeColumn: {
        const auto t = parseTime(value.toString().trimmed(), nowNs());
        if (!t)
            return false;
        IncidentEntry moved = e;
        moved.time = *t;
        removeEntry(index.row());
        addEntry(std::move(moved));
        return true;
    }
    case TitleColumn: e.title = value.toString().toStdString(); break;
    case TextColumn: e.text = value.toString().toStdString(); break;
    default: return false;
    }
    Q_EMIT dataChanged(index, index);
    Q_EMIT edited();
    return true;
}

} // namespace fd

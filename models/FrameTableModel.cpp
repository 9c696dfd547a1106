#include "FrameTableModel.h"
#include <QDateTime>

namespace fd {

namespace {
constexpr qsizetype kMaxShownChars = 500; // a table cell shows one line; long bodies only slow painting

bool isNumeric(ColumnType t)
{
    return t == ColumnType::Int64 || t == ColumnType::Double;
}
} // namespace

FrameTableModel::FrameTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void FrameTableModel::setFrame(FramePtr frame)
{
    beginResetModel();
    m_frame = std::move(frame);
    endResetModel();
}

void FrameTableModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::DisplayRole});
}

int FrameTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_frame ? 0 : int(m_frame->rowCount());
}

int FrameTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_frame ? 0 : int(m_frame->columns.size());
}

QString FrameTableModel::cellText(int row, int column) const
{
    const Column &col = m_frame->columns[std::size_t(column)];
    const Cell &c = col.cells[std::size_t(row)];
    if (isNull(c))
        return {};
    if (col.type == ColumnType::Time && !std::holds_alternative<std::string>(c)) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(cellToInt(c) / 1'000'000, m_utc ? Qt::UTC : Qt::LocalTime);
        return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    }
    if (const auto *d = std::get_if<double>(&c))
        return QString::number(*d, 'g', 12);
    if (const auto *i = std::get_if<std::int64_t>(&c))
        return QString::number(*i);
    const std::string &s = std::get<std::string>(c);
    std::string_view line(s);
    line = line.substr(0, std::min<std::size_t>(line.find('\n'), kMaxShownChars));
    QString shown = QString::fromUtf8(line.data(), qsizetype(line.size()));
    return line.size() < s.size() ? shown + QStringLiteral(" …") : shown;
}

QVariant FrameTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Column &col = m_frame->columns[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole:
        return cellText(index.row(), index.column());
    case Qt::TextAlignmentRole:
        return isNumeric(col.type) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole: {
        const Cell &c = col.cells[std::size_t(index.row())];
        if (col.type == ColumnType::Time || isNumeric(col.type))
            return cellToDouble(c);
        return QString::fromStdString(cellToString(c));
    }
    default:
        return {};
    }
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_frame)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    if (section < 0 || section >= columnCount())
        return {};
    return QString::fromStdString(m_frame->columns[std::size_t(section)].name);
}

} // namespace fd

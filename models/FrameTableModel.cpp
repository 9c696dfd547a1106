#include "FrameTableModel.h"
#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace fd {

namespace {
constexpr qsizetype kMaxShownChars = 500; // a table cell shows one line; long bodies only slow painting

bool isNumeric(ColumnType t)
{
    return t == ColumnType::Int64 || t == ColumnType::Double;
}

// Decimals that show a column's fractions alike: four significant digits of its smallest one (an average had
// read 217.333333333); none when every value is whole; -1 (six significant digits each) past 6 decimals, where
// a small value would read 0.
int shownDecimals(const Column &column)
{
    constexpr int kSignificant = 4, kMostDecimals = 6;
    double smallest = 0;
    for (const Cell &c : column.cells)
        if (const auto *d = std::get_if<double>(&c); d && std::isfinite(*d) && std::trunc(*d) != *d)
            smallest = smallest == 0 ? std::abs(*d) : std::min(smallest, std::abs(*d));
    if (smallest == 0)
        return 0;
    const int magnitude = static_cast<int>(std::floor(std::log10(smallest)));
    const int decimals = std::max(1, kSignificant - 1 - magnitude);
    return decimals <= kMostDecimals ? decimals : -1;
}
// At most `decimals` decimals, without trailing zeros: 0.3 and 2.5 beside 217.33.
QString rounded(double value, int decimals)
{
    QString text = QString::number(value, 'f', decimals);
    if (decimals > 0) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}
} // namespace

FrameTableModel::FrameTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void FrameTableModel::setFrame(FramePtr frame)
{
    beginResetModel();
    m_frame = std::move(frame);
    m_decimals.clear();
    if (m_frame)
        for (const Column &column : m_frame->columns)
            m_decimals.push_back(shownDecimals(column));
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
    if (const auto *d = std::get_if<double>(&c)) {
        const int decimals = m_decimals[std::size_t(column)];
        if (std::isfinite(*d) && std::abs(*d) < 1e15 && decimals >= 0)
            return rounded(*d, decimals);
        return QString::number(*d, 'g', decimals < 0 ? 6 : 12);
    }
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
    case Qt::ToolTipRole: // every digit of a number the cell rounds
        if (const auto *d = std::get_if<double>(&col.cells[std::size_t(index.row())]))
            return QString::number(*d, 'g', QLocale::FloatingPointShortest);
        return {};
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

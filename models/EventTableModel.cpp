#include "EventTableModel.h"
#include "Telemetry.h"

#include <QDateTime>
// Only the value type: QColor is what views expect for ForegroundRole/BackgroundRole.
#include <QtGui/QColor>

#include <set>

namespace fd {

namespace {

constexpr int kBodyDisplayChars = 500;

enum class Level { Other, Warn, Error };

Level levelOf(int severity)
{
    if (severity >= 17)
        return Level::Error;
    if (severity >= 13)
        return Level::Warn;
    return Level::Other;
}

QString jsonValueText(const Json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get_ref<const std::string &>());
    return QString::fromStdString(v.dump());
}

// A flat OpenTelemetry key ("http.route") first, then the same key as a path into nested maps.
const Json *lookup(const Json &object, const std::string &key)
{
    if (!object.is_object())
        return nullptr;
    if (auto it = object.find(key); it != object.end())
        return &*it;
    const Json *node = &object;
    std::size_t begin = 0;
    while (begin <= key.size()) {
        const std::size_t dot = std::min(key.find('.', begin), key.size());
        if (!node->is_object())
            return nullptr;
        auto it = node->find(key.substr(begin, dot - begin));
        if (it == node->end())
            return nullptr;
        node = &*it;
        begin = dot + 1;
    }
    return node;
}

Json parseObject(const Cell &c)
{
    if (!std::holds_alternative<std::string>(c))
        return Json::object();
    Json j = parseJson(std::get<std::string>(c));
    return j.is_object() ? j : Json::object();
}

} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void EventTableModel::setFrame(FramePtr frame)
{
    beginResetModel();
    m_frame = std::move(frame);
    m_parsed.clear();
    m_keysValid = false;
    m_attributeKeys.clear();
    m_cols = {};
    if (m_frame) {
        const auto idx = [this](const char *name) { return m_frame->columnIndex(name); };
        m_cols.time = idx("time");
        m_cols.severity = idx("severity");
        m_cols.severityText = idx("severity_text");
        m_cols.service = idx("service.name");
        m_cols.body = idx("body");
        m_cols.traceId = idx("trace_id");
        m_cols.attributes = idx("attributes");
        m_cols.resource = idx("resource");
    }
    endResetModel();
}

void EventTableModel::setExtraColumns(const QStringList &keys)
{
    if (keys == m_extraColumns)
        return;
    // Remove and insert rather than reset, so that the selection and the fixed columns' widths survive.
    if (!m_extraColumns.isEmpty()) {
        beginRemoveColumns({}, FixedColumnCount, FixedColumnCount + static_cast<int>(m_extraColumns.size()) - 1);
        m_extraColumns.clear();
        m_extraKeys.clear();
        endRemoveColumns();
    }
    if (!keys.isEmpty()) {
        beginInsertColumns({}, FixedColumnCount, FixedColumnCount + static_cast<int>(keys.size()) - 1);
        m_extraColumns = keys;
        for (const QString &k : keys)
            m_extraKeys.push_back(k.toStdString());
        endInsertColumns();
    }
}

void EventTableModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
}

QStringList EventTableModel::attributeKeys() const
{
    if (m_keysValid)
        return m_attributeKeys;
    std::set<std::string> keys;
    const int rows = std::min(rowCount(), kKeyScanRows);
    for (int r = 0; r < rows; ++r) {
        const ParsedRow &p = parsed(r);
        for (const auto &[k, v] : p.attributes.items())
            keys.insert(k);
        for (const auto &[k, v] : p.resource.items())
            keys.insert(k);
    }
    m_attributeKeys.clear();
    for (const auto &k : keys)
        m_attributeKeys.append(QString::fromStdString(k));
    m_keysValid = true;
    return m_attributeKeys;
}

Json EventTableModel::record(int row) const
{
    Json j = Json::object();
    if (!m_frame || row < 0 || row >= rowCount())
        return j;
    for (const Column &c : m_frame->columns)
        j[c.name] = cellToJson(c.cells[row], c.type);
    return j;
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_frame)
        return 0;
    return static_cast<int>(m_frame->rowCount());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumnCount + static_cast<int>(m_extraColumns.size());
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return timeText(row);
        case SeverityColumn:
            return severityText(row);
        case ServiceColumn:
            return text(row, m_cols.service);
        case BodyColumn:
            return bodyText(row);
        default:
            return extraText(row, m_extraKeys[column - FixedColumnCount]);
        }
    case Qt::ToolTipRole:
        return column == BodyColumn ? text(row, m_cols.body) : QVariant();
    case Qt::ForegroundRole:
    case Qt::BackgroundRole:
        return severityColor(row, role, column);
    case RecordJsonRole:
        return QString::fromStdString(record(row).dump());
    case TraceIdRole:
        return text(row, m_cols.traceId);
    case SeverityRole:
        return severity(row);
    case TimeRole: {
        const Cell *c = cell(row, m_cols.time);
        return c ? QVariant::fromValue<qint64>(cellToInt(*c)) : QVariant();
    }
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SeverityColumn:
        return tr("Severity");
    case ServiceColumn:
        return tr("Service");
    case BodyColumn:
        return tr("Body");
    default:
        return m_extraColumns.at(section - FixedColumnCount);
    }
}

const Cell *EventTableModel::cell(int row, int column) const
{
    if (!m_frame || column < 0)
        return nullptr;
    return &m_frame->cell(static_cast<std::size_t>(row), static_cast<std::size_t>(column));
}

QString EventTableModel::text(int row, int column) const
{
    const Cell *c = cell(row, column);
    if (!c)
        return {};
    if (const auto *s = std::get_if<std::string>(c))
        return QString::fromStdString(*s);
    return QString::fromStdString(cellToString(*c));
}

int EventTableModel::severity(int row) const
{
    if (const Cell *c = cell(row, m_cols.severity); c && !isNull(*c))
        return static_cast<int>(cellToInt(*c));
    if (const Cell *c = cell(row, m_cols.severityText))
        return severityFromName(cellToString(*c));
    return 0;
}

QString EventTableModel::severityText(int row) const
{
    const QString name = text(row, m_cols.severityText);
    return name.isEmpty() ? QString::fromStdString(severityName(severity(row))) : name;
}

QString EventTableModel::timeText(int row) const
{
    const Cell *c = cell(row, m_cols.time);
    if (!c || isNull(*c))
        return {};
    const qint64 ms = cellToInt(*c) / 1'000'000;
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, m_utc ? Qt::UTC : Qt::LocalTime);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

// A view cannot show more than a line; long multi-line bodies would only slow painting down.
QString EventTableModel::bodyText(int row) const
{
    const Cell *c = cell(row, m_cols.body);
    const auto *s = c ? std::get_if<std::string>(c) : nullptr;
    if (!s)
        return c ? QString::fromStdString(cellToString(*c)) : QString();
    std::string_view line(*s);
    line = line.substr(0, std::min<std::size_t>(line.find('\n'), kBodyDisplayChars));
    QString shown = QString::fromUtf8(line.data(), static_cast<qsizetype>(line.size()));
    if (line.size() < s->size())
        shown += QStringLiteral(" …");
    return shown;
}

QString EventTableModel::extraText(int row, const std::string &key) const
{
    const ParsedRow &p = parsed(row);
    const Json *v = lookup(p.attributes, key);
    if (!v)
        v = lookup(p.resource, key);
    return v ? jsonValueText(*v) : QString();
}

const EventTableModel::ParsedRow &EventTableModel::parsed(int row) const
{
    if (ParsedRow *cached = m_parsed.object(row))
        return *cached;
    auto *p = new ParsedRow;
    if (const Cell *c = cell(row, m_cols.attributes))
        p->attributes = parseObject(*c);
    else
        p->attributes = Json::object();
    if (const Cell *c = cell(row, m_cols.resource))
        p->resource = parseObject(*c);
    else
        p->resource = Json::object();
    m_parsed.insert(row, p);
    return *m_parsed.object(row);
}

QVariant EventTableModel::severityColor(int row, int role, int column) const
{
    const Level level = levelOf(severity(row));
    if (level == Level::Other)
        return {};
    const bool error = level == Level::Error;
    if (role == Qt::ForegroundRole)
        return column == SeverityColumn ? QVariant::fromValue(error ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xc7, 0x7c, 0x00))
                                        : QVariant();
    // Translucent, so that the tint reads on light and dark palettes alike.
    return QVariant::fromValue(error ? QColor(0xe5, 0x39, 0x35, 48) : QColor(0xff, 0xa0, 0x00, 40));
}

} // namespace fd

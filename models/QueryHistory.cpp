#include "QueryHistory.h"
#include "Error.h"
#include <QDateTime>
#include <QFile>
#include <QSaveFile>
#include <algorithm>
#include <iterator>

namespace fd {

Json historyEntryToJson(const QueryHistoryEntry &e)
{
    return {{"ran_at", e.ranAt}, {"text", e.text}, {"query", queryToJson(e.query)}};
}

QueryHistoryEntry historyEntryFromJson(const Json &j)
{
    if (!j.is_object() || !j.contains("query") || !j.value("ran_at", Json()).is_number_integer())
        throw Error(std::string("a history entry needs \"ran_at\" and \"query\""));
    QueryHistoryEntry e;
    e.ranAt = j["ran_at"].get<TimeNs>();
    e.query = queryFromJson(j["query"]);
    e.text = j.value("text", std::string());
    return e;
}

QString queryHistoryPath(const QString &workspacePath)
{
    QString base = workspacePath;
    if (base.endsWith(QStringLiteral(".json")))
        base.chop(5);
    return base + QStringLiteral(".history.jsonl");
}

std::vector<QueryHistoryEntry> loadQueryHistory(const QString &path, int *badLines)
{
    std::vector<QueryHistoryEntry> out;
    int bad = 0;
    QFile file(path);
    if (file.open(QIODevice::ReadOnly)) {
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty())
                continue;
            try {
                out.push_back(historyEntryFromJson(Json::parse(line.toStdString())));
            } catch (const std::exception &) {
                ++bad; // a line cut short by a crash must not lose the rest
            }
        }
    }
    if (badLines)
        *badLines = bad;
    return out;
}

void appendQueryHistory(const QString &path, const QueryHistoryEntry &e)
{
    QByteArray line = QByteArray::fromStdString(historyEntryToJson(e).dump()) + '\n';
    // A line cut short by a crash has no newline: end it, or this entry would join it and be lost too.
    if (QFile last(path); last.open(QIODevice::ReadOnly) && last.size() > 0 && last.seek(last.size() - 1)
        && last.read(1) != "\n")
        line.prepend('\n');
    QFile file(path); // appended (O_APPEND): two windows writing at once do not overwrite each other
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        throw Error(QStringLiteral("cannot write the query history %1: %2").arg(path, file.errorString()));
    if (file.write(line) != line.size())
        throw Error(QStringLiteral("cannot write the query history %1: %2").arg(path, file.errorString()));
}

void writeQueryHistory(const QString &path, const std::vector<QueryHistoryEntry> &entries)
{
    QByteArray text;
    for (const QueryHistoryEntry &e : entries)
        text += QByteArray::fromStdString(historyEntryToJson(e).dump()) + '\n';
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        throw Error(QStringLiteral("cannot write the query history %1: %2").arg(path, file.errorString()));
}

std::vector<QueryHistoryEntry> mergeQueryHistories(std::vector<QueryHistoryEntry> a, std::vector<QueryHistoryEntry> b)
{
    const auto older = [](const QueryHistoryEntry &x, const QueryHistoryEntry &y) { return x.ranAt < y.ranAt; };
    // A run appended after an entry from a later clock (another machine's, merged in) is out of time order.
    for (std::vector<QueryHistoryEntry> *entries : { &a, &b })
        if (!std::is_sorted(entries->begin(), entries->end(), older))
            std::stable_sort(entries->begin(), entries->end(), older);
    std::vector<QueryHistoryEntry> merged;
    merged.reserve(a.size() + b.size());
    std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(merged), older);
    std::vector<QueryHistoryEntry> out;
    out.reserve(merged.size());
    for (QueryHistoryEntry &e : merged) {
        // The same entry is among those of its time, which need not be next to each other.
        bool seen = false;
        for (auto it = out.rbegin(); it != out.rend() && it->ranAt == e.ranAt && !seen; ++it)
            seen = *it == e;
        if (!seen)
            out.push_back(std::move(e));
    }
    return out;
}

QueryHistoryModel::QueryHistoryModel(QObject *parent) : QAbstractListModel(parent) {}

namespace {

// The same query run again right after: one entry, at its last run (as a shell ignores repeated commands).
bool repeats(const QueryHistoryEntry &before, const QueryHistoryEntry &after)
{
    return before.query == after.query && before.text == after.text;
}

} // namespace

void QueryHistoryModel::setEntries(std::vector<QueryHistoryEntry> entries)
{
    beginResetModel();
    m_entries.clear();
    for (QueryHistoryEntry &e : entries) {
        if (!m_entries.empty() && repeats(m_entries.back(), e))
            m_entries.back().ranAt = e.ranAt;
        else
            m_entries.push_back(std::move(e));
    }
    rebuild();
    endResetModel();
}

void QueryHistoryModel::append(QueryHistoryEntry entry)
{
    if (!m_entries.empty() && repeats(m_entries.back(), entry)) {
        m_entries.back().ranAt = entry.ranAt;
        if (!m_rows.empty() && m_rows.front() == int(m_entries.size()) - 1)
            Q_EMIT dataChanged(index(0), index(0));
        return;
    }
    m_entries.push_back(std::move(entry));
    if (!matches(m_entries.back()))
        return;
    beginInsertRows({}, 0, 0);
    m_rows.insert(m_rows.begin(), int(m_entries.size()) - 1);
    endInsertRows();
}

void QueryHistoryModel::setFilter(const QString &text)
{
    if (text == m_filter)
        return;
    beginResetModel();
    m_filter = text;
    m_words = text.split(u' ', Qt::SkipEmptyParts);
    rebuild();
    endResetModel();
}

const QueryHistoryEntry &QueryHistoryModel::entry(int row) const
{
    return m_entries[std::size_t(m_rows.at(std::size_t(row)))];
}

bool QueryHistoryModel::matches(const QueryHistoryEntry &e) const
{
    const QString text = QString::fromStdString(e.text + " " + e.query.source);
    for (const QString &w : m_words) {
        if (!text.contains(w, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void QueryHistoryModel::rebuild()
{
    m_rows.clear();
    for (int i = int(m_entries.size()) - 1; i >= 0; --i) {
        if (matches(m_entries[std::size_t(i)]))
            m_rows.push_back(i);
    }
}

int QueryHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant QueryHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const QueryHistoryEntry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole: // the source when the run named one: the same sentence on two sources had read the same
        return QString::fromStdString(e.query.source.empty() ? e.text : "[" + e.query.source + "] " + e.text);
    case Qt::ToolTipRole:
        return QString(QDateTime::fromMSecsSinceEpoch(e.ranAt / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                       + u'\n' + data(index, Qt::DisplayRole).toString());
    case RanAtRole:
        return QVariant::fromValue<qint64>(e.ranAt);
    default:
        return {};
    }
}

} // namespace fd

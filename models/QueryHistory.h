#pragma once
#include "Query.h"
#include "Time.h"
#include <QAbstractListModel>
#include <vector>

namespace fd {

// One run of the query builder: when, the query, and the text the user saw (the sentence or the raw query).
struct QueryHistoryEntry {
    TimeNs ranAt = 0;
    Query query;
    std::string text;
    bool operator==(const QueryHistoryEntry &) const = default;
};

Json historyEntryToJson(const QueryHistoryEntry &e);
QueryHistoryEntry historyEntryFromJson(const Json &j); // throws fd::Error

// The workspace's history lives beside it ("x.flightdeck.json" -> "x.flightdeck.history.jsonl"), one JSON
// object per line, appended at each run so the workspace file itself does not change.
QString queryHistoryPath(const QString &workspacePath);
// Oldest first; a missing file is an empty history; unreadable lines are skipped and counted.
std::vector<QueryHistoryEntry> loadQueryHistory(const QString &path, int *badLines = nullptr);
void appendQueryHistory(const QString &path, const QueryHistoryEntry &e); // throws fd::Error
// The whole history as one file, written atomically; throws fd::Error.
void writeQueryHistory(const QString &path, const std::vector<QueryHistoryEntry> &entries);
// Two histories as one, oldest first (whatever order each is in); an entry in both is kept once.
std::vector<QueryHistoryEntry> mergeQueryHistories(std::vector<QueryHistoryEntry> a, std::vector<QueryHistoryEntry> b);

// Every run query, newest first, narrowed by a search (every word must occur, case-insensitively). A query run
// again right after itself stays one entry, with the time of its last run.
class QueryHistoryModel : public QAbstractListModel
{
    Q_OBJECT
public:
    static constexpr int RanAtRole = Qt::UserRole + 1;

    explicit QueryHistoryModel(QObject *parent = nullptr);

    void setEntries(std::vector<QueryHistoryEntry> entries); // oldest first
    void append(QueryHistoryEntry entry);
    void setFilter(const QString &text);
    QString filter() const { return m_filter; }
    const QueryHistoryEntry &entry(int row) const;
    std::size_t totalCount() const { return m_entries.size(); }
    const std::vector<QueryHistoryEntry> &entries() const { return m_entries; } // oldest first

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool matches(const QueryHistoryEntry &e) const;
    void rebuild();

    std::vector<QueryHistoryEntry> m_entries; // oldest first
    std::vector<int> m_rows;                  // indices into m_entries, newest first
    QString m_filter;
    QStringList m_words;
};

} // namespace fd

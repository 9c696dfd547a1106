#pragma once
#include "models/Workspace.h"
#include <QWidget>

class QLineEdit;
class QStandardItemModel;
class QTreeView;

namespace fd {

// The workspace's saved queries as a tree of folders ("a/b" nests), filtered as you type. Activating
// a query asks to open it (its snapshot when it has one); F2 renames or moves it; Delete removes it.
class SavedQueriesView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int QueryIndexRole = Qt::UserRole + 1; // index into queries(); -1 for a folder

    explicit SavedQueriesView(QWidget *parent = nullptr);

    void setQueries(std::vector<SavedQuery> queries);
    const std::vector<SavedQuery> &queries() const { return m_queries; }
    QTreeView *treeView() const { return m_tree; }
    QStandardItemModel *model() const { return m_model; }
    void setFilterText(const QString &text);
    // Renames (and, with a folder before a slash, moves) queries()[index]; the reason when it cannot.
    QString renameQuery(int index, const QString &path);

Q_SIGNALS:
    void openQuery(const SavedQuery &query);
    void queriesEdited(const std::vector<SavedQuery> &queries);
    // "Keep a snapshot" of queries()[index]: the owner runs it and stores the answer.
    void snapshotRequested(int index);

private:
    void fill();
    void removeCurrent();
    void askRenameCurrent();
    void dropCurrentSnapshot();
    int currentQueryIndex() const; // -1 when no saved query is current

    std::vector<SavedQuery> m_queries;
    QLineEdit *m_filter = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTreeView *m_tree = nullptr;
};

// "auth/errors" -> {"auth", "errors"}; empty parts dropped.
QStringList folderPath(const std::string &folder);
// A saved query's folder and name as typed: "auth/Login errors", or "Everything" outside folders.
QString savedQueryPath(const SavedQuery &q);
// Sets the folder and name from such a path; false (q unchanged) when no name follows the last slash.
bool setSavedQueryPath(SavedQuery &q, const QString &path);

} // namespace fd

#include "SavedQueriesView.h"
#include <QAction>
#include <QHeaderView>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QTreeView>
#include <QVBoxLayout>

namespace fd {

QStringList folderPath(const std::string &folder)
{
    return QString::fromStdString(folder).split(QLatin1Char('/'), Qt::SkipEmptyParts);
}

QString savedQueryPath(const SavedQuery &q)
{
    const QString name = QString::fromStdString(q.name);
    return q.folder.empty() ? name : QString::fromStdString(q.folder) + QLatin1Char('/') + name;
}

bool setSavedQueryPath(SavedQuery &q, const QString &path)
{
    const QString name = path.section(QLatin1Char('/'), -1).trimmed();
    if (name.isEmpty())
        return false;
    q.name = name.toStdString();
    q.folder = path.section(QLatin1Char('/'), 0, -2).trimmed().toStdString();
    return true;
}

namespace {
QStandardItem *folderItem(QStandardItem *parent, const QString &name)
{
    for (int row = 0; row < parent->rowCount(); ++row)
        if (parent->child(row)->data(SavedQueriesView::QueryIndexRole).toInt() < 0 && parent->child(row)->text() == name)
            return parent->child(row);
    auto *item = new QStandardItem(name);
    item->setData(-1, SavedQueriesView::QueryIndexRole);
    QFont bold = item->font();
    bold.setBold(true);
    item->setFont(bold);
    parent->appendRow(item);
    return item;
}

QString queryTip(const SavedQuery &q)
{
    const QString json = QString::fromStdString(queryToJson(q.query).dump(2));
    return q.snapshot ? QStringLiteral("Opens its snapshot: %1\n%2").arg(snapshotSummary(*q.snapshot), json) : json;
}
} // namespace

SavedQueriesView::SavedQueriesView(QWidget *parent)
    : QWidget(parent)
    , m_model(new QStandardItemModel(this))
{
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter saved queries…"));
    m_filter->setClearButtonEnabled(true);
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setHeaderHidden(true);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *remove = new QAction(tr("Delete saved query"), m_tree);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    m_tree->addAction(remove);
    auto *rename = new QAction(tr("Rename or move…"), m_tree);
    rename->setShortcut(Qt::Key_F2);
    rename->setShortcutContext(Qt::WidgetShortcut);
    m_tree->addAction(rename);
    auto *keep = new QAction(tr("Keep a snapshot of its answer"), m_tree);
    keep->setToolTip(tr("Runs it now over the current time range and keeps the answer in the workspace, to reopen offline"));
    m_tree->addAction(keep);
    auto *drop = new QAction(tr("Drop its snapshot"), m_tree);
    m_tree->addAction(drop);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &SavedQueriesView::fill);
    connect(remove, &QAction::triggered, this, &SavedQueriesView::removeCurrent);
    connect(rename, &QAction::triggered, this, &SavedQueriesView::askRenameCurrent);
    connect(keep, &QAction::triggered, this, [this] {
        if (const int i = currentQueryIndex(); i >= 0)
            Q_EMIT snapshotRequested(i);
    });
    connect(drop, &QAction::triggered, this, &SavedQueriesView::dropCurrentSnapshot);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const int i = index.data(QueryIndexRole).toInt();
        if (i >= 0 && i < static_cast<int>(m_queries.size()))
            Q_EMIT openQuery(m_queries[static_cast<std::size_t>(i)]);
    });
}

void SavedQueriesView::setQueries(std::vector<SavedQuery> queries)
{
    m_queries = std::move(queries);
    fill();
}

void SavedQueriesView::setFilterText(const QString &text) { m_filter->setText(text); }

void SavedQueriesView::fill()
{
    m_model->clear();
    const QString filter = m_filter->text().trimmed();
    for (std::size_t i = 0; i < m_queries.size(); ++i) {
        const SavedQuery &q = m_queries[i];
        const QString name = QString::fromStdString(q.name);
        const QStringList folders = folderPath(q.folder);
        if (!filter.isEmpty() && !name.contains(filter, Qt::CaseInsensitive)
            && !QString::fromStdString(q.folder).contains(filter, Qt::CaseInsensitive))
            continue;
        QStandardItem *parent = m_model->invisibleRootItem();
        for (const QString &folder : folders)
            parent = folderItem(parent, folder);
        auto *item = new QStandardItem(name);
        item->setData(static_cast<int>(i), QueryIndexRole);
        item->setToolTip(queryTip(q));
        if (q.snapshot)
            item->setIcon(style()->standardIcon(QStyle::SP_DriveHDIcon));
        parent->appendRow(item);
    }
    m_tree->expandAll();
}

int SavedQueriesView::currentQueryIndex() const
{
    const int i = m_tree->currentIndex().data(QueryIndexRole).toInt();
    return m_tree->currentIndex().isValid() && i >= 0 && i < static_cast<int>(m_queries.size()) ? i : -1;
}

void SavedQueriesView::dropCurrentSnapshot()
{
    const int i = currentQueryIndex();
    if (i < 0 || !m_queries[static_cast<std::size_t>(i)].snapshot)
        return;
    m_queries[static_cast<std::size_t>(i)].snapshot.reset();
    fill();
    Q_EMIT queriesEdited(m_queries);
}

QString SavedQueriesView::renameQuery(int index, const QString &path)
{
    if (index < 0 || index >= static_cast<int>(m_queries.size()))
        return tr("No saved query is chosen.");
    SavedQuery renamed = m_queries[static_cast<std::size_t>(index)];
    if (!setSavedQueryPath(renamed, path))
        return tr("A saved query needs a name after its folder, e.g. auth/Login errors.");
    for (std::size_t i = 0; i < m_queries.size(); ++i)
        if (static_cast<int>(i) != index && m_queries[i].name == renamed.name && m_queries[i].folder == renamed.folder)
            return tr("A saved query \"%1\" exists already.").arg(savedQueryPath(renamed));
    m_queries[static_cast<std::size_t>(index)] = std::move(renamed);
    fill();
    Q_EMIT queriesEdited(m_queries);
    return {};
}

void SavedQueriesView::askRenameCurrent()
{
    const int i = currentQueryIndex();
    if (i < 0)
        return;
    bool ok = false;
    const QString path = QInputDialog::getText(this, tr("Rename saved query"),
                                               tr("Name (a folder before a slash, e.g. auth/Login errors):"), QLineEdit::Normal,
                                               savedQueryPath(m_queries[static_cast<std::size_t>(i)]), &ok);
    if (!ok)
        return;
    if (const QString problem = renameQuery(i, path); !problem.isEmpty())
        QMessageBox::warning(this, tr("Rename saved query"), problem);
}

void SavedQueriesView::removeCurrent()
{
    const int i = currentQueryIndex();
    if (i < 0)
        return;
    m_queries.erase(m_queries.begin() + i);
    fill();
    Q_EMIT queriesEdited(m_queries);
}

} // namespace fd

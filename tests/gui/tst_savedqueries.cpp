// The saved-queries tree: folders nest by "/", the filter keeps matching names and folders, activating
// a query asks to open it, Delete removes it and reports the edit.

#include "widgets/SavedQueriesView.h"
#include "ModalDialogs.h"
#include <QAction>
#include <QInputDialog>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <QTreeView>

using namespace fd;

namespace {
SavedQuery saved(const char *folder, const char *name, const char *where)
{
    SavedQuery q;
    q.folder = folder;
    q.name = name;
    q.query.where = parseWhereList(where);
    return q;
}

std::vector<SavedQuery> sample()
{
    return {saved("auth", "Auth errors", "service.name = auth"), saved("auth/login", "Login failures", "url.path = /login"),
            saved("", "Everything", "severity >= INFO"), saved("checkout", "Checkout errors", "service.name = checkout")};
}
QAction *action(const SavedQueriesView &view, const char *text)
{
    for (QAction *a : view.treeView()->actions())
        if (a->text() == QString::fromUtf8(text))
            return a;
    qFatal("no action %s", text);
}
} // namespace

class TestSavedQueries : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void foldersNest()
    {
        SavedQueriesView view;
        view.setQueries(sample());
        QStandardItemModel *m = view.model();
        QCOMPARE(m->rowCount(), 3); // auth, Everything, checkout
        QStandardItem *auth = m->item(0);
        QCOMPARE(auth->text(), QStringLiteral("auth"));
        QCOMPARE(auth->rowCount(), 2); // Auth errors and the login folder
        QCOMPARE(auth->child(1)->text(), QStringLiteral("login"));
        QCOMPARE(auth->child(1)->child(0)->text(), QStringLiteral("Login failures"));
        QCOMPARE(auth->child(1)->child(0)->data(SavedQueriesView::QueryIndexRole).toInt(), 1);
        QCOMPARE(m->item(1)->text(), QStringLiteral("Everything"));
        QCOMPARE(folderPath("a//b/"), QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    }

    void filterKeepsMatches()
    {
        SavedQueriesView view;
        view.setQueries(sample());
        view.setFilterText(QStringLiteral("checkout"));
        QCOMPARE(view.model()->rowCount(), 1);
        QCOMPARE(view.model()->item(0)->child(0)->text(), QStringLiteral("Checkout errors"));
        view.setFilterText(QStringLiteral("LOGIN"));
        QCOMPARE(view.model()->item(0)->child(0)->child(0)->text(), QStringLiteral("Login failures"));
        view.setFilterText({});
        QCOMPARE(view.model()->rowCount(), 3);
    }

    void activateOpensAndDeleteRemoves()
    {
        SavedQueriesView view;
        view.setQueries(sample());
        QSignalSpy open(&view, &SavedQueriesView::openQuery);
        QSignalSpy edited(&view, &SavedQueriesView::queriesEdited);
        const QModelIndex everything = view.model()->item(1)->index();
        Q_EMIT view.treeView()->activated(view.model()->item(0)->index()); // a folder: nothing
        QCOMPARE(open.count(), 0);
        Q_EMIT view.treeView()->activated(everything);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).value<SavedQuery>().name, std::string("Everything"));

        view.treeView()->setCurrentIndex(everything);
        action(view, "Delete saved query")->trigger();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(view.queries().size(), std::size_t(3));
        QCOMPARE(view.model()->rowCount(), 2);
    }

    void renameMovesAndRefusesATakenName()
    {
        SavedQueriesView view;
        view.setQueries(sample());
        QSignalSpy edited(&view, &SavedQueriesView::queriesEdited);
        view.treeView()->setCurrentIndex(view.model()->item(1)->index()); // Everything
        QAction *rename = action(view, "Rename or move…");
        QCOMPARE(rename->shortcut(), QKeySequence(Qt::Key_F2));
        fdtest::whenOpen<QInputDialog>([](QInputDialog *dialog) {
            QCOMPARE(dialog->textValue(), QStringLiteral("Everything"));
            dialog->setTextValue(QStringLiteral("ops / All events"));
            dialog->accept();
        });
        rename->trigger();
        QCOMPARE(edited.count(), 1);
        QCOMPARE(view.queries()[2].name, std::string("All events"));
        QCOMPARE(view.queries()[2].folder, std::string("ops"));
        QCOMPARE(view.queries()[2].query.where, parseWhereList("severity >= INFO")); // the query itself is kept
        // A name another query has in the same folder is refused with a word; so is a folder without a name.
        QCOMPARE(view.renameQuery(2, QStringLiteral("auth/Auth errors")), QStringLiteral("A saved query \"auth/Auth errors\" exists already."));
        QVERIFY(!view.renameQuery(2, QStringLiteral("auth/")).isEmpty());
        QCOMPARE(edited.count(), 1);
        QVERIFY(view.renameQuery(2, QStringLiteral("ops/All events")).isEmpty()); // its own name again is fine
    }

    void snapshotActionsAskAndDrop()
    {
        std::vector<SavedQuery> queries = sample();
        auto frame = std::make_shared<Frame>();
        frame->columns = {{"time", ColumnType::Time, {Cell(std::int64_t(1))}}};
        queries[2].snapshot = Snapshot{3, {1, 2}, frame};
        SavedQueriesView view;
        view.setQueries(queries);
        QSignalSpy asked(&view, &SavedQueriesView::snapshotRequested);
        QSignalSpy edited(&view, &SavedQueriesView::queriesEdited);
        QStandardItem *everything = view.model()->item(1);
        QVERIFY(!everything->icon().isNull());
        QVERIFY(everything->toolTip().startsWith(QStringLiteral("Opens its snapshot: 1 row of ")));
        view.treeView()->setCurrentIndex(everything->index());
        action(view, "Keep a snapshot of its answer")->trigger();
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).toInt(), 2);
        action(view, "Drop its snapshot")->trigger();
        QCOMPARE(edited.count(), 1);
        QVERIFY(!view.queries()[2].snapshot);
        QVERIFY(view.model()->item(1)->icon().isNull());
    }
};

QTEST_MAIN(TestSavedQueries)
#include "tst_savedqueries.moc"

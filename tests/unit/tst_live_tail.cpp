// The live tail over the embedded store: rows come in the order they arrive, whatever their time.
#include "connectors/store/Store.h"
#include "models/EventTableModel.h"
#include "EventTableText.h"

#include <QGuiApplication>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

void add(Store &store, const std::vector<std::pair<TimeNs, std::string>> &rows)
{
    TelemetryBatch batch;
    for (const auto &row : rows) {
        LogRecord r;
        r.time = row.first;
        r.severity = 9;
        r.service = "auth";
        r.body = row.second;
        batch.logs.push_back(r);
    }
    store.insert(batch);
}

Query logsQuery(int limit)
{
    Query q;
    q.signal = Signal::Logs;
    q.limit = limit;
    return q;
}

QStringList bodiesOf(const Frame &f)
{
    QStringList out;
    const int body = f.columnIndex("body");
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        out << QString::fromStdString(cellToString(f.cell(r, std::size_t(body))));
    return out;
}

QString q(const char *text)
{
    return QString::fromUtf8(text);
}

} // namespace

class TestLiveTail : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storeQueriesCarryArrivalMarks()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(q("tail.sqlite"));
        Store store(path);
        const TimeNs t0 = nowNs() - kHour;
        const TimeRange range { t0, t0 + 2 * kHour };
        add(store, { { t0 + 10, "a" }, { t0 + 20, "b" } });
        StoreSource source("store", path);
        QVERIFY(source.capabilities().arrivalOrder);

        const Frame first = source.query(logsQuery(100), range, nullptr);
        QCOMPARE(first.arrivalMark, 2);
        QCOMPARE(bodiesOf(first), QStringList({ q("b"), q("a") }));

        add(store, { { t0 + 5, "late" }, { t0 + 30, "new" } });
        Query tail = logsQuery(100);
        tail.arrivedAfter = first.arrivalMark;
        const Frame arrived = source.query(tail, range, nullptr);
        QCOMPARE(bodiesOf(arrived), QStringList({ q("late"), q("new") })); // in arrival order, not by time
        QCOMPARE(arrived.columns.size(), first.columns.size()); // the id is read, not returned
        QCOMPARE(arrived.arrivalMark, 4);
        QVERIFY(QString::fromStdString(arrived.nativeQuery).contains(q("l.id > 2")));

        Query searched = tail; // a tail does not match the full-text index over the whole history
        searched.search = "late";
        const Frame found = source.query(searched, range, nullptr);
        QCOMPARE(bodiesOf(found), QStringList({ q("late") }));
        QVERIFY(!QString::fromStdString(found.nativeQuery).contains(q("logs_fts")));

        tail.limit = 1; // truncated: the mark is that of the last row returned, the next one is still to come
        const Frame firstOfTwo = source.query(tail, range, nullptr);
        QCOMPARE(bodiesOf(firstOfTwo), QStringList({ q("late") }));
        QCOMPARE(firstOfTwo.arrivalMark, 3);

        Query pages = logsQuery(100); // further pages of the first result: as it was
        pages.arrivedUpTo = first.arrivalMark;
        const Frame page = source.query(pages, range, nullptr);
        QCOMPARE(bodiesOf(page), QStringList({ q("b"), q("a") }));
        QCOMPARE(page.arrivalMark, -1); // its mark is the first page's: not read again
        QVERIFY(QString::fromStdString(source.compile(pages, range)).contains(q("ORDER BY time DESC")));

        Query count = logsQuery(100);
        count.agg = parseAggregate("count");
        QCOMPARE(source.query(count, range, nullptr).arrivalMark, -1); // aggregates have no mark

        Query countSince = count; // a count of the first result, as it was
        countSince.arrivedUpTo = first.arrivalMark;
        QCOMPARE(cellToInt(source.query(countSince, range, nullptr).columns.back().cells.front()), 2);

        store.clear(); // ids start again, below the tail's mark: it goes on from the newest row left
        tail.limit = 100;
        tail.arrivedAfter = 4;
        const Frame afterClear = source.query(tail, range, nullptr);
        QCOMPARE(afterClear.rowCount(), std::size_t(0));
        QCOMPARE(afterClear.arrivalMark, 0);
        add(store, { { t0 + 1, "after clear" } });
        tail.arrivedAfter = afterClear.arrivalMark;
        QCOMPARE(bodiesOf(source.query(tail, range, nullptr)), QStringList({ q("after clear") }));
    }

    void tailGoesOnAfterTheStoreIsCleared()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(q("tail.sqlite"));
        Store store(path);
        const TimeNs t0 = nowNs() - kHour;
        add(store, { { t0, "a" }, { t0 + kSecond, "b" }, { t0 + 2 * kSecond, "c" } });
        EventTableModel model;
        model.start(std::make_shared<StoreSource>("store", path), logsQuery(100), { t0, nowNs() });
        QTRY_COMPARE(model.rowCount(), 3);
        QTRY_VERIFY(!model.isLoading());
        model.fetchNewer();
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 3); // nothing new, nothing twice
        // Emptied, and rows stored again before the next poll, reusing ids at or below the tail's mark (found
        // by review: the tail missed them): the result is read again.
        store.clear();
        add(store, { { t0 + kSecond, "d, stored after the clear" }, { t0 + 2 * kSecond, "d2" } });
        model.fetchNewer();
        QTRY_COMPARE(fdtest::bodies(model), QStringList({ q("d2"), q("d, stored after the clear") }));
        QTRY_VERIFY(!model.isLoading());
        add(store, { { t0 + 3 * kDay, "e, stamped days ahead" } }); // a clock far ahead: still shown
        model.fetchNewer();
        QTRY_COMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, EventTableModel::BodyColumn).data().toString(), q("e, stamped days ahead"));
        QVERIFY(model.sortText().contains(q("the tail added on top")));
    }

    // The tail used to ask for rows newer than the newest shown, so a batch whose records were stamped a
    // second before the last one shown (two services exporting on their own timers) never appeared.
    void tailShowsLateRowsOnceOnTop()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(q("tail.sqlite"));
        Store store(path);
        const TimeNs t0 = nowNs() - kHour;
        std::vector<std::pair<TimeNs, std::string>> rows;
        for (int i = 0; i < 10; ++i)
            rows.push_back({ t0 + i * kSecond, "r" + std::to_string(i) });
        add(store, rows);

        EventTableModel model; // no QAbstractItemModelTester: it would fetch every page at once
        model.start(std::make_shared<StoreSource>("store", path), logsQuery(5), { t0, nowNs() });
        QTRY_COMPARE(model.rowCount(), 5);
        QTRY_VERIFY(!model.isLoading());
        QTRY_COMPARE(model.totalCount(), 10);

        add(store, { { t0 + 500 * kMillisecond, "late, older than every row loaded" } });
        // Stamped before the range: outside the result, as the histogram and an export count it.
        add(store, { { t0 - kSecond, "late, before the range" } });
        add(store, { { t0 + 7500 * kMillisecond, "late, among the rows loaded" }, { nowNs(), "new" } });
        model.fetchNewer();
        QTRY_COMPARE(model.rowCount(), 8);
        QCOMPARE(fdtest::bodies(model).mid(0, 4), QStringList({ q("new"), q("late, among the rows loaded"),
                                                          q("late, older than every row loaded"), q("r9") }));
        QCOMPARE(model.totalCount(), 13);
        model.fetchNewer();
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 8); // nothing twice

        // Paging down continues the first result as it was: the late rows are not loaded a second time.
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QTRY_VERIFY(!model.isLoading());
        }
        const QStringList all = fdtest::bodies(model);
        QCOMPARE(all.size(), 13);
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 13);
        QCOMPARE(all.back(), q("r0"));
        QCOMPARE(model.totalCount(), 13);
    }

    // Exploratory test: rows stored while the table was sorted by a column (the tail waits then) and stamped after
    // the range's end were never shown: going back to newest first ran the query over the range again, and the
    // tail went on after the rows stored. A tailed model runs it again up to now.
    void rowsStoredWhileSortedAreShownAfter()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(q("tail.sqlite"));
        Store store(path);
        const TimeNs t0 = nowNs() - kMinute;
        add(store, { { t0, "a" } });
        EventTableModel model;
        model.start(std::make_shared<StoreSource>("store", path), logsQuery(100), { t0 - kHour, nowNs() });
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.canTail());
        model.fetchNewer();
        QTRY_VERIFY(!model.isLoading());
        model.sort(EventTableModel::ServiceColumn, Qt::AscendingOrder); // on the store: the query again, by service
        QTRY_VERIFY(!model.isLoading());
        QVERIFY(!model.canTail());
        add(store, { { nowNs() + kSecond, "b, while sorted" } });
        model.fetchNewer(); // waits
        model.sort(EventTableModel::TimeColumn, Qt::DescendingOrder);
        QTRY_VERIFY(!model.isLoading());
        QVERIFY(model.canTail());
        QTRY_COMPARE(fdtest::bodies(model), QStringList({ q("b, while sorted"), q("a") }));
        add(store, { { nowNs() + 2 * kSecond, "c" } });
        model.fetchNewer();
        QTRY_COMPARE(fdtest::bodies(model), QStringList({ q("c"), q("b, while sorted"), q("a") }));
    }
};

// QGuiApplication (the model's colours and fonts), not what QTEST_MAIN picks: in the asan preset the
// precompiled headers define QT_WIDGETS_LIB, and this test does not link Widgets.
int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestLiveTail test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_live_tail.moc"

// The event table over the embedded store sorted by a column other than time: every row of the result in
// that order, page after page, not only the rows loaded.
#include "connectors/store/SqlCompiler.h"
#include "connectors/store/Store.h"
#include "models/EventTableModel.h"
#include "EventTableText.h"

#include <QGuiApplication>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

const char *const kServices[] = { "checkout", "auth", "billing", "api" };

// 25 rows a second apart: services in turn, severities 1..21 in steps of 5, a "tier" on every third row only.
TimeNs fill(Store &store)
{
    const TimeNs t0 = nowNs() - kHour;
    TelemetryBatch batch;
    for (int i = 0; i < 25; ++i) {
        LogRecord r;
        r.time = t0 + i * kSecond;
        r.severity = 1 + 5 * (i % 5);
        r.service = kServices[i % 4];
        r.body = "row " + std::to_string(i);
        if (i % 3 == 0)
            r.attributes = Json { { "tier", i } };
        batch.logs.push_back(r);
    }
    store.insert(batch);
    return t0;
}

// A new store holding the rows of fill().
struct FilledStore {
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("sort.sqlite"));
    Store store { path };
    TimeNs t0 = fill(store);
};

Query logsQuery(int limit)
{
    Query q;
    q.signal = Signal::Logs;
    q.limit = limit;
    return q;
}

QString q(const char *text)
{
    return QString::fromUtf8(text);
}

void loadAll(EventTableModel &model)
{
    while (model.canFetchMore({})) {
        model.fetchMore({});
        QTRY_VERIFY(!model.isLoading());
    }
}

// Rows newest first, a second apart, with a user.rank attribute in a scrambled order.
FramePtr rankedRows(int rows)
{
    auto frame = std::make_shared<Frame>();
    frame->columns = { { "time", ColumnType::Time, {} }, { "severity", ColumnType::Int64, {} },
        { "service.name", ColumnType::String, {} }, { "body", ColumnType::String, {} },
        { "attributes", ColumnType::Json, {} } };
    for (int i = 0; i < rows; ++i) {
        frame->columns[0].cells.emplace_back(std::int64_t(kHour + (rows - i) * kSecond));
        frame->columns[1].cells.emplace_back(std::int64_t(9));
        frame->columns[2].cells.emplace_back(std::string(kServices[i % 4]));
        frame->columns[3].cells.emplace_back("row " + std::to_string(i));
        frame->columns[4].cells.emplace_back("{\"user\": {\"rank\": \"" + std::to_string(100000 + (i * 7919) % rows) + "\"}}");
    }
    return frame;
}

} // namespace

class TestEventSort : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void compilesTheOrderAndTheOffset()
    {
        Query query = logsQuery(100);
        query.sortField = "http.status";
        query.sortDescending = true;
        query.rowOffset = 2000;
        const std::string sql = compileQuery(query, { 0, kHour }).sql;
        QVERIFY2(sql.find("ORDER BY COALESCE(json_extract(l.attrs") != std::string::npos, sql.c_str());
        QVERIFY2(sql.find(") DESC NULLS LAST, time DESC, l.id DESC LIMIT 101 OFFSET 2000") != std::string::npos, sql.c_str());
        // By service over the stored span: the (service, time) index's order, told by the time bounds' likelihood.
        query.sortField = "service.name";
        const std::string byService = compileQuery(query, { 0, kHour }, true, TimeRange { 0, kHour }).sql;
        QVERIFY2(byService.find("likelihood(l.time >= ") != std::string::npos
                     && byService.find("ORDER BY l.service DESC, time DESC, l.id DESC") != std::string::npos,
                 byService.c_str());
        // The count of the whole result joins the resources only when a condition reads them.
        const std::string count = compileQuery(query, { 0, kHour }).countSql;
        QVERIFY2(count.starts_with("SELECT COUNT(*) FROM logs l WHERE"), count.c_str());
        query.where = parseWhereList("region = eu");
        QVERIFY(compileQuery(query, { 0, kHour }).countSql.find("LEFT JOIN resources") != std::string::npos);
        query.where.clear();
        query.sortField.clear();
        query.rowOffset = 0;
        const std::string byTime = compileQuery(query, { 0, kHour }).sql;
        QVERIFY2(byTime.find("ORDER BY time DESC LIMIT 101") != std::string::npos && byTime.find("OFFSET") == std::string::npos,
                 byTime.c_str());
    }

    // An export of the whole result reads one statement a page at a time: every row once, in the order asked,
    // the columns of an empty result; a limit still cuts; an aggregate is one page.
    void pagesOfTheWholeResult()
    {
        FilledStore filled;
        Store &store = filled.store;
        const TimeRange range{filled.t0, nowNs() + kHour};
        Query q = logsQuery(0);
        q.sortField = "service.name";
        std::vector<Frame> pages;
        const auto keep = [&pages](const Frame &page) { pages.push_back(page); };
        const auto text = [](const Frame &f, std::size_t row, const char *column) {
            return QString::fromStdString(cellToString(f.cell(row, static_cast<std::size_t>(f.columnIndex(column)))));
        };
        QVERIFY(!store.queryPages(q, range, {}, 10, keep));
        QCOMPARE(pages.size(), std::size_t(3));
        QStringList services, bodies;
        for (const Frame &page : pages) {
            QVERIFY(page.rowCount() <= 10);
            for (std::size_t r = 0; r < page.rowCount(); ++r) {
                services << text(page, r, "service.name");
                bodies << text(page, r, "body");
            }
        }
        QCOMPARE(bodies.size(), 25);
        // No LIMIT at all: with one, SQLite sorts in a b-tree instead of its merge sorter.
        QVERIFY(compileQuery(q, range).sql.find("LIMIT") == std::string::npos);
        q.limit = 1000;
        const Frame whole = store.query(q, range);
        QStringList wholeBodies;
        for (std::size_t r = 0; r < whole.rowCount(); ++r)
            wholeBodies << text(whole, r, "body");
        QCOMPARE(bodies, wholeBodies); // the same rows in the same order
        QCOMPARE(services.first(), QStringLiteral("api"));

        pages.clear();
        q.limit = 12;
        QVERIFY(store.queryPages(q, range, {}, 10, keep)); // cut
        QCOMPARE(pages.size(), std::size_t(2));
        QCOMPARE(pages[0].rowCount() + pages[1].rowCount(), std::size_t(12));

        pages.clear();
        q.limit = 0;
        q.search = "no such row";
        QVERIFY(!store.queryPages(q, range, {}, 10, keep));
        QCOMPARE(pages.size(), std::size_t(1));
        QCOMPARE(pages[0].rowCount(), std::size_t(0));
        QVERIFY(pages[0].columnIndex("body") >= 0);

        // Through the source the Events view has: pages of 10,000, asked for every row.
        pages.clear();
        q.search.clear();
        StoreSource source("store", filled.path);
        QVERIFY(source.capabilities().pagedRows);
        QVERIFY(!source.queryPages(q, range, {}, keep));
        QCOMPARE(pages.size(), std::size_t(1));
        QCOMPARE(pages[0].rowCount(), std::size_t(25));

        pages.clear();
        Query count = logsQuery(0);
        count.agg = parseAggregate("count");
        QVERIFY(!store.queryPages(count, range, {}, 10, keep));
        QCOMPARE(pages.size(), std::size_t(1));
        QCOMPARE(cellToInt(pages[0].cell(0, 0)), 25);
    }

    void sortsTheWholeResultByService()
    {
        FilledStore filled;
        Store &store = filled.store;
        const QString &path = filled.path;
        const TimeNs t0 = filled.t0;
        auto source = std::make_shared<StoreSource>("store", path);

        EventTableModel model; // no QAbstractItemModelTester: it would fetch every page at once
        model.start(source, logsQuery(10), { t0, nowNs() + kHour });
        QTRY_COMPARE(model.rowCount(), 10);
        QTRY_VERIFY(!model.isLoading());
        const auto tip = [&model](int column) { return model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString(); };
        QVERIFY2(tip(EventTableModel::ServiceColumn).contains(q("whole result")), qPrintable(tip(EventTableModel::ServiceColumn)));
        QCOMPARE(fdtest::bodies(model).first(), q("row 24"));

        model.sort(EventTableModel::ServiceColumn, Qt::AscendingOrder);
        QVERIFY(model.isSortedByField() && !model.isSorted());
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(fdtest::column(model, EventTableModel::ServiceColumn).first(), q("api")); // of the whole result, not of the rows loaded
        loadAll(model);
        QCOMPARE(model.rowCount(), 25);
        QCOMPARE(model.totalCount(), 25);
        const QStringList services = fdtest::column(model, EventTableModel::ServiceColumn);
        QStringList sorted = services;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(services, sorted);
        const QStringList bodies = fdtest::bodies(model);
        QCOMPARE(QSet<QString>(bodies.begin(), bodies.end()).size(), 25); // each row once across the pages
        // Ties newest first: "api" is rows 3, 7, 11, 15, 19, 23.
        QCOMPARE(bodies.mid(0, 6), QStringList({ q("row 23"), q("row 19"), q("row 15"), q("row 11"), q("row 7"), q("row 3") }));
        QVERIFY2(model.sortText().startsWith(q("every row of the result by Service (ascending)")), qPrintable(model.sortText()));

        // The tail adds on top of time order only.
        TelemetryBatch later;
        later.logs.push_back(LogRecord {});
        later.logs.back().time = nowNs();
        later.logs.back().service = "aaa"; // first by service, were it let in
        later.logs.back().body = "new";
        store.insert(later);
        model.fetchNewer();
        QTest::qWait(200);
        QCOMPARE(model.rowCount(), 25);

        // Newest first again: the query runs in time order and pages by time.
        model.sort(EventTableModel::TimeColumn, Qt::DescendingOrder);
        QVERIFY(!model.isSortedByField());
        QTRY_VERIFY(!model.isLoading());
        QCOMPARE(fdtest::bodies(model).first(), q("new"));
    }

    void sortsByAnAttributeWithRowsWithoutItLast()
    {
        FilledStore filled;
        const QString &path = filled.path;
        const TimeNs t0 = filled.t0;
        EventTableModel model;
        model.setExtraColumns({ q("tier") });
        model.sort(EventTableModel::FixedColumnCount, Qt::DescendingOrder);
        model.start(std::make_shared<StoreSource>("store", path), logsQuery(4), { t0, nowNs() });
        QTRY_VERIFY(model.rowCount() > 0 && !model.isLoading());
        QVERIFY(model.isSortedByField());
        loadAll(model);
        const QStringList tiers = fdtest::column(model, EventTableModel::FixedColumnCount);
        QCOMPARE(tiers.size(), 25);
        QCOMPARE(tiers.mid(0, 9), QStringList({ q("24"), q("21"), q("18"), q("15"), q("12"), q("9"), q("6"), q("3"), q("0") }));
        for (const QString &t : tiers.mid(9))
            QVERIFY(t.isEmpty());

        model.sort(EventTableModel::SeverityColumn, Qt::AscendingOrder);
        QTRY_VERIFY(model.rowCount() > 0 && !model.isLoading());
        loadAll(model);
        QStringList severities = fdtest::column(model, EventTableModel::SeverityColumn);
        QCOMPARE(severities.size(), 25);
        QCOMPARE(severities.first(), severities.at(4)); // the five of the lowest severity first
        QVERIFY(severities.at(4) != severities.at(5));
        QCOMPARE(fdtest::bodies(model).first(), q("row 20"));
    }

    // Found by review: sorting the same column again sorted the loaded rows here and stopped the paging; a
    // snapshot after a sort on the server sorted nothing (and a click then ran a query without a source); a
    // sorted extra column that goes away left the sort on a column past the end.
    void aSortOnTheServerStaysConsistent()
    {
        FilledStore filled;
        Store &store = filled.store;
        const QString &path = filled.path;
        const TimeNs t0 = filled.t0;
        auto source = std::make_shared<StoreSource>("store", path);
        EventTableModel model;
        model.setExtraColumns({ q("tier"), q("id") });
        model.start(source, logsQuery(4), { t0, nowNs() });
        QTRY_VERIFY(model.rowCount() > 0 && !model.isLoading());

        model.sort(EventTableModel::ServiceColumn, Qt::AscendingOrder);
        QTRY_VERIFY(model.isSortedByField() && !model.isLoading());
        model.sort(EventTableModel::ServiceColumn, Qt::AscendingOrder);
        QVERIFY(!model.isSorted() && !model.isLoading());
        QVERIFY(model.canFetchMore({}));

        // The extra column "id" is the attribute, not the store's row id: no row has one, so the order is the
        // tie-break alone (newest first).
        model.sort(EventTableModel::FixedColumnCount + 1, Qt::AscendingOrder);
        QTRY_VERIFY(model.isSortedByField() && !model.isLoading());
        QVERIFY(model.query().sortByAttribute);
        QCOMPARE(fdtest::bodies(model).first(), q("row 24"));

        // The sorted key moves with its column; gone, the rows are newest first again over the whole result.
        model.sort(EventTableModel::FixedColumnCount + 1, Qt::DescendingOrder);
        QTRY_VERIFY(model.query().sortDescending && !model.isLoading());
        model.setExtraColumns({ q("id") });
        QCOMPARE(model.headerData(EventTableModel::FixedColumnCount, Qt::Horizontal, Qt::ToolTipRole).toString().left(7), q("Sorted:"));
        model.sort(EventTableModel::FixedColumnCount, Qt::DescendingOrder); // the same: nothing to run
        QVERIFY(!model.isLoading());
        model.setExtraColumns({ q("tier") });
        QVERIFY(!model.isSortedByField());
        QTRY_VERIFY(model.rowCount() > 0 && !model.isLoading());
        QCOMPARE(fdtest::bodies(model).first(), q("row 24"));

        // A snapshot's fixed rows sort here.
        model.sort(EventTableModel::ServiceColumn, Qt::AscendingOrder);
        QTRY_VERIFY(model.isSortedByField() && !model.isLoading());
        Frame snapshot = store.query(logsQuery(3), { t0, nowNs() });
        model.setFrame(std::make_shared<const Frame>(std::move(snapshot)));
        QVERIFY(!model.isSortedByField());
        QCOMPARE(fdtest::column(model, EventTableModel::ServiceColumn), QStringList({ q("api"), q("billing"), q("checkout") }));
        model.sort(EventTableModel::BodyColumn, Qt::DescendingOrder);
        QVERIFY(model.isSorted() && !model.isLoading());
        QCOMPARE(fdtest::bodies(model), QStringList({ q("row 24"), q("row 23"), q("row 22") }));
    }

    // Found by a review of the GUI thread: a snapshot's rows were made into a page on it (200,000 rows, the limit a
    // saved query may keep). Past kFrameHereRows they are made off it, loading meanwhile.
    void aLargeSnapshotIsReadOffTheGuiThread()
    {
        const int rows = int(EventTableModel::kFrameHereRows) + 1;
        EventTableModel model;
        QSignalSpy loading(&model, &EventTableModel::loadingChanged);
        model.setFrame(rankedRows(rows));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!loading.isEmpty() && loading.last().at(0).toBool());
        QTRY_COMPARE(model.rowCount(), rows);
        QVERIFY(!loading.last().at(0).toBool());
        QCOMPARE(fdtest::bodies(model).first(), q("row 0"));
        model.setFrame(rankedRows(3)); // a small one at once
        QCOMPARE(model.rowCount(), 3);
    }

    // Found by a review of the GUI thread: the loaded rows were sorted on it, 0.43 s for 100,000 rows by a JSON
    // attribute. Past kSortHereRows they sort off it; the rows keep their order until the new one is shown,
    // and a cancel keeps the order shown and says which it is.
    void manyLoadedRowsSortOffTheGuiThread()
    {
        constexpr int kRows = int(EventTableModel::kSortHereRows) + 1000;
        const FramePtr frame = rankedRows(kRows);
        EventTableModel model;
        model.setExtraColumns({ q("user.rank") });
        model.setFrame(frame);
        QSignalSpy shown(&model, &EventTableModel::orderShown);

        model.sort(EventTableModel::FixedColumnCount, Qt::AscendingOrder);
        QVERIFY(model.isSorting() && model.isLoading());
        QCOMPARE(fdtest::bodies(model).first(), q("row 0")); // as loaded until the order comes
        QVERIFY2(model.sortText().startsWith(q("sorting the 6000 loaded rows by user.rank")), qPrintable(model.sortText()));
        QVERIFY(!model.canFetchMore({}));
        QTRY_VERIFY(model.isSorted() && !model.isSorting());
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown[0][0].toInt(), int(EventTableModel::FixedColumnCount));
        const QStringList ranks = fdtest::column(model, EventTableModel::FixedColumnCount);
        QCOMPARE(ranks.size(), kRows);
        QVERIFY(std::is_sorted(ranks.begin(), ranks.end()));
        QCOMPARE(ranks.first(), q("100000"));

        // Cancelled: the order shown stays, and is said (the header goes back to it).
        model.sort(EventTableModel::ServiceColumn, Qt::DescendingOrder);
        QVERIFY(model.isSorting());
        model.cancel();
        QVERIFY(!model.isSorting() && !model.isLoading());
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown[1][0].toInt(), int(EventTableModel::FixedColumnCount));
        QCOMPARE(shown[1][1].value<Qt::SortOrder>(), Qt::AscendingOrder);
        QCOMPARE(fdtest::column(model, EventTableModel::FixedColumnCount), ranks);
        QTest::qWait(300); // the cancelled sort's result, had it come, would be dropped
        QCOMPARE(fdtest::column(model, EventTableModel::FixedColumnCount), ranks);

        // Back to time: at once, as loaded.
        model.sort(EventTableModel::TimeColumn, Qt::DescendingOrder);
        QVERIFY(!model.isSorted() && !model.isSorting());
        QCOMPARE(fdtest::bodies(model).first(), q("row 0"));

        // Found by review: a column put before the sorted one while it sorts moved it; the sort landed on the
        // wrong column, and the next reset read a key past the end.
        model.setExtraColumns({ q("other"), q("user.rank") });
        model.sort(EventTableModel::FixedColumnCount + 1, Qt::DescendingOrder);
        QVERIFY(model.isSorting());
        model.setExtraColumns({ q("user.rank") });
        QTRY_VERIFY(model.isSorted() && !model.isSorting());
        QCOMPARE(shown.last()[0].toInt(), int(EventTableModel::FixedColumnCount));
        QStringList descending = ranks;
        std::reverse(descending.begin(), descending.end());
        QCOMPARE(fdtest::column(model, EventTableModel::FixedColumnCount), descending);
    }
};

// QGuiApplication (the model's colours and fonts), not what QTEST_MAIN picks: in the asan preset the
// precompiled headers define QT_WIDGETS_LIB, and this test does not link Widgets.
int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    TestEventSort test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_event_sort.moc"

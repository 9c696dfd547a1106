#include "EventRowsSource.h"
#include "models/EventTableModel.h"
#include "widgets/EventsView.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace fd;
using fdtest::EventRowsSource;
using fdtest::LogRow;

namespace {

constexpr TimeNs kT0 = 1'780'000'000'000'000'000LL;

QString q(const char *text)
{
    return QString::fromUtf8(text);
}

// Ten rows, three sharing one nanosecond and two another, so that page boundaries fall inside ties.
std::vector<LogRow> tiedRows()
{
    const std::vector<std::pair<int, const char *>> spec = {{100, "r100"}, {90, "r90"},  {80, "r80a"}, {80, "r80b"},
                                                            {80, "r80c"},  {70, "r70"},  {60, "r60"},  {50, "r50a"},
                                                            {50, "r50b"},  {40, "r40"}};
    std::vector<LogRow> rows;
    for (const auto &[offset, body] : spec)
        rows.push_back({kT0 + offset, 9, "auth", body, fd::Json::object(), {}});
    return rows;
}

std::vector<LogRow> manyRows(int n)
{
    std::vector<LogRow> rows;
    const char *services[] = {"auth", "checkout", "frontend", "payments"};
    for (int i = 0; i < n; ++i) {
        LogRow r;
        r.time = kT0 + TimeNs(i) * 1'000'000; // 1 ms apart, row i
        r.severity = i % 10 == 0 ? 17 : 9;
        r.service = services[i % 4];
        r.body = "request " + std::to_string(i) + (i % 7 == 0 ? " timeout" : " ok");
        r.attributes = {{"http.response.status_code", i % 10 == 0 ? 503 : 200}, {"user.id", "u-" + std::to_string(i % 3)}};
        rows.push_back(std::move(r));
    }
    return rows;
}

QStringList bodies(const EventTableModel &model)
{
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r)
        out << model.index(r, EventTableModel::BodyColumn).data().toString();
    return out;
}

std::vector<TimeNs> times(const EventTableModel &model)
{
    std::vector<TimeNs> out;
    for (int r = 0; r < model.rowCount(); ++r)
        out.push_back(model.timeAt(r) - kT0);
    return out;
}

Query logsQuery(int limit)
{
    Query query;
    query.limit = limit;
    return query;
}

} // namespace

class TestEventsExplorer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pagesByKeysetAcrossTies()
    {
        auto source = std::make_shared<EventRowsSource>(tiedRows());
        source->reportTotal = false; // the total then comes from a count query
        EventTableModel model;
        model.start(source, logsQuery(4), {kT0, kT0 + 1000});
        QTRY_COMPARE(model.rowCount(), 4);
        QTRY_COMPARE(model.totalCount(), qint64(10));
        QCOMPARE(model.countText(), q("4 loaded of 10"));
        QCOMPARE(times(model), (std::vector<TimeNs>{100, 90, 80, 80}));
        QVERIFY(model.canFetchMore({}));

        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 8);
        // The next page: up to the oldest loaded time inclusive, two more rows for the two loaded at 80.
        auto calls = source->rowCalls();
        QCOMPARE(calls.size(), std::size_t(2));
        QCOMPARE(calls[1].range.from, kT0);
        QCOMPARE(calls[1].range.to, kT0 + 81);
        QCOMPARE(calls[1].query.limit, 6);
        QCOMPARE(times(model), (std::vector<TimeNs>{100, 90, 80, 80, 80, 70, 60, 50}));

        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QTRY_COMPARE(model.rowCount(), 10);
        calls = source->rowCalls();
        QCOMPARE(calls[2].range.to, kT0 + 51);
        QCOMPARE(calls[2].query.limit, 5);
        QTRY_VERIFY(!model.isLoading());
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(times(model), (std::vector<TimeNs>{100, 90, 80, 80, 80, 70, 60, 50, 50, 40}));
        QStringList sorted = bodies(model);
        sorted.sort();
        QCOMPARE(sorted, (QStringList{q("r100"), q("r40"), q("r50a"), q("r50b"), q("r60"), q("r70"), q("r80a"),
                                      q("r80b"), q("r80c"), q("r90")}));
        QCOMPARE(model.countText(), q("10 loaded of 10"));
    }

    void pagesUnderTheModelTester()
    {
        // The tester itself calls fetchMore() after every change: the whole result loads, each row once.
        auto source = std::make_shared<EventRowsSource>(tiedRows());
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.start(source, logsQuery(3), {kT0, kT0 + 1000});
        QTRY_COMPARE(model.rowCount(), 10);
        QTRY_VERIFY(!model.canFetchMore({}));
        QCOMPARE(times(model), (std::vector<TimeNs>{100, 90, 80, 80, 80, 70, 60, 50, 50, 40}));
        const QStringList loaded = bodies(model);
        QCOMPARE(QSet<QString>(loaded.begin(), loaded.end()).size(), 10);
        QCOMPARE(model.totalCount(), qint64(10)); // the store's total of the first page
    }

    void pagesAManyRowTieAtTheBoundary()
    {
        // More rows in one nanosecond than a page holds: each page still brings new rows, none twice.
        std::vector<LogRow> rows;
        for (int i = 0; i < 7; ++i)
            rows.push_back({kT0 + 5, 9, "auth", "same-" + std::to_string(i), fd::Json::object(), {}});
        rows.push_back({kT0 + 1, 9, "auth", "older", fd::Json::object(), {}});
        auto source = std::make_shared<EventRowsSource>(rows);
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.start(source, logsQuery(2), {kT0, kT0 + 100});
        QTRY_COMPARE(model.rowCount(), 8);
        QTRY_VERIFY(!model.canFetchMore({}));
        QStringList got = bodies(model);
        QCOMPARE(got.last(), q("older"));
        got.sort();
        QCOMPARE(got, (QStringList{q("older"), q("same-0"), q("same-1"), q("same-2"), q("same-3"), q("same-4"),
                                   q("same-5"), q("same-6")}));
    }

    void viewPagesInWhenScrolledToTheEnd()
    {
        auto source = std::make_shared<EventRowsSource>(manyRows(2500));
        EventsView view;
        view.resize(1100, 600);
        view.setSource(source);
        view.setTimeRange({kT0, kT0 + kHour});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.refresh();
        auto *table = view.findChild<QTableView *>(q("eventTable"));
        auto *count = view.findChild<QLabel *>(q("countLabel"));
        QTRY_COMPARE(table->model()->rowCount(), EventsView::kRowLimit);
        QTRY_COMPARE(count->text(), q("1000 loaded of 2500"));
        QCOMPARE(table->model()->index(0, EventTableModel::BodyColumn).data().toString(), q("request 2499 timeout"));

        // Ctrl+End in the table scrolls to the last row; the view then asks the model for more.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 1)).center());
        QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
        QTRY_COMPARE(table->model()->rowCount(), 2000);
        QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
        QTRY_COMPARE(table->model()->rowCount(), 2500);
        QTRY_COMPARE(count->text(), q("2500 loaded of 2500"));
        QCOMPARE(table->model()->index(2499, EventTableModel::BodyColumn).data().toString(), q("request 0 timeout"));
        QCOMPARE(table->model()->index(1000, EventTableModel::BodyColumn).data().toString(), q("request 1499 ok"));
        const auto calls = source->rowCalls();
        QCOMPARE(calls.size(), std::size_t(3));
        QCOMPARE(calls[1].range.to, kT0 + 1500 * 1'000'000 + 1);
    }
};

QTEST_MAIN(TestEventsExplorer)
#include "tst_events_explorer.moc"

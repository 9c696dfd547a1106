#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/TraceFinder.h"
#include "widgets/TraceCompareView.h"
#include "widgets/TraceScatter.h"
#include "widgets/TraceWaterfall.h"
#include "widgets/TracesView.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

constexpr TimeNs kMs = 1'000'000;
// Four traces a minute apart (and a broken one), newest last:
//   t1 frontend GET /checkout 120 ms: checkout place order [10,100] > payments charge [20,90] error, stripe
//   t2 frontend GET /home 8 ms: catalog list [1,6]
//   t3 frontend GET /checkout 1500 ms: payments charge [100,1400], adyen
//   t4 search GET /search 0.5 ms
//   t5 frontend GET /late 50 ms: a child starting 3 ms before it; two callbacks whose parent never arrived
const std::string kT1 = "11111111111111111111111111111111";
const std::string kT2 = "22222222222222222222222222222222";
const std::string kT3 = "33333333333333333333333333333333";
const std::string kT4 = "44444444444444444444444444444444";
const std::string kT5 = "55555555555555555555555555555555";

QString q(const char *text)
{
    return QString::fromUtf8(text);
}

Span makeSpan(const std::string &trace, TimeNs t0, const std::string &id, const std::string &parent,
              const std::string &service, const std::string &name, double startMs, double endMs)
{
    Span s;
    s.traceId = trace;
    s.spanId = id;
    s.parentSpanId = parent;
    s.service = service;
    s.name = name;
    s.kind = int(SpanKind::Server);
    s.start = t0 + static_cast<TimeNs>(startMs * kMs);
    s.end = t0 + static_cast<TimeNs>(endMs * kMs);
    s.resource = {{"service.name", service}};
    return s;
}

std::vector<Span> sampleSpans(TimeNs t0)
{
    std::vector<Span> s{
        makeSpan(kT1, t0, "1000000000000001", "", "frontend", "GET /checkout", 0, 120),
        makeSpan(kT1, t0, "1000000000000002", "1000000000000001", "checkout", "place order", 10, 100),
        makeSpan(kT1, t0, "1000000000000003", "1000000000000002", "payments", "charge", 20, 90),
        makeSpan(kT2, t0 + 60 * kSecond, "2000000000000001", "", "frontend", "GET /home", 0, 8),
        makeSpan(kT2, t0 + 60 * kSecond, "2000000000000002", "2000000000000001", "catalog", "list", 1, 6),
        makeSpan(kT3, t0 + 120 * kSecond, "3000000000000001", "", "frontend", "GET /checkout", 0, 1500),
        makeSpan(kT3, t0 + 120 * kSecond, "3000000000000002", "3000000000000001", "payments", "charge", 100, 1400),
        makeSpan(kT4, t0 + 180 * kSecond, "4000000000000001", "", "search", "GET /search", 0, 0.5),
        makeSpan(kT5, t0 + 240 * kSecond, "5000000000000001", "", "frontend", "GET /late", 0, 50),
        makeSpan(kT5, t0 + 240 * kSecond, "5000000000000002", "5000000000000001", "auth", "authorize", -3, 10),
        makeSpan(kT5, t0 + 240 * kSecond, "5000000000000003", "dead00000000beef", "payments", "callback", 60, 80),
        makeSpan(kT5, t0 + 240 * kSecond, "5000000000000004", "dead00000000beef", "payments", "retry callback", 62, 70),
    };
    s[2].statusCode = int(StatusCode::Error);
    s[2].attributes = {{"payment.provider", "stripe"}};
    s[6].attributes = {{"payment.provider", "adyen"}};
    return s;
}

QStringList column(const QAbstractItemModel *m, int col)
{
    QStringList out;
    for (int r = 0; r < m->rowCount(); ++r)
        out << m->index(r, col).data().toString();
    return out;
}

void savePng(QWidget *w, const char *name)
{
    const QString path = q(FD_BINARY_DIR) + QLatin1Char('/') + q(name);
    QVERIFY2(w->grab().save(path), qPrintable(path));
}

} // namespace

class TestTraceSearch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TimeNs m_t0 = 0;
    std::shared_ptr<StoreSource> m_source;

    TimeRange range() const { return {m_t0 - 10 * kMinute, m_t0 + 10 * kMinute}; }

    // The view, shown, searched with the form as it is (refresh() is what "Find traces" does).
    void search(TracesView &view, int expectedRows)
    {
        QSignalSpy status(&view, &TracesView::statusMessage);
        QTest::mouseClick(view.findChild<QPushButton *>(q("findTracesButton")), Qt::LeftButton);
        // Until the answer is in: "N trace(s)" once the list shows it.
        QTRY_VERIFY(std::any_of(status.begin(), status.end(),
                                [](const QList<QVariant> &args) { return args.front().toString().endsWith(q("trace(s)")); }));
        auto *table = view.findChild<QTableView *>(q("traceTable"));
        QCOMPARE(table->model()->rowCount(), expectedRows);
    }

    void typeInto(TracesView &view, const char *name, const char *text)
    {
        auto *edit = view.findChild<QLineEdit *>(q(name));
        QVERIFY(edit);
        edit->clear();
        QTest::keyClicks(edit, q(text));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_t0 = (nowNs() / kSecond - 3600) * kSecond;
        const QString path = m_dir.filePath(q("traces.sqlite"));
        {
            Store store(path);
            TelemetryBatch batch;
            batch.spans = sampleSpans(m_t0);
            store.insert(batch);
        }
        m_source = std::make_shared<StoreSource>("store", path);
    }

    // The model function alone: the store answers the grouped spans query, the summaries come from trace().
    void findTracesOverTheStore()
    {
        const auto ids = [&](std::vector<Condition> where) {
            const Frame f = findTraces(*m_source, where, range(), 100, makeCancelToken());
            QStringList out;
            for (std::size_t r = 0; r < f.rowCount(); ++r)
                out << QString::fromStdString(cellToString(f.cell(r, 0))).left(2);
            return out;
        };
        QCOMPARE(ids({{"service.name", Op::Eq, "payments"}}), (QStringList{q("55"), q("33"), q("11")}));
        QCOMPARE(ids({{"status", Op::Eq, "error"}}), QStringList{q("11")});
        QCOMPARE(ids({{"duration_ms", Op::Ge, 1000.0}}), QStringList{q("33")});
        QCOMPARE(ids({{"name", Op::Eq, "charge"}, {"duration_ms", Op::Le, 100.0}}), QStringList{q("11")});
        QCOMPARE(ids({{"payment.provider", Op::Eq, "adyen"}}), QStringList{q("33")});
        QCOMPARE(ids({{"service.name", Op::Eq, "nobody"}}), QStringList{});

        const Frame f = findTraces(*m_source, {{"status", Op::Eq, "error"}}, range(), 100, makeCancelToken());
        QCOMPARE(cellToString(f.cell(0, static_cast<std::size_t>(f.columnIndex("services")))),
                 std::string("checkout, frontend, payments"));
        QCOMPARE(cellToString(f.cell(0, static_cast<std::size_t>(f.columnIndex("root_name")))), std::string("GET /checkout"));
        QCOMPARE(cellToDouble(f.cell(0, static_cast<std::size_t>(f.columnIndex("duration_ms")))), 120.0);
        QCOMPARE(cellToInt(f.cell(0, static_cast<std::size_t>(f.columnIndex("spans")))), std::int64_t(3));
        QCOMPARE(cellToInt(f.cell(0, static_cast<std::size_t>(f.columnIndex("errors")))), std::int64_t(1));
        QCOMPARE(cellToInt(f.cell(0, static_cast<std::size_t>(f.columnIndex("time")))), m_t0);

        const auto cancelled = makeCancelToken();
        cancelled->cancel();
        QVERIFY_THROWS_EXCEPTION(fd::Cancelled, findTraces(*m_source, {}, range(), 100, cancelled));
    }

    void traceQueryConditions()
    {
        TraceQuery tq;
        tq.service = q(" payments ");
        tq.minDuration = q("1.5s");
        tq.maxDuration = q("250");
        tq.status = TraceQuery::Status::Ok;
        tq.attributes = q("http.route = /checkout and retry > 0");
        const std::vector<Condition> where = tq.conditions();
        QCOMPARE(where.size(), std::size_t(6));
        QVERIFY(where[0] == (Condition{"service.name", Op::Eq, "payments"}));
        QVERIFY(where[1].field == "duration_ms" && where[1].op == Op::Ge && where[1].value.get<double>() == 1500.0);
        QVERIFY(where[2].field == "duration_ms" && where[2].op == Op::Le && where[2].value.get<double>() == 250.0);
        QVERIFY(where[3] == (Condition{"status", Op::Ne, "error"}));
        QVERIFY(where[4] == (Condition{"http.route", Op::Eq, "/checkout"}));
        QVERIFY(where[5].field == "retry" && where[5].op == Op::Gt && where[5].value == 0);
        tq.minDuration = q("soon");
        QVERIFY_THROWS_EXCEPTION(fd::Error, tq.conditions());
        QVERIFY(TraceQuery{}.conditions().empty());
    }

    void searchFormFindsTraces()
    {
        TracesView view;
        view.resize(1300, 860);
        view.setSource(m_source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *table = view.findChild<QTableView *>(q("traceTable"));
        auto *scatter = view.findChild<TraceScatter *>(q("traceScatter"));

        search(view, 5); // an empty form: the recent traces
        typeInto(view, "searchService", "payments");
        search(view, 3);
        QCOMPARE(column(table->model(), TracesView::ServicesColumn),
                 (QStringList{q("auth, frontend, payments"), q("frontend, payments"), q("checkout, frontend, payments")}));
        QCOMPARE(column(table->model(), TracesView::SpansColumn), (QStringList{q("4"), q("2"), q("3")}));

        // Sorting by duration: a click on the header, then another for the other way.
        QHeaderView *header = table->horizontalHeader();
        const QPoint durationHeader(header->sectionViewportPosition(TracesView::DurationColumn) + 10, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, durationHeader);
        const QStringList ascending = column(table->model(), TracesView::DurationColumn);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, durationHeader);
        const QStringList descending = column(table->model(), TracesView::DurationColumn);
        QVERIFY(ascending != descending);
        QCOMPARE(descending, (QStringList{q("1500.00 ms"), q("120.00 ms"), q("83.00 ms")}));

        // The scatter plot: one dot per trace, the error one red; hovering tells, clicking opens.
        QTRY_COMPARE(scatter->points().size(), std::size_t(3));
        int errorDot = -1;
        for (int i = 0; i < 3; ++i)
            if (scatter->points()[static_cast<std::size_t>(i)].error)
                errorDot = i;
        QVERIFY(errorDot >= 0);
        QCOMPARE(scatter->points()[static_cast<std::size_t>(errorDot)].traceId, QString::fromStdString(kT1));
        const QPoint dot = scatter->positionOf(errorDot).toPoint();
        QVERIFY(scatter->rect().contains(dot));
        QTest::mouseMove(scatter, dot);
        QTRY_COMPARE(scatter->hoveredPoint(), errorDot);
        QVERIFY(scatter->toolTipOf(errorDot).contains(q("frontend • GET /checkout")));
        QVERIFY(scatter->toolTipOf(errorDot).contains(q("120.00 ms")));
        // Slower traces sit higher: the 1500 ms dot above the 120 ms one.
        for (int i = 0; i < 3; ++i)
            if (scatter->points()[static_cast<std::size_t>(i)].durationMs > 1000)
                QVERIFY(scatter->positionOf(i).y() < scatter->positionOf(errorDot).y());
        QTest::mouseClick(scatter, Qt::LeftButton, {}, dot);
        QCOMPARE(view.currentTraceId(), QString::fromStdString(kT1));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 3);

        // More conditions: errors only, then an attribute, then an operation with a duration bound.
        typeInto(view, "searchService", "");
        auto *status = view.findChild<QComboBox *>(q("searchStatus"));
        status->setCurrentIndex(1);
        search(view, 1);
        status->setCurrentIndex(0);
        typeInto(view, "searchAttributes", "payment.provider = adyen");
        search(view, 1);
        QCOMPARE(table->model()->index(0, TracesView::DurationColumn).data().toString(), q("1500.00 ms"));
        typeInto(view, "searchAttributes", "");
        typeInto(view, "searchOperation", "charge");
        typeInto(view, "searchMaxDuration", "100ms");
        search(view, 1);
        typeInto(view, "searchMaxDuration", "");
        typeInto(view, "searchMinDuration", "1s");
        search(view, 1);
        QCOMPARE(table->model()->index(0, TracesView::RootNameColumn).data().toString(), q("GET /checkout"));

        // A bad duration says what is wrong and keeps the results.
        typeInto(view, "searchMinDuration", "soon");
        QTest::mouseClick(view.findChild<QPushButton *>(q("findTracesButton")), Qt::LeftButton);
        auto *error = view.findChild<QLabel *>(q("errorLabel"));
        QTRY_VERIFY(error->isVisible() && error->text().contains(q("invalid minimum duration \"soon\"")));
        QCOMPARE(table->model()->rowCount(), 1);
        typeInto(view, "searchMinDuration", "");
        typeInto(view, "searchOperation", "");
        typeInto(view, "searchService", "payments");
        search(view, 3);
        view.showTrace(QString::fromStdString(kT1));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 3);
        savePng(&view, "traces_search.png");
    }

    // Per operation of t1: GET /checkout 120 ms (self 30), place order 90 ms (self 20), charge 70 ms.
    void statisticsTab()
    {
        TracesView view;
        view.resize(1300, 860);
        view.setSource(m_source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        search(view, 5);
        view.showTrace(QString::fromStdString(kT1));
        auto *stats = view.findChild<QTableView *>(q("traceStatistics"));
        QTRY_COMPARE(stats->model()->rowCount(), 3);

        auto *tabs = view.findChild<QTabWidget *>(q("traceTabs"));
        QTest::mouseClick(tabs->tabBar(), Qt::LeftButton, {}, tabs->tabBar()->tabRect(1).center());
        QCOMPARE(tabs->currentWidget(), stats);
        QTRY_VERIFY(stats->isVisible());

        // Sorted by self time, largest first.
        QCOMPARE(column(stats->model(), TracesView::StatOperationColumn),
                 (QStringList{q("charge"), q("GET /checkout"), q("place order")}));
        QCOMPARE(column(stats->model(), TracesView::StatSelfColumn),
                 (QStringList{q("70.00 ms"), q("30.00 ms"), q("20.00 ms")}));
        QCOMPARE(column(stats->model(), TracesView::StatTotalColumn),
                 (QStringList{q("70.00 ms"), q("120.00 ms"), q("90.00 ms")}));
        QCOMPARE(column(stats->model(), TracesView::StatErrorsColumn), (QStringList{q("1"), q("0"), q("0")}));
        QCOMPARE(column(stats->model(), TracesView::StatServiceColumn),
                 (QStringList{q("payments"), q("frontend"), q("checkout")}));

        QHeaderView *header = stats->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(TracesView::StatTotalColumn) + 10, header->height() / 2));
        QCOMPARE(column(stats->model(), TracesView::StatOperationColumn).first(), q("charge")); // ascending: 70 ms first
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(TracesView::StatTotalColumn) + 10, header->height() / 2));
        QCOMPARE(column(stats->model(), TracesView::StatOperationColumn).first(), q("GET /checkout"));
        savePng(&view, "traces_statistics.png");
    }

    void logsOfThisSpanAndTrace()
    {
        TracesView view;
        view.resize(1300, 860);
        view.setSource(m_source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        std::vector<std::pair<Query, TimeRange>> opened;
        connect(&view, &TracesView::openEvents, this,
                [&opened](const Query &filter, const TimeRange &window) { opened.emplace_back(filter, window); });
        view.showTrace(QString::fromStdString(kT1));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 3);
        auto *traceLogs = view.findChild<QPushButton *>(q("traceLogsButton"));
        auto *spanLogs = view.findChild<QPushButton *>(q("spanLogsButton"));
        QTRY_VERIFY(traceLogs->isEnabled());

        QTest::mouseClick(traceLogs, Qt::LeftButton);
        QCOMPARE(opened.size(), std::size_t(1));
        QCOMPARE(opened[0].first.signal, Signal::Logs);
        QCOMPARE(opened[0].first.where.size(), std::size_t(1));
        QVERIFY(opened[0].first.where[0] == (Condition{"trace_id", Op::Eq, kT1}));
        QCOMPARE(opened[0].second.from, m_t0 - kMinute);
        QCOMPARE(opened[0].second.to, m_t0 + 120 * kMs + kMinute);

        // Click the third row (charge), then ask for its logs.
        QTest::mouseClick(waterfall->viewport(), Qt::LeftButton, {}, waterfall->rowRect(2).center());
        QVERIFY(spanLogs->isEnabled());
        QTest::mouseClick(spanLogs, Qt::LeftButton);
        QCOMPARE(opened.size(), std::size_t(2));
        QCOMPARE(opened[1].first.where.size(), std::size_t(2));
        QVERIFY(opened[1].first.where[1] == (Condition{"span_id", Op::Eq, "1000000000000003"}));

        // A right-click on the second row selects it and offers both.
        const QPoint at = waterfall->rowRect(1).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, waterfall->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(waterfall->viewport(), &event);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = view.findChild<QMenu *>(q("spanMenu"))) && menu->isVisible());
        QCOMPARE(menu->actions().size(), 2);
        menu->actions().at(0)->trigger();
        QCOMPARE(opened.size(), std::size_t(3));
        QVERIFY(opened[2].first.where[1] == (Condition{"span_id", Op::Eq, "1000000000000002"}));
        menu->close();
    }

    // t1 (A) against t3 (B), chosen from the trace list's context menu.
    void compareTwoTraces()
    {
        TracesView view;
        view.resize(1300, 860);
        view.setSource(m_source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        search(view, 5);
        view.showTrace(QString::fromStdString(kT1));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 3);

        auto *table = view.findChild<QTableView *>(q("traceTable"));
        int rowOfT3 = -1;
        for (int r = 0; r < table->model()->rowCount(); ++r)
            if (table->model()->index(r, TracesView::DurationColumn).data().toString() == q("1500.00 ms"))
                rowOfT3 = r;
        QVERIFY(rowOfT3 >= 0);
        const QPoint at = table->visualRect(table->model()->index(rowOfT3, 0)).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, table->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(table->viewport(), &event);
        QMenu *menu = nullptr;
        QTRY_VERIFY((menu = view.findChild<QMenu *>(q("traceListMenu"))) && menu->isVisible());
        QVERIFY(menu->actions().at(0)->isEnabled());
        menu->actions().at(0)->trigger();
        menu->close();

        auto *compare = view.findChild<TraceCompareView *>(q("traceCompare"));
        QTRY_COMPARE(compare->model()->rowCount(), 1);
        QCOMPARE(view.findChild<QTabWidget *>(q("traceTabs"))->currentWidget(), compare);
        const QStandardItemModel *m = compare->model();
        const QModelIndex root = m->index(0, 0);
        QCOMPARE(root.data().toString(), q("frontend:GET /checkout"));
        QCOMPARE(m->index(0, TraceCompareView::DeltaColumn).data().toString(), q("+1380.00 ms"));
        QCOMPARE(m->index(0, TraceCompareView::RelativeColumn).data().toString(), q("+1150%"));
        QCOMPARE(m->rowCount(root), 2);
        QCOMPARE(m->index(0, 0, root).data().toString(), q("− checkout:place order  (missing in B)"));
        QCOMPARE(m->index(0, 0, m->index(0, 0, root)).data().toString(), q("− payments:charge  (missing in B)"));
        QCOMPARE(m->index(1, 0, root).data().toString(), q("+ payments:charge  (added in B)"));
        QCOMPARE(m->index(1, TraceCompareView::TotalBColumn, root).data().toString(), q("1300.00 ms"));
        QVERIFY(view.findChild<QLabel *>(q("compareTitle"))->text().contains(q("1 path(s) added, 2 missing")));
        savePng(&view, "traces_compare.png");
    }

    // t5: the callbacks' parent never arrived; authorize starts before its parent.
    void missingParentAndClockSkew()
    {
        TracesView view;
        view.resize(1300, 700);
        view.setSource(m_source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showTrace(QString::fromStdString(kT5));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 4);
        const TraceTree &tree = *waterfall->tree();
        QCOMPARE(waterfall->visibleRowCount(), 5);
        QVERIFY(tree.rows[2].placeholder);
        QCOMPARE(tree.span(tree.rows[2].span).spanId, std::string("dead00000000beef"));
        QVERIFY(tree.rows[1].skewed);
        auto *summary = view.findChild<QLabel *>(q("traceSummary"));
        QVERIFY(summary->text().contains(q("4 spans")));
        QVERIFY(summary->text().contains(q("2 span(s) missing a parent")));
        QVERIFY(summary->text().contains(q("1 span(s) start before their parent")));

        // Selecting the placeholder says what it is; there are no logs of a span that never arrived.
        QTest::mouseClick(waterfall->viewport(), Qt::LeftButton, {}, waterfall->rowRect(2).center());
        QCOMPARE(waterfall->selectedSpan(), static_cast<int>(tree.rows[2].span));
        QVERIFY(!view.findChild<QPushButton *>(q("spanLogsButton"))->isEnabled());
        QVERIFY(view.findChild<QPushButton *>(q("traceLogsButton"))->isEnabled());
        savePng(&view, "traces_missing_parent.png");
    }
};

QTEST_MAIN(TestTraceSearch)
#include "tst_trace_search.moc"

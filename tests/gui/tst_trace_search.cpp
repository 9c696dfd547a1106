#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/TraceFinder.h"
#include "models/SourceRouter.h"
#include "models/TraceMedian.h"
#include "tests/support/PlainSource.h"
#include "TestHelpers.h"
#include "widgets/TraceCompareView.h"
#include "models/TraceTree.h"
#include "widgets/TraceScatter.h"
#include "widgets/TraceWaterfall.h"
#include "widgets/TracesView.h"

#include <QAbstractItemView>
#include <QApplication>
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

std::string traceIdOf(char c)
{
    return std::string(32, c);
}

// Checkout traces a minute apart from t0 (durations in ms):
//   a..e  GET /checkout 100 110 120 130 140 > place order 80 90 100 110 120 > charge 50 60 70 80 (not in e);
//         a also has a cache get (in 1 of 5)
//   f     GET /checkout 400 > place order 350 > fraud check 300 (no charge): compared with the median of a..e
//   g     gateway proxy > frontend GET /checkout: not a checkout trace, its root is another operation
//   h     GET /home, and i: two spans whose parent never arrived (no root)
std::vector<Span> medianSpans(TimeNs t0)
{
    std::vector<Span> out;
    const double root[] = {100, 110, 120, 130, 140}, order[] = {80, 90, 100, 110, 120}, charge[] = {50, 60, 70, 80};
    for (int i = 0; i < 5; ++i) {
        const std::string t = traceIdOf(static_cast<char>('a' + i));
        const TimeNs at = t0 + i * kMinute;
        out.push_back(makeSpan(t, at, t.substr(0, 15) + "1", "", "frontend", "GET /checkout", 0, root[i]));
        out.push_back(makeSpan(t, at, t.substr(0, 15) + "2", t.substr(0, 15) + "1", "checkout", "place order", 5, 5 + order[i]));
        if (i < 4)
            out.push_back(makeSpan(t, at, t.substr(0, 15) + "3", t.substr(0, 15) + "2", "payments", "charge", 10, 10 + charge[i]));
        if (i == 0)
            out.push_back(makeSpan(t, at, t.substr(0, 15) + "4", t.substr(0, 15) + "1", "cache", "get", 1, 3));
    }
    const std::string f = traceIdOf('f'), g = traceIdOf('g'), h = traceIdOf('h'), i = traceIdOf('i');
    out.push_back(makeSpan(f, t0 + 5 * kMinute, "f000000000000001", "", "frontend", "GET /checkout", 0, 400));
    out.push_back(makeSpan(f, t0 + 5 * kMinute, "f000000000000002", "f000000000000001", "checkout", "place order", 5, 355));
    out.push_back(makeSpan(f, t0 + 5 * kMinute, "f000000000000003", "f000000000000002", "payments", "fraud check", 10, 310));
    out.push_back(makeSpan(g, t0 + 6 * kMinute, "9000000000000001", "", "gateway", "proxy", 0, 50));
    out.push_back(makeSpan(g, t0 + 6 * kMinute, "9000000000000002", "9000000000000001", "frontend", "GET /checkout", 1, 45));
    out.push_back(makeSpan(h, t0 + 7 * kMinute, "8000000000000001", "", "frontend", "GET /home", 0, 8));
    out.push_back(makeSpan(i, t0 + 8 * kMinute, "7000000000000002", "dead00000000beef", "payments", "callback", 2, 9));
    out.push_back(makeSpan(i, t0 + 8 * kMinute, "7000000000000001", "dead00000000beef", "auth", "refresh", 1, 5));
    out.back().statusCode = int(StatusCode::Error);
    out.push_back(out.back()); // sent twice (an exporter's retry): the list counts it once, as the waterfall does
    return out;
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

    std::shared_ptr<StoreSource> m_medianSource;

    TimeRange range() const { return {m_t0 - 10 * kMinute, m_t0 + 10 * kMinute}; }

    // A store in the test's folder holding these spans, as a source.
    std::shared_ptr<StoreSource> storeOf(const char *name, std::vector<Span> spans)
    {
        const QString path = m_dir.filePath(q(name) + q(".sqlite"));
        {
            Store store(path);
            TelemetryBatch batch;
            batch.spans = std::move(spans);
            store.insert(batch);
        }
        return std::make_shared<StoreSource>(name, path);
    }

    // The view, shown, searched with the form as it is (refresh() is what "Find traces" does).
    // The view over `source` and the test's range, shown at `size` and exposed.
    void showView(TracesView &view, const std::shared_ptr<StoreSource> &source, QSize size = {1300, 860})
    {
        view.resize(size);
        view.setSource(source);
        view.setTimeRange(range());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

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

    // The trace list's context menu over the row of the trace lasting `duration` (nullptr when no such row).
    QMenu *openListMenu(TracesView &view, const char *duration)
    {
        auto *table = view.findChild<QTableView *>(q("traceTable"));
        int row = -1;
        for (int r = 0; r < table->model()->rowCount(); ++r)
            if (table->model()->index(r, TracesView::DurationColumn).data().toString() == q(duration))
                row = r;
        if (row < 0)
            return nullptr;
        const QPoint at = table->visualRect(table->model()->index(row, 0)).center();
        QTest::mousePress(table->viewport(), Qt::RightButton, {}, at); // as a real right-click, before the menu
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, table->viewport()->mapToGlobal(at));
        QCoreApplication::sendEvent(table->viewport(), &event);
        QMenu *menu = nullptr;
        if (!QTest::qWaitFor([&] { return (menu = view.findChild<QMenu *>(q("traceListMenu"))) && menu->isVisible(); }))
            return nullptr;
        return menu;
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
        m_source = storeOf("store", sampleSpans(m_t0));
        m_medianSource = storeOf("median", medianSpans(m_t0));
    }

    // The store's summaries of many traces in one query are what summarizeTrace() makes of each trace's
    // spans, and a search gives the same rows with and without them.
    void summariesInOneQuery()
    {
        for (const auto &source : {m_source, m_medianSource}) {
            const Frame recent = source->recentTraces(range(), 100, makeCancelToken());
            std::vector<std::string> ids;
            for (std::size_t r = 0; r < recent.rowCount(); ++r)
                ids.push_back(cellToString(recent.cell(r, 0)));
            QVERIFY(ids.size() >= 5);
            ids.push_back("not-a-trace");
            const std::optional<std::vector<TraceSummary>> fast = source->traceSummaries(ids, makeCancelToken());
            QVERIFY(fast);
            QCOMPARE(fast->size(), ids.size() - 1);
            for (const TraceSummary &t : *fast) {
                const TraceSummary slow = summarizeTrace(source->trace(t.traceId, nullptr));
                QCOMPARE(t.traceId, slow.traceId);
                QCOMPARE(t.start, slow.start);
                QCOMPARE(t.rootService, slow.rootService);
                QCOMPARE(t.rootName, slow.rootName);
                QCOMPARE(t.duration, slow.duration);
                QCOMPARE(t.spans, slow.spans);
                QCOMPARE(t.errors, slow.errors);
                QCOMPARE(t.services, slow.services);
            }
        }
        // The rootless trace: its earliest span stands for the root.
        const std::vector<TraceSummary> i = Store(m_dir.filePath(q("median.sqlite")), Store::Mode::ReadOnly)
                                                .traceSummaries({traceIdOf('i')});
        QCOMPARE(i.size(), std::size_t(1));
        QCOMPARE(i[0].rootService + " " + i[0].rootName, std::string("auth refresh"));
        QCOMPARE(i[0].services, std::string("auth, payments"));
        QCOMPARE(i[0].duration, 8 * kMs);
        QCOMPARE(i[0].errors, std::int64_t(1));
        QCOMPARE(i[0].spans, std::int64_t(2));
        QCOMPARE(TraceTree::build(m_medianSource->trace(traceIdOf('i'), nullptr)).spanCount, std::size_t(2));

        const std::vector<Condition> where{{"service.name", Op::Eq, "frontend"}};
        const Frame fast = findTraces(*m_medianSource, where, range(), 100, makeCancelToken());
        fdtest::PlainSource plain(m_medianSource);
        const Frame slow = findTraces(plain, where, range(), 100, makeCancelToken());
        QCOMPARE(fast.rowCount(), std::size_t(8));
        const auto same = [](const Frame &a, const Frame &b) {
            QCOMPARE(a.columns.size(), b.columns.size());
            for (std::size_t c = 0; c < a.columns.size(); ++c) {
                QCOMPARE(a.columns[c].name, b.columns[c].name);
                QVERIFY2(a.columns[c].cells == b.columns[c].cells, a.columns[c].name.c_str());
            }
        };
        same(fast, slow);

        // A workspace's router offers the summaries of the source that answers spans, when it can.
        const auto router = [this](bool plainStore) {
            return SourceRouter({"store"}, "store", [this, plainStore](const std::string &) -> DataSourcePtr {
                if (plainStore)
                    return std::make_shared<fdtest::PlainSource>(m_medianSource);
                return m_medianSource;
            });
        };
        SourceRouter routed = router(false), routedPlain = router(true);
        QCOMPARE(routed.traceSummaries({traceIdOf('a'), traceIdOf('f')}, makeCancelToken())->size(), std::size_t(2));
        QVERIFY(!routedPlain.traceSummaries({traceIdOf('a')}, makeCancelToken()));
        same(findTraces(routed, where, range(), 100, makeCancelToken()), fast);
        same(findTraces(routedPlain, where, range(), 100, makeCancelToken()), fast);
    }

    // f against the median of a..e, the model function over the store.
    void medianOfSimilarTraces()
    {
        const MedianComparison m = compareWithSimilar(*m_medianSource, traceIdOf('f'), range(), 20, makeCancelToken());
        QCOMPARE(m.service, std::string("frontend"));
        QCOMPARE(m.operation, std::string("GET /checkout"));
        QVERIFY(m.similar == (std::vector<std::string>{traceIdOf('e'), traceIdOf('d'), traceIdOf('c'), traceIdOf('b'),
                                                        traceIdOf('a')}));
        QCOMPARE(m.profile.traces, std::int64_t(5));
        QStringList rows;
        for (const PathDiff &d : m.diff)
            rows << QStringLiteral("%1|%2:%3|%4:%5").arg(QString::fromStdString(d.text()))
                        .arg(d.countA).arg(d.totalA / kMs).arg(d.countB).arg(d.totalB / kMs);
        QCOMPARE(rows, (QStringList{q("frontend:GET /checkout|1:120|1:400"),
                                    q("frontend:GET /checkout / checkout:place order|1:100|1:350"),
                                    q("frontend:GET /checkout / checkout:place order / payments:charge|1:65|0:0"),
                                    q("frontend:GET /checkout / checkout:place order / payments:fraud check|0:0|1:300")}));
        // At most n, newest first.
        QVERIFY(compareWithSimilar(*m_medianSource, traceIdOf('a'), range(), 2, makeCancelToken()).similar
                == (std::vector<std::string>{traceIdOf('f'), traceIdOf('e')}));
        QCOMPARE(fdtest::errorOf([&] { compareWithSimilar(*m_medianSource, traceIdOf('h'), range(), 20, makeCancelToken()); }),
                 q("no other trace of frontend \"GET /home\" in the time range"));
        QCOMPARE(fdtest::errorOf([&] { compareWithSimilar(*m_medianSource, "nope", range(), 20, makeCancelToken()); }),
                 q("trace nope was not found"));
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

    // Exploratory test: over 8 years the time axis read 12-31 00:00 … 06-07 00:00, with no year.
    void scatterTicksNameTheYearOverLongRanges()
    {
        const qint64 day = 86'400'000;
        QCOMPARE(TraceScatter::tickFormat(8 * 365 * day), q("yyyy-MM-dd"));
        QCOMPARE(TraceScatter::tickFormat(7 * day), q("MM-dd HH:mm"));
        QCOMPARE(TraceScatter::tickFormat(day), q("HH:mm"));
        QCOMPARE(TraceScatter::tickFormat(60'000), q("HH:mm:ss"));
    }

    void searchFormFindsTraces()
    {
        TracesView view;
        showView(view, m_source);
        auto *table = view.findChild<QTableView *>(q("traceTable"));
        auto *scatter = view.findChild<TraceScatter *>(q("traceScatter"));

        search(view, 5); // an empty form: the recent traces
        typeInto(view, "searchService", "payments");
        search(view, 3);
        QCOMPARE(column(table->model(), TracesView::ServicesColumn),
                 (QStringList{q("auth, frontend, payments"), q("frontend, payments"), q("checkout, frontend, payments")}));
        QCOMPARE(column(table->model(), TracesView::SpansColumn), (QStringList{q("4"), q("2"), q("3")}));
        // The root span's name keeps its share beside the services (exploratory test: squeezed to 55 px)
        QVERIFY(std::abs(table->columnWidth(TracesView::RootNameColumn) - table->columnWidth(TracesView::ServicesColumn)) <= 1);

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

    // The form completes services, operations, attribute keys and their values from the store.
    void searchFormCompletes()
    {
        TracesView view;
        showView(view, m_source);
        const auto popupOf = [](const char *edit) -> QAbstractItemView * {
            for (QWidget *w : QApplication::allWidgets())
                if (w->objectName() == q(edit) + q("Popup"))
                    return qobject_cast<QAbstractItemView *>(w);
            return nullptr;
        };
        const auto items = [](QAbstractItemView *popup) { return column(popup->model(), 0); };

        auto *service = view.findChild<QLineEdit *>(q("searchService"));
        service->setFocus();
        QTest::keyClicks(service, q("pay"));
        QAbstractItemView *popup = popupOf("searchService");
        QVERIFY(popup);
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(items(popup), QStringList{q("payments")});
        QTest::keyClick(popup, Qt::Key_Return);
        QCOMPARE(service->text(), q("payments"));
        QVERIFY(!popup->isVisible());

        // Operations containing the text, not only starting with it.
        auto *operation = view.findChild<QLineEdit *>(q("searchOperation"));
        operation->setFocus();
        QTest::keyClicks(operation, q("check"));
        popup = popupOf("searchOperation");
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(items(popup), QStringList{q("GET /checkout")});
        QTest::keyClick(popup, Qt::Key_Escape);
        operation->clear();
        service->clear();

        // Conditions: a key, then the operators, then the key's values.
        auto *attributes = view.findChild<QLineEdit *>(q("searchAttributes"));
        attributes->setFocus();
        QTest::keyClicks(attributes, q("payment.p"));
        popup = popupOf("searchAttributes");
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(items(popup), QStringList{q("payment.provider")});
        QTest::keyClick(popup, Qt::Key_Tab); // as in the query bar: Tab takes the item, Enter runs
        QCOMPARE(attributes->text(), q("payment.provider "));
        QVERIFY(attributes->hasFocus());
        QTRY_VERIFY(popup->isVisible());
        QCOMPARE(items(popup).first(), q("="));
        QTest::keyClick(popup, Qt::Key_Tab);
        QCOMPARE(attributes->text(), q("payment.provider = "));
        QTRY_VERIFY(popup->isVisible() && items(popup) == (QStringList{q("adyen"), q("stripe")}));
        QTest::keyClick(popup, Qt::Key_Down);
        QTest::keyClick(popup, Qt::Key_Return);
        QCOMPARE(attributes->text(), q("payment.provider = stripe "));
        QTest::keyClicks(attributes, q("a"));
        QTRY_VERIFY(popup->isVisible() && items(popup) == QStringList{q("and")});
        QTest::keyClick(popup, Qt::Key_Escape);
        QTest::keyClick(attributes, Qt::Key_Backspace);
        // Tab and the arrows took the items: the search did not run with half a condition.
        QVERIFY(!view.findChild<QLabel *>(q("errorLabel"))->isVisible());
        QTest::keyClicks(attributes, q(" and pay"));
        QTRY_VERIFY(popup->isVisible() && items(popup) == QStringList{q("payment.provider")});
        savePng(&view, "traces_search_completion.png");
        savePng(popup, "traces_search_completion_popup.png");
        QTest::keyClick(popup, Qt::Key_Escape);
        attributes->setText(q("payment.provider = stripe"));
        search(view, 1);
        auto *table = view.findChild<QTableView *>(q("traceTable"));
        QCOMPARE(table->model()->index(0, TracesView::DurationColumn).data().toString(), q("120.00 ms"));
    }

    // Per operation of t1: GET /checkout 120 ms (self 30), place order 90 ms (self 20), charge 70 ms.
    void statisticsTab()
    {
        TracesView view;
        showView(view, m_source);
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
        showView(view, m_source);
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
        showView(view, m_source);
        search(view, 5);
        view.showTrace(QString::fromStdString(kT1));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 3);

        QMenu *menu = openListMenu(view, "1500.00 ms"); // t3
        QVERIFY(menu);
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

    // f against the median of a..e, from the trace list's context menu.
    void compareWithTheMedianInTheView()
    {
        TracesView view;
        showView(view, m_medianSource);
        search(view, 9);

        QMenu *menu = openListMenu(view, "400.00 ms"); // f
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 2);
        QAction *median = menu->actions().at(1);
        QCOMPARE(median->text(), q("Compare with the median of similar traces"));
        QVERIFY(median->isEnabled());
        median->trigger();
        menu->close();
        QCOMPARE(view.currentTraceId(), QString::fromStdString(traceIdOf('f'))); // opened too, to look at

        auto *compare = view.findChild<TraceCompareView *>(q("traceCompare"));
        QTRY_COMPARE(compare->model()->rowCount(), 1);
        QCOMPARE(view.findChild<QTabWidget *>(q("traceTabs"))->currentWidget(), compare);
        const QStandardItemModel *m = compare->model();
        QCOMPARE(m->headerData(TraceCompareView::TotalAColumn, Qt::Horizontal).toString(), q("Median total"));
        QCOMPARE(m->headerData(TraceCompareView::TotalBColumn, Qt::Horizontal).toString(), q("This trace"));
        const auto row = [m](const QModelIndex &parent, int r) {
            QStringList cells;
            for (int c = 0; c < TraceCompareView::ColumnCount; ++c)
                cells << m->index(r, c, parent).data().toString();
            return cells.join(QLatin1Char('|'));
        };
        const QModelIndex root = m->index(0, 0);
        QCOMPARE(row({}, 0), q("frontend:GET /checkout|1 → 1|120.00 ms|400.00 ms|+280.00 ms|+233%"));
        QCOMPARE(m->rowCount(root), 1);
        const QModelIndex order = m->index(0, 0, root);
        QCOMPARE(row(root, 0), q("checkout:place order|1 → 1|100.00 ms|350.00 ms|+250.00 ms|+250%"));
        QCOMPARE(m->rowCount(order), 2);
        QCOMPARE(row(order, 0), q("− payments:charge  (missing: most traces have it)|1 → 0|65.00 ms|—|-65.00 ms|"));
        QCOMPARE(row(order, 1), q("+ payments:fraud check  (not in most traces)|0 → 1|—|300.00 ms|+300.00 ms|"));
        QVERIFY(m->index(0, 0, order).data(Qt::ToolTipRole).toString().endsWith(q("in 4 of the 5 similar traces")));
        // Slower than the median: red, as the two-trace comparison colours it.
        QCOMPARE(m->index(0, TraceCompareView::DeltaColumn).data(Qt::BackgroundRole).value<QBrush>().color().red(), 0xd3);
        const QString title = view.findChild<QLabel *>(q("compareTitle"))->text();
        QVERIFY2(title.contains(q("against the median of 5 similar trace(s) (frontend • GET /checkout)")), qPrintable(title));
        QVERIFY2(title.contains(q("median 120.00 ms → 400.00 ms")), qPrintable(title));
        QVERIFY2(title.contains(q("1 path(s) not in most traces, 1 missing")), qPrintable(title));
        savePng(&view, "traces_compare_median.png");

        // A trace with no similar one says so in the tab.
        view.compareWithMedian(QString::fromStdString(traceIdOf('h')));
        QTRY_VERIFY(view.findChild<QLabel *>(q("compareTitle"))->text().contains(q("no other trace of frontend \"GET /home\"")));
        QCOMPARE(m->rowCount(), 0);
    }

    // t5: the callbacks' parent never arrived; authorize starts before its parent.
    void missingParentAndClockSkew()
    {
        TracesView view;
        showView(view, m_source, {1300, 700});
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

    // An exporter that lost the receiver's answer sent its batch again. A store from before schema 6 holds each
    // span twice (a newer one stores it once); the waterfall lays each out once and the summary says so.
    void aTraceSentTwiceIsShownOnce()
    {
        std::vector<Span> spans;
        spans.push_back(makeSpan(kT1, m_t0, "1000000000000001", "", "frontend", "GET /checkout", 0, 120));
        spans.push_back(makeSpan(kT1, m_t0, "1000000000000002", "1000000000000001", "checkout", "place order", 10, 100));
        const std::shared_ptr<StoreSource> source = storeOf("twice", spans);
        execSql(Store(m_dir.filePath(q("twice.sqlite"))).handle(), "CREATE TEMP TABLE copy AS SELECT * FROM spans; "
                "UPDATE copy SET id = id + 1000; INSERT INTO spans SELECT * FROM copy");
        TracesView view;
        showView(view, source, {1300, 500});
        view.showTrace(QString::fromStdString(kT1));
        auto *waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        QTRY_VERIFY(waterfall->tree() && waterfall->tree()->spanCount == 2);
        QCOMPARE(waterfall->visibleRowCount(), 2);
        const QString summary = view.findChild<QLabel *>(q("traceSummary"))->text();
        QVERIFY2(summary.contains(q("2 spans")) && summary.contains(q("2 span(s) arrived more than once, shown once")),
                 qPrintable(summary));
        savePng(&view, "traces_sent_twice.png");
    }
};

QTEST_MAIN(TestTraceSearch)
#include "tst_trace_search.moc"

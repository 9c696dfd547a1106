#include "widgets/ChartView.h"
#include "widgets/ElidedLabel.h"
#include "widgets/MetricsView.h"
#include "widgets/MissionBoardView.h"
#include "widgets/TileWidget.h"
#include "widgets/TimeRangeDialog.h"
#include "widgets/TimeRangePicker.h"
#include "ImageChecks.h"
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QPushButton>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <mutex>
#include <cmath>
#include <set>

using namespace fd;

namespace {

const TimeNs kNow = 1'763'650'000LL * kSecond;

Marker deployMarker(TimeNs t)
{
    Marker m;
    m.time = t;
    m.kind = "deploy";
    m.service = "auth";
    m.title = "Deploy auth 2.14.0";
    m.version = "2.14.0";
    m.commit = "0123456789abcdef";
    return m;
}

// Two services, one bucket per interval, and one deploy in the middle of the range.
class FakeSource : public DataSource
{
public:
    std::string id() const override { return "fake"; }

    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override
    {
        while (q.source == "slow" && !slowReleased) {
            throwIfCancelled(cancel);
            QThread::msleep(2);
        }
        ++queries;
        {
            const std::lock_guard lock(mutex); // the tiles of each source are asked on their own threads
            lastQuery = q;
            lastRange = range;
        }
        if (!failWith.empty())
            throw Error(QString::fromStdString(failWith));
        Frame f;
        f.columns = {{"time", ColumnType::Time, {}}, {"service.name", ColumnType::String, {}},
                     {q.agg.text(), ColumnType::Double, {}}};
        const DurationNs step = q.interval > 0 ? q.interval : 5 * kMinute;
        int i = 0;
        for (TimeNs t = alignDown(range.from, step); t < range.to; t += step, ++i) {
            for (const char *service : {"auth", "checkout"}) {
                f.columns[0].cells.emplace_back(std::int64_t(t));
                f.columns[1].cells.emplace_back(std::string(service));
                f.columns[2].cells.emplace_back(10.0 + 5 * std::sin(i / 7.0) + (service[0] == 'a' ? 0 : 20));
            }
        }
        f.total = static_cast<std::int64_t>(f.rowCount());
        f.notes = notes;
        return f;
    }
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &) override
    {
        return {deployMarker(range.from + range.length() / 2)};
    }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }

    std::atomic<int> queries{0};
    std::mutex mutex;
    Query lastQuery;  // read once the query is done
    TimeRange lastRange;
    std::vector<std::string> notes; // set before a query runs: what each frame says may make it partial
    std::string failWith;           // set before a query runs: the error it fails with
    std::atomic<bool> slowReleased{false}; // a query of the source "slow" waits for it
};

TileResult makeTile(const std::string &name, const std::string &unit, bool bad, const TimeRange &range)
{
    TileResult t;
    t.name = name;
    t.unit = unit;
    t.state = bad ? "bad" : "ok";
    t.series.start = range.from;
    t.series.step = 5 * kMinute;
    const std::size_t n = static_cast<std::size_t>(range.length() / t.series.step);
    for (std::size_t i = 0; i < n; ++i) {
        const double normal = 70 + 6 * std::sin(static_cast<double>(i) / 30.0);
        const bool dropped = bad && i + 8 >= n;
        t.series.values.push_back(i == 40 ? NAN : dropped ? 41.2 : normal + std::sin(i * 1.7));
        t.band.expected.push_back(normal);
        t.band.low.push_back(normal - 6);
        t.band.high.push_back(normal + 6);
    }
    t.value = t.series.values.back();
    t.expected = t.band.expected.back();
    t.low = t.band.low.back();
    t.high = t.band.high.back();
    const TimeNs deploy = t.series.timeAt(n - 10);
    t.markers = {deployMarker(deploy)};
    if (bad) {
        Anomaly a;
        a.start = t.series.timeAt(n - 8);
        a.open = true;
        a.direction = -1;
        a.size = -0.41;
        a.suspects = {Suspect{0.93, {"deploy 10 min before start"}, deployMarker(deploy)}};
        t.anomalies = {a};
    }
    return t;
}

QString outputPath(const char *name)
{
    return QStringLiteral(FD_BINARY_DIR "/") + QLatin1String(name);
}

void settle()
{
    for (int i = 0; i < 5; ++i)
        QTest::qWait(20);
}

} // namespace

// The form as the demo's workspace leaves it: request rates by service.
void fillDemoForm(MetricsView &view)
{
    view.restoreFormState({{"where", "name = http.server.request.count"}, {"group_by", "service.name"},
                           {"aggregate", "rate"}});
}

class TestViewsBoardMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void boardDrawsResult()
    {
        const TimeRange range{kNow - kDay, kNow};
        auto result = std::make_shared<BoardResult>();
        result->board = "Business";
        result->range = range;
        result->tiles = {makeTile("Login success", "%", true, range), makeTile("Sign-ups", "/h", false, range)};

        MissionBoardView view;
        QSignalSpy status(&view, &MissionBoardView::statusMessage);
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setResult(result);
        settle();

        QCOMPARE(view.tiles().size(), std::size_t(2));
        QCOMPARE(view.tiles()[0]->state(), QStringLiteral("bad"));
        QCOMPARE(view.tiles()[0]->valueText(), QStringLiteral("41.2 %"));
        QCOMPARE(view.tiles()[1]->state(), QStringLiteral("ok"));
        QCOMPARE(view.tiles()[0]->chart()->seriesCount(), 1);
        QVERIFY(view.tiles()[0]->chart()->bandSegmentCount() >= 1);

        const QImage image = view.grab().toImage();
        QVERIFY(image.save(outputPath("tst_views_board.png")));
        QVERIFY2(fdtest::colourCount(image, 3) > 40, "the board looks blank");
        QVERIFY(fdtest::hasColourNear(image, TileWidget::stateColor(QStringLiteral("bad"))));
        QVERIFY(fdtest::hasColourNear(image, TileWidget::stateColor(QStringLiteral("ok"))));
        QVERIFY(fdtest::hasColourNear(image, ChartView::markerColor("deploy")));
    }

    // The export path: no window is shown and no event loop runs between setResult() and grab().
    void boardGrabsHeadless()
    {
        const TimeRange range{kNow - kDay, kNow};
        auto result = std::make_shared<BoardResult>();
        result->board = "Headless";
        result->range = range;
        result->tiles = {makeTile("Login success", "%", true, range), makeTile("Sign-ups", "/h", false, range),
                         makeTile("Subscriptions", "/d", false, range)};
        MissionBoardView view;
        view.resize(1400, 800);
        view.setResult(result);
        const QImage image = view.grab().toImage();
        QVERIFY(image.save(outputPath("tst_views_board_headless.png")));
        QCOMPARE(image.width(), 1400);
        QVERIFY2(fdtest::colourCount(image, 3) > 40, "the board looks blank");
        QVERIFY(fdtest::hasColourNear(image, TileWidget::stateColor(QStringLiteral("bad"))));
        QVERIFY(fdtest::hasColourNear(image, ChartView::markerColor("deploy")));
    }

    void boardRefreshEvaluatesOffThread()
    {
        auto source = std::make_shared<FakeSource>();
        Board board;
        board.name = "Live";
        Tile tile;
        tile.name = "Requests";
        tile.kind = "rate";
        tile.unit = "/s";
        tile.query.signal = Signal::Logs;
        tile.query.agg = parseAggregate("count");
        tile.query.interval = 5 * kMinute;
        board.tiles = {tile};

        MissionBoardView view;
        QSignalSpy status(&view, &MissionBoardView::statusMessage);
        view.resize(1000, 600);
        view.setSource(source);
        view.setBoard(board);
        view.setTimeRange({kNow - 6 * kHour, kNow});
        view.refresh();
        QVERIFY(view.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(view.result() != nullptr, 10000);
        QVERIFY(!view.isBusy());
        QCOMPARE(view.tiles().size(), std::size_t(1));
        QVERIFY(source->queries.load() > 0);
        QVERIFY(!status.isEmpty());
    }

    // Exploratory test against a slow Prometheus: every tile read NO DATA until the slowest source had answered,
    // and a tile whose source was down read NO DATA too, the status saying "0 bad". Tiles say they are loading,
    // each shows its result as it comes, and a failed one says so.
    void boardTilesLoadOneByOneAndFailVisibly()
    {
        auto source = std::make_shared<FakeSource>();
        Board board;
        board.name = "Remote";
        for (const char *name : {"slow", "fast"}) {
            Tile tile;
            tile.name = name;
            tile.kind = "value";
            tile.query.signal = Signal::Metrics;
            tile.query.source = name;
            tile.query.agg = parseAggregate("sum(value)");
            tile.query.interval = 5 * kMinute;
            board.tiles.push_back(tile);
        }
        MissionBoardView view;
        QSignalSpy status(&view, &MissionBoardView::statusMessage);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSource(source);
        view.setBoard(board);
        view.setTimeRange({kNow - 6 * kHour, kNow});
        view.refresh();
        QTRY_COMPARE(view.tiles()[1]->state(), QStringLiteral("ok"));
        // the tile still waiting says so once the evaluation takes a while; the one shown is not marked again
        QTRY_VERIFY(view.tiles()[0]->isLoading());
        QVERIFY(!view.tiles()[1]->isLoading());
        QVERIFY(view.isBusy());
        settle();
        QVERIFY(view.grab().toImage().save(outputPath("tst_views_board-loading.png")));
        source->slowReleased = true;
        QTRY_VERIFY(!view.isBusy());
        QVERIFY(!view.tiles()[0]->isLoading());

        source->failWith = "connection refused by 127.0.0.1:9090 (is the server running?)";
        view.refresh();
        QTRY_VERIFY(!view.isBusy());
        for (const TileWidget *tile : view.tiles())
            QCOMPARE(tile->state(), QStringLiteral("error"));
        const QString summary = status.last().at(0).toString();
        QVERIFY2(summary.contains(QStringLiteral("2 failed")), qPrintable(summary));
        settle();
        const QImage failed = view.grab().toImage();
        QVERIFY(failed.save(outputPath("tst_views_board-failed.png")));
        QVERIFY(fdtest::hasColourNear(failed, TileWidget::stateColor(QStringLiteral("error"))));

        source->slowReleased = false; // a cancel leaves no tile loading
        view.refresh();
        QTRY_VERIFY(view.tiles()[0]->isLoading());
        view.cancel();
        QVERIFY(!view.tiles()[0]->isLoading() && !view.tiles()[1]->isLoading());
        view.refresh(); // cancelled before the delay: no LOADING afterwards either
        view.cancel();
        QTest::qWait(MissionBoardView::kLoadingDelayMs + 100);
        QVERIFY(!view.tiles()[0]->isLoading() && !view.tiles()[1]->isLoading());
        QCOMPARE(view.tiles()[0]->state(), QStringLiteral("error"));
        view.refresh(); // nor once another board is shown (read-through)
        view.setBoard(board);
        QTest::qWait(MissionBoardView::kLoadingDelayMs + 100);
        QVERIFY(!view.tiles()[0]->isLoading() && !view.tiles()[1]->isLoading());
    }

    void boardColumnsFollowWidth()
    {
        const TimeRange range{kNow - 6 * kHour, kNow};
        auto result = std::make_shared<BoardResult>();
        result->board = "Wide";
        result->range = range;
        for (int i = 0; i < 5; ++i)
            result->tiles.push_back(makeTile("Tile " + std::to_string(i), "/h", i == 2, range));
        MissionBoardView view;
        view.resize(1500, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setResult(result);
        settle();
        QCOMPARE(view.tiles()[2]->y(), view.tiles()[0]->y());
        QVERIFY(view.tiles()[3]->y() > view.tiles()[0]->y());
        view.resize(900, 900);
        settle();
        QVERIFY(view.tiles()[2]->y() > view.tiles()[0]->y());
        QVERIFY(view.grab().save(outputPath("tst_views_board_narrow.png")));
    }

    void tileShowsError()
    {
        TileResult failed;
        failed.name = "Checkout rate";
        failed.error = "no such field: checkout.total";
        TileWidget tile;
        tile.resize(420, 260);
        tile.setResult(failed, {kNow - kHour, kNow});
        tile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tile));
        QCOMPARE(tile.state(), QStringLiteral("error")); // not "no data" (exploratory test)
        QCOMPARE(tile.valueText(), QStringLiteral("–"));
        const QImage image = tile.grab().toImage();
        QVERIFY(fdtest::hasColourNear(image, TileWidget::stateColor(QStringLiteral("error"))));
    }

    // Found by an exploratory test: a name or unit with tags was drawn as markup ("<script>x</script>" vanished,
    // "<i>rate</i>" was italic). Labels of names, values and messages are plain text.
    void namesAreShownAsWritten()
    {
        TileResult result;
        result.name = "Login <b>success</b> & <i>rate</i> <script>x</script>";
        result.unit = "<b>u|</b>";
        result.error = "<html>502 Bad Gateway</html>";
        TileWidget tile;
        tile.setResult(result, {kNow - kHour, kNow});
        for (QLabel *label : tile.findChildren<QLabel *>())
            QCOMPARE(label->textFormat(), Qt::PlainText);
        const auto texts = [&] {
            QStringList out;
            for (QLabel *label : tile.findChildren<QLabel *>())
                out << label->text();
            return out;
        }();
        QCOMPARE(tile.findChild<ElidedLabel *>()->fullText(), QString::fromStdString(result.name));
        QVERIFY(texts.contains(QString::fromStdString(result.error)));
    }

    // Found by an exploratory test: a 280-character tile name widened its tile past the exported board, and the
    // tiles beside it were left off the image.
    void aLongNameIsElidedNotWidened()
    {
        TileResult result;
        result.name = std::string(20 * 14, 'n');
        TileWidget tile;
        tile.setResult(result, {kNow - kHour, kNow});
        tile.resize(300, 300);
        tile.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tile));
        QVERIFY2(tile.minimumSizeHint().width() < 300, qPrintable(QString::number(tile.minimumSizeHint().width())));
        auto *name = tile.findChild<ElidedLabel *>();
        QVERIFY(name->text().endsWith(QChar(0x2026)));
        QVERIFY(name->text().size() < 100);
        QCOMPARE(name->toolTip(), QString::fromStdString(result.name));
    }

    void markerTooltip()
    {
        const TimeRange range{kNow - kHour, kNow};
        ChartView chart;
        chart.resize(600, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setTimeRange(range);
        chart.setSeries(QStringLiteral("a"), {range.from, range.to - kMinute}, {1.0, 2.0}, Qt::blue);
        const Marker m = deployMarker(range.from + range.length() / 2);
        chart.setMarkers({m});
        settle();
        const QPoint at(chart.xForTime(m.time), chart.height() / 2);
        const QString tip = chart.markerToolTipAt(at + QPoint(2, 0));
        QVERIFY2(tip.contains(QStringLiteral("deploy")) && tip.contains(QStringLiteral("2.14.0")), qPrintable(tip));
        QVERIFY(chart.markerToolTipAt(at + QPoint(40, 0)).isEmpty());
    }

    void chartDecimatesToWidth()
    {
        const std::size_t n = 1'000'000;
        std::vector<TimeNs> xs(n);
        std::vector<double> ys(n, 1.0);
        for (std::size_t i = 0; i < n; ++i)
            xs[i] = kNow - kDay + static_cast<TimeNs>(i) * (kDay / static_cast<TimeNs>(n));
        ys[n / 3] = 500;
        ChartView chart;
        chart.resize(800, 300);
        chart.setSeries(QStringLiteral("big"), xs, ys, Qt::darkGreen);
        QVERIFY(chart.drawnPointCount(QStringLiteral("big")) <= 2 * 800 + 4);
        QVERIFY(chart.drawnPointCount(QStringLiteral("big")) > 100);
        QCOMPARE(chart.drawnPointCount(QStringLiteral("missing")), qsizetype(-1));
    }

    void metricsRunsQuery()
    {
        auto source = std::make_shared<FakeSource>();
        MetricsView view;
        QSignalSpy status(&view, &MetricsView::statusMessage);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setSource(source);
        view.setTimeRange({kNow - 6 * kHour, kNow});
        view.refresh(); // a blank form runs nothing, and says what to write
        QVERIFY(view.chart()->placeholderText().startsWith(QStringLiteral("Write a query above")));
        QVERIFY(view.errorText().isEmpty());
        QVERIFY(view.nativeQueryText().isEmpty()); // no query of everything is shown for it
        QCOMPARE(source->queries.load(), 0);
        fillDemoForm(view);
        view.refresh();
        QTRY_COMPARE(view.chart()->seriesCount(), 2);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(source->lastQuery.signal, Signal::Metrics);
        QCOMPARE(source->lastQuery.groupBy, std::vector<std::string>{"service.name"});
        QCOMPARE(source->lastQuery.agg.kind, Aggregate::Kind::Rate);
        QCOMPARE(source->lastQuery.interval, 5 * kMinute);
        QCOMPARE(view.chart()->seriesNames(), (QStringList{QStringLiteral("auth"), QStringLiteral("checkout")}));
        QVERIFY(view.chart()->drawnPointCount(QStringLiteral("auth")) >= 72);
        QVERIFY(view.errorText().isEmpty());
        // what an answer without series shows (exploratory test: "Run a query to see its series" had stayed)
        QCOMPARE(view.chart()->placeholderText(), QStringLiteral("No data: the query matched no series in this range"));
        QVERIFY(!status.isEmpty());
        settle();
        const QImage image = view.grab().toImage();
        QVERIFY(image.save(outputPath("tst_views_metrics.png")));
        QVERIFY(fdtest::colourCount(image, 3) > 20);
        QVERIFY(fdtest::hasColourNear(image, ChartView::markerColor("deploy")));

        // What the source says may make the result partial shows above the chart, and goes with the next result.
        auto *notes = view.findChild<QLabel *>(QStringLiteral("resultNotes"));
        QVERIFY(notes && !notes->isVisible());
        source->notes = {"Prometheus: the answer is partial (isPartial): some storage nodes did not answer"};
        view.refresh();
        QTRY_VERIFY(notes->isVisible());
        QCOMPARE(notes->text(),
                 QStringLiteral("⚠ Prometheus: the answer is partial (isPartial): some storage nodes did not answer"));
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(view.chart()->seriesCount(), 2);
        settle();
        QVERIFY(view.grab().toImage().save(outputPath("tst_views_metrics-notes.png")));
        source->notes.clear();
        view.refresh();
        QTRY_VERIFY(!notes->isVisible());

        // A failed run leaves no chart of the query before under its message.
        QTRY_VERIFY(!view.isBusy());
        source->failWith = "connection refused";
        view.refresh();
        QTRY_COMPARE(view.errorText(), QStringLiteral("connection refused"));
        QCOMPARE(view.chart()->seriesCount(), 0);
        QCOMPARE(view.chart()->placeholderText(), QStringLiteral("No chart: see the message above"));

        // Nor does a form that cannot run (exploratory GUI test).
        source->failWith.clear();
        view.refresh();
        QTRY_COMPARE(view.chart()->seriesCount(), 2);
        QTRY_VERIFY(!view.isBusy());
        view.findChild<QLineEdit *>(QStringLiteral("aggregate"))->setText(QStringLiteral("bogus(("));
        view.refresh();
        QVERIFY(!view.errorText().isEmpty());
        QCOMPARE(view.chart()->seriesCount(), 0);
    }

    // Found on the checklist's screenshots: a saved PromQL query opened as an empty form ("a chart needs an
    // aggregate"), and a form query opened in PromQL mode ran the PromQL written before.
    void metricsOpensAQueryInItsMode()
    {
        struct PromSource : FakeSource {
            SourceCapabilities capabilities() const override
            {
                SourceCapabilities c = FakeSource::capabilities();
                c.language = "PromQL";
                c.metrics = true;
                return c;
            }
        };
        auto source = std::make_shared<PromSource>();
        MetricsView view;
        view.setSource(source);
        view.setTimeRange({kNow - kHour, kNow});
        Query raw;
        raw.signal = Signal::Metrics;
        raw.raw = "sum by (job) (rate(http_requests_total[1m]))";
        raw.interval = 15 * kSecond;
        view.setQuery(raw);
        QVERIFY(view.isRawMode());
        view.refresh();
        QTRY_COMPARE(source->queries.load(), 1);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(source->lastQuery.raw, raw.raw);
        Query form;
        form.signal = Signal::Metrics;
        form.where = parseWhereList("name = up");
        form.agg = parseAggregate("count");
        view.setQuery(form);
        QVERIFY(!view.isRawMode());
        view.refresh();
        QTRY_COMPARE(source->queries.load(), 2);
        QTRY_VERIFY(!view.isBusy());
        QVERIFY(source->lastQuery.raw.empty());
        QCOMPARE(source->lastQuery.agg.kind, Aggregate::Kind::Count);
    }

    void metricsRejectsBadForm()
    {
        auto source = std::make_shared<FakeSource>();
        MetricsView view;
        view.setSource(source);
        view.setTimeRange({kNow - kHour, kNow});
        view.findChild<QLineEdit *>(QStringLiteral("aggregate"))->setText(QStringLiteral("bogus(("));
        view.refresh();
        QVERIFY(!view.errorText().isEmpty());
        view.findChild<QLineEdit *>(QStringLiteral("aggregate"))->setText(QStringLiteral("count"));
        view.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("name ="));
        view.refresh();
        QVERIFY(!view.errorText().isEmpty());
        QTest::qWait(50);
        QCOMPARE(source->queries.load(), 0);
    }

    // Exploratory test: Run sent the range worked out when the window opened, so "last hour" showed no new points.
    void metricsRunAsksForAFollowedRange()
    {
        auto source = std::make_shared<FakeSource>();
        MetricsView view;
        view.setSource(source);
        fillDemoForm(view);
        int asked = 0;
        view.followTimeRange([&asked] {
            ++asked;
            return TimeRange{kNow - kHour + asked * kMinute, kNow + asked * kMinute};
        });
        for (int run = 1; run <= 2; ++run) {
            view.refresh();
            QTRY_COMPARE(source->queries.load(), run);
            QTRY_VERIFY(!view.isBusy());
            QCOMPARE(source->lastRange.to, kNow + (run + 1) * kMinute);
        }
        view.setTimeRange({kNow - kDay, kNow}); // a fixed range stays where it is
        view.refresh();
        QTRY_COMPARE(source->queries.load(), 3);
        QTRY_VERIFY(!view.isBusy());
        QCOMPARE(source->lastRange.to, kNow);
    }

    void autoIntervalRounds()
    {
        QCOMPARE(MetricsView::autoInterval(kDay), 15 * kMinute);
        QCOMPARE(MetricsView::autoInterval(7 * kDay), kHour);
        QCOMPARE(MetricsView::autoInterval(kHour), 30 * kSecond);
        QCOMPARE(MetricsView::autoInterval(6 * kHour), 5 * kMinute);
    }

    void timeRangePresets()
    {
        TimeRangePicker picker;
        QSignalSpy changed(&picker, &TimeRangePicker::rangeChanged);
        const TimeRange day = picker.resolve(kNow);
        QCOMPARE(day.from, kNow - kDay);
        QCOMPARE(day.to, kNow);
        QCOMPARE(picker.displayText(), QStringLiteral("Last 24 hours"));

        auto *combo = picker.findChild<QComboBox *>();
        QVERIFY(combo);
        combo->setCurrentIndex(0);
        Q_EMIT combo->activated(0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(picker.fromText(), QStringLiteral("now-15m"));
        QCOMPARE(picker.toText(), QStringLiteral("now"));
        QCOMPARE(picker.resolve(kNow).from, kNow - 15 * kMinute);
        // A later refresh re-resolves "now".
        QCOMPARE(picker.resolve(kNow + kHour).to, kNow + kHour);

        picker.setRange(QStringLiteral("now-7d"), QStringLiteral("now"));
        QCOMPARE(picker.displayText(), QStringLiteral("Last 7 days"));
        QCOMPARE(picker.resolve(kNow).from, kNow - 7 * kDay);
        QCOMPARE(changed.count(), 2);
        picker.setRange(QStringLiteral("now-7d"), QStringLiteral("now"));
        QCOMPARE(changed.count(), 2);

        picker.setRange(QStringLiteral("2025-11-20T00:00:00Z"), QStringLiteral("2025-11-21T00:00:00Z"));
        QVERIFY(picker.displayText().contains(QStringLiteral("–")));
        const TimeRange custom = picker.resolve(kNow);
        QCOMPARE(custom.length(), kDay);
        QCOMPARE(formatRfc3339(custom.from), QStringLiteral("2025-11-20T00:00:00.000000000Z"));

        picker.setRange(QStringLiteral("garbage"), QStringLiteral("now"));
        QCOMPARE(picker.resolve(kNow).from, kNow - kDay);
    }

    void customRangeIsTyped()
    {
        // Exploratory test: the custom range took absolute dates only ("now-2h" could not be had), and OK greyed out
        // without a word when From came after To.
        TimeRangePicker picker;
        picker.show();
        auto *combo = picker.findChild<QComboBox *>();
        combo->setCurrentIndex(combo->count() - 1);
        Q_EMIT combo->activated(combo->count() - 1);
        auto *dialog = picker.findChild<TimeRangeDialog *>();
        QVERIFY(dialog);
        auto *from = dialog->findChild<QLineEdit *>(QStringLiteral("rangeFrom"));
        auto *to = dialog->findChild<QLineEdit *>(QStringLiteral("rangeTo"));
        auto *problem = dialog->findChild<QLabel *>(QStringLiteral("rangeProblem"));
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QCOMPARE(from->text(), QStringLiteral("now-24h"));
        QCOMPARE(to->text(), QStringLiteral("now"));
        QVERIFY(ok->isEnabled());

        from->setText(QStringLiteral("yesterday"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(problem->text().startsWith(QStringLiteral("From: invalid time")), qPrintable(problem->text()));
        from->setText(QStringLiteral("2026-12-06 15:00:00"));
        to->setText(QStringLiteral("2026-12-06 14:00:00"));
        QVERIFY(!ok->isEnabled());
        QCOMPARE(problem->text(), QStringLiteral("From must come before To."));
        QVERIFY(dialog->grab().save(outputPath("time_range_dialog.png")));
        to->setText(QStringLiteral("2026-12-06 16:30:00"));
        QVERIFY(ok->isEnabled());
        QVERIFY(problem->isHidden());
        QCOMPARE(dialog->fromText(), formatRfc3339(QDateTime::fromString(QStringLiteral("2026-12-06 15:00:00"),
                                                                          QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                                        .toMSecsSinceEpoch() * kMillisecond));

        // Without a zone, every form of a date and time is local (review: "15:00" without seconds was UTC)
        from->setText(QStringLiteral("2026-12-06 15:00"));
        QCOMPARE(dialog->fromText(), formatRfc3339(QDateTime(QDate(2026, 12, 6), QTime(15, 0)).toMSecsSinceEpoch() * kMillisecond));
        from->setText(QStringLiteral("2026-12-06"));
        QCOMPARE(dialog->fromText(), formatRfc3339(QDateTime(QDate(2026, 12, 6), QTime(0, 0)).toMSecsSinceEpoch() * kMillisecond));

        from->setText(QStringLiteral(" now-2h "));
        to->setText(QStringLiteral("now"));
        ok->click();
        QCOMPARE(picker.fromText(), QStringLiteral("now-2h"));
        QCOMPARE(picker.toText(), QStringLiteral("now"));
        QCOMPARE(picker.displayText(), QStringLiteral("now-2h – now"));
        QCOMPARE(picker.resolve(kNow).from, kNow - 2 * kHour);
    }
};

QTEST_MAIN(TestViewsBoardMetrics)
#include "tst_views_board_metrics.moc"

// The Query tab offscreen against a fake source: a sentence typed with real key events and completed
// from the source's fields and values, the native query and the raw editor with a server error
// underlined, the three result shapes with exact values, cancel, history (file, search, restore) and
// screenshots of each shape.
#include "models/FrameSeries.h"
#include "models/QueryHistory.h"
#include "models/QuerySentence.h"
#include "widgets/ChartView.h"
#include "widgets/ExploreView.h"
#include "widgets/FrameExport.h"
#include "widgets/FieldCompletion.h"
#include "widgets/PromQlEditor.h"
#include "widgets/PromQlHighlighter.h"
#include "widgets/QueryBar.h"
#include "widgets/QueryResultView.h"
#include "models/FrameTableModel.h"
#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include "ModalDialogs.h"
#include <QTextBlock>
#include <QTextLayout>
#include <atomic>
#include <mutex>
#include <thread>

using namespace fd;

namespace {

constexpr TimeNs kT0 = 1'700'000'100'000'000'000 - 1'700'000'100'000'000'000 % (5 * kMinute);
const TimeRange kRange{ kT0, kT0 + 15 * kMinute };

Column strings(const char *name, std::vector<std::string> values)
{
    Column c{ name, ColumnType::String, {} };
    for (auto &v : values)
        c.cells.emplace_back(std::move(v));
    return c;
}
Column ints(const char *name, ColumnType type, std::vector<std::int64_t> values)
{
    Column c{ name, type, {} };
    for (auto v : values)
        c.cells.emplace_back(v);
    return c;
}

// Answers like a small log store; a search for "slow" runs until cancelled.
class FakeSource : public DataSource
{
public:
    std::string id() const override { return "fake"; }
    // Counts values in the newest 20,000 events, as the store does.
    SourceCapabilities capabilities() const override { return { "SQL", true, true, true, false, false, false, 20'000 }; }
    std::string compile(const Query &q, const TimeRange &) const override
    {
        std::string sql = "SELECT " + (q.agg.kind == Aggregate::Kind::None ? std::string("*") : q.agg.text()) + " FROM "
            + signalName(q.signal);
        for (std::size_t i = 0; i < q.where.size(); ++i)
            sql += (i ? " AND " : " WHERE ") + conditionToText(q.where[i]);
        return sql;
    }
    std::vector<std::string> fieldNames(Signal, const std::string &, const TimeRange &, const CancelTokenPtr &) override
    {
        ++nameCalls;
        return { "http.status_code", "service.name", "user agent", "user.id" };
    }
    std::vector<FieldValue> fieldValues(Signal, const std::string &field, const std::string &, const TimeRange &,
                                        const CancelTokenPtr &) override
    {
        while (holdValues)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::lock_guard lock(mutex);
        valueFields.push_back(field);
        if (field == "service.name")
            return { { "auth", 120 }, { "checkout", 80 }, { "api", 5 } };
        return {};
    }
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override
    {
        {
            std::lock_guard lock(mutex);
            queries.push_back(q);
            ranges.push_back(range);
        }
        if (q.search == "slow") {
            for (int i = 0; i < 500; ++i) {
                if (cancel->isCancelled()) {
                    sawCancel = true;
                    throw Cancelled();
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        if (!q.raw.empty()) {
            if (q.raw.find("FORM") != std::string::npos)
                throw Error(std::string("store: prepare: near \"FORM\": syntax error"));
            Frame f;
            f.columns = { ints("n", ColumnType::Int64, { 7 }) };
            return f;
        }
        Frame f;
        if (q.interval > 0 && q.groupBy == std::vector<std::string>{ "user.id" }) { // a group per user: 80 of them
            f.columns = { ints("time", ColumnType::Time, {}), strings("user.id", {}), ints("count", ColumnType::Int64, {}) };
            for (int u = 0; u < 80; ++u) {
                for (int m = 0; m < 3; ++m) {
                    f.columns[0].cells.emplace_back(kT0 + m * 5 * kMinute);
                    f.columns[1].cells.emplace_back("u-" + std::to_string(u));
                    f.columns[2].cells.emplace_back(std::int64_t(u * (m + 1)));
                }
            }
        } else if (q.interval > 0) { // as the store: without an aggregate, a count
            f.columns = { ints("time", ColumnType::Time, { kT0, kT0 + 5 * kMinute, kT0, kT0 + 10 * kMinute }),
                strings("service.name", { "auth", "auth", "checkout", "checkout" }),
                ints("count", ColumnType::Int64, { 3, 5, 1, 2 }) };
        } else if (q.agg.kind != Aggregate::Kind::None) {
            f.columns = { ints("count", ColumnType::Int64, { 1234567 }) };
        } else {
            f.columns = { ints("time", ColumnType::Time, { kT0 + 2 * kMinute, kT0 + kMinute }),
                strings("service.name", { "auth", "auth" }),
                strings("body", { "token check timeout after 5000 ms", "login failed: timeout" }) };
        }
        if (q.search == "partial")
            f.notes = { "Elasticsearch: 2 of 5 shards failed: the results are partial" };
        return f;
    }
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }

    std::mutex mutex;
    std::vector<Query> queries;
    std::vector<TimeRange> ranges;
    std::vector<std::string> valueFields;
    std::atomic<int> nameCalls{ 0 };
    std::atomic<bool> holdValues{ false }; // fieldValues answers once it is false again
    std::atomic<bool> sawCancel{ false };
};

QStringList popupItems(QueryBar *bar)
{
    QStringList out;
    const QAbstractItemModel *m = bar->completer()->completionModel();
    for (int r = 0; r < m->rowCount(); ++r)
        out << m->index(r, 0).data().toString();
    return out;
}

bool popupVisible(QueryBar *bar)
{
    return bar->completer()->popup()->isVisible();
}

void saveShot(QWidget *w, const char *name)
{
    QTest::qWait(50); // the layout settles on the next event loop turn
    const QString path = QStringLiteral(FD_BINARY_DIR "/") + QString::fromLatin1(name);
    QVERIFY(w->grab().save(path));
}

} // namespace

class TestExploreView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_source = std::make_shared<FakeSource>();
        m_view = std::make_unique<ExploreView>();
        m_view->resize(1100, 620);
        m_view->setSource(m_source);
        m_view->setTimeRange(kRange);
        m_view->setHistoryFile(m_dir->filePath(QStringLiteral("w.flightdeck.history.jsonl")));
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->activateWindow();
        m_view->focusBar();
    }
    void cleanup() { m_view.reset(); }

    void typesAndCompletesAQueryThenShowsRows()
    {
        QueryBar *bar = m_view->bar();
        QTest::keyClicks(bar, QStringLiteral("lo"));
        QVERIFY(popupVisible(bar));
        QCOMPARE(popupItems(bar), QStringList{ QStringLiteral("logs") });
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs "));
        QTest::keyClicks(bar, QStringLiteral("wh"));
        QCOMPARE(popupItems(bar), QStringList{ QStringLiteral("where") });
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs where "));
        // Field names: the intrinsic ones at once, then the source's when they arrive.
        QTRY_VERIFY(popupItems(bar).contains(QStringLiteral("user.id")));
        QCOMPARE(m_source->nameCalls.load(), 1);
        QTest::keyClicks(bar, QStringLiteral("serv"));
        QCOMPARE(popupItems(bar), QStringList{ QStringLiteral("service.name") });
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs where service.name "));
        QVERIFY(popupItems(bar).startsWith(QStringLiteral("=")));
        QTest::keyClicks(bar, QStringLiteral("= "));
        // Values with their counts, asked for this field.
        QTRY_COMPARE(popupItems(bar), (QStringList{ QStringLiteral("auth"), QStringLiteral("checkout"), QStringLiteral("api") }));
        QCOMPARE(bar->completer()->completionModel()->index(0, 0).data(QueryBar::kCountRole).toLongLong(), 120);
        QCOMPARE(bar->completer()->completionModel()->index(0, 0).data(Qt::ToolTipRole).toString(),
            QStringLiteral("120: counted in the newest 20,000 events of the time range"));
        saveShot(bar->completer()->popup(), "explore-completion.png");
        QTest::keyClick(bar, Qt::Key_Down);
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs where service.name = checkout "));
        QVERIFY(!popupVisible(bar));
        QTest::keyClick(bar, Qt::Key_Backspace);
        for (int i = 0; i < 8; ++i)
            QTest::keyClick(bar, Qt::Key_Backspace);
        QTest::keyClicks(bar, QStringLiteral("au"));
        QCOMPARE(popupItems(bar), QStringList{ QStringLiteral("auth") });
        QTest::keyClick(bar, Qt::Key_Tab);
        QTest::keyClicks(bar, QStringLiteral("matching \"timeout\""));
        QCOMPARE(bar->text(), QStringLiteral("logs where service.name = auth matching \"timeout\""));
        {
            std::lock_guard lock(m_source->mutex);
            QVERIFY(m_source->valueFields == std::vector<std::string>{ "service.name" }); // cached after the first ask
        }
        // The native query follows the sentence.
        QTRY_COMPARE(m_view->nativeEditor()->toPlainText(),
                     QStringLiteral("SELECT * FROM logs WHERE service.name = auth"));
        QCOMPARE(m_view->nativeEditor()->language(), QStringLiteral("SQL"));
        // The sentence reads as tokens: the field and the value on tinted backgrounds, keywords bold.
        QHash<QString, QTextCharFormat> formatOf;
        for (const QTextLayout::FormatRange &r : bar->document()->firstBlock().layout()->formats())
            formatOf.insert(bar->text().mid(r.start, r.length), r.format);
        QVERIFY(formatOf.value(QStringLiteral("service.name")).hasProperty(QTextFormat::BackgroundBrush));
        QVERIFY(formatOf.value(QStringLiteral("auth")).hasProperty(QTextFormat::BackgroundBrush));
        QVERIFY(formatOf.value(QStringLiteral("where")).fontWeight() > QFont::Normal);
        QVERIFY(!formatOf.value(QStringLiteral("where")).hasProperty(QTextFormat::BackgroundBrush));

        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        QTest::keyClick(bar, Qt::Key_Return);
        QVERIFY(finished.wait());
        QCOMPARE(finished.takeFirst().at(0).toBool(), true);
        {
            std::lock_guard lock(m_source->mutex);
            QCOMPARE(m_source->queries.size(), std::size_t(1));
            QVERIFY(m_source->queries[0].where == (std::vector<Condition>{ { "service.name", Op::Eq, "auth" } }));
            QCOMPARE(m_source->queries[0].search, std::string("timeout"));
        }
        QueryResultView *results = m_view->results();
        QCOMPARE(results->shape(), QueryResultView::Shape::Table);
        FrameTableModel *model = results->model();
        model->setUtc(true);
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("body"));
        QCOMPARE(model->index(0, 2).data().toString(), QStringLiteral("token check timeout after 5000 ms"));
        QCOMPARE(model->index(1, 0).data().toString(),
                 QDateTime::fromMSecsSinceEpoch((kT0 + kMinute) / 1'000'000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
        QVERIFY(m_view->statusText().startsWith(QStringLiteral("2 rows in ")));
        QCOMPARE(m_view->history()->rowCount(), 1);
        QCOMPARE(m_view->history()->entry(0).text, std::string("logs where service.name = auth matching \"timeout\""));
        saveShot(m_view.get(), "explore-table.png");
        QSignalSpy save(m_view.get(), &ExploreView::saveRequested);
        QTest::mouseClick(m_view->findChild<QPushButton *>(QStringLiteral("saveQueryButton")), Qt::LeftButton);
        QCOMPARE(save.count(), 1);
        QVERIFY(*m_view->currentQuery() == m_source->queries[0]);
    }

    // Found by review: a field with a space completed bare ("where user agent "), a sentence that does not parse;
    // and an aggregate over it had no sentence at all.
    void fieldsThatNeedQuotesCompleteQuoted()
    {
        QueryBar *bar = m_view->bar();
        QTest::keyClicks(bar, QStringLiteral("logs where user"));
        QTRY_VERIFY(popupItems(bar).contains(QStringLiteral("user agent")));
        while (bar->completer()->popup()->currentIndex().data().toString() != QStringLiteral("user agent"))
            QTest::keyClick(bar, Qt::Key_Down);
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs where \"user agent\" "));
        bar->setText(QString());
        QTest::keyClicks(bar, QStringLiteral("logs count_distinct(\"user a"));
        QTRY_COMPARE(popupItems(bar), QStringList{ QStringLiteral("user agent") });
        saveShot(bar->completer()->popup(), "explore-aggregate-field-completion.png");
        QTest::keyClick(bar, Qt::Key_Tab);
        QCOMPARE(bar->text(), QStringLiteral("logs count_distinct(\"user agent\") "));
        QTest::keyClicks(bar, QStringLiteral("by service.name"));
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        QTest::keyClick(bar, Qt::Key_Return);
        QVERIFY(finished.wait());
        {
            std::lock_guard lock(m_source->mutex);
            QVERIFY(m_source->queries.back().agg == parseAggregate("count_distinct('user agent')"));
        }
        m_view->setQuery(m_source->queries.back()); // as a saved query shows it
        QCOMPARE(bar->text(), QStringLiteral("logs count_distinct(\"user agent\") by service.name"));
        saveShot(m_view.get(), "explore-quoted-aggregate.png");
    }

    void aggregateOverIntervalIsAChart()
    {
        m_view->bar()->setText(QStringLiteral("logs where severity >= ERROR count by service.name every 5m"));
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        QTest::keyClick(m_view->bar(), Qt::Key_Enter);
        QVERIFY(finished.wait());
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Chart);
        ChartView *chart = m_view->results()->chart();
        QCOMPARE(chart->seriesNames(), (QStringList{ QStringLiteral("auth"), QStringLiteral("checkout") }));
        const QList<QPointF> auth = chart->drawnPoints(QStringLiteral("auth"));
        QVERIFY(auth.size() >= 3);
        QList<double> authValues;
        for (const QPointF &p : auth)
            authValues << p.y();
        QVERIFY2(authValues.contains(3.0) && authValues.contains(5.0) && authValues.contains(0.0), qPrintable(QString::number(authValues.size())));
        chart->showCrosshairAt(kT0 + 5 * kMinute);
        const QString hover = chart->crosshairText();
        QVERIFY2(hover.contains(QStringLiteral("auth: 5")) && hover.contains(QStringLiteral("checkout: 0")), qPrintable(hover));
        chart->hideCrosshair();
        saveShot(m_view.get(), "explore-chart.png");
    }

    // A group by with thousands of values drew a line for each (a freeze): the chart keeps the largest, and
    // the notes above it say so.
    void manyGroupsChartTheLargestAndSaySo()
    {
        QVERIFY(runSentence(QStringLiteral("logs count by user.id every 5m")));
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Chart);
        const QStringList names = m_view->results()->chart()->seriesNames();
        QCOMPARE(names.size(), int(kMaxChartSeries));
        QVERIFY(names.contains(QStringLiteral("u-79")) && !names.contains(QStringLiteral("u-0")));
        auto *notes = m_view->findChild<QLabel *>(QStringLiteral("resultNotes"));
        QVERIFY(notes->isVisible());
        QVERIFY2(notes->text().contains(QStringLiteral("draws the 50 largest of 80 series")), qPrintable(notes->text()));
        saveShot(m_view.get(), "explore-many-groups.png");
    }

    // The result on screen exports as CSV (chosen in the dialog) or JSON lines; none before a result.
    void theResultExports()
    {
        auto *button = m_view->findChild<QPushButton *>(QStringLiteral("exportResultButton"));
        QVERIFY(!button->isEnabled());
        QVERIFY(runSentence(QStringLiteral("logs where severity >= ERROR count by service.name")));
        QVERIFY(button->isEnabled());
        QSignalSpy exported(m_view->findChild<FrameExport *>(), &FrameExport::finished);
        fdtest::chooseFile(m_dir->filePath(QStringLiteral("groups.jsonl")), QStringLiteral("CSV (*.csv)"));
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_COMPARE(exported.count(), 1);
        const QString csv = m_dir->filePath(QStringLiteral("groups.csv"));
        const QAbstractItemModel *table = m_view->results()->findChild<QTableView *>()->model();
        const int rows = table->rowCount();
        QStringList header;
        for (int c = 0; c < table->columnCount(); ++c)
            header << table->headerData(c, Qt::Horizontal).toString();
        QVERIFY(rows > 0);
        QCOMPARE(exported[0][0].toString(), QStringLiteral("Exported %1 rows to %2").arg(rows).arg(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), rows + 2); // the header, and a newline ending the last row
        QCOMPARE(QString::fromUtf8(lines.first()), header.join(u','));
    }

    // Found by review: an interval without an aggregate (a count per bucket) was shown as a table.
    void intervalWithoutAggregateIsACountChart()
    {
        QVERIFY(runSentence(QStringLiteral("logs by service.name every 5m")));
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Chart);
        ChartView *chart = m_view->results()->chart();
        QCOMPARE(chart->seriesNames(), (QStringList{ QStringLiteral("auth"), QStringLiteral("checkout") }));
        QList<double> checkout;
        for (const QPointF &p : chart->drawnPoints(QStringLiteral("checkout")))
            checkout << p.y();
        QVERIFY(checkout.contains(0.0)); // an empty bucket counts 0, drawn, not a gap
        saveShot(m_view.get(), "explore-count-chart.png");
    }

    // Exploratory test: "last 24 hours" stayed the 24 hours before the workspace opened, so what arrived since was
    // not found, and Refresh left this tab's answer as it was. A followed range is asked for as each run starts, and
    // refresh() runs the query again (without a second history entry).
    void aFollowedRangeIsAskedForAtEachRun()
    {
        int asked = 0;
        m_view->followTimeRange([&asked] {
            ++asked;
            return TimeRange{ kT0 + asked * kMinute, kT0 + 15 * kMinute + asked * kMinute };
        });
        m_view->refresh(); // nothing has run: nothing to run again
        QVERIFY(m_source->queries.empty());
        QVERIFY(runSentence(QStringLiteral("logs count")));
        const int history = m_view->history()->rowCount();
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        m_view->bar()->setText(QStringLiteral("spans where half")); // typed, not run: the refresh runs what ran (review)
        m_view->refresh();
        QVERIFY(finished.wait());
        QCOMPARE(m_source->ranges.size(), std::size_t(2));
        QCOMPARE(m_source->ranges[0].from, kT0 + 2 * kMinute);
        QCOMPARE(m_source->ranges[1].from, kT0 + 3 * kMinute);
        QVERIFY(m_source->queries[1] == m_source->queries[0]);
        QCOMPARE(m_view->history()->rowCount(), history);
        // Another workspace's source: nothing of this one's runs there unasked (review)
        auto other = std::make_shared<FakeSource>();
        m_view->setSource(other);
        m_view->refresh();
        QTest::qWait(50);
        QVERIFY(other->queries.empty());
        QVERIFY(m_view->statusText().isEmpty()); // nor is the answer shown as the new source's
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Empty);
        m_view->setSource(m_source);
        m_view->bar()->setText(QString());
        m_view->setTimeRange(kRange); // fixed again
        QVERIFY(runSentence(QStringLiteral("logs count")));
        QCOMPARE(m_source->ranges.back().from, kRange.from);
        QCOMPARE(asked, 3);
    }

    // Review: each Run over a range relative to now asked the source for its fields again (a moment later, the same).
    void completionOutlivesARangeMovedOnByARun()
    {
        FieldCompletion fields;
        auto source = std::make_shared<FakeSource>();
        fields.setSource(source);
        fields.setTimeRange(kRange);
        QSignalSpy ready(&fields, &FieldCompletion::namesReady);
        QVERIFY(!fields.names());
        QVERIFY(ready.wait());
        QVERIFY(fields.names());
        fields.setTimeRange({kRange.from + 30 * kSecond, kRange.to + 30 * kSecond}); // "last 15 minutes", run again
        QVERIFY(fields.names());
        QCOMPARE(source->nameCalls.load(), 1);
        fields.setTimeRange({kRange.from + 60 * kSecond, kRange.to + 60 * kSecond});
        QVERIFY(fields.names());
        fields.setTimeRange({kRange.from + 90 * kSecond, kRange.to + 90 * kSecond}); // 90 s on from the cached range
        QVERIFY(!fields.names());
        QVERIFY(ready.wait());
        QCOMPARE(source->nameCalls.load(), 2);
        fields.setTimeRange({kRange.from - kDay, kRange.to}); // another range: asked again
        QVERIFY(!fields.names());
        QVERIFY(ready.wait());
        QCOMPARE(source->nameCalls.load(), 3);
    }

    void singleValueIsABigNumber()
    {
        QVERIFY(runSentence(QStringLiteral("spans where http.status_code >= 500 count")));
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Number);
        QCOMPARE(m_view->results()->numberText(), QLocale().toString(1234567));
        QCOMPARE(m_view->results()->numberCaption(), QStringLiteral("count"));
        saveShot(m_view.get(), "explore-number.png");
    }

    // Found by review: a partial answer (failed shards, a store that did not answer) looked complete here.
    void notesOfAPartialResultAreShown()
    {
        QVERIFY(runSentence(QStringLiteral("logs matching partial")));
        const auto *notes = m_view->findChild<QLabel *>(QStringLiteral("resultNotes"));
        QVERIFY(notes && notes->isVisibleTo(m_view.get()));
        QCOMPARE(notes->text(), QStringLiteral("⚠ Elasticsearch: 2 of 5 shards failed: the results are partial"));
        saveShot(m_view.get(), "explore-partial-note.png");
        QVERIFY(runSentence(QStringLiteral("logs")));
        QVERIFY(!notes->isVisibleTo(m_view.get())); // a whole result says nothing
    }

    void sentenceErrorIsUnderlinedAndNothingRuns()
    {
        m_view->bar()->setText(QStringLiteral("logs where service.name = auth frobnicate"));
        QTest::keyClick(m_view->bar(), Qt::Key_Return);
        QVERIFY(m_view->errorText().contains(QStringLiteral("at \"frobnicate\"")));
        const auto selections = m_view->bar()->extraSelections();
        QCOMPARE(selections.size(), 1);
        QCOMPARE(selections[0].cursor.selectionStart(), 31);
        QCOMPARE(selections[0].cursor.selectionEnd(), 41);
        QCOMPARE(m_view->bar()->toolTip(), m_view->bar()->errorMessage());
        saveShot(m_view.get(), "explore-sentence-error.png");
        QVERIFY(m_source->queries.empty());
        QCOMPARE(m_view->history()->rowCount(), 0);
    }

    void rawEditorUnderlinesTheServerError()
    {
        m_view->bar()->setText(QStringLiteral("logs count"));
        QTRY_COMPARE(m_view->nativeEditor()->toPlainText(), QStringLiteral("SELECT count FROM logs"));
        QVERIFY(m_view->nativeEditor()->isReadOnly());
        m_view->setRawMode(true);
        PromQlEditor *raw = m_view->nativeEditor();
        QVERIFY(!raw->isReadOnly());
        QVERIFY(!m_view->bar()->isEnabled());
        QVERIFY(raw->highlighter()->document() == nullptr); // SQL colours, not PromQL's
        raw->selectAll();
        QTest::keyClicks(raw, QStringLiteral("SELECT count(*) FORM logs"));
        const QList<QTextLayout::FormatRange> formats = raw->document()->firstBlock().layout()->formats();
        QVERIFY(!formats.isEmpty());
        QCOMPARE(formats.front().start, 0);
        QCOMPARE(formats.front().length, 6); // SELECT, bold as a keyword
        QCOMPARE(formats.front().format.fontWeight(), int(QFont::Bold));
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        QSignalSpy said(m_view.get(), &ExploreView::statusMessage);
        QTest::keyClick(raw, Qt::Key_Return);
        QVERIFY(finished.wait());
        QCOMPARE(finished.takeFirst().at(0).toBool(), false);
        // The window's status bar says so too: the last success's "1 row in 27 ms" had stayed (exploratory GUI test).
        QVERIFY(!said.isEmpty() && said.last().at(0).toString().startsWith(QStringLiteral("Query: failed after")));
        QCOMPARE(m_view->errorText(), QStringLiteral("store: prepare: near \"FORM\": syntax error"));
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Message);
        const auto selections = raw->extraSelections();
        QCOMPARE(selections.size(), 1);
        QCOMPARE(selections[0].cursor.selectedText(), QStringLiteral("FORM"));
        // Fixed, it runs raw and the single value is a big number.
        QTest::keyClick(raw, Qt::Key_End);
        raw->selectAll();
        QTest::keyClicks(raw, QStringLiteral("SELECT count(*) AS n FROM logs"));
        QTest::keyClick(raw, Qt::Key_Return);
        QVERIFY(finished.wait());
        QCOMPARE(m_view->results()->numberText(), QStringLiteral("7"));
        {
            std::lock_guard lock(m_source->mutex);
            QCOMPARE(m_source->queries.back().raw, std::string("SELECT count(*) AS n FROM logs"));
            // SQL's own LIMIT decides, up to the table's cap, not the sentence's default of 1000 (exploratory GUI test).
            QCOMPARE(m_source->queries.back().limit, ExploreView::kRawSqlRowLimit);
        }
        QCOMPARE(m_view->currentQuery()->limit, 1000); // what is saved or recorded keeps the sentence's
        QCOMPARE(m_view->history()->entry(0).text, std::string("SELECT count(*) AS n FROM logs"));
        QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("exportResultButton"))->isEnabled());
        m_view->setRawMode(false);
        QVERIFY(m_view->bar()->isEnabled());
        QCOMPARE(m_view->nativeEditor()->toPlainText(), QStringLiteral("SELECT count FROM logs"));
        // The raw answer is not the sentence's: it had stayed on screen, and Export wrote it (exploratory test), and
        // Refresh would run it again (review)
        QCOMPARE(m_view->results()->shape(), QueryResultView::Shape::Empty);
        QVERIFY(!m_view->findChild<QPushButton *>(QStringLiteral("exportResultButton"))->isEnabled());
        const auto ran = [this] {
            std::lock_guard lock(m_source->mutex);
            return m_source->queries.size();
        };
        const std::size_t before = ran();
        m_view->refresh();
        QTest::qWait(50);
        QCOMPARE(ran(), before);
    }

    // Review: leaving raw mode had cleared the sentence's own answer too, and so had restoring a history entry
    void theSentencesAnswerStaysThroughRawModeAndHistory()
    {
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        m_view->bar()->setText(QStringLiteral("logs count"));
        m_view->run();
        QVERIFY(finished.wait());
        const QueryResultView::Shape shown = m_view->results()->shape();
        QVERIFY(shown != QueryResultView::Shape::Empty);
        m_view->setRawMode(true);
        m_view->setRawMode(false); // nothing run raw
        QCOMPARE(m_view->results()->shape(), shown);
        m_view->historyList()->setCurrentIndex(m_view->history()->index(0));
        QTest::keyClick(m_view->historyList(), Qt::Key_Return);
        QCOMPARE(m_view->results()->shape(), shown);
        QVERIFY(m_view->findChild<QPushButton *>(QStringLiteral("exportResultButton"))->isEnabled());
    }

    void escapeCancelsARunningQuery()
    {
        m_view->bar()->setText(QStringLiteral("logs matching slow"));
        QTest::keyClick(m_view->bar(), Qt::Key_Return);
        QTRY_VERIFY(m_view->findChild<QWidget *>(QStringLiteral("busyIndicator"))->isVisible());
        QTest::qWait(50);
        QTest::keyClick(m_view->bar(), Qt::Key_Escape);
        QVERIFY(!m_view->findChild<QWidget *>(QStringLiteral("busyIndicator"))->isVisible());
        QVERIFY(m_view->statusText().startsWith(QStringLiteral("Cancelled after")));
        QTRY_VERIFY(m_source->sawCancel.load());
        // The next answer says so in the window's status bar too, where "Query cancelled" had stayed (exploratory test)
        QSignalSpy said(m_view.get(), &ExploreView::statusMessage);
        QVERIFY(runSentence(QStringLiteral("logs count")));
        QVERIFY(!said.isEmpty() && said.last().at(0).toString().startsWith(QStringLiteral("Query: 1 row in")));
    }

    void savedOverAnotherWorkspaceBothHistoriesStay()
    {
        // Found by review: "Save as" over a workspace replaced that workspace's query history with this one's.
        const QString target = m_dir->filePath(QStringLiteral("other.flightdeck.history.jsonl"));
        Query older;
        older.signal = Signal::Spans;
        writeQueryHistory(target, { { 1, older, "spans count" }, { nowNs() + kHour, older, "spans count by name" } });
        ExploreView &view = *m_view;
        QSignalSpy finished(&view, &ExploreView::finished);
        view.bar()->setText(QStringLiteral("logs count"));
        view.run();
        QVERIFY(finished.wait());
        QSignalSpy merged(&view, &ExploreView::historyLoaded); // read, merged and written in the background
        view.keepHistoryAt(target);
        view.bar()->setText(QStringLiteral("logs count by name")); // run meanwhile: appended once it is written
        view.run();
        QVERIFY(finished.wait());
        QVERIFY(merged.count() == 1 || merged.wait());
        QTRY_COMPARE(loadQueryHistory(target).size(), std::size_t(4)); // the run appended after the merged file
        auto kept = loadQueryHistory(target);
        const auto meanwhile = std::find_if(kept.begin(), kept.end(), [](const QueryHistoryEntry &e) { return e.text == "logs count by name"; });
        QVERIFY(meanwhile != kept.end());
        kept.erase(meanwhile);
        QCOMPARE(kept.size(), std::size_t(3));
        QCOMPARE(kept[0].text, std::string("spans count"));
        QCOMPARE(kept[1].text, std::string("logs count"));
        QCOMPARE(kept[2].text, std::string("spans count by name"));
        QCOMPARE(view.history()->rowCount(), 4);
        view.keepHistoryAt(target); // saved there again: nothing twice
        QVERIFY(merged.wait());
        QCOMPARE(loadQueryHistory(target).size(), std::size_t(4));
        QCOMPARE(view.history()->rowCount(), 4);
    }

    // Found by review: two "save as" in a row while the first history was still being read lost it, and a run
    // made while a history was read was dropped when another file came before the read ended.
    void historiesSavedAsTwiceInARowStayWhole()
    {
        const QString first = m_dir->filePath(QStringLiteral("first.flightdeck.history.jsonl"));
        std::vector<QueryHistoryEntry> many;
        for (int i = 0; i < 20000; ++i) // long enough to be read while the rest is asked
            many.push_back({ TimeNs(i + 1), Query{}, "logs limit " + std::to_string(i + 1) });
        writeQueryHistory(first, many);
        ExploreView &view = *m_view;
        QSignalSpy finished(&view, &ExploreView::finished);
        QSignalSpy loaded(&view, &ExploreView::historyLoaded);
        view.setHistoryFile(first);
        view.bar()->setText(QStringLiteral("logs count"));
        view.run(); // while it is read
        QVERIFY(finished.wait());
        const QString a = m_dir->filePath(QStringLiteral("a.flightdeck.history.jsonl"));
        const QString b = m_dir->filePath(QStringLiteral("b.flightdeck.history.jsonl"));
        view.keepHistoryAt(a);
        view.keepHistoryAt(b);
        QTRY_COMPARE_WITH_TIMEOUT(view.history()->rowCount(), 20001, 30000); // two merges of 20,000 entries: 5.15 s under ASan
        QCOMPARE(loadQueryHistory(first).size(), std::size_t(20001)); // the run, in the file it was made for
        QCOMPARE(loadQueryHistory(a).size(), std::size_t(20001));
        QCOMPARE(loadQueryHistory(b).size(), std::size_t(20001));
    }

    void historyIsKeptSearchedAndRestored()
    {
        const QString path = m_dir->filePath(QStringLiteral("w.flightdeck.history.jsonl"));
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        for (const char *text : { "logs where service.name = auth", "spans count", "logs count by service.name every 5m" }) {
            m_view->bar()->setText(QString::fromUtf8(text));
            m_view->run();
            QVERIFY(finished.wait());
        }
        QTRY_COMPARE(loadQueryHistory(path).size(), std::size_t(3)); // appended off the GUI thread
        // Another view on the same workspace reads it back.
        ExploreView other;
        QSignalSpy loaded(&other, &ExploreView::historyLoaded); // read in the background
        other.setHistoryFile(path);
        QVERIFY(loaded.wait());
        QCOMPARE(other.history()->rowCount(), 3);
        QCOMPARE(other.history()->index(0).data().toString(), QStringLiteral("logs count by service.name every 5m"));

        // Up/Down in the bar walk the history, newest first, and come back to the draft.
        m_view->focusBar();
        m_view->bar()->setText(QStringLiteral("logs wh"));
        QTest::keyClick(m_view->bar(), Qt::Key_Up);
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs count by service.name every 5m"));
        QTest::keyClick(m_view->bar(), Qt::Key_Up);
        QTest::keyClick(m_view->bar(), Qt::Key_Up);
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs where service.name = auth"));
        QTest::keyClick(m_view->bar(), Qt::Key_Up); // the oldest stays
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs where service.name = auth"));
        QTest::keyClick(m_view->bar(), Qt::Key_Down);
        QCOMPARE(m_view->bar()->text(), QStringLiteral("spans count"));
        QTest::keyClick(m_view->bar(), Qt::Key_Down);
        QTest::keyClick(m_view->bar(), Qt::Key_Down);
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs wh"));

        QTest::keyClicks(m_view->historySearch(), QStringLiteral("auth"));
        QTRY_COMPARE(m_view->history()->rowCount(), 1); // once typing pauses
        m_view->bar()->setText(QString());
        QListView *list = m_view->historyList();
        list->setFocus();
        list->setCurrentIndex(m_view->history()->index(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs where service.name = auth"));
        QVERIFY(m_view->currentQuery()->where == (std::vector<Condition>{ { "service.name", Op::Eq, "auth" } }));
        QVERIFY(m_view->errorText().isEmpty()); // a workspace of one source names none: nothing is gone (review)
    }

    // Exploratory test: the same sentence run on two sources read the same twice in the history.
    void historyNamesTheSourceARunPicked()
    {
        auto a = std::make_shared<FakeSource>();
        auto b = std::make_shared<FakeSource>();
        ExploreView view;
        view.setSources({{QStringLiteral("a"), a}, {QStringLiteral("b"), b}}, QStringLiteral("b"));
        view.sourcePicker()->setNamesSource(true); // as the main window does in a workspace of several sources
        view.setTimeRange(kRange);
        QSignalSpy finished(&view, &ExploreView::finished);
        view.bar()->setText(QStringLiteral("logs count"));
        view.run();
        QVERIFY(finished.wait());
        QCOMPARE(b->queries.size(), std::size_t(1));
        QCOMPARE(view.history()->index(0).data().toString(), QStringLiteral("[b] logs count"));
        view.findChild<QComboBox *>(QStringLiteral("source"))->setCurrentIndex(0); // "a", without running
        QCOMPARE(view.sourcePicker()->currentId(), QStringLiteral("a"));
        view.historySearch()->setText(QStringLiteral("b"));
        QTRY_COMPARE(view.history()->rowCount(), 1); // the source is searched too
        QListView *list = view.historyList();
        list->setCurrentIndex(view.history()->index(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(view.sourcePicker()->currentId(), QStringLiteral("b")); // restored on the source it ran on
        QCOMPARE(view.bar()->text(), QStringLiteral("logs count"));
        QVERIFY(a->queries.empty());
        QVERIFY(view.errorText().isEmpty());

        // Review: an entry of a source the workspace no longer has had been restored on the current pick silently
        view.setSources({{QStringLiteral("a"), a}, {QStringLiteral("c"), b}}, QStringLiteral("a"));
        list->setCurrentIndex(view.history()->index(0));
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(view.bar()->text(), QStringLiteral("logs count"));
        QCOMPARE(view.errorText(), QStringLiteral("This query ran on the source \"b\", which this workspace no longer "
                                                  "has: Enter runs it on \"a\""));
    }

    void ctrlKFocusesTheBar()
    {
        m_view->historySearch()->setFocus();
        QTRY_VERIFY(m_view->historySearch()->hasFocus());
        QTest::keyClick(m_view->historySearch(), Qt::Key_K, Qt::ControlModifier);
        QTRY_VERIFY(m_view->bar()->hasFocus());
        // Tab where nothing completes moves on (here to Run); where something does, it opens the list.
        m_view->bar()->setText(QStringLiteral("logs limit 5"));
        QTest::keyClick(m_view->bar(), Qt::Key_Tab);
        QTRY_VERIFY(!m_view->bar()->hasFocus());
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs limit 5"));
        m_view->focusBar();
        m_view->bar()->setText(QStringLiteral("logs count every "));
        QTest::keyClick(m_view->bar(), Qt::Key_Tab);
        QVERIFY(popupVisible(m_view->bar()));
        QCOMPARE(popupItems(m_view->bar()).first(), QStringLiteral("1m"));
        QTest::keyClick(m_view->bar(), Qt::Key_Down);
        QTest::keyClick(m_view->bar(), Qt::Key_Return); // an item picked with the arrows: Enter takes it
        QCOMPARE(m_view->bar()->text(), QStringLiteral("logs count every 5m "));
        QVERIFY(m_view->bar()->hasFocus());
    }

    // Exploratory test: values that came after the switch to the raw editor opened their list under the bar, and the
    // first key typed in the editor went to the list.
    void aLateAnswerOpensNoListOnceTheBarIsLeft()
    {
        m_source->holdValues = true;
        QTest::keyClicks(m_view->bar(), QStringLiteral("logs where service.name = "));
        m_view->setRawMode(true);
        QTRY_VERIFY(m_view->nativeEditor()->hasFocus());
        m_source->holdValues = false;
        QTRY_VERIFY([this] {
            std::lock_guard lock(m_source->mutex);
            return !m_source->valueFields.empty();
        }());
        QTest::qWait(200); // the answer reaches the GUI thread
        QVERIFY(!popupVisible(m_view->bar()));
        const QString before = m_view->nativeEditor()->toPlainText();
        QTest::keyClicks(m_view->nativeEditor(), QStringLiteral("xyz"));
        QVERIFY(m_view->nativeEditor()->toPlainText().endsWith(QStringLiteral("xyz")));
        QCOMPARE(m_view->nativeEditor()->toPlainText().size(), before.size() + 3);

        // Cancel (the window's Esc) before the list opened: the answer after it opens none (review)
        m_view->setRawMode(false);
        m_view->focusBar();
        m_source->holdValues = true;
        m_view->bar()->setText(QString());
        QTest::keyClicks(m_view->bar(), QStringLiteral("logs where service.name = a"));
        m_view->cancel();
        m_source->holdValues = false;
        QTest::qWait(300);
        QVERIFY(!popupVisible(m_view->bar()));
    }

private:
    // Types a sentence into the bar and runs it; whether the result came.
    bool runSentence(const QString &sentence)
    {
        m_view->bar()->setText(sentence);
        QSignalSpy finished(m_view.get(), &ExploreView::finished);
        m_view->run();
        return finished.wait();
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<FakeSource> m_source;
    std::unique_ptr<ExploreView> m_view;
};

QTEST_MAIN(TestExploreView)
#include "tst_exploreview.moc"

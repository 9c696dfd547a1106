// The demo dataset as the store receives it: generated on the caller's thread while a writer thread commits it.
#include "connectors/demo/DemoDataset.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/Frame.h"
#include "models/Query.h"
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <memory>
#include <thread>

using namespace fd;

namespace {
// 2026-01-14 12:00 UTC; one day keeps the test short under the sanitizers.
const DemoOptions kOneDay{1, 7, 1'768'392'000LL * kSecond};

std::string scalar(Store &store, const char *sql)
{
    SqliteStatement st(store.handle(), sql);
    return st.step() ? st.text(0) : std::string();
}

// What a reader sees of the store: counts and sums over every table's content, the indexes, the sync mode.
QStringList fingerprint(Store &store)
{
    QStringList out;
    // Sums of times modulo a prime stay within int64; the sum over ids and times changes with the order of the rows.
    for (const char *sql : {"SELECT count(*) || ' ' || sum(time % 1000000007) || ' ' || sum(length(body)) || ' ' || "
                            "sum(length(attrs)) || ' ' || sum(id % 1009 * (time % 1000003)) FROM logs",
                            "SELECT count(*) || ' ' || sum(start % 1000000007) || ' ' || sum(duration) || ' ' || "
                            "count(DISTINCT trace_id) FROM spans",
                            "SELECT count(*) || ' ' || sum(time % 1000000007) || ' ' || total(value) FROM metric_points",
                            "SELECT count(*) || ' ' || sum(time % 1000000007) FROM markers",
                            "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name)",
                            "PRAGMA synchronous"})
        out << QString::fromStdString(scalar(store, sql));
    return out;
}

LogRecord oneLog()
{
    LogRecord r;
    r.time = kOneDay.end - kHour;
    r.service = "before";
    r.body = "there before the demo";
    return r;
}
} // namespace

class TestDemo : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_fresh; // the demo written into a new store
    DemoSummary m_summary;

private Q_SLOTS:
    void initTestCase()
    {
        m_fresh = std::make_unique<Store>(m_dir.filePath(QStringLiteral("fresh.sqlite")));
        m_summary = writeDemo(*m_fresh, kOneDay);
        QVERIFY(m_summary.logs > 10000 && m_summary.spans > 1000 && m_summary.metricPoints > 1000 && m_summary.markers > 0);
    }

    // The writer thread commits every batch in order: the same seed and end give the same store, whatever it held.
    void sameSeedAndEndGiveTheSameStore()
    {
        const StoreCounts counts = m_fresh->counts();
        QCOMPARE(counts.logs, m_summary.logs);
        QCOMPARE(counts.spans, m_summary.spans);
        QCOMPARE(counts.metrics, m_summary.metricPoints);
        Store used(m_dir.filePath(QStringLiteral("used.sqlite")));
        used.insert(TelemetryBatch{{oneLog()}, {}, {}});
        const DemoSummary again = writeDemo(used, kOneDay);
        QCOMPARE(again.logs, m_summary.logs);
        QCOMPARE(fingerprint(used), fingerprint(*m_fresh));
    }

    // Written in bulk, it comes back whole: every index (the trace index is built at the end), syncing on,
    // every body in the full-text index.
    void theStoreIsIndexedWhenItReturns()
    {
        QCOMPARE(m_fresh->unindexedLogs(), std::int64_t(0));
        const QStringList print = fingerprint(*m_fresh);
        QVERIFY2(print[4].contains(QStringLiteral("logs_trace")), qPrintable(print[4]));
        QCOMPARE(print[5], QStringLiteral("1")); // NORMAL
        Query search;
        search.search = "timeout";
        search.agg = parseAggregate("count");
        QVERIFY(cellToInt(m_fresh->query(search, {kOneDay.end - kDay, kOneDay.end}).cell(0, 0)) > 0);
    }

    void cancelledBeforeItStartsLeavesTheStoreAlone()
    {
        Store store(m_dir.filePath(QStringLiteral("cancelled.sqlite")));
        store.insert(TelemetryBatch{{oneLog()}, {}, {}});
        const CancelTokenPtr cancel = makeCancelToken();
        cancel->cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeDemo(store, kOneDay, cancel));
        QCOMPARE(store.counts().logs, std::int64_t(1));
    }

    // Cancelled while the writer thread is busy: it stops soon, puts the indexes back, and the store takes writes.
    void cancelledWhileWritingStops()
    {
        Store store(m_dir.filePath(QStringLiteral("stopped.sqlite")));
        const CancelTokenPtr cancel = makeCancelToken();
        std::thread canceller([cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // a day's demo takes over a second
            cancel->cancel();
        });
        const auto start = std::chrono::steady_clock::now();
        bool cancelled = false;
        try {
            writeDemo(store, kOneDay, cancel);
        } catch (const Cancelled &) {
            cancelled = true;
        }
        canceller.join();
        QVERIFY(cancelled);
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
        QVERIFY(store.counts().logs < m_summary.logs);
        QCOMPARE(fingerprint(store)[4], fingerprint(*m_fresh)[4]);
        const std::int64_t before = store.counts().logs;
        store.insert(TelemetryBatch{{oneLog()}, {}, {}});
        QCOMPARE(store.counts().logs, before + 1);
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"

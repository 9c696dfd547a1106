#include "connectors/store/Store.h"
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

class TestRetention : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oldRecordsGoMarkersStay()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("r.sqlite")));
        const TimeNs now = 1'800'000'000LL * kSecond;
        TelemetryBatch batch;
        for (int i = 0; i < 45000; ++i) { // more than one deletion batch
            LogRecord r;
            r.time = now - (i % 2 ? 40 : 1) * kDay;
            r.service = "s";
            batch.logs.push_back(r);
        }
        Span oldSpan;
        oldSpan.traceId = std::string(32, 'a');
        oldSpan.spanId = std::string(16, 'b');
        oldSpan.start = now - 31 * kDay;
        oldSpan.end = oldSpan.start + kSecond;
        batch.spans.push_back(oldSpan);
        MetricPoint point;
        point.name = "m";
        point.time = now - kHour;
        batch.metrics.push_back(point);
        store.insert(batch);
        Marker old;
        old.kind = "deploy";
        old.title = "long ago";
        old.time = now - 90 * kDay;
        store.insertMarker(old);

        QCOMPARE(store.recordsBefore(now - 30 * kDay), 22500 + 1); // what it is about to delete, markers aside
        QCOMPARE(store.applyRetention(30 * kDay, now), 22500 + 1);
        QCOMPARE(store.recordsBefore(now - 30 * kDay), 0);
        const StoreCounts c = store.counts();
        QCOMPARE(c.logs, 22500);
        QCOMPARE(c.spans, 0);
        QCOMPARE(c.metrics, 1);
        QCOMPARE(c.markers, 1);
        QCOMPARE(store.applyRetention(30 * kDay, now), 0);
    }
};

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"

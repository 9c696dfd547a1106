#include "models/SeverityHistogram.h"
#include <limits>
#include <QTest>

using namespace fd;

class TestHistogram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucketsByTimeAndSeverityClass()
    {
        Frame f;
        f.columns = {{"time", ColumnType::Time, {}}, {"severity", ColumnType::String, {}}, {"count", ColumnType::Int64, {}}};
        auto row = [&](TimeNs t, std::int64_t severity, std::int64_t count) {
            f.columns[0].cells.push_back(t);
            f.columns[1].cells.push_back(severity);
            f.columns[2].cells.push_back(count);
        };
        row(0, 9, 10);          // info
        row(0, 17, 2);          // error
        row(0, 21, 1);          // fatal counts as error
        row(kMinute, 13, 4);    // warn
        row(kMinute, 5, 3);     // debug
        row(10 * kMinute, 9, 99); // outside the range
        const SeverityHistogram h = SeverityHistogram::fromFrame(f, {0, 2 * kMinute}, kMinute);
        QCOMPARE(h.buckets.size(), std::size_t(2));
        QCOMPARE(h.buckets[0][SeverityHistogram::Info], 10);
        QCOMPARE(h.buckets[0][SeverityHistogram::Error], 3);
        QCOMPARE(h.buckets[1][SeverityHistogram::Warn], 4);
        QCOMPARE(h.buckets[1][SeverityHistogram::Other], 3);
        QCOMPARE(h.total(0), 13);
        QCOMPARE(h.maxTotal(), 13);
        // found by review: counts an answer makes up overflowed: int64's largest on top of the 10 infos, and the bucket's total
        row(0, 9, std::numeric_limits<std::int64_t>::max());
        row(0, 17, std::numeric_limits<std::int64_t>::max());
        const SeverityHistogram huge = SeverityHistogram::fromFrame(f, {0, 2 * kMinute}, kMinute);
        QCOMPARE(huge.buckets[0][SeverityHistogram::Info], std::numeric_limits<std::int64_t>::max());
        QCOMPARE(huge.total(0), std::numeric_limits<std::int64_t>::max());
    }

    void niceIntervals()
    {
        QCOMPARE(niceInterval(kDay, 150), 15 * kMinute);
        QCOMPARE(niceInterval(7 * kDay, 150), kHour);
        QCOMPARE(niceInterval(kDay, 120), 15 * kMinute);
        QCOMPARE(niceInterval(0, 120), kSecond);
    }
};

QTEST_GUILESS_MAIN(TestHistogram)
#include "tst_histogram.moc"

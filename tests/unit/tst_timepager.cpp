// pageRowsByTime: every row of a result read a limit at a time by time, none twice however many rows share
// a time (more than a page of them too), newest or oldest first; a source that ignores the range is an
// error, not a loop.
#include "models/Error.h"
#include "models/TailWindow.h"
#include "models/TimePager.h"
#include <QTest>
#include <algorithm>

using namespace fd;

namespace {

// Rows (time, n) newest first; a query answers those in range, up to its limit, in the order asked.
class TimedRows : public DataSource
{
public:
    explicit TimedRows(std::vector<TimeNs> times)
    {
        for (std::size_t i = 0; i < times.size(); ++i)
            m_rows.push_back({ times[i], std::int64_t(i) });
        std::stable_sort(m_rows.begin(), m_rows.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    }
    bool ignoresRange = false;
    // > 1: as Elasticsearch by the millisecond, it orders and bounds rows by steps of this, a step's rows in
    // any order (here the other way round each query).
    DurationNs resolution = 1;
    int queries = 0;

    std::string id() const override { return "timed"; }
    SourceCapabilities capabilities() const override
    {
        SourceCapabilities c = DataSource::capabilities();
        c.timeResolution = resolution;
        return c;
    }
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &) override
    {
        ++queries;
        const auto step = [this](TimeNs t) { return alignDown(t, resolution); };
        std::vector<std::pair<TimeNs, std::int64_t>> in;
        for (const auto &row : m_rows)
            if (ignoresRange || (step(row.first) >= step(range.from) && step(row.first) <= step(range.to - 1)))
                in.push_back(row);
        if (resolution > 1 && queries % 2 == 0)
            std::reverse(in.begin(), in.end());
        std::stable_sort(in.begin(), in.end(), [&](const auto &a, const auto &b) {
            return q.oldestFirst ? step(a.first) < step(b.first) : step(a.first) > step(b.first);
        });
        Frame f;
        f.columns = { { "time", ColumnType::Time, {} }, { "n", ColumnType::Int64, {} } };
        for (const auto &[time, n] : in) {
            if (static_cast<int>(f.rowCount()) == q.limit) {
                f.truncated = true;
                break;
            }
            f.columns[0].cells.push_back(time);
            f.columns[1].cells.push_back(n);
        }
        return f;
    }
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }

private:
    std::vector<std::pair<TimeNs, std::int64_t>> m_rows;
};

// Times 0..n-1 in groups: every 7 rows share a time, and one run of 12 (more than a page of 5).
std::vector<TimeNs> timesWithTies(int n)
{
    std::vector<TimeNs> times;
    for (int i = 0; i < n; ++i)
        times.push_back(i >= 100 && i < 112 ? 100 : i / 7 * 7);
    return times;
}

struct Read {
    std::vector<TimeNs> times;
    std::vector<std::int64_t> ids;
    int pages = 0;
};

Read readAll(TimedRows &source, bool oldestFirst, int pageRows)
{
    Read out;
    Query q;
    q.oldestFirst = oldestFirst;
    pageRowsByTime(source, q, { 0, 1'000'000 }, pageRows, makeCancelToken(), [&](const Frame &page) {
        ++out.pages;
        for (std::size_t r = 0; r < page.rowCount(); ++r) {
            out.times.push_back(cellToInt(page.cell(r, 0)));
            out.ids.push_back(cellToInt(page.cell(r, 1)));
        }
    });
    return out;
}

} // namespace

class TestTimePager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyRowOnceAcrossTies_data()
    {
        QTest::addColumn<bool>("oldestFirst");
        QTest::newRow("newest first") << false;
        QTest::newRow("oldest first") << true;
    }

    void everyRowOnceAcrossTies()
    {
        QFETCH(bool, oldestFirst);
        constexpr int kRows = 1003;
        TimedRows source(timesWithTies(kRows));
        const Read read = readAll(source, oldestFirst, 5);
        QCOMPARE(int(read.ids.size()), kRows);
        std::vector<std::int64_t> ids = read.ids;
        std::sort(ids.begin(), ids.end());
        for (int i = 0; i < kRows; ++i)
            QCOMPARE(ids[std::size_t(i)], std::int64_t(i)); // each once
        QVERIFY(oldestFirst ? std::is_sorted(read.times.begin(), read.times.end())
                            : std::is_sorted(read.times.rbegin(), read.times.rend()));
        QVERIFY2(read.pages >= kRows / 5, qPrintable(QString::number(read.pages)));
        QVERIFY(source.queries <= read.pages + 1); // a short page ended it, with rows or none
    }

    // Found by review: a source that orders by the millisecond gave a millisecond's rows in any order, and a
    // page's last row was not its oldest: the rows after it in that millisecond were lost.
    void everyRowOnceAtTheSourcesResolution_data() { everyRowOnceAcrossTies_data(); }
    void everyRowOnceAtTheSourcesResolution()
    {
        QFETCH(bool, oldestFirst);
        constexpr int kRows = 1003;
        std::vector<TimeNs> times;
        for (int i = 0; i < kRows; ++i)
            times.push_back(TimeNs(i) * 137); // about 7 rows a step of 1,000, each at its own nanosecond
        TimedRows source(times);
        source.resolution = 1000;
        const Read read = readAll(source, oldestFirst, 5);
        std::vector<std::int64_t> ids = read.ids;
        std::sort(ids.begin(), ids.end());
        QCOMPARE(int(ids.size()), kRows);
        for (int i = 0; i < kRows; ++i)
            QCOMPARE(ids[std::size_t(i)], std::int64_t(i));
    }

    void aSmallResultIsOneQuery()
    {
        TimedRows source(timesWithTies(4));
        const Read read = readAll(source, false, 5);
        QCOMPARE(read.ids.size(), std::size_t(4));
        QCOMPARE(source.queries, 1);
    }

    void aSourceThatIgnoresTheRangeIsAnError()
    {
        TimedRows source(timesWithTies(50));
        source.ignoresRange = true;
        QString error;
        try {
            readAll(source, false, 5);
        } catch (const Error &e) {
            error = QString::fromStdString(e.what());
        }
        QVERIFY2(error.startsWith(QStringLiteral("the source answered the same ")), qPrintable(error));
        QVERIFY(source.queries < 10);
    }

    void aCancelStopsIt()
    {
        TimedRows source(timesWithTies(100));
        const CancelTokenPtr cancel = makeCancelToken();
        int pages = 0;
        QVERIFY_THROWS_EXCEPTION(Cancelled, pageRowsByTime(source, Query {}, { 0, 1'000'000 }, 5, cancel, [&](const Frame &) {
            if (++pages == 3)
                cancel->cancel();
        }));
        QCOMPARE(pages, 3);
    }

    // The live tail's reach (TailWindow): kReach below the newest row, or fewer steps when more than kMaxKeys
    // rows are in it, forgotten a whole step at a time; a row below the reach is never new.
    void tailWindowKeepsWholeStepsUpToItsCap()
    {
        const DurationNs ms = kMillisecond;
        const auto frameOf = [](const std::vector<TimeNs> &times) {
            Frame f;
            f.columns = { { "time", ColumnType::Time, {} }, { "n", ColumnType::Int64, {} } };
            for (std::size_t i = 0; i < times.size(); ++i) {
                f.columns[0].cells.push_back(times[i]);
                f.columns[1].cells.push_back(std::int64_t(i));
            }
            return f;
        };
        const auto all = [](const Frame &f) {
            std::vector<std::uint32_t> rows(f.rowCount());
            for (std::size_t r = 0; r < rows.size(); ++r)
                rows[r] = std::uint32_t(r);
            return rows;
        };
        TailWindow window(ms, 0);
        std::vector<TimeNs> times(TailWindow::kMaxKeys - 1, 5 * ms + 1); // one step, each row its n
        times.push_back(7 * ms);
        times.push_back(7 * ms + 2); // a second step: past the cap, the first step goes whole
        const Frame shown = frameOf(times);
        window.add(shown, all(shown));
        QCOMPARE(window.rowsKnown(), std::size_t(2));
        QCOMPARE(window.from(), 6 * ms);
        QCOMPARE(window.newRows(shown), std::vector<std::uint32_t>()); // below the reach, or known

        TailWindow reach(ms, 0);
        const Frame a = frameOf({ 100 * kSecond, 110 * kSecond, 140 * kSecond });
        reach.add(a, all(a));
        QCOMPARE(reach.from(), 110 * kSecond);
        QCOMPARE(reach.rowsKnown(), std::size_t(2));
        const Frame b = frameOf({ 100 * kSecond, 110 * kSecond, 140 * kSecond, 120 * kSecond, 110 * kSecond });
        QCOMPARE(reach.newRows(b), (std::vector<std::uint32_t> { 3, 4 })); // the last is another row at 110 s
    }
};

QTEST_GUILESS_MAIN(TestTimePager)
#include "tst_timepager.moc"

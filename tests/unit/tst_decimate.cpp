#include "models/Decimate.h"
#include <QTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace fd;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> iota(std::size_t n)
{
    std::vector<double> xs(n);
    for (std::size_t i = 0; i < n; ++i)
        xs[i] = static_cast<double>(i);
    return xs;
}

std::size_t finiteCount(const std::vector<double> &ys)
{
    return std::count_if(ys.begin(), ys.end(), [](double y) { return std::isfinite(y); });
}

std::size_t nanCount(const std::vector<double> &ys)
{
    return std::count_if(ys.begin(), ys.end(), [](double y) { return std::isnan(y); });
}

} // namespace

class TestDecimate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyInput()
    {
        const std::vector<double> none;
        const auto out = decimateMinMax(none, none, 0, 10, 100);
        QVERIFY(out.xs.empty());
        QVERIFY(out.ys.empty());
        QVERIFY(decimateBand(none, none, none, 0, 10, 100).xs.empty());
    }

    void smallInputUnchanged()
    {
        const std::vector<double> xs = {1, 2, 3};
        const std::vector<double> ys = {5, 6, 7};
        const auto out = decimateMinMax(xs, ys, 0, 4, 100);
        QCOMPARE(out.xs, xs);
        QCOMPARE(out.ys, ys);
    }

    void pointCountBound()
    {
        const std::size_t n = 200'000;
        const int width = 300;
        std::mt19937 rng(42);
        std::normal_distribution<double> noise(0, 1);
        const auto xs = iota(n);
        std::vector<double> ys(n);
        for (auto &y : ys)
            y = noise(rng);
        const auto out = decimateMinMax(xs, ys, 0, static_cast<double>(n - 1), width);
        QVERIFY(out.xs.size() <= 2 * width + 4);
        QVERIFY(out.xs.size() >= static_cast<std::size_t>(width));
        QCOMPARE(out.xs.size(), out.ys.size());
        QVERIFY(std::is_sorted(out.xs.begin(), out.xs.end()));
        QCOMPARE(out.xs.front(), xs.front());
        QCOMPARE(out.xs.back(), xs.back());
        QCOMPARE(*std::max_element(out.ys.begin(), out.ys.end()), *std::max_element(ys.begin(), ys.end()));
        QCOMPARE(*std::min_element(out.ys.begin(), out.ys.end()), *std::min_element(ys.begin(), ys.end()));
    }

    void spikeKept()
    {
        const std::size_t n = 1'000'000;
        const auto xs = iota(n);
        std::vector<double> ys(n, 1.0);
        ys[123'457] = 1000.0;
        ys[654'321] = -50.0;
        const auto out = decimateMinMax(xs, ys, 0, static_cast<double>(n - 1), 200);
        QVERIFY(out.xs.size() <= 404);
        const auto up = std::find(out.ys.begin(), out.ys.end(), 1000.0);
        QVERIFY(up != out.ys.end());
        QCOMPARE(out.xs[up - out.ys.begin()], 123'457.0);
        QVERIFY(std::find(out.ys.begin(), out.ys.end(), -50.0) != out.ys.end());
    }

    void zoomedRangeKeepsEdgeNeighbours()
    {
        const auto xs = iota(100'000);
        const std::vector<double> ys(xs.size(), 2.0);
        const auto out = decimateMinMax(xs, ys, 40'000, 50'000, 50);
        QVERIFY(out.xs.size() <= 2 * 50 + 4);
        QCOMPARE(out.xs.front(), 39'999.0);
        QCOMPARE(out.xs.back(), 50'001.0);
    }

    void nanGapIsBreak()
    {
        const std::size_t n = 100'000;
        const auto xs = iota(n);
        std::vector<double> ys(n, 3.0);
        for (std::size_t i = 40'000; i < 60'000; ++i)
            ys[i] = kNaN;
        ys[n - 1] = kNaN; // a trailing gap needs no break
        const auto out = decimateMinMax(xs, ys, 0, static_cast<double>(n - 1), 100);
        QCOMPARE(nanCount(out.ys), std::size_t(1));
        const auto gap = std::find_if(out.ys.begin(), out.ys.end(), [](double y) { return std::isnan(y); });
        const auto at = static_cast<std::size_t>(gap - out.ys.begin());
        QVERIFY(at > 0 && at + 1 < out.ys.size());
        QVERIFY(out.xs[at - 1] < 40'000);
        QVERIFY(out.xs[at + 1] >= 60'000);
        QVERIFY(finiteCount(out.ys) <= 2 * 100 + 4 + 2);
    }

    void nanInsideOneColumn()
    {
        const std::vector<double> xs = {0, 1, 2, 3, 4, 5, 6, 7};
        const std::vector<double> ys = {1, 2, kNaN, kNaN, 3, 4, 5, 6};
        const auto out = decimateMinMax(xs, ys, 0, 7, 1);
        QCOMPARE(nanCount(out.ys), std::size_t(1));
        QCOMPARE(out.ys.front(), 1.0);
        QCOMPARE(out.ys.back(), 6.0);
    }

    void bandEnvelope()
    {
        const std::size_t n = 10'000;
        const auto xs = iota(n);
        std::vector<double> low(n, 1.0), high(n, 2.0);
        low[5'000] = -7;
        high[7'000] = 9;
        low[8'000] = kNaN;
        const auto out = decimateBand(xs, low, high, 0, static_cast<double>(n - 1), 100);
        QVERIFY(out.xs.size() <= 2 * 100 + 2);
        QVERIFY(std::find(out.low.begin(), out.low.end(), -7.0) != out.low.end());
        QVERIFY(std::find(out.high.begin(), out.high.end(), 9.0) != out.high.end());
        QCOMPARE(nanCount(out.low), std::size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestDecimate)
#include "tst_decimate.moc"

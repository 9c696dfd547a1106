#include "models/Baseline.h"
#include "models/BoardEvaluator.h"
#include <QTest>
#include <random>

using namespace fd;

namespace {
constexpr DurationNs kStep = 5 * kMinute;
constexpr std::size_t kPerDay = kDay / kStep;

// A ratio series with a daily shape, `days` long; each bucket's trials and successes are exact.
BucketSeries ratioSeries(int days, double p, double dropFactor, std::size_t dropFrom)
{
    BucketSeries s;
    s.start = 0;
    s.step = kStep;
    for (std::size_t i = 0; i < kPerDay * days; ++i) {
        const double trials = 40 + 30 * std::sin(static_cast<double>(i % kPerDay) / kPerDay * 6.283);
        const double pi = i >= dropFrom ? p * dropFactor : p;
        s.trials.push_back(std::round(trials));
        s.values.push_back(std::round(trials * pi) / std::round(trials) * 100);
    }
    return s;
}
} // namespace

class TestBaseline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quantiles()
    {
        QCOMPARE(quantile({1, 2, 3, 4}, 0.5), 2.5);
        QCOMPARE(median({5, 1, 3}), 3.0);
        QVERIFY(std::isnan(median({})));
    }

    void seasonalBandFollowsTheSamePhase()
    {
        RangeSpec spec;
        const BucketSeries s = ratioSeries(8, 0.7, 1.0, SIZE_MAX);
        const Band b = seasonalBand(s, spec, NoiseModel::Binomial, 100);
        // The first three days have too little history: no band rather than a made-up one.
        QVERIFY(std::isnan(b.expected[kPerDay]));
        const std::size_t last = s.size() - 1;
        QVERIFY(std::abs(b.expected[last] - s.values[last]) < 1.0);
        QVERIFY(b.low[last] <= s.values[last] && s.values[last] <= b.high[last]);
        // Never narrower than the binomial noise of the bucket's own count.
        const double p = b.expected[last] / 100, n = s.trials[last];
        QVERIFY(b.high[last] - b.low[last] >= 2 * 3 * std::sqrt(p * (1 - p) / n) * 100 * 0.99);
    }

    void dropIsFoundAndQuietWeekIsNot()
    {
        RangeSpec spec;
        const std::size_t dropFrom = kPerDay * 8 - 8;
        const BucketSeries quiet = ratioSeries(8, 0.7, 1.0, SIZE_MAX);
        const Band qb = seasonalBand(quiet, spec, NoiseModel::Binomial, 100);
        QVERIFY(detectAnomalies(quiet, qb, 2, kPerDay * 7, quiet.size()).empty());

        const BucketSeries dropped = ratioSeries(8, 0.7, 0.55, dropFrom);
        const Band db = seasonalBand(dropped, spec, NoiseModel::Binomial, 100);
        const auto anomalies = detectAnomalies(dropped, db, 2, kPerDay * 7, dropped.size());
        QCOMPARE(anomalies.size(), std::size_t(1));
        QCOMPARE(anomalies[0].first, dropFrom);
        QVERIFY(anomalies[0].open);
        QCOMPARE(anomalies[0].direction, -1);
        QVERIFY(anomalies[0].size < -0.3);
    }

    void poissonNoiseKeepsRareEventsQuiet()
    {
        // Two events per bucket on average with real Poisson noise: a week of it must not alert.
        for (unsigned seed = 1; seed <= 10; ++seed) {
            std::mt19937 rng(seed);
            std::poisson_distribution<int> poisson(2.0);
            BucketSeries s;
            s.step = kStep;
            for (std::size_t i = 0; i < kPerDay * 8; ++i) {
                s.trials.push_back(poisson(rng));
                s.values.push_back(s.trials.back() * 12);
            }
            const Band b = seasonalBand(s, RangeSpec{}, NoiseModel::Poisson, 12);
            QVERIFY2(detectAnomalies(s, b, 2, kPerDay * 7, s.size()).empty(), qPrintable(QString::number(seed)));
        }
    }

    void anomalyNeedsConsecutiveBuckets()
    {
        BucketSeries s;
        s.step = kStep;
        s.values = {1, 9, 1, 9, 9, 1};
        Band b{std::vector<double>(6, 1), std::vector<double>(6, 0), std::vector<double>(6, 2)};
        const auto a = detectAnomalies(s, b, 2, 0, 6);
        QCOMPARE(a.size(), std::size_t(1));
        QCOMPARE(a[0].first, std::size_t(3));
        QCOMPARE(a[0].last, std::size_t(4));
        QVERIFY(!a[0].open);
    }

    void suspectsRankedByTimeScopeAndKind()
    {
        Tile tile;
        tile.numerator.interval = kStep;
        tile.kind = "ratio";
        tile.markers = MarkerScope{{}, {"auth"}};
        const TimeNs start = 10 * kHour;
        Marker deploy{1, start - 12 * kMinute, "deploy", "auth", "Deploy auth 2.14.0", "2.14.0", "abc"};
        Marker flag{2, start - 5 * kMinute, "flag", "search", "Enable ranking"};
        Marker old{3, start - 3 * kHour, "deploy", "auth", "too early"};
        const auto suspects = rankSuspects(start, {deploy, flag, old}, tile);
        QCOMPARE(suspects.size(), std::size_t(2));
        QCOMPARE(suspects[0].marker.id, 1);
        QVERIFY(suspects[0].reasons.front().find("12 min before start") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestBaseline)
#include "tst_baseline.moc"

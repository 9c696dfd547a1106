// The metrics form of a Query compiled to PromQL: every rule of PromQlCompiler.h as an exact string.
#include "connectors/prometheus/PromQlCompiler.h"
#include "connectors/http/RangeStep.h"
#include "connectors/prometheus/PrometheusSource.h"
#include "models/Error.h"
#include <QTest>

using namespace fd;

namespace {

Query metrics(const std::string &where, const std::string &agg = {}, std::vector<std::string> groupBy = {})
{
    Query q;
    q.signal = Signal::Metrics;
    q.where = parseWhereList(where);
    if (!agg.empty())
        q.agg = parseAggregate(agg);
    q.groupBy = std::move(groupBy);
    return q;
}

// The compiled text for a range query with a 1-minute step (scrape interval 15 s: windows >= 1m).
std::string compile(const Query &q, DurationNs step = kMinute)
{
    return PromQlCompiler().compile(q, step, kHour);
}

QString errorOf(const Query &q)
{
    try {
        compile(q);
    } catch (const Error &e) {
        return e.message();
    }
    return {};
}

} // namespace

class TestPromQl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void selectors()
    {
        QCOMPARE(compile(metrics("name = up")), std::string("up offset 1ms"));
        QCOMPARE(
            compile(metrics("name = up and job = node and instance != a:1 and mode ~ \"idle|user\" and cpu !~ 1.*")),
            std::string("up{job=\"node\", instance!=\"a:1\", mode=~\"(?s:.*)(idle|user)(?s:.*)\", cpu!~\"(?s:.*)(1.*)(?s:.*)\"} offset 1ms"));
        QCOMPARE(
            compile(metrics("name = up and exists(job) and !exists(zone)")), std::string("up{job!=\"\", zone=\"\"} offset 1ms"));
        // a value with quotes and backslashes stays one PromQL string
        QCOMPARE(compile(metrics("name = up and path = 'a\"b\\c'")), std::string("up{path=\"a\\\"b\\\\c\"} offset 1ms"));
        // OpenTelemetry attribute names become Prometheus label names
        QCOMPARE(compile(metrics("name = http_requests_total and service.name = auth")),
            std::string("http_requests_total{service_name=\"auth\"} offset 1ms"));
        // A name that is no PromQL identifier is the __name__ label's value (exploratory test: "fd or vector(42)"
        // had been read as PromQL, and a dotted OpenTelemetry name was refused by Prometheus)
        QCOMPARE(compile(metrics("name = 'fd_odd or vector(42)'", "sum(value)")),
            std::string("sum({__name__=\"fd_odd or vector(42)\"} offset 1ms)"));
        QCOMPARE(compile(metrics("name = http.server.duration and job = api", "p95(http.server.duration)"), kMinute),
            std::string("histogram_quantile(0.95, sum by (le) (rate({__name__=\"http.server.duration_bucket\", job=\"api\"}[1m] offset 1ms)))"));
        QCOMPARE(
            compile(metrics("name ~ \"http_.*\" and job = api")), std::string("{__name__=~\"(?s:.*)(http_.*)(?s:.*)\", job=\"api\"} offset 1ms"));
        // review: a keyword is no metric name ("on" was an error, "nan" a number)
        QCOMPARE(compile(metrics("name = on", "max(value)")), std::string("max(max_over_time({__name__=\"on\"}[1m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = NaN")), std::string("{__name__=\"NaN\"} offset 1ms"));
    }

    void rateAndAggregates()
    {
        QCOMPARE(compile(metrics("name = http_requests_total", "rate")), std::string("sum(rate(http_requests_total[1m] offset 1ms))"));
        // Found by an exploratory test: a counter's sum added up its running totals (1,770 where it rose 5,310)
        QCOMPARE(compile(metrics("name = http_requests_total", "sum(value)", { "code" })),
                 std::string("sum by (code) (increase(http_requests_total[1m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = http_requests_total and code = 500", "rate", { "handler", "service.name" }),
                     5 * kMinute),
            std::string("sum by (handler, service_name) (rate(http_requests_total{code=\"500\"}[5m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = node_memory_bytes", "sum(value)", { "instance" })),
            std::string("sum by (instance) (node_memory_bytes offset 1ms)"));
        // The samples of each bucket (the step, not the rate window of 4 scrapes), as the store aggregates them
        QCOMPARE(compile(metrics("job = node", "avg(node_load1)")),
            std::string("sum(sum_over_time(node_load1{job=\"node\"}[1m] offset 1ms)) / sum(count_over_time(node_load1{job=\"node\"}[1m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = up", "min(value)", { "job" }), 10 * kSecond),
            std::string("min by (job) (min_over_time(up[10s] offset 1ms))"));
        QCOMPARE(compile(metrics("name = up", "max(up)")), std::string("max(max_over_time(up[1m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = up", "count", { "job" })), std::string("sum by (job) (count_over_time(up[1m] offset 1ms))"));
        QCOMPARE(compile(metrics("name = up", "count_distinct(instance)", { "job" })),
            std::string("count by (job) (count by (job, instance) (count_over_time(up[1m] offset 1ms)))"));
        QCOMPARE(PromQlCompiler().compile(metrics("name = up", "max(value)"), 0, 3 * kHour),
            std::string("max(max_over_time(up[3h] offset 1ms))")); // an instant query: over the range
        QCOMPARE(compile(metrics("name = up and value < 1")), std::string("up offset 1ms < 1"));
    }

    void histogramQuantile()
    {
        QCOMPARE(compile(metrics("job = api", "p95(http_request_duration_seconds)", { "route" })),
            std::string("histogram_quantile(0.95, sum by (le, route) "
                        "(rate(http_request_duration_seconds_bucket{job=\"api\"}[1m] offset 1ms)))"));
        Query q = metrics("");
        q.agg = { Aggregate::Kind::Percentile, "rpc_duration_seconds_bucket", 99.9 }; // the text form takes pNN only
        QCOMPARE(
            compile(q), std::string("histogram_quantile(0.999, sum by (le) (rate(rpc_duration_seconds_bucket[1m] offset 1ms)))"));
    }

    void windows()
    {
        const PromQlCompiler compiler(15 * kSecond);
        QCOMPARE(compiler.window(10 * kSecond, kHour), kMinute); // never under 4 scrapes
        QCOMPARE(compiler.window(5 * kMinute, kHour), 5 * kMinute);
        QCOMPARE(compiler.window(0, 6 * kHour), 6 * kHour); // an instant query covers the range
        QCOMPARE(PromQlCompiler(kSecond).window(kSecond, kHour), 4 * kSecond);
        QCOMPARE(PromQlCompiler::duration(90 * kSecond), std::string("90s"));
        QCOMPARE(PromQlCompiler::duration(2 * kHour), std::string("2h"));
        QCOMPARE(PromQlCompiler::duration(kDay), std::string("1d"));
        QCOMPARE(PromQlCompiler::duration(1500 * kSecond / 1000), std::string("1500ms"));
        QCOMPARE(PromQlCompiler().compile(metrics("name = x", "rate"), 0, 3 * kHour), std::string("sum(rate(x[3h] offset 1ms))"));
    }

    void steps()
    {
        QCOMPARE(chooseRangeStep(kHour, 5 * kMinute), 5 * kMinute);
        QCOMPARE(chooseRangeStep(kHour, 0), 3600 * kSecond / 1000); // about 1000 points
        // 30 days at 1 s would be 2.6M points: widened past the 11,000-point limit (236 s) to a round step
        QCOMPARE(chooseRangeStep(30 * kDay, kSecond), 5 * kMinute);
        QCOMPARE(chooseRangeStep(kHour, 100 * kMillisecond), 500 * kMillisecond);
        QCOMPARE(chooseRangeStep(kMinute, 1000), 10 * kMillisecond); // 5.5 ms at least
        QCOMPARE(chooseRangeStep(10 * kMillisecond, 1000), kMillisecond);
        QCOMPARE(chooseRangeStep(kHour, 0, 100'000), 500 * kMillisecond); // more points than the cap: widened too

        Frame f;
        keepRangeStep(f, kSecond, kSecond, "Prometheus");
        QCOMPARE(f.step, kSecond);
        QVERIFY(f.notes.empty());
        keepRangeStep(f, kSecond, 5 * kMinute, "Loki");
        QCOMPARE(f.step, 5 * kMinute);
        QCOMPARE(f.notes, std::vector<std::string>{
            "Loki: computed every 5m, not every 1s (every 1s over this range would be more than 11000 points)" });
        f.notes.clear();
        keepRangeStep(f, 1000, kMillisecond, "Prometheus");
        QCOMPARE(f.notes, std::vector<std::string>{ "Prometheus: computed every 1ms, not every 1us (steps are whole milliseconds)" });
    }

    void rawWins()
    {
        Query q = metrics("name = up", "rate");
        q.raw = "sum(rate(x[5m]))";
        QCOMPARE(compile(q), std::string("sum(rate(x[5m]))"));
        q.signal = Signal::Logs; // raw PromQL is the user's business
        QCOMPARE(compile(q), std::string("sum(rate(x[5m]))"));
    }

    void unsupportedPartsAreNamed()
    {
        Query q = metrics("name = up and code >= 500", {}, { "job" });
        q.search = "timeout";
        const QString e = errorOf(q);
        QVERIFY2(e.startsWith(QStringLiteral("PromQL cannot express: ")), qPrintable(e));
        QVERIFY2(e.contains(QStringLiteral("full-text search \"timeout\"")), qPrintable(e));
        QVERIFY2(e.contains(QStringLiteral("\"code >= 500\"")), qPrintable(e));
        QVERIFY2(e.contains(QStringLiteral("group_by without an aggregate")), qPrintable(e));
        // review: a sample's time had been matched as a label named time
        QVERIFY2(errorOf(metrics("name = up and time ~ 2026")).contains(QStringLiteral("\"time ~ 2026\" (the time range sets the time)")),
                 qPrintable(errorOf(metrics("name = up and time ~ 2026"))));

        QVERIFY2(errorOf(metrics("job = api")).contains(QStringLiteral("without a metric")),
            qPrintable(errorOf(metrics("job = api"))));
        Query logs = metrics("name = up");
        logs.signal = Signal::Logs;
        QVERIFY(errorOf(logs).contains(QStringLiteral("signal \"logs\"")));
        QVERIFY(errorOf(metrics("name = up", "sum(down)")).contains(QStringLiteral("two different metrics")));
        // Found by an exploratory test against a real Prometheus: a value condition filtered the aggregate's results
        // (count 120 for 69 samples over 50), and a group by name made every name one group (rate and count drop it)
        const QString valueWithCount = errorOf(metrics("name = up and value > 50", "count"));
        QVERIFY2(valueWithCount.contains(QStringLiteral("a condition on value with \"count\" (PromQL would compare the "
                                                        "aggregate's results, not the samples: use raw PromQL)")),
                 qPrintable(valueWithCount));
        const QString byName = errorOf(metrics("name ~ ^h7_", "count", { "name" }));
        QVERIFY2(byName.contains(QStringLiteral("group_by name with \"count\"")), qPrintable(byName));
        const std::string sumByName = compile(metrics("name ~ ^h7_", "sum(value)", { "name" })); // an instant vector keeps it
        QVERIFY2(sumByName.starts_with("sum by (__name__) ({__name__=~"), sumByName.c_str());
        QVERIFY(errorOf(metrics("name = up and value ~ 1")).contains(QStringLiteral("\"value ~ 1\"")));
    }
};

QTEST_APPLESS_MAIN(TestPromQl)
#include "tst_promql.moc"

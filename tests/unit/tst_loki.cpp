// Loki: the Query -> LogQL compiler (every rule of LogQlCompiler.h as an exact string) and the decoders of
// query_range answers built from Loki's documented format (streams of ["<ns>", "<line>", {metadata}],
// matrix and vector results, stats).
#include "connectors/loki/LogQlCompiler.h"
#include "TestHelpers.h"
#include "connectors/loki/LokiResponse.h"
#include "models/Error.h"
#include <QTest>


class TestLoki : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streamSelectorAndFilters();
    void lineFilters();
    void severity();
    void metricQueries();
    void rawAndUnsupported();
    void streamsDecodeToTheStoreColumns();
    void streamsWithoutCategorizedLabels();
    void matrixToTheAggregateFrame();
    void vectorToGroupsLargestFirst();
    void badAnswers();
    void warningsOfTheAnswer();
};

// moc cannot match braces across raw string literals: it reads only the class above.
#ifndef Q_MOC_RUN

using namespace fd;
using namespace fdtest;

namespace {

Query logs(const std::string &where, const std::string &search = {})
{
    Query q;
    q.where = parseWhereList(where);
    q.search = search;
    return q;
}

Query aggregate(const std::string &where, const std::string &agg, std::vector<std::string> groupBy = {})
{
    Query q = logs(where);
    q.agg = parseAggregate(agg);
    q.interval = 5 * kMinute;
    q.groupBy = std::move(groupBy);
    return q;
}

std::string compile(const Query &q, const LokiFields &fields = {})
{
    return LogQlCompiler(fields).compile(q, 5 * kMinute);
}

std::string cellText(const Frame &f, std::size_t row, const char *column)
{
    return cellToString(f.cell(row, std::size_t(f.columnIndex(column))));
}

// Two streams as Loki answers with X-Loki-Response-Encoding-Flags: categorize-labels.
const char *kStreams = R"~({"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],
  "result":[
   {"stream":{"service_name":"auth","namespace":"prod"},
    "values":[["1764633600000000002","login failed for user 7",
               {"structuredMetadata":{"trace_id":"4BF92F3577B34DA6A3CE929D0E0E4736","span_id":"00f067aa0ba902b7",
                                      "detected_level":"error"},
                "parsed":{"user_id":"7"}}],
              ["1764633599500000000","login ok",{"structuredMetadata":{"detected_level":"info"}}]]},
   {"stream":{"service_name":"frontend"},
    "values":[["1764633600000000001","GET /login 200",{}]]}],
  "stats":{"summary":{"totalBytesProcessed":1234567,"totalLinesProcessed":4321,"execTime":0.25}}}})~";

} // namespace

void TestLoki::streamSelectorAndFilters()
{
    QCOMPARE(compile(logs("service.name = auth and http.response.status_code >= 500"), {}),
        std::string(R"~({service_name="auth"} | json | http_response_status_code >= 500)~"));
    // Loki needs a matcher no empty value satisfies
    QCOMPARE(compile(logs("service.name != auth")), std::string(R"~({service_name=~".+", service_name!="auth"})~"));
    QCOMPARE(compile(logs("service.name ~ \"auth|pay.*\" and exists(service.name)")),
        std::string(R"~({service_name=~"(?s:.*)(auth|pay.*)(?s:.*)", service_name=~".+"})~"));
    // trace and span ids are structured metadata: no parser needed
    QCOMPARE(compile(logs("trace_id = 4bf9 and !exists(span_id)")),
        std::string(R"~({service_name=~".+"} | trace_id="4bf9" | span_id="")~"));
    QCOMPARE(compile(logs("user.id != 7 and exists(http.route) and url.path !~ \"/health.*\"")),
        std::string(R"~({service_name=~".+"} | json | user_id!="7" | http_route!="" | url_path!~"(?s:.*)(/health.*)(?s:.*)")~"));
    LokiFields fields;
    fields.streamLabels = { { "service.name", "app" }, { "k8s.namespace.name", "namespace" } };
    fields.parser = "logfmt";
    QCOMPARE(compile(logs("service.name = auth and k8s.namespace.name ~ \"prod-.*\" and code = 7"), fields),
        std::string(R"~({app="auth", namespace=~"(?s:.*)(prod-.*)(?s:.*)"} | logfmt | code="7")~"));
    fields.parser = "";
    QCOMPARE(compile(logs("service.name = auth and code = 7"), fields), std::string(R"~({app="auth"} | code="7")~"));
    // a value that is no regular expression is still a value to = and != (exploratory test: they were refused)
    QCOMPARE(compile(logs(R"~(service.name = "C:\temp" and user = "(" and route != "[x")~")),
        std::string(R"~({service_name="C:\\temp"} | json | user="(" | route!="[x")~"));
}

void TestLoki::lineFilters()
{
    // search is case-insensitive, as on the store: a regex with (?i) once it has letters
    QCOMPARE(compile(logs("service.name = auth", "Time out")), std::string(R"~({service_name="auth"} |~ "(?i)Time out")~"));
    QCOMPARE(compile(logs("", "404")), std::string(R"~({service_name=~".+"} |= "404")~"));
    QCOMPARE(compile(logs("", "Ü")), std::string(R"~({service_name=~".+"} |~ "(?i)Ü")~")); // letters beyond ASCII too
    // regex characters are quoted for RE2, then quotes and backslashes for the LogQL string
    QCOMPARE(compile(logs("", R"~(a"b\c.d)~")), std::string(R"~({service_name=~".+"} |~ "(?i)a\"b\\\\c\\.d")~"));
    QCOMPARE(compile(logs("", "1\"2")), std::string(R"~({service_name=~".+"} |= "1\"2")~"));
    QCOMPARE(compile(logs(R"~(body ~ "timeout|refused" and body !~ "retry")~")),
        std::string(R"~({service_name=~".+"} |~ "timeout|refused" !~ "retry")~"));
}

void TestLoki::severity()
{
    QCOMPARE(compile(logs("severity >= WARN")),
        std::string(R"~({service_name=~".+"} | detected_level=~"(?i)(warn|warning|error|err|fatal|critical)")~"));
    QCOMPARE(compile(logs("severity = ERROR")), std::string(R"~({service_name=~".+"} | detected_level=~"(?i)(error|err)")~"));
    QCOMPARE(compile(logs("severity = '17'")), compile(logs("severity = ERROR"))); // a level's number as text (review)
    QCOMPARE(compile(logs("severity < INFO")), std::string(R"~({service_name=~".+"} | detected_level=~"(?i)(trace|debug)")~"));
    QCOMPARE(compile(logs("severity != debug")), std::string(R"~({service_name=~".+"} | detected_level!~"(?i)(debug)")~"));
    LokiFields fields;
    fields.levelLabel = "level";
    QCOMPARE(compile(logs("severity > 20"), fields), std::string(R"~({service_name=~".+"} | level=~"(?i)(fatal|critical)")~"));
}

void TestLoki::metricQueries()
{
    QCOMPARE(compile(aggregate("service.name = auth", "count")),
        std::string(R"~(sum(count_over_time({service_name="auth"} [5m])))~"));
    QCOMPARE(compile(aggregate("severity >= ERROR", "rate", { "service.name" })),
        std::string(R"~(sum by (service_name) (rate({service_name=~".+"} | detected_level=~"(?i)(error|err|fatal|critical)" [5m])))~"));
    // a group or a field parsed from the line brings the parser, and parse errors are dropped
    QCOMPARE(compile(aggregate("", "count", { "http.route" })),
        std::string(R"~(sum by (http_route) (count_over_time({service_name=~".+"} | json | __error__="" [5m])))~"));
    QCOMPARE(compile(aggregate("service.name = auth", "sum(bytes)")),
        std::string(R"~(sum(sum_over_time({service_name="auth"} | json | __error__="" | unwrap bytes | __error__="" [5m])))~"));
    QCOMPARE(compile(aggregate("service.name = auth", "avg(duration_ms)", { "http.route" })),
        std::string(R"~(avg_over_time({service_name="auth"} | json | __error__="" | unwrap duration_ms | __error__="" [5m]) by (http_route))~"));
    QCOMPARE(compile(aggregate("service.name = auth", "p99(duration_ms)")),
        std::string(R"~(quantile_over_time(0.99, {service_name="auth"} | json | __error__="" | unwrap duration_ms | __error__="" [5m]) by ())~"));
    QCOMPARE(compile(aggregate("", "max(duration_ms)", { "service.name" })),
        std::string(R"~(max by (service_name) (max_over_time({service_name=~".+"} | json | __error__="" | unwrap duration_ms | __error__="" [5m])))~"));
    QCOMPARE(compile(aggregate("", "count_distinct(user.id)", { "service.name" })),
        std::string(R"~(count by (service_name) (sum by (service_name, user_id) (count_over_time({service_name=~".+"} | json | __error__="" [5m]))))~"));
    // group by without an aggregate counts, as on the store
    Query grouped = logs("service.name = auth");
    grouped.groupBy = { "service.name" };
    QVERIFY(LogQlCompiler::isMetric(grouped));
    QCOMPARE(compile(grouped), std::string(R"~(sum by (service_name) (count_over_time({service_name="auth"} [5m])))~"));
    QVERIFY(!LogQlCompiler::isMetric(logs("service.name = auth")));
}

void TestLoki::rawAndUnsupported()
{
    Query raw = logs("service.name = ignored");
    raw.raw = R"~({job="x"} |= "y")~";
    QCOMPARE(compile(raw), raw.raw);

    Query q = logs(R"~(time > now-1h and body = "x" and http.method > GET)~");
    q.signal = Signal::Spans;
    QCOMPARE(errorOf([&] { compile(q); }),
        QStringLiteral("LogQL cannot express: signal \"spans\" (Loki holds logs); \"time > now-1h\" (the time range "
                       "sets the time); \"body = x\" (LogQL matches lines by text: use search, body ~ or body !~); "
                       "\"http.method > GET\" (LogQL compares labels with numbers only)"));
    QCOMPARE(errorOf([&] { compile(logs("severity = LOUD")); }),
        QStringLiteral("LogQL cannot express: \"severity = LOUD\" (use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24)"));
    // 2^32 + 17 is no 17 (FATAL): a number past int stays out of range
    QCOMPARE(errorOf([&] { compile(logs("severity = 4294967313")); }),
        QStringLiteral("LogQL cannot express: \"severity = 4294967313\" (use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24)"));
}

void TestLoki::streamsDecodeToTheStoreColumns()
{
    const Json data = lokiData(kStreams);
    const std::vector<LokiEntry> entries = lokiEntries(data);
    QCOMPARE(entries.size(), std::size_t(3));
    const Frame f = lokiLogsFrame(entries, "service_name", "detected_level");
    std::vector<std::string> names;
    for (const Column &c : f.columns)
        names.push_back(c.name);
    QCOMPARE(names, (std::vector<std::string> { "time", "severity", "severity_text", "service.name", "body", "trace_id",
                         "span_id", "attributes", "resource" }));
    QCOMPARE(f.columns[0].type, ColumnType::Time);
    QCOMPARE(f.columns[1].type, ColumnType::Int64);
    QCOMPARE(f.columns[7].type, ColumnType::Json);
    QCOMPARE(f.rowCount(), std::size_t(3));
    QCOMPARE(f.total, std::int64_t(3));
    // newest first across streams
    QCOMPARE(cellToInt(f.cell(0, 0)), std::int64_t(1764633600000000002));
    QCOMPARE(cellToInt(f.cell(1, 0)), std::int64_t(1764633600000000001));
    QCOMPARE(cellToInt(f.cell(2, 0)), std::int64_t(1764633599500000000));
    QCOMPARE(cellToInt(f.cell(0, 1)), std::int64_t(17));
    QCOMPARE(cellText(f, 0, "severity_text"), std::string("error"));
    QCOMPARE(cellText(f, 0, "service.name"), std::string("auth"));
    QCOMPARE(cellText(f, 0, "body"), std::string("login failed for user 7"));
    QCOMPARE(cellText(f, 0, "trace_id"), std::string("4bf92f3577b34da6a3ce929d0e0e4736")); // lowered, as stored
    QCOMPARE(cellText(f, 0, "span_id"), std::string("00f067aa0ba902b7"));
    QCOMPARE(cellText(f, 0, "attributes"), std::string(R"~({"user_id":"7"})~"));
    QCOMPARE(cellText(f, 0, "resource"), std::string(R"~({"service_name":"auth","namespace":"prod"})~"));
    // a line without level or ids has nulls there
    QVERIFY(isNull(f.cell(1, 1)));
    QVERIFY(isNull(f.cell(1, std::size_t(f.columnIndex("trace_id")))));
    QCOMPARE(cellText(f, 1, "service.name"), std::string("frontend"));
    QCOMPARE(cellText(f, 1, "attributes"), std::string("{}"));
    QCOMPARE(cellToInt(f.cell(2, 1)), std::int64_t(9));
    QCOMPARE(cellText(f, 2, "body"), std::string("login ok"));

    LokiStats stats;
    stats.add(data);
    QCOMPARE(stats.note(), std::string("Loki processed 1.2 MB in 4321 lines in 0.25 s"));
    stats.add(data);
    QCOMPARE(stats.note(), std::string("Loki processed 2.5 MB in 8642 lines in 0.50 s (2 requests)"));
    QCOMPARE(LokiStats().note(), std::string());
}

void TestLoki::streamsWithoutCategorizedLabels()
{
    // An older Loki: every label in the stream, [ns, line] pairs; the level from a "level" label.
    const Json data = lokiData(R"~({"status":"success","data":{"resultType":"streams","result":[
        {"stream":{"app":"api","level":"WARNING","trace_id":"abc"},"values":[["1000000001","slow"]]}]}})~");
    const Frame f = lokiLogsFrame(lokiEntries(data), "app", "detected_level");
    QCOMPARE(f.rowCount(), std::size_t(1));
    QCOMPARE(cellToInt(f.cell(0, 0)), std::int64_t(1000000001));
    QCOMPARE(cellToInt(f.cell(0, 1)), std::int64_t(13));
    QCOMPARE(cellText(f, 0, "severity_text"), std::string("WARNING"));
    QCOMPARE(cellText(f, 0, "service.name"), std::string("api"));
    QCOMPARE(cellText(f, 0, "trace_id"), std::string("abc"));
    QCOMPARE(cellText(f, 0, "resource"), std::string(R"~({"app":"api","level":"WARNING","trace_id":"abc"})~"));
}

void TestLoki::matrixToTheAggregateFrame()
{
    // count by service over 5-minute steps: the sample at T is the bucket that starts at T - 5m
    const Json data = lokiData(R"~({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"service_name":"frontend"},"values":[[1764633900,"7"]]},
        {"metric":{"service_name":"auth"},"values":[[1764633900,"3"],[1764634200,"12"]]}],
        "stats":{"summary":{"totalBytesProcessed":999,"totalLinesProcessed":22,"execTime":0.015}}}})~");
    LokiAggregateShape shape;
    shape.groupFields = { "service.name" };
    shape.groupLabels = { "service_name" };
    shape.valueName = "count";
    shape.integer = true;
    shape.step = 5 * kMinute;
    const Frame f = lokiAggregateFrame(data, shape);
    QCOMPARE(f.columns.size(), std::size_t(3));
    QCOMPARE(f.columns[0].name, std::string("time"));
    QCOMPARE(f.columns[1].name, std::string("service.name"));
    QCOMPARE(f.columns[2].name, std::string("count"));
    QCOMPARE(f.columns[2].type, ColumnType::Int64);
    QCOMPARE(f.rowCount(), std::size_t(3));
    const TimeNs t0 = 1764633600 * kSecond;
    QCOMPARE(cellToInt(f.cell(0, 0)), t0);
    QCOMPARE(cellToString(f.cell(0, 1)), std::string("auth"));
    QCOMPARE(cellToInt(f.cell(0, 2)), std::int64_t(3));
    QCOMPARE(cellToInt(f.cell(1, 0)), t0);
    QCOMPARE(cellToString(f.cell(1, 1)), std::string("frontend"));
    QCOMPARE(cellToInt(f.cell(1, 2)), std::int64_t(7));
    QCOMPARE(cellToInt(f.cell(2, 0)), t0 + 5 * kMinute);
    QCOMPARE(cellToInt(f.cell(2, 2)), std::int64_t(12));
    // a count past int64 (or infinite) is no count: an empty cell, not the unspecified result of llround
    const Json huge = lokiData(R"~({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"service_name":"auth"},"values":[[1764633900,"1e30"],[1764634200,"+Inf"]]}]}})~");
    const Frame g = lokiAggregateFrame(huge, shape);
    QCOMPARE(g.rowCount(), std::size_t(2));
    QVERIFY(std::holds_alternative<std::monostate>(g.cell(0, 2)));
    QVERIFY(std::holds_alternative<std::monostate>(g.cell(1, 2)));
    // found by review (fuzz_loki reaches it): a bucket's end at int64's low edge minus the step overflowed
    const Json early = lokiData(R"~({"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"service_name":"auth"},"values":[[-9223372036.854,"1"]]}]}})~");
    QCOMPARE(cellToInt(lokiAggregateFrame(early, shape).cell(0, 0)), std::numeric_limits<TimeNs>::min());
    LokiStats stats;
    stats.add(data);
    QCOMPARE(stats.note(), std::string("Loki processed 999 B in 22 lines in 0.01 s"));
}

void TestLoki::vectorToGroupsLargestFirst()
{
    const Json data = lokiData(R"~({"status":"success","data":{"resultType":"vector","result":[
        {"metric":{"http_route":"/a"},"value":[1764633900,"0.5"]},
        {"metric":{"http_route":"/b"},"value":[1764633900,"2.25"]},
        {"metric":{"http_route":"/c"},"value":[1764633900,"1"]}]}})~");
    LokiAggregateShape shape;
    shape.groupFields = { "http.route" };
    shape.groupLabels = { "http_route" };
    shape.valueName = "avg(duration_ms)";
    shape.limit = 2;
    const Frame f = lokiAggregateFrame(data, shape);
    QCOMPARE(f.columns.size(), std::size_t(2));
    QCOMPARE(f.columns[1].name, std::string("avg(duration_ms)"));
    QCOMPARE(f.columns[1].type, ColumnType::Double);
    QCOMPARE(f.rowCount(), std::size_t(2));
    QVERIFY(f.truncated);
    QCOMPARE(cellToString(f.cell(0, 0)), std::string("/b"));
    QCOMPARE(cellToDouble(f.cell(0, 1)), 2.25);
    QCOMPARE(cellToString(f.cell(1, 0)), std::string("/c"));
    QCOMPARE(cellToDouble(f.cell(1, 1)), 1.0);
}

// Found by review: a query that hit one of Loki's limits came back as if complete.
void TestLoki::warningsOfTheAnswer()
{
    std::vector<std::string> warnings;
    const std::string page = R"~({"status":"success","warnings":["maximum of series (500) reached for a single query"],
        "data":{"resultType":"streams","result":[]}})~";
    lokiData(page, &warnings);
    lokiData(page, &warnings); // a second page says it again: once
    QCOMPARE(warnings, std::vector<std::string>({ "Loki: maximum of series (500) reached for a single query" }));
}

void TestLoki::badAnswers()
{
    QCOMPARE(errorOf([] { lokiData("<html><body>502 Bad Gateway</body></html>"); }),
        QStringLiteral("not a Loki API answer: an HTML page instead of JSON (is the URL that of the Loki API?): "
                       "<html><body>502 Bad Gateway</body></html>"));
    const QString cut = errorOf([] { lokiData(R"~({"status":"success","data":{"resultType":"str)~"); });
    QVERIFY2(cut.startsWith(QStringLiteral("not a Loki API answer: the answer is not valid JSON (parse error at line 1"))
            && cut.endsWith(QStringLiteral("): {\"status\":\"success\",\"data\":{\"resultType\":\"str")),
        qPrintable(cut));
    QCOMPARE(errorOf([] { lokiData(" \n"); }), QStringLiteral("not a Loki API answer: an empty answer where JSON was expected"));
    QCOMPARE(errorOf([] { lokiData(R"~({"status":"error","error":"too many outstanding requests"})~"); }),
        QStringLiteral("Loki error: too many outstanding requests"));
    QCOMPARE(errorOf([] { lokiEntries(Json::parse(R"~({"resultType":"streams","result":[{"stream":{},"values":[["12x","a"]]}]})~")); }),
        QStringLiteral("Loki: a log line's time is not nanoseconds: \"12x\""));
    QCOMPARE(errorOf([] { lokiEntries(Json::parse(R"~({"resultType":"streams","result":[{"stream":{},"values":[[12,"a"]]}]})~")); }),
        QStringLiteral("Loki: a log line is not [\"<ns>\", \"<line>\", ...]: [12,\"a\"]"));
    QCOMPARE(errorOf([] { lokiEntries(Json::parse(R"~({"resultType":"matrix","result":[]})~")); }),
        QStringLiteral("Loki: the answer holds no log streams"));
    // Found by review: a Loki metric answer's faults were told as Prometheus'.
    QCOMPARE(errorOf([] { lokiAggregateFrame(Json::parse(R"~({"resultType":"matrix"})~"), LokiAggregateShape()); }),
        QStringLiteral("Loki: the answer's data has no result (is the URL that of a Loki query API?): "
                       "{\"resultType\":\"matrix\"}"));
    QCOMPARE(errorOf([] {
        lokiAggregateFrame(
            Json::parse(R"~({"resultType":"matrix","result":[{"metric":{},"values":[[1764633900,"x"]]}]})~"),
            LokiAggregateShape());
    }),
        QStringLiteral("Loki: a sample value is no number: \"x\""));
}

#endif

QTEST_GUILESS_MAIN(TestLoki)
#include "tst_loki.moc"

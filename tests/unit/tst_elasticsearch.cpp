// Elasticsearch / OpenSearch: the Query -> _search body builder and the decoders, on the recorded
// date_histogram request and response in ../shared/fixtures/elasticsearch and on documented shapes.
#include "FixtureServer.h"
#include "TestHelpers.h"
#include "connectors/elasticsearch/EsQueryBuilder.h"
#include "connectors/elasticsearch/EsResponse.h"
#include "models/Error.h"
#include <QFile>
#include <QTest>


class TestElasticsearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dateHistogramRequestMatchesTheRecordedOne();
    void dateHistogramResponseDecodesExactly();
    void logsBody();
    void aggregateBodies();
    void unsupported();
    void documentsToTheStoreColumns();
    void groupedAnswers();
    void errorsAndWarnings();
    void mappingAndValues();
};

// moc cannot match braces across raw string literals: it reads only the class above.
#ifndef Q_MOC_RUN

using namespace fd;
using namespace fdtest;

namespace {

constexpr DurationNs kMs = kSecond / 1000;
const std::string kFixtures = std::string(FD_SHARED_FIXTURES) + "/elasticsearch/";

// Key order does not matter to Elasticsearch: compare as unordered JSON.
nlohmann::json unordered(const Json &j)
{
    return nlohmann::json::parse(j.dump());
}

Query logs(const std::string &where, const std::string &search = {})
{
    Query q;
    q.where = parseWhereList(where);
    q.search = search;
    return q;
}

std::string cellText(const Frame &f, std::size_t row, const char *column)
{
    return cellToString(f.cell(row, std::size_t(f.columnIndex(column))));
}

const TimeRange kRange { 1764633600 * kSecond, 1764633600 * kSecond + kHour };

} // namespace

void TestElasticsearch::initTestCase()
{
    if (!QFile::exists(QString::fromStdString(kFixtures)))
        QSKIP("../shared/fixtures/elasticsearch is absent (it is present in CI)");
}

void TestElasticsearch::dateHistogramRequestMatchesTheRecordedOne()
{
    const Json recorded = Json::parse(fdtest::readFile(kFixtures + "search_date_histogram_request.json"));
    Query q = logs("process.serviceName = test-service and tag.span@kind = server");
    q.agg = parseAggregate("count");
    q.interval = kMinute;
    EsFields fields;
    fields.time = "startTimeMillis";
    const TimeRange range { 1577930045000 * kMs, 1577934245001 * kMs };
    const Json body = EsQueryBuilder(fields).aggregateBody(q, range, kMinute);
    // The recorded request adds a cumulative_sum pipeline (Jaeger's) and names its histogram otherwise.
    Json expected = recorded["body"];
    Json histogram = expected["aggregations"]["results_buckets"];
    histogram.erase("aggregations");
    expected["aggregations"] = { { "time", histogram } };
    QVERIFY2(unordered(body) == unordered(expected), (body.dump() + "\nexpected: " + expected.dump()).c_str());
    QCOMPARE(recorded["path"].get<std::string>(), std::string("/jaeger-span-read/_search"));
}

void TestElasticsearch::dateHistogramResponseDecodesExactly()
{
    Json answer = esAnswer(200, fdtest::readFile(kFixtures + "search_date_histogram_response.json"));
    // Named as the request names it: Jaeger's "results_buckets" is our "time".
    answer["aggregations"] = { { "time", answer["aggregations"]["results_buckets"] } };
    EsAggregateShape shape;
    shape.agg = parseAggregate("count");
    shape.step = kMinute;
    const Frame f = esAggregateFrame(answer, shape);
    QCOMPARE(f.columns.size(), std::size_t(2));
    QCOMPARE(f.columns[0].name, std::string("time"));
    QCOMPARE(f.columns[1].name, std::string("count"));
    QCOMPARE(f.columns[1].type, ColumnType::Int64);
    QCOMPARE(f.rowCount(), std::size_t(12));
    const std::vector<std::int64_t> counts = { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 0 };
    for (std::size_t r = 0; r < 12; ++r) {
        QCOMPARE(cellToInt(f.cell(r, 0)), (1749894840000 + std::int64_t(r) * 60000) * kMs);
        QCOMPARE(cellToInt(f.cell(r, 1)), counts[r]);
    }
    QCOMPARE(esTotal(answer).value, std::int64_t(100));
    QVERIFY(esTotal(answer).exact);
    QVERIFY(esWarnings(answer).empty());
    shape.agg = parseAggregate("rate");
    const Frame rate = esAggregateFrame(answer, shape);
    QCOMPARE(rate.columns[1].name, std::string("rate"));
    QCOMPARE(cellToDouble(rate.cell(1, 1)), 10.0 / 60);
}

void TestElasticsearch::logsBody()
{
    // Found by review: Lucene has no anchors and no (?i), and reads @ & ~ # < > as operators. `~` finds its pattern
    // anywhere unless it anchors itself; (?i) is case_insensitive; flags NONE keeps the rest literal.
    const auto regexpOf = [](const char *where) {
        return EsQueryBuilder().logsBody(logs(where), kRange, 1, nullptr)["query"]["bool"]["filter"][0]["regexp"]["k"].dump();
    };
    QCOMPARE(regexpOf(R"~(k ~ "^auth$")~"), std::string(R"~({"value":"(auth)","flags":"NONE"})~"));
    QCOMPARE(regexpOf(R"~(k ~ "(?i)^AUTH")~"), std::string(R"~({"value":"(AUTH).*","flags":"NONE","case_insensitive":true})~"));
    QCOMPARE(regexpOf(R"~(k ~ "user@example")~"), std::string(R"~({"value":".*(user@example).*","flags":"NONE"})~"));
    QVERIFY_THROWS_EXCEPTION(Error, regexpOf(R"~(k ~ "a)|(b")~")); // no regular expression: said, not sent changed

    const Json body = EsQueryBuilder().logsBody(
        logs(R"~(service.name = auth and http.response.status_code >= 500 and trace_id != abc and url.path ~ "/api/.*" and !exists(error.type))~",
            "conn \"refused\""),
        kRange, 101, nullptr);
    QCOMPARE(body.dump(),
        std::string(R"~({"size":101,"query":{"bool":{"filter":[{"terms":{"service.name":["auth"]}},)~"
                    R"~({"range":{"http.response.status_code":{"gte":500}}},{"regexp":{"url.path":{"value":".*(/api/.*).*","flags":"NONE"}}},)~"
                    R"~({"query_string":{"query":"\"conn \\\"refused\\\"\"","fields":["message","body"]}},)~"
                    R"~({"range":{"@timestamp":{"format":"epoch_millis","gte":1764633600000,"lte":1764637199999}}}],)~"
                    R"~("must_not":[{"bool":{"should":[{"terms":{"trace.id":["abc"]}},{"terms":{"trace_id":["abc"]}}],"minimum_should_match":1}},)~"
                    R"~({"exists":{"field":"error.type"}}]}},"sort":[{"@timestamp":{"order":"desc"}}],)~"
                    R"~("docvalue_fields":[{"field":"@timestamp","format":"epoch_millis"}]})~"));
    EsFields fields;
    fields.level = { "log.level" };
    const Json severe = EsQueryBuilder(fields).logsBody(logs("severity >= ERROR"), kRange, 10, Json::array({ 1764633601234 }));
    QCOMPARE(severe["query"]["bool"]["filter"][0].dump(),
        std::string(R"~({"terms":{"log.level":["error","ERROR","err","ERR","fatal","FATAL","critical","CRITICAL"]}})~"));
    QCOMPARE(severe["search_after"].dump(), std::string("[1764633601234]"));
    // a level's number as text, as the store reads it (review: an unknown severity)
    QCOMPARE(EsQueryBuilder(fields).logsBody(logs("severity >= '17'"), kRange, 10, Json::array({ 1764633601234 }))["query"].dump(),
        severe["query"].dump());
    // a raw query: Lucene syntax or a Query DSL clause, with the time range
    Query raw = logs("ignored = 1");
    raw.raw = "level:error AND service.name:auth";
    QCOMPARE(EsQueryBuilder().query(raw, kRange)["bool"]["filter"][0].dump(),
        std::string(R"~({"query_string":{"query":"level:error AND service.name:auth"}})~"));
    raw.raw = R"~({"match":{"message":"timeout"}})~";
    QCOMPARE(EsQueryBuilder().query(raw, kRange)["bool"]["filter"][0].dump(), raw.raw);
    raw.raw = "{nope";
    QVERIFY(errorOf([&] { EsQueryBuilder().query(raw, kRange); }).startsWith(QStringLiteral("the raw query is not a Query DSL object")));
}

void TestElasticsearch::aggregateBodies()
{
    Query q = logs("service.name = auth");
    q.agg = parseAggregate("p95(duration_ms)");
    q.groupBy = { "service.name", "http.route" };
    q.interval = 5 * kMinute;
    q.limit = 20;
    const Json body = EsQueryBuilder().aggregateBody(q, kRange, 5 * kMinute);
    QCOMPARE(body["aggregations"].dump(),
        std::string(R"~({"time":{"date_histogram":{"extended_bounds":{"max":1764637199999,"min":1764633600000},)~"
                    R"~("field":"@timestamp","fixed_interval":"300000ms","min_doc_count":0},"aggregations":)~"
                    R"~({"group_0":{"terms":{"field":"service.name","size":20},"aggregations":)~"
                    R"~({"group_1":{"terms":{"field":"http.route","size":20},"aggregations":)~"
                    R"~({"value":{"percentiles":{"field":"duration_ms","percents":[95.0]}}}}}}}}})~"));
    // the top groups by a metric are the largest by that metric, not by count; an outer group by the metric over
    // its whole bucket (it was by count: the busiest services, review)
    q.interval = 0;
    q.agg = parseAggregate("p99(duration_ms)");
    const Json top = EsQueryBuilder().aggregateBody(q, kRange, 0);
    const Json expected = Json::parse(
        R"~({"group_0":{"aggregations":{"group_1":{"aggregations":{"value":{"percentiles":{"field":"duration_ms",)~"
        R"~("percents":[99.0]}}},"terms":{"field":"http.route","order":{"value[99.0]":"desc"},"size":20}},)~"
        R"~("value":{"percentiles":{"field":"duration_ms","percents":[99.0]}}},)~"
        R"~("terms":{"field":"service.name","order":{"value[99.0]":"desc"},"size":20}}})~");
    QVERIFY2(unordered(top["aggregations"]) == unordered(expected), top["aggregations"].dump().c_str());
    q.groupBy = { "service.name" };
    q.agg = parseAggregate("avg(duration_ms)");
    QCOMPARE(EsQueryBuilder().aggregateBody(q, kRange, 0)["aggregations"]["group_0"]["terms"]["order"].dump(), std::string(R"~({"value":"desc"})~"));
    q.agg = parseAggregate("count");
    QVERIFY(!EsQueryBuilder().aggregateBody(q, kRange, 0)["aggregations"]["group_0"]["terms"].contains("order"));
    // one value over the range: a count reads hits.total
    Query total = logs("service.name = auth");
    total.agg = parseAggregate("count");
    const Json counted = EsQueryBuilder().aggregateBody(total, kRange, 0);
    QVERIFY(!counted.contains("aggregations"));
    QCOMPARE(counted["track_total_hits"].dump(), std::string("true"));
    QCOMPARE(counted["size"].dump(), std::string("0"));
}

void TestElasticsearch::unsupported()
{
    Query q = logs("time > now-1h and severity = LOUD");
    q.signal = Signal::Spans;
    QCOMPARE(errorOf([&] { EsQueryBuilder().query(q, kRange); }),
        QStringLiteral("Elasticsearch cannot express: signal \"spans\" (this source reads log documents); "
                       "\"time > now-1h\" (the time range sets the time); \"severity = LOUD\" (use TRACE, DEBUG, "
                       "INFO, WARN, ERROR, FATAL or 1-24)"));
    QCOMPARE(errorOf([&] { EsQueryBuilder().query(logs("severity >= 4294967313"), kRange); }), // never 17 (FATAL)
        QStringLiteral("Elasticsearch cannot express: \"severity >= 4294967313\" (use TRACE, DEBUG, INFO, WARN, ERROR, "
                       "FATAL or 1-24)"));
}

void TestElasticsearch::documentsToTheStoreColumns()
{
    const Json answer = esAnswer(200, R"~({"took":3,"timed_out":false,"_shards":{"total":2,"successful":2,"failed":0},
      "hits":{"total":{"value":10000,"relation":"gte"},"hits":[
        {"_index":"logs-2025.12.02","_id":"a1","sort":[1764633601234],
         "_source":{"@timestamp":"2025-12-02T00:00:01.234567891Z","message":"payment declined",
                    "log":{"level":"WARN"},"service":{"name":"payments","version":"2.1"},
                    "trace":{"id":"4BF92F3577B34DA6A3CE929D0E0E4736"},"span.id":"00F067AA0BA902B7",
                    "http":{"response":{"status_code":402}},"tags":["a","b"]}},
        {"_index":"logs-2025.12.02","_id":"a2","sort":[1764633600000],
         "_source":{"@timestamp":1764633600000,"body":"started","level":"info","service.name":"auth"}}]}})~");
    const EsTotal total = esTotal(answer);
    QCOMPARE(total.value, std::int64_t(10000));
    QVERIFY(!total.exact);
    const std::vector<Json> hits(answer["hits"]["hits"].begin(), answer["hits"]["hits"].end());
    const Frame f = esLogsFrame(hits, EsFields());
    std::vector<std::string> names;
    for (const Column &c : f.columns)
        names.push_back(c.name);
    QCOMPARE(names, (std::vector<std::string> { "time", "severity", "severity_text", "service.name", "body",
                         "trace_id", "span_id", "attributes", "resource" }));
    QCOMPARE(f.rowCount(), std::size_t(2));
    QCOMPARE(cellToInt(f.cell(0, 0)), std::int64_t(1764633601234567891));
    QCOMPARE(cellToInt(f.cell(0, 1)), std::int64_t(13));
    QCOMPARE(cellText(f, 0, "severity_text"), std::string("WARN"));
    QCOMPARE(cellText(f, 0, "service.name"), std::string("payments"));
    QCOMPARE(cellText(f, 0, "body"), std::string("payment declined"));
    QCOMPARE(cellText(f, 0, "trace_id"), std::string("4bf92f3577b34da6a3ce929d0e0e4736")); // lowercase, as stored (exploratory test)
    QCOMPARE(cellText(f, 0, "span_id"), std::string("00f067aa0ba902b7"));
    QCOMPARE(cellText(f, 0, "attributes"),
        std::string(R"~({"service.version":"2.1","http.response.status_code":402,"tags":["a","b"]})~"));
    QCOMPARE(cellText(f, 0, "resource"), std::string(R"~({"_index":"logs-2025.12.02","_id":"a1"})~"));
    QCOMPARE(cellToInt(f.cell(1, 0)), std::int64_t(1764633600000) * kMs);
    QCOMPARE(cellToInt(f.cell(1, 1)), std::int64_t(9));
    QCOMPARE(cellText(f, 1, "service.name"), std::string("auth"));
    QCOMPARE(cellText(f, 1, "body"), std::string("started"));
    QVERIFY(isNull(f.cell(1, std::size_t(f.columnIndex("trace_id")))));
    QCOMPARE(cellText(f, 1, "attributes"), std::string("{}"));

    // The time as the index maps it comes from the doc value: epoch seconds, a custom format, date_nanos.
    const auto framed = [](const char *text) {
        const Json a = Json::parse(text);
        return esLogsFrame(std::vector<Json>(a["hits"]["hits"].begin(), a["hits"]["hits"].end()), EsFields());
    };
    const Frame mapped = framed(R"~({"hits":{"hits":[
        {"_source":{"@timestamp":1764633600,"message":"epoch_second"},"fields":{"@timestamp":["1764633600000"]}},
        {"_source":{"@timestamp":"2025/12/02 00:00:01","message":"custom format"},"fields":{"@timestamp":["1764633601000"]}},
        {"_source":{"@timestamp":"1764633602000","message":"epoch_millis text"},"fields":{"@timestamp":["1764633602000"]}},
        {"_source":{"@timestamp":"2025-12-02T00:00:03.123456789Z","message":"date_nanos"},"fields":{"@timestamp":["1764633603123.456789"]}},
        {"_source":{"@timestamp":"2025-12-02T00:00:04.987654321Z","message":"date"},"fields":{"@timestamp":["1764633604987"]}},
        {"_source":{"@timestamp":"2025/12/02","message":"custom, no doc value"},"sort":[1764633605000]}]}})~");
    const std::vector<std::int64_t> expected = { 1764633600000 * kMs, 1764633601000 * kMs, 1764633602000 * kMs,
        1764633603123456789, 1764633604987654321, 1764633605000 * kMs };
    for (std::size_t r = 0; r < expected.size(); ++r)
        QCOMPARE(cellToInt(mapped.cell(r, 0)), expected[r]);
    QCOMPARE(errorOf([&] { framed(R"~({"hits":{"hits":[{"_source":{"@timestamp":"2025/12/02","message":"x"}}]}})~"); }),
        QStringLiteral("Elasticsearch: a document's time is no date: \"2025/12/02\""));
    // A time field mapped as a long: the format is a number pattern there, and the source's number counts (review).
    QCOMPARE(cellToInt(framed(R"~({"hits":{"hits":[{"fields":{"@timestamp":["epoch_millis1764633600000"]},)~"
                                   R"~("_source":{"@timestamp":1764633600000,"message":"x"}}]}})~").cell(0, 0)),
        1764633600000 * kMs);

    // Epoch milliseconds past int64 nanoseconds (after 2262) are an error, not an overflow.
    QCOMPARE(errorOf([&] { framed(R"~({"hits":{"hits":[{"_source":{"@timestamp":1e300,"message":"x"}}]}})~"); }),
        QStringLiteral("Elasticsearch: a document's time 1e+300 is out of range"));
    QCOMPARE(errorOf([&] { framed(R"~({"hits":{"hits":[{"sort":[9300000000000],"_source":{"message":"x"}}]}})~"); }),
        QStringLiteral("Elasticsearch: a document's sort time 9300000000000 is out of range"));
    EsAggregateShape shape;
    shape.step = 5 * kMinute;
    QCOMPARE(errorOf([&] { esAggregateFrame(Json::parse(R"~({"aggregations":{"time":{"buckets":[{"key":-9300000000000,"doc_count":1}]}}})~"), shape); }),
        QStringLiteral("Elasticsearch: a bucket's key -9300000000000 is out of range"));
}

void TestElasticsearch::groupedAnswers()
{
    const Json answer = esAnswer(200, R"~({"hits":{"total":7,"hits":[]},"aggregations":{"time":{"buckets":[
        {"key":1764633600000,"doc_count":7,"group_0":{"buckets":[
            {"key":"auth","doc_count":5,"value":{"values":{"95.0":12.5}}},
            {"key":"cart","doc_count":2,"value":{"values":{"95.0":null}}}]}},
        {"key":1764633900000,"doc_count":0,"group_0":{"buckets":[]}}]}}})~");
    EsAggregateShape shape;
    shape.groupFields = { "service.name" };
    shape.agg = parseAggregate("p95(duration_ms)");
    shape.step = 5 * kMinute;
    const Frame f = esAggregateFrame(answer, shape);
    QCOMPARE(f.rowCount(), std::size_t(2));
    QCOMPARE(f.columns[2].name, std::string("p95(duration_ms)"));
    QCOMPARE(cellToInt(f.cell(0, 0)), kRange.from);
    QCOMPARE(cellToString(f.cell(0, 1)), std::string("auth"));
    QCOMPARE(cellToDouble(f.cell(0, 2)), 12.5);
    QCOMPARE(cellToString(f.cell(1, 1)), std::string("cart"));
    QVERIFY(isNull(f.cell(1, 2)));

    const Json top = esAnswer(200, R"~({"hits":{"total":{"value":9,"relation":"eq"},"hits":[]},"aggregations":{"group_0":{"buckets":[
        {"key":"a","doc_count":2,"value":{"value":3}},{"key":"b","doc_count":4,"value":{"value":8}},
        {"key":"c","doc_count":3,"value":{"value":5}}]}}})~");
    EsAggregateShape distinct;
    distinct.groupFields = { "service.name" };
    distinct.agg = parseAggregate("count_distinct(user.id)");
    distinct.limit = 2;
    const Frame g = esAggregateFrame(top, distinct);
    QCOMPARE(g.rowCount(), std::size_t(2));
    QVERIFY(g.truncated);
    QCOMPARE(g.columns[1].type, ColumnType::Int64);
    QCOMPARE(cellToString(g.cell(0, 0)), std::string("b"));
    QCOMPARE(cellToInt(g.cell(0, 1)), std::int64_t(8));
    QCOMPARE(cellToString(g.cell(1, 0)), std::string("c"));
    QVERIFY(g.notes.empty());
    // the documents of the groups left out are said
    Json more = top;
    more["aggregations"]["group_0"]["sum_other_doc_count"] = 41;
    distinct.limit = 3;
    const Frame m = esAggregateFrame(more, distinct);
    QCOMPARE(m.rowCount(), std::size_t(3));
    QVERIFY(m.truncated && m.groupsLeftOut);
    QCOMPARE(m.notes, std::vector<std::string>({ "Elasticsearch: 41 documents are in further groups of service.name that are left out (raise the limit to see more)" }));
    // found by review: the inner levels' left-out documents are summed, and a sum past int64 overflowed
    Json twoLevels = Json::parse(R"({"hits":{"total":6,"hits":[]},"aggregations":{"group_0":{"buckets":[
        {"key":"a","doc_count":1,"group_1":{"sum_other_doc_count":9000000000000000000,"buckets":[]}},
        {"key":"b","doc_count":1,"group_1":{"sum_other_doc_count":9000000000000000000,"buckets":[]}}]}}})");
    EsAggregateShape inner = distinct;
    inner.groupFields = { "service.name", "http.route" };
    QCOMPARE(esAggregateFrame(twoLevels, inner).notes.size(), std::size_t(1));
    QVERIFY2(esAggregateFrame(twoLevels, inner).notes.at(0).find("9223372036854775807 documents") != std::string::npos,
             esAggregateFrame(twoLevels, inner).notes.at(0).c_str());
    // two levels, each with its metric (the outer orders by it): the rows are the inner groups' values
    const Json nested = esAnswer(200, R"~({"hits":{"total":6,"hits":[]},"aggregations":{"group_0":{"buckets":[
        {"key":"auth","doc_count":4,"value":{"value":3},"group_1":{"buckets":[
            {"key":"/login","doc_count":3,"value":{"value":3}},{"key":"/logout","doc_count":1,"value":{"value":1}}]}},
        {"key":"cart","doc_count":2,"value":{"value":2},"group_1":{"buckets":[
            {"key":"/add","doc_count":2,"value":{"value":2}}]}}]}}})~");
    distinct.groupFields = { "service.name", "http.route" };
    const Frame n = esAggregateFrame(nested, distinct);
    QCOMPARE(n.rowCount(), std::size_t(3));
    QCOMPARE(cellToString(n.cell(0, 1)), std::string("/login"));
    QCOMPARE(cellToInt(n.cell(0, 2)), std::int64_t(3));
    QCOMPARE(cellToString(n.cell(1, 1)), std::string("/add"));
    QCOMPARE(cellToInt(n.cell(2, 2)), std::int64_t(1));
    // a count over the whole range without groups
    EsAggregateShape count;
    count.agg = parseAggregate("count");
    const Frame c = esAggregateFrame(top, count);
    QCOMPARE(c.rowCount(), std::size_t(1));
    QCOMPARE(cellToInt(c.cell(0, 0)), std::int64_t(9));
}

void TestElasticsearch::errorsAndWarnings()
{
    QCOMPARE(errorOf([] {
        esAnswer(400, R"~({"error":{"root_cause":[{"type":"query_shard_exception","reason":"failed to create query: For input string: \"abc\""}],)~"
                      R"~("type":"search_phase_execution_exception","reason":"all shards failed"},"status":400})~");
    }),
        QStringLiteral("Elasticsearch search_phase_execution_exception: all shards failed (query_shard_exception: failed "
                       "to create query: For input string: \"abc\")"));
    QCOMPARE(errorOf([] { esAnswer(404, R"~({"error":{"type":"index_not_found_exception","reason":"no such index [logs-x]","root_cause":[{"type":"index_not_found_exception","reason":"no such index [logs-x]"}]},"status":404})~"); }),
        QStringLiteral("Elasticsearch index_not_found_exception: no such index [logs-x]"));
    QCOMPARE(errorOf([] { esAnswer(500, "IndexMissingException"); }),
        QStringLiteral("Elasticsearch answered HTTP 500: IndexMissingException"));
    QCOMPARE(errorOf([] { esAnswer(200, "<html>login</html>"); }),
        QStringLiteral("not an Elasticsearch answer: an HTML page instead of JSON (is the URL that of the Elasticsearch "
                       "API?): <html>login</html>"));
    const QString cut = errorOf([] { esAnswer(200, R"~({"took":1,"hits":{"hits":[)~"); });
    QVERIFY2(cut.startsWith(QStringLiteral("not an Elasticsearch answer: the answer is not valid JSON ("))
            && cut.endsWith(QStringLiteral("): {\"took\":1,\"hits\":{\"hits\":[")),
        qPrintable(cut));
    QCOMPARE(errorOf([] { esAnswer(502, R"~({"message":"bad gateway"})~"); }),
        QStringLiteral("Elasticsearch answered HTTP 502: {\"message\":\"bad gateway\"}"));
    const Json partial = Json::parse(R"~({"timed_out":true,"_shards":{"total":5,"successful":3,"failed":2,
        "failures":[{"shard":0,"index":"logs-1","reason":{"type":"illegal_argument_exception","reason":"Text fields are not optimised"}}]}})~");
    QCOMPARE(esWarnings(partial),
        (std::vector<std::string> { "Elasticsearch timed out: the results are partial",
            "2 of 5 shards failed: the results are partial (Text fields are not optimised)" }));
    QCOMPARE(errorOf([] { esTotal(Json::parse(R"~({"hits":{"total":"many"}})~")); }),
        QStringLiteral("Elasticsearch: hits.total is neither a number nor {value, relation}: \"many\""));
    // Found by fuzz_elasticsearch (UBSan): a float past int64 was cast.
    QCOMPARE(errorOf([] { esTotal(Json::parse(R"~({"hits":{"total":1.3e40}})~")); }),
        QStringLiteral("Elasticsearch: hits.total 1.3e+40 is out of range"));
    QCOMPARE(errorOf([] { esTotal(Json::parse(R"~({"hits":{"total":{"value":-1e19,"relation":"gte"}}})~")); }),
        QStringLiteral("Elasticsearch: hits.total.value -1e+19 is out of range"));
    QCOMPARE(esTotal(Json::parse(R"~({"hits":{"total":{"value":12.0}}})~")).value, std::int64_t(12));
    QCOMPARE(errorOf([] { esWarnings(Json::parse(R"~({"_shards":{"total":1,"failed":4e22}})~")); }),
        QStringLiteral("Elasticsearch: _shards.failed 4e+22 is out of range"));
}

void TestElasticsearch::mappingAndValues()
{
    const Json mapping = Json::parse(R"~({"logs-a":{"mappings":{"properties":{"@timestamp":{"type":"date"},
        "service":{"properties":{"name":{"type":"keyword"}}},"message":{"type":"text","fields":{"keyword":{"type":"keyword"}}}}}},
        "logs-b":{"mappings":{"properties":{"http":{"properties":{"response":{"properties":{"status_code":{"type":"long"}}}}}}}}})~");
    QCOMPARE(esMappingFields(mapping),
        (std::vector<std::string> { "@timestamp", "http.response.status_code", "message", "service.name" }));
    const std::vector<FieldValue> values = esTermsValues(Json::parse(
        R"~({"aggregations":{"values":{"buckets":[{"key":"auth","doc_count":12},{"key":500,"doc_count":3},{"key":1,"key_as_string":"true","doc_count":1}]}}})~"));
    QCOMPARE(values.size(), std::size_t(3));
    QCOMPARE(values[0].value, std::string("auth"));
    QCOMPARE(values[0].count, std::int64_t(12));
    QCOMPARE(values[1].value, std::string("500"));
    QCOMPARE(values[2].value, std::string("true"));
}

#endif

QTEST_GUILESS_MAIN(TestElasticsearch)
#include "tst_elasticsearch.moc"

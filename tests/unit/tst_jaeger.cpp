// Jaeger answers decoded from the recorded upstream payloads in ../shared/fixtures/jaeger (skipped where
// that folder is absent): the internal API's traces with their edge cases, the v3 API's OTLP trace and trace
// summaries, error envelopes, bad payloads, and the search parameters a Query compiles to.
#include "connectors/jaeger/JaegerQuery.h"
#include "TestHelpers.h"
#include "connectors/jaeger/JaegerResponse.h"
#include "connectors/jaeger/JaegerTraceDecoder.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/TraceTree.h"
#include <QFile>
#include <QTest>

using namespace fd;
using namespace fdtest;

namespace {

const std::string kWhere = "source \"j\" (GET /api/traces/x)";

QString answerError(int status, const std::string &body)
{
    return errorOf([&] { jaegerAnswer(status, body, kWhere); });
}

Query spansQuery(const std::string &where)
{
    Query q;
    q.signal = Signal::Spans;
    q.where = parseWhereList(where);
    return q;
}

constexpr TimeNs kFrom = 1'700'000'000'123'456'789LL;
constexpr TimeNs kTo = 1'700'003'600'000'000'001LL;

} // namespace

class TestJaeger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void internalApiEnvelopeKeepsDuplicateSpans()
    {
        FD_FIXTURE(body, "jaeger", "v1_api_traces_response.json");
        const std::optional<Json> answer = jaegerAnswer(200, body, kWhere);
        QVERIFY(answer);
        QCOMPARE((*answer)["data"].size(), std::size_t(1));
        const std::vector<Span> spans = decodeJaegerTrace((*answer)["data"][0]);
        QCOMPARE(spans.size(), std::size_t(2)); // both spans share e127af99e3b3e074 and both are kept
        for (const Span &s : spans) {
            QCOMPARE(s.traceId, std::string("83a9efd15c1c98a977e0711cc93ee28b"));
            QCOMPARE(s.spanId, std::string("e127af99e3b3e074"));
            QCOMPARE(s.parentSpanId, std::string("909541b92cf05311"));
            QCOMPARE(s.name, std::string("okey-dokey-0"));
            QCOMPARE(s.service, std::string("telemetrygen"));
            QCOMPARE(s.kind, int(SpanKind::Server));
            QCOMPARE(s.start, 1706678909209712000LL);
            QCOMPARE(s.duration(), 123000LL);
            QCOMPARE(s.statusCode, int(StatusCode::Unset));
            QCOMPARE(s.attributes.dump(),
                std::string(R"({"otel.scope.name":"telemetrygen","net.peer.ip":"1.2.3.4","peer.service":"telemetrygen-client"})"));
            QCOMPARE(s.resource.dump(), std::string(R"({"service.name":"telemetrygen"})"));
            QVERIFY(s.links.empty());
        }
        const TraceTree tree = TraceTree::build(spans);
        // The two are one span sent twice (the same id, times, parent, name and kind): the waterfall shows it
        // once, under the one placeholder row of the parent that never arrived, and says so.
        QCOMPARE(tree.repeatedSpans, std::size_t(1));
        QCOMPARE(tree.rows.size(), std::size_t(2));
        QVERIFY(tree.rows[0].placeholder);
        QCOMPARE(tree.span(tree.rows[0].span).spanId, std::string("909541b92cf05311"));
        QCOMPARE(tree.orphans.size(), std::size_t(1));
    }

    void edgeCasesSurvive()
    {
        FD_FIXTURE(body, "jaeger", "v1_trace_edge_cases.json");
        const std::vector<Span> spans = decodeJaegerTrace(Json::parse(body));
        QCOMPARE(spans.size(), std::size_t(5));
        const std::string trace = "00000000000000000000000000000001"; // the 16-digit id, padded as the store keeps it
        const char *ids[] = { "0000000000000002", "0000000000000002", "0000000000000003", "0000000000000004",
            "0000000000000005" };
        const char *parents[] = { "", "", "0000000000000002", "0000000000000002", "0000000000000004" };
        const char *services[] = { "service-x", "service-x", "service-y", "service-y", "service-y" };
        for (std::size_t i = 0; i < spans.size(); ++i) {
            QCOMPARE(spans[i].traceId, trace);
            QCOMPARE(spans[i].spanId, std::string(ids[i]));
            QCOMPARE(spans[i].parentSpanId, std::string(parents[i]));
            QCOMPARE(spans[i].service, std::string(services[i]));
            QCOMPARE(spans[i].start, 1485467191639875000LL);
        }
        QCOMPARE(spans[4].duration(), 4000LL);

        // logs -> events, named by their "event" field
        QCOMPARE(spans[0].events.size(), std::size_t(2));
        QCOMPARE(spans[0].events[0].name, std::string("some-event"));
        QCOMPARE(spans[0].events[0].time, 1485467191639875000LL);
        QCOMPARE(spans[0].events[0].attributes.dump(), std::string("{}"));
        QCOMPARE(spans[0].events[1].name, std::string("log"));
        QCOMPARE(spans[0].events[1].attributes.dump(), std::string(R"({"x":"y"})"));

        // every tag type; the int64 above 2^53 keeps every digit; binary stays base64; error=true is the status
        const Json &a = spans[1].attributes;
        QVERIFY(a["peer.service"] == Json("service-y"));
        QVERIFY(a["peer.ipv4"].is_number_integer());
        QCOMPARE(a["peer.ipv4"].get<std::int64_t>(), 23456LL);
        QVERIFY(a["error"] == Json(true));
        QCOMPARE(a["temperature"].get<double>(), 72.5);
        // Jaeger sends an int64 past 2^53 as a string; it is an int64 again, every digit kept (exploratory test)
        QVERIFY(a["javascript_limit"].is_number_integer());
        QCOMPARE(a["javascript_limit"].get<std::int64_t>(), 9223372036854775222LL);
        QVERIFY(a["blob"] == Json("AAAwOQ=="));
        QCOMPARE(spans[1].statusCode, int(StatusCode::Error));
        QCOMPARE(spans[0].statusCode, int(StatusCode::Unset));

        // the first CHILD_OF into this trace is the parent; the others, FOLLOWS_FROM included, are links
        const Span &ref = spans[3];
        QCOMPARE(ref.name, std::string("reference-test"));
        QCOMPARE(ref.links.size(), std::size_t(2));
        QCOMPARE(ref.links[0].traceId, std::string("000000000000000000000000000000ff"));
        QCOMPARE(ref.links[0].spanId, std::string("00000000000000ff"));
        QCOMPARE(ref.links[0].attributes.dump(), std::string(R"({"opentracing.ref_type":"child_of"})"));
        QCOMPARE(ref.links[1].traceId, trace);
        QCOMPARE(ref.links[1].spanId, std::string("0000000000000002"));
        QCOMPARE(ref.links[1].attributes.dump(), std::string(R"({"opentracing.ref_type":"follows_from"})"));

        // warnings: a span's own, and the trace's on its top spans
        QCOMPARE(ref.attributes["jaeger.warnings"].dump(), std::string(R"(["some span warning"])"));
        QCOMPARE(spans[4].attributes["jaeger.warnings"].dump(), std::string(R"(["some span warning"])"));
        QCOMPARE(spans[0].attributes["jaeger.trace_warnings"].dump(), std::string(R"(["some trace warning"])"));
        QCOMPARE(spans[1].attributes["jaeger.trace_warnings"].dump(), std::string(R"(["some trace warning"])"));
        QVERIFY(!spans[2].attributes.contains("jaeger.trace_warnings"));
        QVERIFY(!spans[0].attributes.contains("jaeger.warnings"));

        QCOMPARE(TraceTree::build(spans).rows.size(), std::size_t(5));
        const TraceSummary summary = summarizeTrace(spans);
        QCOMPARE(summary.rootName, std::string("test-general-conversion"));
        QCOMPARE(summary.spans, 5LL);
        QCOMPARE(summary.errors, 1LL);
    }

    void float64TagsSentAsTextAreReadWhole()
    {
        FD_FIXTURE(body, "jaeger", "v1_trace_edge_cases.json");
        Json trace = Json::parse(body);
        Json &tags = trace["spans"][0]["tags"];
        tags.push_back({ { "key", "half" }, { "type", "float64" }, { "value", "0.5" } });
        tags.push_back({ { "key", "huge" }, { "type", "float64" }, { "value", "1e999" } }); // past double
        tags.push_back({ { "key", "partial" }, { "type", "float64" }, { "value", "2.5x" } });
        const std::vector<Span> spans = decodeJaegerTrace(trace);
        const Json &a = spans.at(0).attributes;
        QCOMPARE(a["half"].get<double>(), 0.5);
        QVERIFY(a["huge"] == Json("1e999")); // kept as written, never 0
        QVERIFY(a["partial"] == Json("2.5x"));
    }

    void v3TraceIsOtlp()
    {
        FD_FIXTURE(body, "jaeger", "v3_get_trace.json");
        const std::optional<Json> answer = jaegerAnswer(200, body, kWhere);
        QVERIFY(answer);
        const std::vector<Span> spans = decodeJaegerOtlpTrace(*answer);
        QCOMPARE(spans.size(), std::size_t(1));
        QCOMPARE(spans[0].traceId, std::string("00000000000000000000000000000001"));
        QCOMPARE(spans[0].spanId, std::string("0000000000000002"));
        QCOMPARE(spans[0].parentSpanId, std::string());
        QCOMPARE(spans[0].name, std::string("foobar"));
        QCOMPARE(spans[0].kind, int(SpanKind::Server));
        QCOMPARE(spans[0].statusCode, int(StatusCode::Error));
        QCOMPARE(spans[0].service, std::string("unknown_service"));
    }

    void v3Summaries()
    {
        FD_FIXTURE(body, "jaeger", "v3_trace_summaries.json");
        const std::vector<TraceSummary> s = decodeJaegerSummaries(Json::parse(body));
        QCOMPARE(s.size(), std::size_t(1));
        QCOMPARE(s[0].traceId, std::string("00000000000000000000000000000001"));
        QCOMPARE(s[0].start, 1000000000000LL);
        QCOMPARE(s[0].duration, 1000000000LL);
        QCOMPARE(s[0].rootService, std::string("frontend"));
        QCOMPARE(s[0].rootName, std::string("HTTP GET /"));
        QCOMPARE(s[0].spans, 2LL);
        QCOMPARE(s[0].errors, 1LL);
        const Frame f = traceSummariesFrame(s, 10);
        QCOMPARE(f.rowCount(), std::size_t(1));
        QCOMPARE(cellToString(f.cell(0, std::size_t(f.columnIndex("root_service")))), std::string("frontend"));
        QCOMPARE(cellToDouble(f.cell(0, std::size_t(f.columnIndex("duration_ms")))), 1000.0);
    }

    void errorEnvelopes()
    {
        QVERIFY(!jaegerAnswer(404, R"({"data":null,"errors":[{"code":404,"msg":"trace not found"}]})", kWhere));
        QVERIFY(!jaegerAnswer(200, R"({"data":null,"errors":[{"code":404,"msg":"trace not found"}]})", kWhere));
        QVERIFY(!jaegerAnswer(404, R"({"error":{"httpCode":404,"message":"No traces found"}})", kWhere));
        // gRPC's NOT_FOUND (5), in the v3 envelope and in grpc-gateway's bare status
        QVERIFY(!jaegerAnswer(404, R"({"error":{"code":5,"message":"trace not found"}})", kWhere));
        QVERIFY(!jaegerAnswer(404, R"({"error":{"grpcCode":5,"httpCode":404,"message":"trace not found"}})", kWhere));
        QVERIFY(!jaegerAnswer(404, R"({"code":5,"message":"trace not found","details":[]})", kWhere));
        QCOMPARE(answerError(400, R"({"code":3,"message":"malformed trace id","details":[]})"),
            QStringLiteral("source \"j\" (GET /api/traces/x): Jaeger error: malformed trace id"));
        QCOMPARE(answerError(500, R"({"error":{"code":13,"message":"storage unavailable"}})"),
            QStringLiteral("source \"j\" (GET /api/traces/x): Jaeger error: storage unavailable"));
        QCOMPARE(answerError(200, R"({"data":null,"total":0,"errors":[{"code":500,"msg":"storage: no such index"}]})"),
            QStringLiteral("source \"j\" (GET /api/traces/x): Jaeger error: 500 storage: no such index"));
        QCOMPARE(answerError(500, R"({"data":null,"errors":[{"code":500,"msg":"cassandra timeout"}]})"),
            QStringLiteral("source \"j\" (GET /api/traces/x): Jaeger error: 500 cassandra timeout"));
        QCOMPARE(answerError(400, R"({"error":{"httpCode":400,"message":"malformed parameter query.start_time_min"}})"),
            QStringLiteral("source \"j\" (GET /api/traces/x): Jaeger error: malformed parameter query.start_time_min"));
        QCOMPARE(answerError(502, "Bad Gateway\n"), QStringLiteral("source \"j\" (GET /api/traces/x): HTTP 502: Bad Gateway"));
        // review: any 404 read as "nothing found", so a wrong base path showed an empty result
        QCOMPARE(answerError(404, "404 page not found\n"),
            QStringLiteral("source \"j\" (GET /api/traces/x): HTTP 404 (no such API path: is the URL that of the Jaeger "
                           "query service, with its base path?): 404 page not found"));
        QVERIFY(answerError(404, R"({"message":"route not found"})").startsWith(QStringLiteral("source \"j\" (GET /api/traces/x): HTTP 404 (no such API path")));
        QVERIFY(answerError(200, "<!DOCTYPE html><html><body>Sign in</body></html>")
                    .startsWith(QStringLiteral("source \"j\" (GET /api/traces/x): an HTML page instead of JSON")));
        QVERIFY(answerError(200, "").contains(QStringLiteral("an empty answer")));
    }

    void badPayloadsSayWhat()
    {
        FD_FIXTURE(body, "jaeger", "v1_api_traces_response.json");
        for (std::size_t cut : { std::size_t(1), body.size() / 3, body.size() / 2, body.size() - 2 }) {
            const QString e = answerError(200, body.substr(0, cut));
            QVERIFY2(e.startsWith(QStringLiteral("source \"j\" (GET /api/traces/x): the answer is not valid JSON")),
                qPrintable(e));
        }
        QCOMPARE(errorOf([] { decodeJaegerTrace(Json::parse(R"({"spans":[{"spanID":12,"startTime":1}]})")); }),
            QStringLiteral("malformed Jaeger trace: spanID 12 is not a hex id of at most 16 digits"));
        QCOMPARE(errorOf([] { decodeJaegerTrace(Json::parse(R"({"spans":[{"spanID":"ab","startTime":"soon"}]})")); }),
            QStringLiteral("malformed Jaeger trace: startTime \"soon\" is not a number of microseconds"));
        // found by review: a start and a duration each in range whose sum is past int64 overflowed
        const Span late = decodeJaegerTrace(Json::parse(
            R"({"spans":[{"spanID":"ab","startTime":9000000000000000,"duration":9000000000000000}]})")).at(0);
        QCOMPARE(late.start, 9000000000000000000LL);
        QCOMPARE(late.end, std::numeric_limits<TimeNs>::max());
        QCOMPARE(errorOf([] { decodeJaegerTrace(Json::parse(R"({"spans":{"a":1}})")); }),
            QStringLiteral("malformed Jaeger trace: spans is not a list"));
        QCOMPARE(errorOf([] { decodeJaegerOtlpTrace(Json::parse(R"({"result":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"0000000000000002"}]}]}]}})")); }),
            QStringLiteral("malformed Jaeger v3 trace: 1 span(s) without valid hex ids"));
        QCOMPARE(errorOf([] { decodeJaegerSummaries(Json::parse(R"({"summaries":[{"traceId":"01","minStartTimeUnixNano":"x"}]})")); }),
            QStringLiteral("malformed Jaeger trace: trace summaries: minStartTimeUnixNano \"x\" is not an int64 of nanoseconds"));
        // Found by reading, like fuzz_elasticsearch's finding: a float or a text past int64, and an end
        // minus a start past int64.
        QCOMPARE(errorOf([] { decodeJaegerSummaries(Json::parse(R"({"summaries":[{"traceId":"01","maxEndTimeUnixNano":1e300}]})")); }),
            QStringLiteral("malformed Jaeger trace: trace summaries: maxEndTimeUnixNano 1e+300 is not an int64 of nanoseconds"));
        QCOMPARE(errorOf([] { decodeJaegerSummaries(Json::parse(R"({"summaries":[{"traceId":"01","minStartTimeUnixNano":"99999999999999999999"}]})")); }),
            QStringLiteral("malformed Jaeger trace: trace summaries: minStartTimeUnixNano \"99999999999999999999\" is not an int64 of nanoseconds"));
        QCOMPARE(errorOf([] { decodeJaegerSummaries(Json::parse(R"({"summaries":[{"traceId":"01","spanCount":7.8e54}]})")); }),
            QStringLiteral("malformed Jaeger trace: trace summaries: spanCount 7.8e+54 is out of range"));
        const auto wide = decodeJaegerSummaries(Json::parse(
            R"({"summaries":[{"traceId":"01","minStartTimeUnixNano":"-9000000000000000000","maxEndTimeUnixNano":"9000000000000000000"}]})"));
        QCOMPARE(wide.at(0).duration, std::numeric_limits<DurationNs>::max());
    }

    void searchParameters()
    {
        Query q = spansQuery("service.name = frontend and name = \"GET /cart\" and http.status_code = 500 and "
                             "duration_ms >= 200 and duration_ms < 1500 and status = error");
        q.limit = 20;
        const JaegerSearch s = JaegerSearch::compile(q);
        const TimeRange range { kFrom, kTo };
        QCOMPARE(s.v1Target(range),
            std::string("/api/traces?service=frontend&operation=GET%20%2Fcart&tags=%7B%22error%22%3A%22true%22%2C%22http.status_code%22%3A%22500%22%7D"
                        "&start=1700000000123456&end=1700003600000001&minDuration=200ms&maxDuration=1500ms&limit=20"));
        QCOMPARE(s.v3Target(range),
            std::string("/api/v3/traces?query.service_name=frontend&query.operation_name=GET%20%2Fcart"
                        "&query.attributes=%7B%22error%22%3A%22true%22%2C%22http.status_code%22%3A%22500%22%7D"
                        "&query.start_time_min=2023-11-14T22%3A13%3A20.123456789Z&query.start_time_max=2023-11-14T23%3A13%3A20.000000001Z"
                        "&query.duration_min=200ms&query.duration_max=1500ms&query.num_traces=20"));

        Span hit;
        hit.service = "frontend";
        hit.name = "GET /cart";
        hit.start = kFrom;
        hit.end = kFrom + 300 * 1'000'000;
        hit.statusCode = int(StatusCode::Error);
        hit.attributes = Json { { "http.status_code", 500 } };
        QVERIFY(s.matches(hit));
        Span slow = hit;
        slow.end = kFrom + 2 * kSecond;
        QVERIFY(!s.matches(slow));
        Span other = hit;
        other.attributes = Json { { "http.status_code", 200 } };
        QVERIFY(!s.matches(other));
        // Jaeger's bounds are inclusive: < leaves out a span of exactly the bound, and > too (exploratory test)
        Span atMax = hit;
        atMax.end = kFrom + 1500 * 1'000'000;
        QVERIFY(!s.matches(atMax));
        Span atMin = hit;
        atMin.end = kFrom + 200 * 1'000'000;
        QVERIFY(s.matches(atMin));
        const JaegerSearch strict = JaegerSearch::compile(
            spansQuery("service.name = frontend and duration_ms > 200 and duration_ms > 100 and duration_ms <= 1500"));
        QVERIFY(!strict.matches(atMin));
        QVERIFY(strict.matches(atMax));
        QVERIFY(strict.matches(hit));

        Query raw;
        raw.signal = Signal::Spans;
        raw.raw = "service=frontend&lookback=1h&limit=3";
        QCOMPARE(JaegerSearch::compile(raw).v1Target(range),
            std::string("/api/traces?service=frontend&lookback=1h&limit=3&start=1700000000123456&end=1700003600000001"));
    }

    void unsupportedPartsAreNamed()
    {
        Query q = spansQuery("service.name = a and http.method != GET and name ~ \"GET.*\" and duration_ms = 5 and duration_ms > 1e300");
        q.groupBy = { "service.name" };
        q.agg = parseAggregate("count");
        QCOMPARE(errorOf([&] { JaegerSearch::compile(q); }),
            QStringLiteral("Jaeger cannot express: \"http.method != GET\" (Jaeger matches tags by equality only); "
                           "\"name ~ GET.*\" (Jaeger matches tags by equality only); \"duration_ms = 5\" (durations take > >= < <= "
                           "and a number of at most 292 years); \"duration_ms > 1e+300\" (durations take > >= < <= and a number of at "
                           "most 292 years); group by service.name; aggregate count"));
        QCOMPARE(errorOf([] { JaegerSearch::compile(spansQuery("service.name = a and service.name = b")); }),
            QStringLiteral("Jaeger cannot express: \"service.name = b\" (a second service.name)"));
        Query logs = spansQuery("");
        logs.signal = Signal::Logs;
        logs.search = "timeout";
        QCOMPARE(errorOf([&] { JaegerSearch::compile(logs); }),
            QStringLiteral("Jaeger cannot express: signal \"logs\" (Jaeger holds spans only); full-text search \"timeout\""));
        // review: "time = 2026" had become a tag time=2026
        QCOMPARE(errorOf([] { JaegerSearch::compile(spansQuery("time = 2026")); }),
            QStringLiteral("Jaeger cannot express: \"time = 2026\" (the time range sets the time)"));
    }

    void textHelpers()
    {
        QCOMPARE(formatGoDuration(200 * 1'000'000), std::string("200ms"));
        QCOMPARE(formatGoDuration(90 * kSecond), std::string("90s"));
        QCOMPARE(formatGoDuration(2 * kHour), std::string("2h"));
        QCOMPARE(formatGoDuration(1500), std::string("1500ns"));
        QCOMPARE(formatGoDuration(1'500'000'000'000LL), std::string("25m"));
        QCOMPARE(paddedHexId("ABC", 16), std::string("0000000000000abc"));
        QCOMPARE(paddedHexId("00000000000000000000000000000000a", 32), std::string());
        QCOMPARE(paddedHexId("xyz", 16), std::string());
    }
};

QTEST_GUILESS_MAIN(TestJaeger)
#include "tst_jaeger.moc"

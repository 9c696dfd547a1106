// The log connectors (Loki, Elasticsearch) against a FixtureServer that plays the engine: the requests they
// send (LogQL, nanosecond times, paging, tenant header, the _search body), what their answers decode to,
// the engines' errors, and `flightdeck query` on a workspace source of each type.
#include "CliRunner.h"
#include "FixtureServer.h"
#include "ServerProcess.h"
#include "connectors/loki/LokiSource.h"
#include "models/Error.h"

#include <QTest>

#include <chrono>
#include <future>
#include <thread>


class TestLogConnectors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lokiPagesBackwardsPastTheLineLimit();
    void lokiStopsAtTheOldestLine();
    void lokiMetricQuery();
    void lokiLabels();
    void lokiErrors();
    void lokiCancels();
    void lokiFromTheCommandLine();
};

// moc cannot match braces across raw string literals: it reads only the class above.
#ifndef Q_MOC_RUN

using namespace fd;
using namespace fdtest;

namespace {

constexpr TimeNs kT0 = 1764633600 * kSecond; // 2025-12-02T00:00:00Z
const TimeRange kRange { kT0 - kHour, kT0 + kHour };

template <class F> QString errorOf(F &&call)
{
    try {
        call();
    } catch (const Error &e) {
        return e.message();
    }
    return {};
}

std::string cellText(const Frame &f, std::size_t row, const char *column)
{
    return cellToString(f.cell(row, std::size_t(f.columnIndex(column))));
}

// A Loki that holds a few lines in two streams and answers query_range as Loki does: the newest `limit`
// lines in [start, end), at most maxLines of them, grouped by stream, with stats.
struct FakeLoki {
    struct Line {
        std::string service;
        TimeNs time;
        std::string text;
    };
    std::vector<Line> lines;
    std::size_t maxLines = 3;

    FixtureResponse operator()(const FixtureRequest &r) const
    {
        if (r.path() != "/loki/api/v1/query_range")
            return FixtureResponse::text("404 page not found\n", 404);
        const std::size_t limit = std::stoul(r.param("limit"));
        if (limit > maxLines)
            return FixtureResponse::text("max entries limit per query exceeded, limit > max_entries_limit ("
                    + std::to_string(limit) + " > " + std::to_string(maxLines) + ")",
                400);
        const TimeNs start = std::stoll(r.param("start")), end = std::stoll(r.param("end"));
        std::vector<Line> picked;
        for (const Line &l : lines) // kept newest first
            if (l.time >= start && l.time < end && picked.size() < limit)
                picked.push_back(l);
        Json result = Json::array();
        for (const char *service : { "auth", "frontend" }) {
            Json values = Json::array();
            for (const Line &l : picked)
                if (l.service == service)
                    values.push_back({ std::to_string(l.time), l.text, { { "structuredMetadata", { { "detected_level", "info" } } } } });
            if (!values.empty())
                result.push_back({ { "stream", { { "service_name", service } } }, { "values", values } });
        }
        const Json stats = { { "summary", { { "totalBytesProcessed", 1000 }, { "totalLinesProcessed", 10 }, { "execTime", 0.5 } } } };
        return FixtureResponse::json(
            Json({ { "status", "success" }, { "data", { { "resultType", "streams" }, { "result", result }, { "stats", stats } } } })
                .dump());
    }
};

FakeLoki fakeLoki()
{
    FakeLoki loki;
    // Newest first; two lines share one nanosecond (80) across the streams.
    for (const auto &[service, offset] : std::vector<std::pair<std::string, int>> {
             { "auth", 100 }, { "frontend", 95 }, { "auth", 90 }, { "auth", 80 }, { "frontend", 80 }, { "auth", 70 },
             { "auth", 60 }, { "frontend", 50 }, { "frontend", 40 } })
        loki.lines.push_back({ service, kT0 + offset, service + " line " + std::to_string(offset) });
    return loki;
}

LokiConfig lokiConfig(const std::string &url)
{
    LokiConfig c;
    c.url = url;
    c.tenant = "team-a";
    c.pageLines = 3;
    return c;
}

Query lokiLogs(int limit)
{
    Query q;
    q.where = parseWhereList("service.name ~ \"auth|frontend\"");
    q.limit = limit;
    return q;
}

std::vector<std::string> bodies(const Frame &f)
{
    std::vector<std::string> out;
    for (std::size_t r = 0; r < f.rowCount(); ++r)
        out.push_back(cellText(f, r, "body"));
    return out;
}

} // namespace

void TestLogConnectors::lokiPagesBackwardsPastTheLineLimit()
{
    FixtureServer server(fakeLoki());
    LokiSource source("loki", lokiConfig(server.url()));
    const Frame f = source.query(lokiLogs(7), kRange, makeCancelToken());
    QCOMPARE(bodies(f),
        (std::vector<std::string> { "auth line 100", "frontend line 95", "auth line 90", "auth line 80",
            "frontend line 80", "auth line 70", "auth line 60" }));
    QVERIFY(f.truncated);
    QCOMPARE(f.total, std::int64_t(7));
    QCOMPARE(cellToInt(f.cell(0, 0)), kT0 + 100);
    QCOMPARE(cellText(f, 1, "service.name"), std::string("frontend"));
    QCOMPARE(cellToInt(f.cell(1, 1)), std::int64_t(9));
    QCOMPARE(f.nativeQuery, std::string(R"~({service_name=~"auth|frontend"})~"));
    QCOMPARE(f.notes, (std::vector<std::string> { "Loki processed 4.0 kB in 40 lines in 2.00 s (4 requests)" }));

    const std::vector<FixtureRequest> sent = server.requests();
    QCOMPARE(sent.size(), std::size_t(4));
    const std::vector<TimeNs> ends = { kRange.to, kT0 + 91, kT0 + 81, kT0 + 71 };
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const FixtureRequest &r = sent[i];
        QCOMPARE(r.method, std::string("GET"));
        QCOMPARE(r.path(), std::string("/loki/api/v1/query_range"));
        QCOMPARE(r.param("query"), std::string(R"~({service_name=~"auth|frontend"})~"));
        QCOMPARE(r.param("direction"), std::string("backward"));
        QCOMPARE(r.param("start"), std::to_string(kRange.from));
        QCOMPARE(r.param("end"), std::to_string(ends[i]));
        QCOMPARE(r.param("limit"), std::string("3"));
        QCOMPARE(r.header("X-Scope-OrgID"), std::string("team-a"));
        QCOMPARE(r.header("X-Loki-Response-Encoding-Flags"), std::string("categorize-labels"));
        QCOMPARE(r.header("Authorization"), std::string());
    }
}

void TestLogConnectors::lokiStopsAtTheOldestLine()
{
    FixtureServer server(fakeLoki());
    LokiSource source("loki", lokiConfig(server.url()));
    const Frame f = source.query(lokiLogs(100), kRange, makeCancelToken());
    QCOMPARE(f.rowCount(), std::size_t(9));
    QVERIFY(!f.truncated);
    QCOMPARE(cellText(f, 8, "body"), std::string("frontend line 40"));
    QCOMPARE(server.requests().size(), std::size_t(5));
    QCOMPARE(server.requests().back().param("end"), std::to_string(kT0 + 51));
}

void TestLogConnectors::lokiMetricQuery()
{
    FixtureServer server([](const FixtureRequest &) {
        return FixtureResponse::json(R"~({"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"service_name":"auth"},"values":[[1764633900,"4"],[1764634200,"6"]]}],
            "stats":{"summary":{"totalBytesProcessed":2048,"totalLinesProcessed":10,"execTime":0.125}}}})~");
    });
    LokiSource source("loki", lokiConfig(server.url()));
    Query q;
    q.where = parseWhereList("severity >= ERROR");
    q.agg = parseAggregate("count");
    q.groupBy = { "service.name" };
    q.interval = 5 * kMinute;
    const TimeRange range { kT0 + 10 * kSecond, kT0 + 10 * kMinute };
    const Frame f = source.query(q, range, makeCancelToken());
    QCOMPARE(f.rowCount(), std::size_t(2));
    QCOMPARE(cellToInt(f.cell(0, 0)), kT0);
    QCOMPARE(cellText(f, 0, "service.name"), std::string("auth"));
    QCOMPARE(f.columns[2].name, std::string("count"));
    QCOMPARE(cellToInt(f.cell(0, 2)), std::int64_t(4));
    QCOMPARE(cellToInt(f.cell(1, 0)), kT0 + 5 * kMinute);
    QCOMPARE(cellToInt(f.cell(1, 2)), std::int64_t(6));
    QCOMPARE(f.notes, (std::vector<std::string> { "Loki processed 2.0 kB in 10 lines in 0.12 s" }));
    const FixtureRequest r = server.requests().at(0);
    QCOMPARE(r.path(), std::string("/loki/api/v1/query_range"));
    QCOMPARE(r.param("query"),
        std::string(R"~(sum by (service_name) (count_over_time({service_name=~".+"} | detected_level=~"(?i)(error|err|fatal|critical)" [5m])))~"));
    QCOMPARE(r.param("start"), std::to_string(kT0 + 5 * kMinute));
    QCOMPARE(r.param("end"), std::to_string(kT0 + 10 * kMinute));
    QCOMPARE(r.param("step"), std::string("5m"));
    QCOMPARE(source.compile(q, range), r.param("query"));
}

void TestLogConnectors::lokiLabels()
{
    FixtureServer server([](const FixtureRequest &r) {
        if (r.path() == "/loki/api/v1/labels")
            return FixtureResponse::json(R"~({"status":"success","data":["service_name","detected_level","namespace"]})~");
        return FixtureResponse::json(R"~({"status":"success","data":["auth","frontend"]})~");
    });
    LokiSource source("loki", lokiConfig(server.url()));
    QCOMPARE(source.fieldNames({}, kRange, makeCancelToken()),
        (std::vector<std::string> { "namespace", "service.name", "severity" }));
    const std::vector<FieldValue> values = source.fieldValues("service.name", {}, kRange, makeCancelToken());
    QCOMPARE(values.size(), std::size_t(2));
    QCOMPARE(values[1].value, std::string("frontend"));
    const FixtureRequest r = server.requests().at(1);
    QCOMPARE(r.path(), std::string("/loki/api/v1/label/service_name/values"));
    QCOMPARE(r.param("start"), std::to_string(kRange.from));
    QCOMPARE(r.param("end"), std::to_string(kRange.to));
}

void TestLogConnectors::lokiErrors()
{
    FixtureServer server([](const FixtureRequest &) { return FixtureResponse::json("{}"); });
    LokiSource source("loki", lokiConfig(server.url()));
    const std::string url = server.url() + "/loki/api/v1/query_range";
    auto run = [&](FixtureResponse response) {
        server.setHandler([response](const FixtureRequest &) { return response; });
        return errorOf([&] { source.query(lokiLogs(10), kRange, makeCancelToken()); });
    };
    const QString at = QString::fromStdString(url + "?");
    QString e = run(FixtureResponse::text("parse error at line 1, col 16: syntax error: unexpected IDENTIFIER\n", 400));
    QVERIFY2(e.startsWith(QStringLiteral("Loki (source \"loki\"): HTTP 400 Bad Request from ") + at), qPrintable(e));
    QVERIFY2(e.endsWith(QStringLiteral(": parse error at line 1, col 16: syntax error: unexpected IDENTIFIER")), qPrintable(e));
    e = run(FixtureResponse::text("rpc error: code = Unavailable desc = connection refused", 500));
    QVERIFY2(e.contains(QStringLiteral("HTTP 500 Internal Server Error"))
            && e.endsWith(QStringLiteral(": rpc error: code = Unavailable desc = connection refused")),
        qPrintable(e));
    QCOMPARE(run(FixtureResponse::text("<html><body>Sign in</body></html>", 200)),
        QStringLiteral("source \"loki\": not a Loki API answer: <html><body>Sign in</body></html>"));
    FixtureResponse cut = FixtureResponse::json(R"~({"status":"success","data":{"resultType":"streams","result":[]}})~");
    cut.body.resize(30);
    QCOMPARE(run(cut), QStringLiteral("source \"loki\": not a Loki API answer: {\"status\":\"success\",\"data\":{\"r"));
    FixtureResponse unauthorized = FixtureResponse::text("no org id", 401);
    QCOMPARE(run(unauthorized), QStringLiteral("source \"loki\" refused the credentials (HTTP 401): the source has no credential"));
    // too many lines per page for this server: its message is shown
    server.setHandler(fakeLoki());
    LokiConfig big = lokiConfig(server.url());
    big.pageLines = 50;
    LokiSource greedy("loki", big);
    e = errorOf([&] { greedy.query(lokiLogs(10), kRange, makeCancelToken()); });
    QVERIFY2(e.endsWith(QStringLiteral("max entries limit per query exceeded, limit > max_entries_limit (11 > 3)")), qPrintable(e));
}

void TestLogConnectors::lokiCancels()
{
    FixtureServer server([](const FixtureRequest &) {
        FixtureResponse r = FixtureResponse::json("{}");
        r.delayMs = 5000;
        return r;
    });
    LokiSource source("loki", lokiConfig(server.url()));
    const CancelTokenPtr cancel = makeCancelToken();
    const auto started = std::chrono::steady_clock::now();
    auto done = std::async(std::launch::async, [&] { return errorOf([&] { source.query(lokiLogs(10), kRange, cancel); }); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel->cancel();
    QCOMPARE(done.get(), QStringLiteral("cancelled"));
    QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500));
}

void TestLogConnectors::lokiFromTheCommandLine()
{
    FixtureServer server(fakeLoki());
    Cli cli;
    const QString workspace = cli.path(QStringLiteral("loki.flightdeck.json"));
    const Json w = { { "flightdeck_workspace", 1 },
        { "sources",
            Json::array({ { { "id", "loki" }, { "type", "loki" }, { "url", server.url() },
                { "options", { { "tenant", "team-a" }, { "max_lines", 3 } } } } }) } };
    QVERIFY(writeText(workspace, QByteArray::fromStdString(w.dump())));
    const QStringList common = { QStringLiteral("query"), QStringLiteral("--workspace"), workspace,
        QStringLiteral("--source"), QStringLiteral("loki"), QStringLiteral("--from"),
        QString::fromStdString(formatRfc3339Std(kRange.from)), QStringLiteral("--to"),
        QString::fromStdString(formatRfc3339Std(kRange.to)), QStringLiteral("--format"), QStringLiteral("json") };
    const RunResult r = cli.run(common
        + QStringList { QStringLiteral("--query-json"),
            QStringLiteral(R"~({"signal":"logs","where":[{"field":"service.name","op":"=","value":"frontend"}],"limit":2})~") });
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    QString error;
    const std::optional<Table> t = parseTable(r.out, &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->columns,
        (QStringList { QStringLiteral("time"), QStringLiteral("severity"), QStringLiteral("severity_text"),
            QStringLiteral("service.name"), QStringLiteral("body"), QStringLiteral("trace_id"), QStringLiteral("span_id"),
            QStringLiteral("attributes"), QStringLiteral("resource") }));
    // the fake ignores the selector: the newest two lines of the range come back
    QCOMPARE(t->rows.size(), 2);
    QVERIFY(t->truncated);
    const QJsonObject first = t->rows.at(0).toObject();
    QCOMPARE(checkTime(QStringLiteral("time"), first.value(QStringLiteral("time")), kT0 + 100), QString());
    QCOMPARE(first.value(QStringLiteral("body")).toString(), QStringLiteral("auth line 100"));
    QCOMPARE(first.value(QStringLiteral("severity")).toInteger(), 9);
    QCOMPARE(first.value(QStringLiteral("severity_text")).toString(), QStringLiteral("info"));
    QCOMPARE(first.value(QStringLiteral("resource")).toObject().value(QStringLiteral("service_name")).toString(),
        QStringLiteral("auth"));
    QCOMPARE(t->rows.at(1).toObject().value(QStringLiteral("body")).toString(), QStringLiteral("frontend line 95"));
    QCOMPARE(t->doc.value(QStringLiteral("notes")).toArray().at(0).toString(),
        QStringLiteral("Loki processed 1.0 kB in 10 lines in 0.50 s"));
    const FixtureRequest sent = server.requests().at(0);
    QCOMPARE(sent.param("query"), std::string(R"~({service_name="frontend"})~"));
    QCOMPARE(sent.header("X-Scope-OrgID"), std::string("team-a"));

    server.setHandler([](const FixtureRequest &) {
        return FixtureResponse::text("parse error at line 1, col 2: syntax error: unexpected $end", 400);
    });
    const RunResult bad = cli.run(
        common + QStringList { QStringLiteral("--query-json"), QStringLiteral(R"~({"signal":"logs","raw":"{"})~") });
    QVERIFY2(bad.failedCleanly(), qPrintable(bad.describe()));
    QVERIFY2(bad.stdErr().contains(QStringLiteral("Loki (source \"loki\"): HTTP 400 Bad Request"))
            && bad.stdErr().contains(QStringLiteral("parse error at line 1, col 2: syntax error: unexpected $end")),
        qPrintable(bad.describe()));
}

#endif

QTEST_GUILESS_MAIN(TestLogConnectors)
#include "tst_log_connectors.moc"

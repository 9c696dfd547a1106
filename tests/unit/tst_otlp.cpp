#include "connectors/otlp/Gzip.h"
#include "connectors/otlp/OtlpBatchBuilder.h"
#include "connectors/otlp/OtlpHttpHandler.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/otlp/OtlpJsonFastDecoder.h"
#include "BatchJson.h"
#include "connectors/otlp/OtlpProtoDecoder.h"
#include "connectors/otlp/OtlpReceiver.h"
#include "connectors/store/Store.h"
#include "logs_service.pb.h"
#include "metrics_service.pb.h"
#include "trace_service.pb.h"
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fd;

namespace common = opentelemetry::proto::common::v1;
namespace otrace = opentelemetry::proto::trace::v1;
namespace ologs = opentelemetry::proto::logs::v1;
namespace ometrics = opentelemetry::proto::metrics::v1;
namespace collector_trace = opentelemetry::proto::collector::trace::v1;
namespace collector_logs = opentelemetry::proto::collector::logs::v1;
namespace collector_metrics = opentelemetry::proto::collector::metrics::v1;

namespace {

constexpr TimeNs kFixtureStart = 1544712660000000000LL;
constexpr TimeNs kFixtureTime = 1544712660300000000LL;

std::string fixture(const char *name)
{
    QFile f(QStringLiteral(FD_SHARED_FIXTURES "/otlp/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

std::string bytesFromHex(const char *hex)
{
    return QByteArray::fromHex(QByteArray(hex)).toStdString();
}

void setString(common::AnyValue *v, const char *s)
{
    v->set_string_value(s);
}

common::KeyValue *addAttribute(google::protobuf::RepeatedPtrField<common::KeyValue> *list, const char *key)
{
    common::KeyValue *kv = list->Add();
    kv->set_key(key);
    return kv;
}

void addStringAttribute(google::protobuf::RepeatedPtrField<common::KeyValue> *list, const char *key, const char *value)
{
    setString(addAttribute(list, key)->mutable_value(), value);
}

void setResource(opentelemetry::proto::resource::v1::Resource *resource, const char *service)
{
    addStringAttribute(resource->mutable_attributes(), "service.name", service);
}

void setFixtureScope(common::InstrumentationScope *scope)
{
    scope->set_name("my.library");
    scope->set_version("1.0.0");
    addStringAttribute(scope->mutable_attributes(), "my.scope.attribute", "some scope attribute");
}

HttpRequest post(const char *target, const char *contentType, std::string body)
{
    HttpRequest r;
    r.method = "POST";
    r.target = target;
    r.contentType = contentType;
    r.body = std::move(body);
    return r;
}

const char *kTwoSpans = R"({"resourceSpans":[{"resource":{"attributes":[
    {"key":"service.name","value":{"stringValue":"auth"}}]},
  "scopeSpans":[{"spans":[
    {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"good",
     "startTimeUnixNano":"1","endTimeUnixNano":"2"},
    {"traceId":"xyz","spanId":"0102030405060709","name":"bad"}]}]}]})";

StoreCounts countsOf(const QString &path)
{
    return Store(path).counts();
}

// A blocking HTTP/1.1 client over a plain socket, enough to drive the receiver byte by byte.
class RawHttpClient
{
public:
    explicit RawHttpClient(std::uint16_t port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval timeout{5, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    }
    ~RawHttpClient() { ::close(m_fd); }
    bool connected() const { return m_connected; }

    void send(const std::string &data)
    {
        for (std::size_t sent = 0; sent < data.size();) {
            const auto n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                return;
            sent += static_cast<std::size_t>(n);
        }
    }

    // Returns status and body of the next response (status 0 when none arrived).
    std::pair<int, std::string> response()
    {
        std::size_t headerEnd;
        while ((headerEnd = m_pending.find("\r\n\r\n")) == std::string::npos) {
            if (!fill())
                return {0, {}};
        }
        const std::string head = m_pending.substr(0, headerEnd);
        const int status = std::stoi(head.substr(head.find(' ') + 1, 3));
        const auto lengthAt = QByteArray::fromStdString(head).toLower().indexOf("content-length:");
        const std::size_t length = lengthAt < 0 ? 0 : std::stoul(head.substr(static_cast<std::size_t>(lengthAt) + 15));
        while (m_pending.size() < headerEnd + 4 + length) {
            if (!fill())
                return {0, {}};
        }
        std::string body = m_pending.substr(headerEnd + 4, length);
        m_pending.erase(0, headerEnd + 4 + length);
        return {status, body};
    }

private:
    bool fill()
    {
        char buf[4096];
        const auto n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return false;
        m_pending.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    int m_fd = -1;
    bool m_connected = false;
    std::string m_pending;
};

std::string chunked(const std::string &target, const std::string &body)
{
    std::string out = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
    const std::size_t half = body.size() / 2;
    for (const std::string &piece : {body.substr(0, half), body.substr(half)})
        out += QByteArray::number(static_cast<qulonglong>(piece.size()), 16).toStdString() + "\r\n" + piece + "\r\n";
    return out + "0\r\n\r\n";
}

} // namespace

class TestOtlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonTraceFixture();
    void jsonLogsFixture();
    void jsonMetricsFixture();
    void detectSignal();
    void jsonAcceptsSnakeCaseAndNumbers();
    void jsonMalformed_data();
    void jsonMalformed();
    void jsonRejectsBadSpanIds();
    void jsonRejectsSpansEndingBeforeTheyStart();
    void jsonRejectsNumberPointsWithoutAValue();
    void jsonTakesEnumsByName();
    void protoTwinOfTraceFixture();
    void protoTwinOfLogsFixture();
    void protoTwinOfMetricsFixture();
    void protoTwinOfRichRequest();
    void protoMalformed();
    void gzipRoundTrip();
    void gzipLimit();
    void gzipCorrupt();
    void gzipStatedSize();
    void handlerUnsupportedMediaType();
    void handlerMalformedJsonLeavesStoreUnchanged();
    void fastPathDecodesAsTheTree();
    void fastPathLeavesTheRestToTheTree_data();
    void fastPathLeavesTheRestToTheTree();
    void handlerPreparesWithoutTheStore();
    void handlerTooLarge();
    void handlerRefusesOrigin();
    void handlerNotFoundAndWrongMethod();
    void handlerStoresJsonWithCharset();
    void handlerGzipProtobuf();
    void aLevelGivenOnlyAsTextIsFiltered();
    void handlerPartialSuccess();
    void handlerMarker();
    void handlerRepeatedMarkerStoredOnce();
    void handlerBadMarker();
    void receiverChunkedKeepAlive();
    void receiverBodyLimit();
    void receiverPortInUse();

private:
    QTemporaryDir m_dir;
    int m_stores = 0;
    QString newStorePath() { return m_dir.filePath(QStringLiteral("store%1.sqlite").arg(++m_stores)); }
};

#define REQUIRE_FIXTURE(text, name)                                                                                \
    if ((text).empty())                                                                                            \
        QSKIP("OTLP fixture " name " not found in " FD_SHARED_FIXTURES "/otlp (the shared fixtures are absent)");

void TestOtlp::jsonTraceFixture()
{
    const std::string body = fixture("trace.json");
    REQUIRE_FIXTURE(body, "trace.json");
    std::int64_t rejected = -1;
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Traces, body, &rejected);
    QCOMPARE(rejected, 0);
    QCOMPARE(b.spans.size(), 1u);
    const Span &s = b.spans[0];
    QCOMPARE(s.traceId, std::string("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(s.spanId, std::string("eee19b7ec3c1b174"));
    QCOMPARE(s.parentSpanId, std::string("eee19b7ec3c1b173"));
    QCOMPARE(s.name, std::string("I'm a server span"));
    QCOMPARE(s.kind, static_cast<int>(SpanKind::Server));
    QCOMPARE(s.start, kFixtureStart);
    QCOMPARE(s.end, kFixtureStart + kSecond);
    QCOMPARE(s.service, std::string("my.service"));
    QCOMPARE(s.attributes, Json({{"my.span.attr", "some value"}, {"otel.scope.name", "my.library"},
                                 {"otel.scope.version", "1.0.0"}, {"my.scope.attribute", "some scope attribute"}}));
    // the scope's, as Jaeger shows them (its attributes too: exploratory test, they had been dropped)
    QCOMPARE(s.resource, Json({{"service.name", "my.service"}}));
    QVERIFY(b.logs.empty() && b.metrics.empty());
}

void TestOtlp::jsonLogsFixture()
{
    const std::string body = fixture("logs.json");
    REQUIRE_FIXTURE(body, "logs.json");
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Logs, body);
    QCOMPARE(b.logs.size(), 1u);
    const LogRecord &r = b.logs[0];
    QCOMPARE(r.time, kFixtureTime);
    QCOMPARE(r.observedTime, kFixtureTime);
    QCOMPARE(r.severity, 10);
    QCOMPARE(r.severityText, std::string("Information"));
    QCOMPARE(r.traceId, std::string("5b8efff798038103d269b633813fc60c"));
    QCOMPARE(r.spanId, std::string("eee19b7ec3c1b174"));
    QCOMPARE(r.body, std::string("Example log record"));
    QVERIFY(!r.bodyIsJson);
    QCOMPARE(r.service, std::string("my.service"));
    QCOMPARE(r.attributes["string.attribute"], Json("some string"));
    QCOMPARE(r.attributes["boolean.attribute"], Json(true));
    QVERIFY(r.attributes["int.attribute"].is_number_integer());
    QCOMPARE(r.attributes["int.attribute"].get<std::int64_t>(), 10);
    QVERIFY(r.attributes["double.attribute"].is_number_float());
    QCOMPARE(r.attributes["double.attribute"].get<double>(), 637.704);
    QCOMPARE(r.attributes["array.attribute"], Json::array({"many", "values"}));
    QCOMPARE(r.attributes["map.attribute"], Json({{"some.map.key", "some value"}}));
    QCOMPARE(r.attributes.begin().key(), std::string("string.attribute")); // order kept
}

void TestOtlp::jsonMetricsFixture()
{
    const std::string body = fixture("metrics.json");
    REQUIRE_FIXTURE(body, "metrics.json");
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Metrics, body);
    QCOMPARE(b.metrics.size(), 4u);
    const MetricPoint &counter = b.metrics[0];
    QCOMPARE(counter.name, std::string("my.counter"));
    QCOMPARE(counter.unit, std::string("1"));
    QCOMPARE(counter.service, std::string("my.service"));
    QCOMPARE(counter.type, static_cast<int>(MetricType::Sum));
    QCOMPARE(counter.value, 5.0);
    QCOMPARE(counter.temporality, 1);
    QVERIFY(counter.monotonic);
    QCOMPARE(counter.time, kFixtureTime);
    QCOMPARE(counter.startTime, kFixtureTime);
    QCOMPARE(counter.attributes, Json({{"my.counter.attr", "some value"}, {"otel.scope.name", "my.library"},
                                       {"otel.scope.version", "1.0.0"}, {"my.scope.attribute", "some scope attribute"}}));

    const MetricPoint &gauge = b.metrics[1];
    QCOMPARE(gauge.type, static_cast<int>(MetricType::Gauge));
    QCOMPARE(gauge.value, 10.0);
    QCOMPARE(gauge.startTime, 0);
    QVERIFY(!gauge.monotonic);

    const MetricPoint &histogram = b.metrics[2];
    QCOMPARE(histogram.type, static_cast<int>(MetricType::Histogram));
    QCOMPARE(histogram.value, 2.0);
    QCOMPARE(histogram.temporality, 1);
    QCOMPARE(histogram.extra["count"].get<std::int64_t>(), 2);
    QCOMPARE(histogram.extra["bounds"], Json::array({1.0}));
    QCOMPARE(histogram.extra["buckets"], Json::array({1, 1}));
    QCOMPARE(histogram.extra["min"].get<double>(), 0.0);
    QCOMPARE(histogram.extra["max"].get<double>(), 2.0);

    const MetricPoint &exponential = b.metrics[3];
    QCOMPARE(exponential.name, std::string("my.exponential.histogram"));
    QCOMPARE(exponential.type, static_cast<int>(MetricType::ExponentialHistogram));
    QCOMPARE(exponential.value, 10.0);
    QCOMPARE(exponential.extra["count"].get<std::int64_t>(), 3);
    QCOMPARE(exponential.extra["zero_count"].get<std::int64_t>(), 1);
    QCOMPARE(exponential.extra["positive"], Json({{"offset", 1}, {"buckets", {0, 2}}}));
    QCOMPARE(exponential.extra["max"].get<double>(), 5.0);
}

void TestOtlp::detectSignal()
{
    QCOMPARE(detectOtlpJsonSignal(Json::parse(R"({"resourceSpans":[]})")), OtlpSignal::Traces);
    QCOMPARE(detectOtlpJsonSignal(Json::parse(R"({"resource_logs":[]})")), OtlpSignal::Logs);
    QCOMPARE(detectOtlpJsonSignal(Json::parse(R"({"resourceMetrics":[]})")), OtlpSignal::Metrics);
    QVERIFY(!detectOtlpJsonSignal(Json::parse(R"({"spans":[]})")));
    QVERIFY(!detectOtlpJsonSignal(Json::parse("[1]")));
}

void TestOtlp::jsonAcceptsSnakeCaseAndNumbers()
{
    const char *body = R"({"resource_logs":[{"scope_logs":[{"log_records":[
        {"time_unix_nano":1000,"observed_time_unix_nano":"2000","severity_number":17,
         "trace_id":"","body":{"kvlist_value":{"values":[{"key":"a","value":{"int_value":-5}}]}},
         "event_name":"login","attributes":[{"key":"big","value":{"intValue":"9007199254740993"}},
         {"key":"nan","value":{"doubleValue":"NaN"}},{"key":"inf","value":{"double_value":"-Infinity"}}]}]}]}]})";
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Logs, std::string_view(body));
    QCOMPARE(b.logs.size(), 1u);
    const LogRecord &r = b.logs[0];
    QCOMPARE(r.time, 1000);
    QCOMPARE(r.observedTime, 2000);
    QCOMPARE(r.severity, 17);
    QCOMPARE(r.service, std::string("unknown_service"));
    QVERIFY(r.bodyIsJson);
    QCOMPARE(Json::parse(r.body), Json({{"a", -5}}));
    QCOMPARE(r.attributes["event.name"], Json("login"));
    QCOMPARE(r.attributes["big"].get<std::int64_t>(), 9007199254740993LL); // beyond a double's precision
    // JSON has no NaN or infinity: stored as numbers, they had become null.
    QCOMPARE(r.attributes["nan"], Json("NaN"));
    QCOMPARE(r.attributes["inf"], Json("-Infinity"));
}

void TestOtlp::jsonMalformed_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("not json") << QStringLiteral("{\"resourceSpans\": [");
    QTest::newRow("empty") << QString();
    QTest::newRow("array root") << QStringLiteral("[]");
    QTest::newRow("resourceSpans not array") << QStringLiteral(R"({"resourceSpans": {}})");
    QTest::newRow("spans not array") << QStringLiteral(R"({"resourceSpans":[{"scopeSpans":[{"spans":3}]}]})");
    QTest::newRow("bad time") << QStringLiteral(
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]})");
    QTest::newRow("bad attribute") << QStringLiteral(
        R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":[]}]}}]})");
    QTest::newRow("logs at traces") << QStringLiteral(R"({"resourceLogs":[]})");
    QTest::newRow("time past int64") // found by fuzz_otlp_json: the cast overflowed
        << QStringLiteral(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1.5e72}]}]}]})");
    // Found by an exploratory test: these were wrapped into -1, INT64_MIN and a time before 1970.
    QTest::newRow("intValue past int64 as text") << QStringLiteral(
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"u","value":{"intValue":"18446744073709551615"}}]}]}]}]})");
    QTest::newRow("intValue past int64") << QStringLiteral(
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"v","value":{"intValue":9223372036854775808}}]}]}]}]})");
    QTest::newRow("time past int64 as text")
        << QStringLiteral(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"18446744073709551615"}]}]}]})");
}

void TestOtlp::jsonMalformed()
{
    QFETCH(QString, body);
    const std::string text = body.toStdString();
    QVERIFY_THROWS_EXCEPTION(Error, decodeOtlpJson(OtlpSignal::Traces, std::string_view(text)));
    try { // the one-pass decoder leaves it to the tree, or refuses it too
        std::int64_t rejected = 0;
        QVERIFY(!decodeOtlpJsonFast(OtlpSignal::Traces, text, &rejected));
    } catch (const Error &) {
    }
}

void TestOtlp::jsonRejectsBadSpanIds()
{
    std::int64_t rejected = 0;
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Traces, std::string_view(kTwoSpans), &rejected);
    QCOMPARE(rejected, 1);
    QCOMPARE(b.spans.size(), 1u);
    QCOMPARE(b.spans[0].name, std::string("good"));
    QCOMPARE(b.spans[0].service, std::string("auth"));
    QCOMPARE(b.spans[0].parentSpanId, std::string());
}

// A span that ends before it starts (a clock skewed in between, a bug) is rejected as a span without ids is:
// a negative duration drew a waterfall bar backwards and a -0.000008 ms in queries.
void TestOtlp::jsonRejectsSpansEndingBeforeTheyStart()
{
    const std::string body = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"backwards",
         "startTimeUnixNano":"10","endTimeUnixNano":"2"},
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060709","name":"instant",
         "startTimeUnixNano":"10","endTimeUnixNano":"10"},
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"010203040506070a","name":"no times"},
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"010203040506070b","name":"no end",
         "startTimeUnixNano":"10"}]}]}]})";
    std::int64_t rejected = 0;
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Traces, std::string_view(body), &rejected);
    QCOMPARE(rejected, 3); // found by exploratory test: a span without times was stored in 1970
    QCOMPARE(b.spans.size(), 1u);
    QCOMPARE(b.spans[0].name, std::string("instant"));
    QCOMPARE(rejectionMessage(OtlpSignal::Traces, 1),
             std::string("1 spans rejected: invalid trace, span or parent id, no start or end time, or an end before the "
                         "start"));
}

// Found by exploratory test: protobuf's JSON mapping writes enums by name too, and one such value failed the whole
// request (400, every record lost). The Collector takes both; so does this.
void TestOtlp::jsonTakesEnumsByName()
{
    const std::string spans = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"s","kind":"SPAN_KIND_CLIENT",
         "startTimeUnixNano":"10","endTimeUnixNano":"20","status":{"code":"STATUS_CODE_ERROR"}}]}]}]})";
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Traces, std::string_view(spans));
    QCOMPARE(b.spans.at(0).kind, int(SpanKind::Client));
    QCOMPARE(b.spans.at(0).statusCode, 2);
    const std::string logs = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
        {"timeUnixNano":"10","severityNumber":"SEVERITY_NUMBER_WARN2","body":{"stringValue":"x"}},
        {"timeUnixNano":"10","severityNumber":"SEVERITY_NUMBER_UNSPECIFIED"},{"timeUnixNano":"10","severityNumber":"17"}]}]}]})";
    const TelemetryBatch l = decodeOtlpJson(OtlpSignal::Logs, std::string_view(logs));
    QCOMPARE(l.logs.at(0).severity, 14);
    QCOMPARE(l.logs.at(1).severity, 0);
    QCOMPARE(l.logs.at(2).severity, 17);
    const std::string metrics = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"c","sum":{
        "aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true,
        "dataPoints":[{"timeUnixNano":"10","asInt":"3"}]}}]}]}]})";
    QCOMPARE(decodeOtlpJson(OtlpSignal::Metrics, std::string_view(metrics)).metrics.at(0).temporality, 2);
    try {
        decodeOtlpJson(OtlpSignal::Traces, std::string_view(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SIDEWAYS"}]}]}]})"));
        QFAIL("an unknown name was taken");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("kind \"SPAN_KIND_SIDEWAYS\" is no known value") != std::string::npos, e.what());
    }
}

// Found by exploratory test: a number point with neither asInt nor asDouble was stored as 0, and averaged in.
void TestOtlp::jsonRejectsNumberPointsWithoutAValue()
{
    const std::string body = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"cpu","gauge":{"dataPoints":[
        {"timeUnixNano":"1736503200000000000","asDouble":0.9},{"timeUnixNano":"1736503260000000000"},
        {"timeUnixNano":"1736503320000000000","asInt":"0"},{"asDouble":0.7},{"startTimeUnixNano":"1736503200000000000","asInt":"5"}]}}]}]}]})";
    std::int64_t rejected = 0;
    const TelemetryBatch b = decodeOtlpJson(OtlpSignal::Metrics, std::string_view(body), &rejected);
    QCOMPARE(rejected, 3); // and, found by an exploratory test, two points without a time: they had been stored at 1970
    QCOMPARE(b.metrics.size(), 2u);
    QCOMPARE(b.metrics[1].value, 0.0); // a zero sent is a zero
    QCOMPARE(rejectionMessage(OtlpSignal::Metrics, rejected),
             std::string("3 data points rejected: metric without a name, a point without a time, a number point without "
                         "a value, or a histogram whose buckets do not fit its bounds or add up to its count"));

    // Found by an exploratory test: a histogram with fewer buckets than its bounds need, or whose buckets do not
    // add up to its count, was stored as valid; a point flagged "no recorded value" was stored as its value.
    // The first two are rejected (OTLP calls them invalid); the flagged one is a gap: neither stored nor rejected.
    const std::string histograms = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"h","histogram":{
        "aggregationTemporality":1,"dataPoints":[
        {"timeUnixNano":"10","count":"3","explicitBounds":[1,2],"bucketCounts":["1","1"]},
        {"timeUnixNano":"20","count":"3","explicitBounds":[1,2],"bucketCounts":["1","1","0"]},
        {"timeUnixNano":"30","count":"3","explicitBounds":[1,2],"bucketCounts":["1","1","1"]},
        {"timeUnixNano":"40","count":"3","explicitBounds":[1,2],"bucketCounts":["1","1","1"],"flags":1}]}},
        {"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"50","asDouble":1,"flags":1}]}}]}]}]})";
    rejected = 0;
    const TelemetryBatch h = decodeOtlpJson(OtlpSignal::Metrics, std::string_view(histograms), &rejected);
    QCOMPARE(rejected, 2);
    QCOMPARE(h.metrics.size(), 1u);
    QCOMPARE(h.metrics[0].time, TimeNs(30));
    QVERIFY(std::isnan(h.metrics[0].value)); // no sum sent: not known, not 0 (exploratory test)
}

void TestOtlp::protoTwinOfTraceFixture()
{
    const std::string body = fixture("trace.json");
    REQUIRE_FIXTURE(body, "trace.json");
    collector_trace::ExportTraceServiceRequest request;
    auto *rs = request.add_resource_spans();
    setResource(rs->mutable_resource(), "my.service");
    auto *ss = rs->add_scope_spans();
    setFixtureScope(ss->mutable_scope());
    otrace::Span *span = ss->add_spans();
    span->set_trace_id(bytesFromHex("5B8EFFF798038103D269B633813FC60C"));
    span->set_span_id(bytesFromHex("EEE19B7EC3C1B174"));
    span->set_parent_span_id(bytesFromHex("EEE19B7EC3C1B173"));
    span->set_name("I'm a server span");
    span->set_start_time_unix_nano(kFixtureStart);
    span->set_end_time_unix_nano(kFixtureStart + kSecond);
    span->set_kind(otrace::Span::SPAN_KIND_SERVER);
    addStringAttribute(span->mutable_attributes(), "my.span.attr", "some value");

    const TelemetryBatch fromProto = decodeOtlpProto(OtlpSignal::Traces, request.SerializeAsString());
    QCOMPARE(fdtest::batchJson(fromProto).dump(), fdtest::batchJson(decodeOtlpJson(OtlpSignal::Traces, body)).dump());
}

void TestOtlp::protoTwinOfLogsFixture()
{
    const std::string body = fixture("logs.json");
    REQUIRE_FIXTURE(body, "logs.json");
    collector_logs::ExportLogsServiceRequest request;
    auto *rl = request.add_resource_logs();
    setResource(rl->mutable_resource(), "my.service");
    auto *sl = rl->add_scope_logs();
    setFixtureScope(sl->mutable_scope());
    ologs::LogRecord *r = sl->add_log_records();
    r->set_time_unix_nano(kFixtureTime);
    r->set_observed_time_unix_nano(kFixtureTime);
    r->set_severity_number(ologs::SEVERITY_NUMBER_INFO2);
    r->set_severity_text("Information");
    r->set_trace_id(bytesFromHex("5B8EFFF798038103D269B633813FC60C"));
    r->set_span_id(bytesFromHex("EEE19B7EC3C1B174"));
    setString(r->mutable_body(), "Example log record");
    auto *attrs = r->mutable_attributes();
    addStringAttribute(attrs, "string.attribute", "some string");
    addAttribute(attrs, "boolean.attribute")->mutable_value()->set_bool_value(true);
    addAttribute(attrs, "int.attribute")->mutable_value()->set_int_value(10);
    addAttribute(attrs, "double.attribute")->mutable_value()->set_double_value(637.704);
    auto *array = addAttribute(attrs, "array.attribute")->mutable_value()->mutable_array_value();
    setString(array->add_values(), "many");
    setString(array->add_values(), "values");
    auto *map = addAttribute(attrs, "map.attribute")->mutable_value()->mutable_kvlist_value();
    addStringAttribute(map->mutable_values(), "some.map.key", "some value");

    const TelemetryBatch fromProto = decodeOtlpProto(OtlpSignal::Logs, request.SerializeAsString());
    QCOMPARE(fdtest::batchJson(fromProto).dump(), fdtest::batchJson(decodeOtlpJson(OtlpSignal::Logs, body)).dump());
}

void TestOtlp::protoTwinOfMetricsFixture()
{
    const std::string body = fixture("metrics.json");
    REQUIRE_FIXTURE(body, "metrics.json");
    collector_metrics::ExportMetricsServiceRequest request;
    auto *rm = request.add_resource_metrics();
    setResource(rm->mutable_resource(), "my.service");
    auto *sm = rm->add_scope_metrics();
    setFixtureScope(sm->mutable_scope());

    ometrics::Metric *counter = sm->add_metrics();
    counter->set_name("my.counter");
    counter->set_unit("1");
    counter->mutable_sum()->set_aggregation_temporality(ometrics::AGGREGATION_TEMPORALITY_DELTA);
    counter->mutable_sum()->set_is_monotonic(true);
    auto *cp = counter->mutable_sum()->add_data_points();
    cp->set_as_double(5);
    cp->set_start_time_unix_nano(kFixtureTime);
    cp->set_time_unix_nano(kFixtureTime);
    addStringAttribute(cp->mutable_attributes(), "my.counter.attr", "some value");

    ometrics::Metric *gauge = sm->add_metrics();
    gauge->set_name("my.gauge");
    gauge->set_unit("1");
    auto *gp = gauge->mutable_gauge()->add_data_points();
    gp->set_as_double(10);
    gp->set_time_unix_nano(kFixtureTime);
    addStringAttribute(gp->mutable_attributes(), "my.gauge.attr", "some value");

    ometrics::Metric *histogram = sm->add_metrics();
    histogram->set_name("my.histogram");
    histogram->set_unit("1");
    histogram->mutable_histogram()->set_aggregation_temporality(ometrics::AGGREGATION_TEMPORALITY_DELTA);
    auto *hp = histogram->mutable_histogram()->add_data_points();
    hp->set_start_time_unix_nano(kFixtureTime);
    hp->set_time_unix_nano(kFixtureTime);
    hp->set_count(2);
    hp->set_sum(2);
    hp->add_bucket_counts(1);
    hp->add_bucket_counts(1);
    hp->add_explicit_bounds(1);
    hp->set_min(0);
    hp->set_max(2);
    addStringAttribute(hp->mutable_attributes(), "my.histogram.attr", "some value");

    ometrics::Metric *exponential = sm->add_metrics();
    exponential->set_name("my.exponential.histogram");
    exponential->set_unit("1");
    auto *eh = exponential->mutable_exponential_histogram();
    eh->set_aggregation_temporality(ometrics::AGGREGATION_TEMPORALITY_DELTA);
    auto *ep = eh->add_data_points();
    ep->set_start_time_unix_nano(kFixtureTime);
    ep->set_time_unix_nano(kFixtureTime);
    ep->set_count(3);
    ep->set_sum(10);
    ep->set_scale(0);
    ep->set_zero_count(1);
    ep->mutable_positive()->set_offset(1);
    ep->mutable_positive()->add_bucket_counts(0);
    ep->mutable_positive()->add_bucket_counts(2);
    ep->set_min(0);
    ep->set_max(5);
    ep->set_zero_threshold(0);
    addStringAttribute(ep->mutable_attributes(), "my.exponential.histogram.attr", "some value");

    const TelemetryBatch fromProto = decodeOtlpProto(OtlpSignal::Metrics, request.SerializeAsString());
    QCOMPARE(fdtest::batchJson(fromProto).dump(), fdtest::batchJson(decodeOtlpJson(OtlpSignal::Metrics, body)).dump());

    // Exploratory test: protobuf's counts are unsigned, and one past 2^63 had been stored as a count of -1.
    constexpr std::uint64_t kHuge = std::uint64_t(1) << 63;
    hp->set_count(kHuge);
    hp->clear_bucket_counts();
    hp->clear_explicit_bounds();
    ep->set_zero_count(kHuge);
    ometrics::Metric *summary = sm->add_metrics();
    summary->set_name("my.summary");
    auto *sp = summary->mutable_summary()->add_data_points();
    sp->set_time_unix_nano(kFixtureTime);
    sp->set_count(kHuge);
    std::int64_t rejected = 0;
    const TelemetryBatch huge = decodeOtlpProto(OtlpSignal::Metrics, request.SerializeAsString(), &rejected);
    QCOMPARE(rejected, std::int64_t(3));
    QCOMPARE(huge.metrics.size(), std::size_t(2)); // the sum and the gauge
}

// Everything the fixtures lack: events, links, status, bytes, a structured body, event_name,
// asInt, a summary, a rejected span, an invalid link, a trace state and scope attributes.
void TestOtlp::protoTwinOfRichRequest()
{
    const char *json = R"({"resourceSpans":[{"resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"checkout"}},
          {"key":"host.id","value":{"bytesValue":"AAEC/w=="}}]},
        "scopeSpans":[{"scope":{"name":"pay-lib","version":"2.0","attributes":[
                                  {"key":"pay.lib.region","value":{"stringValue":"eu"}}]},"spans":[
          {"traceId":"00000000000000000000000000000abc","spanId":"00000000000000ff","parentSpanId":"0000000000000000",
           "traceState":"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
           "name":"POST /pay","kind":3,"startTimeUnixNano":"100","endTimeUnixNano":"250",
           "status":{"code":2,"message":"card declined"},
           "events":[{"timeUnixNano":"120","name":"retry","attributes":[{"key":"attempt","value":{"intValue":"2"}}]}],
           "links":[{"traceId":"0000000000000000000000000000000f","spanId":"0000000000000001","traceState":"x=1"},
                    {"traceId":"00","spanId":"0000000000000001"}]},
          {"traceId":"00000000000000000000000000000000","spanId":"00000000000000ff","name":"zero trace id"}]}]}]})";
    collector_trace::ExportTraceServiceRequest request;
    auto *rs = request.add_resource_spans();
    setResource(rs->mutable_resource(), "checkout");
    addAttribute(rs->mutable_resource()->mutable_attributes(), "host.id")->mutable_value()->set_bytes_value(
        std::string("\x00\x01\x02\xff", 4));
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("pay-lib");
    ss->mutable_scope()->set_version("2.0");
    addAttribute(ss->mutable_scope()->mutable_attributes(), "pay.lib.region")->mutable_value()->set_string_value("eu");
    otrace::Span *span = ss->add_spans();
    span->set_trace_state("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    span->set_trace_id(bytesFromHex("00000000000000000000000000000abc"));
    span->set_span_id(bytesFromHex("00000000000000ff"));
    span->set_parent_span_id(bytesFromHex("0000000000000000"));
    span->set_name("POST /pay");
    span->set_kind(otrace::Span::SPAN_KIND_CLIENT);
    span->set_start_time_unix_nano(100);
    span->set_end_time_unix_nano(250);
    span->mutable_status()->set_code(otrace::Status::STATUS_CODE_ERROR);
    span->mutable_status()->set_message("card declined");
    auto *event = span->add_events();
    event->set_time_unix_nano(120);
    event->set_name("retry");
    addAttribute(event->mutable_attributes(), "attempt")->mutable_value()->set_int_value(2);
    auto *link = span->add_links();
    link->set_trace_id(bytesFromHex("0000000000000000000000000000000f"));
    link->set_span_id(bytesFromHex("0000000000000001"));
    link->set_trace_state("x=1");
    auto *badLink = span->add_links();
    badLink->set_trace_id(bytesFromHex("00"));
    badLink->set_span_id(bytesFromHex("0000000000000001"));
    otrace::Span *zero = ss->add_spans();
    zero->set_trace_id(std::string(16, '\0'));
    zero->set_span_id(bytesFromHex("00000000000000ff"));
    zero->set_name("zero trace id");

    std::int64_t rejectedJson = 0, rejectedProto = 0;
    const TelemetryBatch fromJson = decodeOtlpJson(OtlpSignal::Traces, std::string_view(json), &rejectedJson);
    const TelemetryBatch fromProto = decodeOtlpProto(OtlpSignal::Traces, request.SerializeAsString(), &rejectedProto);
    QCOMPARE(rejectedJson, 1);
    QCOMPARE(rejectedProto, 1);
    QCOMPARE(fdtest::batchJson(fromProto).dump(), fdtest::batchJson(fromJson).dump());
    const Span &s = fromProto.spans.at(0);
    QCOMPARE(s.parentSpanId, std::string()); // an all-zero parent means a root
    QCOMPARE(s.resource["host.id"], Json("AAEC/w=="));
    QCOMPARE(s.links.size(), 1u);
    QCOMPARE(fromProto.idsDropped.links, 1);
    QCOMPARE(fromJson.idsDropped.links, 1);
    QCOMPARE(s.statusCode, static_cast<int>(StatusCode::Error));
    QCOMPARE(s.attributes["otel.scope.name"], Json("pay-lib"));
    // Kept as Jaeger keeps them (exploratory test: both had been dropped)
    QCOMPARE(s.attributes["pay.lib.region"], Json("eu"));
    QCOMPARE(s.attributes["w3c.tracestate"], Json("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
    QCOMPARE(s.links.at(0).attributes, Json({{"w3c.tracestate", "x=1"}}));
    const std::optional<TelemetryBatch> fast = decodeOtlpJsonFast(OtlpSignal::Traces, json, nullptr);
    QVERIFY(!fast); // the import's fast path leaves a trace state to the tree
    // One that is no text is left out: it had refused the request's every span (review)
    std::string oddState = json;
    oddState.replace(oddState.find(R"("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")"), 41, "5");
    std::int64_t oddRejected = -1;
    const TelemetryBatch odd = decodeOtlpJson(OtlpSignal::Traces, std::string_view(oddState), &oddRejected);
    QCOMPARE(oddRejected, 1); // the zero trace id alone
    QVERIFY(!odd.spans.at(0).attributes.contains("w3c.tracestate"));

    const char *logsJson = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
          {"observedTimeUnixNano":"500","severityNumber":13,"eventName":"cart.abandoned",
           "attributes":[{"key":"event.name","value":{"stringValue":"older.convention"}}],
           "body":{"arrayValue":{"values":[{"doubleValue":1.5},{"boolValue":false}]}},
           "traceId":"not-hex","spanId":"00000000000000ff"}]}]}]})";
    collector_logs::ExportLogsServiceRequest logs;
    ologs::LogRecord *r = logs.add_resource_logs()->add_scope_logs()->add_log_records();
    r->set_observed_time_unix_nano(500);
    r->set_severity_number(ologs::SEVERITY_NUMBER_WARN);
    r->set_event_name("cart.abandoned");
    auto *older = r->add_attributes();
    older->set_key("event.name");
    older->mutable_value()->set_string_value("older.convention");
    auto *body = r->mutable_body()->mutable_array_value();
    body->add_values()->set_double_value(1.5);
    body->add_values()->set_bool_value(false);
    r->set_trace_id("bad");
    r->set_span_id(bytesFromHex("00000000000000ff"));
    const TelemetryBatch logsFromJson = decodeOtlpJson(OtlpSignal::Logs, std::string_view(logsJson));
    const TelemetryBatch logsFromProto = decodeOtlpProto(OtlpSignal::Logs, logs.SerializeAsString());
    QCOMPARE(fdtest::batchJson(logsFromProto).dump(), fdtest::batchJson(logsFromJson).dump());
    QCOMPARE(logsFromProto.logs.at(0).time, 500); // falls back to the observed time
    QCOMPARE(logsFromProto.logs.at(0).body, std::string("[1.5,false]"));
    QCOMPARE(logsFromProto.logs.at(0).traceId, std::string());
    QCOMPARE(logsFromProto.logs.at(0).attributes["event.name"], Json("cart.abandoned")); // the field wins

    const char *metricsJson = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
          {"name":"queue.depth","gauge":{"dataPoints":[{"timeUnixNano":"7","asInt":"-3"}]}},
          {"name":"latency","unit":"ms","summary":{"dataPoints":[{"timeUnixNano":"8","count":"4","sum":10.5,
            "quantileValues":[{"quantile":0.5,"value":2},{"quantile":0.99,"value":6}]}]}},
          {"gauge":{"dataPoints":[{"asDouble":1}]}}]}]}]})";
    collector_metrics::ExportMetricsServiceRequest metrics;
    auto *sm = metrics.add_resource_metrics()->add_scope_metrics();
    ometrics::Metric *depth = sm->add_metrics();
    depth->set_name("queue.depth");
    auto *dp = depth->mutable_gauge()->add_data_points();
    dp->set_time_unix_nano(7);
    dp->set_as_int(-3);
    ometrics::Metric *latency = sm->add_metrics();
    latency->set_name("latency");
    latency->set_unit("ms");
    auto *sp = latency->mutable_summary()->add_data_points();
    sp->set_time_unix_nano(8);
    sp->set_count(4);
    sp->set_sum(10.5);
    auto *q50 = sp->add_quantile_values();
    q50->set_quantile(0.5);
    q50->set_value(2);
    auto *q99 = sp->add_quantile_values();
    q99->set_quantile(0.99);
    q99->set_value(6);
    sm->add_metrics()->mutable_gauge()->add_data_points()->set_as_double(1);
    std::int64_t rejectedMetrics = 0;
    const TelemetryBatch metricsFromJson = decodeOtlpJson(OtlpSignal::Metrics, std::string_view(metricsJson));
    const TelemetryBatch metricsFromProto =
        decodeOtlpProto(OtlpSignal::Metrics, metrics.SerializeAsString(), &rejectedMetrics);
    QCOMPARE(rejectedMetrics, 1); // the metric without a name
    QCOMPARE(fdtest::batchJson(metricsFromProto).dump(), fdtest::batchJson(metricsFromJson).dump());
    QCOMPARE(metricsFromProto.metrics.at(0).value, -3.0);
    QCOMPARE(metricsFromProto.metrics.at(1).type, static_cast<int>(MetricType::Summary));
    QCOMPARE(metricsFromProto.metrics.at(1).extra["count"].get<std::int64_t>(), 4);
}

void TestOtlp::protoMalformed()
{
    QVERIFY_THROWS_EXCEPTION(Error, decodeOtlpProto(OtlpSignal::Traces, std::string_view("\x0a\xff\xff\xff", 4)));
    QVERIFY_THROWS_EXCEPTION(Error, decodeOtlpProto(OtlpSignal::Logs, std::string_view("\xff\xff", 2)));
    QVERIFY(decodeOtlpProto(OtlpSignal::Metrics, std::string_view()).empty());
}

void TestOtlp::gzipRoundTrip()
{
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += "line " + std::to_string(i) + "\n";
    const std::string packed = gzip(text);
    QVERIFY(packed.size() < text.size() / 4);
    QCOMPARE(static_cast<unsigned char>(packed[0]), 0x1fu); // a gzip header
    QCOMPARE(gunzip(packed, text.size()), text);
    QCOMPARE(gunzip(gzip("a") + gzip("b"), 10), std::string("ab")); // concatenated members
    QByteArray zlib = qCompress(QByteArray("zlib wrapped"));
    zlib.remove(0, 4); // qCompress prefixes the length
    QCOMPARE(gunzip(zlib.toStdString(), 100), std::string("zlib wrapped"));
}

void TestOtlp::gzipLimit()
{
    const std::string packed = gzip(std::string(100000, 'x'));
    QCOMPARE(gunzip(packed, 100000).size(), 100000u);
    QVERIFY_THROWS_EXCEPTION(BodyTooLarge, gunzip(packed, 99999));
}

void TestOtlp::gzipCorrupt()
{
    const std::string packed = gzip("some text that is long enough to be worth compressing, compressing");
    QVERIFY_THROWS_EXCEPTION(Error, gunzip(packed.substr(0, packed.size() / 2), 1000));
    QVERIFY_THROWS_EXCEPTION(Error, gunzip("plain text", 1000));
    QVERIFY_THROWS_EXCEPTION(Error, gunzip(packed + "trailing", 1000));
}

// The size a gzip trailer states only sizes the first room for the output: a short last member, a lie either
// way, a size past the limit or no trailer at all (zlib) still inflate to what the stream holds (joined from
// pieces of 1 MiB past that room), or end in an error.
void TestOtlp::gzipStatedSize()
{
    std::string text;
    for (int i = 0; text.size() < 3'000'000; ++i)
        text += std::to_string(i) + " ";
    const std::string packed = gzip(text);
    const std::size_t roomy = text.size() + 10;
    QCOMPARE(gunzip(packed, roomy), text);
    QCOMPARE(gunzip(packed + gzip("y"), roomy), text + "y"); // states 1 byte: the last member's
    QCOMPARE(gunzip(gzip("y") + packed, roomy), "y" + text);
    const QByteArray zlib = qCompress(QByteArray::fromStdString(text)).mid(4); // qCompress prefixes the length
    QCOMPARE(gunzip(zlib.toStdString(), roomy), text);
    const auto stating = [&packed](std::uint32_t size) {
        std::string lie = packed;
        for (int i = 0; i < 4; ++i)
            lie[lie.size() - 4 + i] = char(size >> (8 * i) & 0xff);
        return lie;
    };
    for (const std::uint32_t lie : { 10u, 0xffffffffu }) {
        try {
            gunzip(stating(lie), roomy);
            QFAIL("a wrong stated size was accepted");
        } catch (const Error &e) {
            QCOMPARE(QString::fromStdString(e.what()), QStringLiteral("corrupt compressed body: incorrect length check"));
        }
    }
    QVERIFY_THROWS_EXCEPTION(BodyTooLarge, gunzip(stating(10), text.size() - 1));
    QVERIFY_THROWS_EXCEPTION(BodyTooLarge, gunzip(packed, text.size() - 1)); // states a size past the limit
    QVERIFY_THROWS_EXCEPTION(BodyTooLarge, gunzip(zlib.toStdString(), text.size() - 1));
    int checkpoints = 0; // every 256 KiB while inflating, and between the pieces joined
    QCOMPARE(gunzip(packed + gzip("y"), roomy, [&checkpoints] { ++checkpoints; }), text + "y");
    QVERIFY2(checkpoints >= int(text.size() / (256 * 1024)) + 2, qPrintable(QString::number(checkpoints)));
}

void TestOtlp::handlerUnsupportedMediaType()
{
    OtlpHttpHandler handler(newStorePath());
    const HttpResponse text = handler.handle(post("/v1/traces", "text/plain", kTwoSpans));
    QCOMPARE(text.status, 415);
    // An OTLP Status as every export error is (found by exploratory test: this one was {"error": …}).
    QCOMPARE(Json::parse(text.body)["code"], Json(3));
    QVERIFY(Json::parse(text.body)["message"].get<std::string>().starts_with("unsupported content type"));
    QCOMPARE(handler.handle(post("/v1/logs", "", "{}")).status, 415);
    HttpRequest brotli = post("/v1/traces", "application/json", kTwoSpans);
    brotli.contentEncoding = "br";
    QCOMPARE(handler.handle(brotli).status, 415);
    QCOMPARE(handler.stats().failedRequests.load(), 3);
}

// The one-pass decoder gives exactly the batch the document decoder gives, for what SDKs send.
void TestOtlp::fastPathDecodesAsTheTree()
{
    const std::string trace = fixture("trace.json"), logs = fixture("logs.json");
    REQUIRE_FIXTURE(trace, "trace.json");
    const std::string withEmptyLists = R"({"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"a"}},{"key":"n","value":{"intValue":7}}]},
        "scopeSpans":[{"scope":{"name":"s","version":"1.2","attributes":[{"key":"x","value":{"arrayValue":{}}}]},"spans":[
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","events":[],"links":[],
         "flags":1,"status":{"code":2,"message":"boom"},"kind":"3","attributes":[
          {"key":"d","value":{"doubleValue":1.5}},{"key":"b","value":{"boolValue":true}},
          {"key":"i","value":{"intValue":"-9"}},{"key":"by","value":{"bytesValue":"AAE="}},
          {"key":"d","value":{"doubleValue":18446744073709551615}},
          {"key":"l","value":{"arrayValue":{"values":[{"stringValue":"a"},{"kvlistValue":{"values":[
            {"key":"k","value":{"arrayValue":{}}},{"key":"k","value":{"intValue":1}}]}}]}}},
          {"key":"e","value":{"kvlistValue":{}}}]}]}]}]})";
    for (const auto &[signal, body] : std::vector<std::pair<OtlpSignal, std::string>>{
             {OtlpSignal::Traces, trace}, {OtlpSignal::Logs, logs}, {OtlpSignal::Traces, kTwoSpans},
             {OtlpSignal::Traces, withEmptyLists}}) {
        std::int64_t fastRejected = -1, treeRejected = -1;
        const std::optional<TelemetryBatch> fast = decodeOtlpJsonFast(signal, body, &fastRejected);
        QVERIFY2(fast, body.c_str());
        const TelemetryBatch tree = decodeOtlpJson(signal, Json::parse(body), &treeRejected);
        QCOMPARE(fdtest::batchJson(*fast).dump(), fdtest::batchJson(tree).dump());
        QCOMPARE(fastRejected, treeRejected);
    }
    // The scope labels its items, as Jaeger shows it (exploratory test: it had been dropped); an item's own wins
    const std::string scopedSpan = R"({"resourceSpans":[{"scopeSpans":[{"scope":{"name":"s","version":"1.2"},"spans":[
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","startTimeUnixNano":"1",
         "endTimeUnixNano":"2"}]}]}]})";
    const TelemetryBatch scoped = *decodeOtlpJsonFast(OtlpSignal::Traces, scopedSpan, nullptr);
    QCOMPARE(fdtest::batchJson(scoped).dump(), fdtest::batchJson(decodeOtlpJson(OtlpSignal::Traces, Json::parse(scopedSpan))).dump());
    QCOMPARE(scoped.spans.at(0).attributes["otel.scope.name"], Json("s"));
    QCOMPARE(scoped.spans.at(0).attributes["otel.scope.version"], Json("1.2"));
    std::string twice = scopedSpan; // the last scope given, whole (review: the first one's version had stayed)
    twice.replace(twice.find(R"("scope":{"name":"s","version":"1.2"})"), 36, R"("scope":{"name":"a","version":"1"},"scope":{"name":"s"})");
    const TelemetryBatch last = *decodeOtlpJsonFast(OtlpSignal::Traces, twice, nullptr);
    QCOMPARE(fdtest::batchJson(last).dump(), fdtest::batchJson(decodeOtlpJson(OtlpSignal::Traces, Json::parse(twice))).dump());
    const std::string ownScope = R"({"resourceLogs":[{"scopeLogs":[{"scope":{"name":"lib","version":7},"logRecords":[
        {"attributes":[{"key":"otel.scope.name","value":{"stringValue":"mine"}}]}]},{"logRecords":[{}]}]}]})";
    QVERIFY(!decodeOtlpJsonFast(OtlpSignal::Logs, ownScope, nullptr)); // a version that is no text: the tree ignores it
    const TelemetryBatch own = decodeOtlpJson(OtlpSignal::Logs, Json::parse(ownScope));
    QCOMPARE(own.logs.at(0).attributes["otel.scope.name"], Json("mine"));
    QVERIFY(!own.logs.at(0).attributes.contains("otel.scope.version"));
    QVERIFY(!own.logs.at(1).attributes.contains("otel.scope.name")); // the next scope has none
}

void TestOtlp::fastPathLeavesTheRestToTheTree_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("body");
    const auto row = [](const char *name, OtlpSignal signal, const char *body) {
        QTest::newRow(name) << static_cast<int>(signal) << QString::fromUtf8(body);
    };
    row("metrics", OtlpSignal::Metrics, R"({"resourceMetrics":[]})");
    row("snake_case", OtlpSignal::Traces, R"({"resourceSpans":[{"scope_spans":[{"spans":[{"name":"x"}]}]}]})");
    row("null", OtlpSignal::Traces, R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":null}]}]}]})");
    row("a span event", OtlpSignal::Traces,
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"events":[{"name":"e"}]}]}]}]})");
    row("empty value", OtlpSignal::Logs, R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{}}]}]}]})");
    row("list element not a value", OtlpSignal::Logs,
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":[1]}}}]}]}]})");
    row("two value kinds", OtlpSignal::Logs,
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a","intValue":1}}]}]}]})");
    row("resource after scopes", OtlpSignal::Logs, R"({"resourceLogs":[{"scopeLogs":[],"resource":{}}]})");
    row("scopes twice", OtlpSignal::Logs, R"({"resourceLogs":[{"scopeLogs":[],"scopeLogs":[]}]})");
    row("scope after its items", OtlpSignal::Logs,
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[],"scope":{"name":"s"}}]}]})");
    row("a trace state", OtlpSignal::Traces,
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceState":"a=1"}]}]}]})");
    row("a trace state that is no text", OtlpSignal::Traces,
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceState":5}]}]}]})");
    row("fixed64 past int64", OtlpSignal::Logs,
        R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"18446744073709551615"}]}]}]})");
    row("another signal", OtlpSignal::Traces, R"({"resourceLogs":[]})");
    row("malformed", OtlpSignal::Traces, R"({"resourceSpans":[)");
    row("trailing text", OtlpSignal::Traces, R"({"resourceSpans":[]} x)");
}

void TestOtlp::fastPathLeavesTheRestToTheTree()
{
    QFETCH(int, signal);
    QFETCH(QString, body);
    QVERIFY(!decodeOtlpJsonFast(static_cast<OtlpSignal>(signal), body.toStdString(), nullptr));
}

// The receiver decodes one request while it commits another: preparing must need no store.
void TestOtlp::handlerPreparesWithoutTheStore()
{
    QFile notADirectory(newStorePath());
    QVERIFY(notADirectory.open(QIODevice::WriteOnly));
    OtlpHttpHandler handler(notADirectory.fileName() + QStringLiteral("/store.sqlite"));
    PreparedRequest spans = handler.prepare(post("/v1/traces", "application/json", kTwoSpans));
    QVERIFY(!spans.answer);
    QCOMPARE(spans.batch.spans.size(), 1u);
    QCOMPARE(spans.rejected, 1);
    PreparedRequest marker = handler.prepare(post("/api/markers", "application/json", R"({"kind":"deploy","title":"v2"})"));
    QVERIFY(marker.marker);
    QCOMPARE(marker.marker->title, std::string("v2"));
    PreparedRequest malformed = handler.prepare(post("/v1/logs", "application/json", "{"));
    QCOMPARE(malformed.answer->status, 400);
    QCOMPARE(handler.stats().requests.load(), 0);

    QCOMPARE(handler.commit(std::move(malformed)).status, 400);
    const HttpResponse unstored = handler.commit(std::move(spans));
    QCOMPARE(unstored.status, 503);
    QVERIFY2(unstored.body.find("cannot store the request") != std::string::npos, unstored.body.c_str());
    QCOMPARE(handler.commit(std::move(marker)).status, 503);
    QCOMPARE(handler.stats().requests.load(), 3);
    QCOMPARE(handler.stats().throttled.load(), 2);
    QCOMPARE(handler.stats().spans.load(), 0);
}

void TestOtlp::handlerMalformedJsonLeavesStoreUnchanged()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    QCOMPARE(handler.handle(post("/v1/traces", "application/json", kTwoSpans)).status, 200);
    const StoreCounts before = countsOf(path);
    QCOMPARE(before.spans, 1);

    const HttpResponse r = handler.handle(post("/v1/traces", "application/json", R"({"resourceSpans":[{"scopeSpans":[)"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.contentType, std::string("application/json"));
    QVERIFY(Json::parse(r.body)["message"].get<std::string>().find("malformed JSON") != std::string::npos);
    const HttpResponse wrongShape =
        handler.handle(post("/v1/traces", "application/json", R"({"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]})"));
    QCOMPARE(wrongShape.status, 400);
    // A byte that is no UTF-8 between tokens: the error quotes it, and writing that answer threw (an HTTP 500
    // "internal error" found by tst_corpus_ingest); it is U+FFFD in the answer.
    const HttpResponse notUtf8 = handler.handle(post("/v1/traces", "application/json", "{\"resourceSpans\": \xA0 []}"));
    QCOMPARE(notUtf8.status, 400);
    QVERIFY2(Json::parse(notUtf8.body)["message"].get<std::string>().find("\xEF\xBF\xBD") != std::string::npos, notUtf8.body.c_str());
    // printing 200,000 nested arrays overflowed the decoder thread's stack and ended the app
    const std::string deep = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"arrayValue":{"values":)"
        + std::string(200000, '[') + std::string(200000, ']') + "}}}]}]}]}";
    const HttpResponse tooDeep = handler.handle(post("/v1/logs", "application/json", deep));
    QCOMPARE(tooDeep.status, 400);
    QVERIFY(Json::parse(tooDeep.body)["message"].get<std::string>().find("nested deeper than 128 levels") != std::string::npos);
    QCOMPARE(countsOf(path).spans, before.spans);
    QCOMPARE(handler.stats().spans.load(), 1);
}

void TestOtlp::handlerTooLarge()
{
    OtlpHttpHandler handler(newStorePath(), 1024);
    QCOMPARE(handler.handle(post("/v1/logs", "application/json", std::string(2000, ' '))).status, 413);
    HttpRequest bomb = post("/v1/logs", "application/json", gzip(std::string(100000, ' ')));
    bomb.contentEncoding = "gzip";
    QVERIFY(bomb.body.size() < 1024);
    QCOMPARE(handler.handle(bomb).status, 413);
    HttpRequest corrupt = post("/v1/logs", "application/json", "not gzip at all");
    corrupt.contentEncoding = "gzip";
    QCOMPARE(handler.handle(corrupt).status, 400);
}

void TestOtlp::handlerRefusesOrigin()
{
    OtlpHttpHandler handler(newStorePath());
    HttpRequest r = post("/v1/traces", "application/json", kTwoSpans);
    r.hasOrigin = true;
    const HttpResponse response = handler.handle(r);
    QCOMPARE(response.status, 403);
    for (const auto &[name, value] : response.headers)
        QVERIFY(!QByteArray::fromStdString(name).toLower().startsWith("access-control"));
    HttpRequest marker = post("/api/markers", "application/json", R"({"kind":"deploy","service":"a","title":"t"})");
    marker.hasOrigin = true;
    QCOMPARE(handler.handle(marker).status, 403);
    QCOMPARE(handler.stats().spans.load(), 0);
}

void TestOtlp::handlerNotFoundAndWrongMethod()
{
    OtlpHttpHandler handler(newStorePath());
    QCOMPARE(handler.handle(post("/v1/trace", "application/json", "{}")).status, 404);
    QCOMPARE(handler.handle(post("/", "application/json", "{}")).status, 404);
    HttpRequest get = post("/v1/metrics", "application/json", "");
    get.method = "GET";
    const HttpResponse r = handler.handle(get);
    QCOMPARE(r.status, 405);
    QVERIFY(std::find(r.headers.begin(), r.headers.end(), std::pair<std::string, std::string>("Allow", "POST"))
            != r.headers.end());
    get.target = "/api/markers";
    QCOMPARE(handler.handle(get).status, 405);
}

void TestOtlp::handlerStoresJsonWithCharset()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    const std::string body = fixture("logs.json");
    REQUIRE_FIXTURE(body, "logs.json");
    const HttpResponse r = handler.handle(post("/v1/logs?x=1", "Application/JSON; charset=utf-8", body));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, std::string("application/json"));
    QCOMPARE(r.body, std::string("{}"));
    QCOMPARE(countsOf(path).logs, 1);
    QCOMPARE(handler.stats().logs.load(), 1);
    QCOMPARE(handler.stats().requests.load(), 1);
}

// Some senders set severityText and leave severityNumber out: "severity >= WARN" still finds their errors.
void TestOtlp::aLevelGivenOnlyAsTextIsFiltered()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    const std::string body = R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [
        {"timeUnixNano": "1764633600000000000", "severityText": "ERROR", "body": {"stringValue": "text only"}},
        {"timeUnixNano": "1764633601000000000", "severityText": "Warning", "body": {"stringValue": "a logger's word"}},
        {"timeUnixNano": "1764633602000000000", "severityText": "made-up", "body": {"stringValue": "unknown word"}},
        {"timeUnixNano": "1764633603000000000", "severityNumber": 5, "severityText": "ERROR", "body": {"stringValue": "the number wins"}}
    ]}]}]})";
    QCOMPARE(handler.handle(post("/v1/logs", "application/json", body)).status, 200);
    Query q;
    q.signal = Signal::Logs;
    q.where = parseWhereList("severity >= WARN");
    q.oldestFirst = true;
    const Frame f = StoreSource("s", path).query(q, {1764633600 * kSecond, 1764633604 * kSecond}, makeCancelToken());
    const int bodyColumn = f.columnIndex("body"), severity = f.columnIndex("severity"), text = f.columnIndex("severity_text");
    QCOMPARE(f.rowCount(), std::size_t(2));
    QCOMPARE(cellToString(f.cell(0, bodyColumn)), std::string("text only"));
    QCOMPARE(cellToInt(f.cell(0, severity)), std::int64_t(17));
    QCOMPARE(cellToString(f.cell(1, bodyColumn)), std::string("a logger's word"));
    QCOMPARE(cellToString(f.cell(1, text)), std::string("Warning")); // the text stays as sent
    QCOMPARE(cellToInt(f.cell(1, severity)), std::int64_t(13));
}

void TestOtlp::handlerGzipProtobuf()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    collector_metrics::ExportMetricsServiceRequest request;
    auto *m = request.add_resource_metrics()->add_scope_metrics()->add_metrics();
    m->set_name("requests");
    for (int i = 0; i < 3; ++i) {
        auto *p = m->mutable_sum()->add_data_points();
        p->set_time_unix_nano(1000 + i);
        p->set_as_int(i);
    }
    HttpRequest r = post("/v1/metrics", "application/x-protobuf", gzip(request.SerializeAsString()));
    r.contentEncoding = "gzip";
    const HttpResponse response = handler.handle(r);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.contentType, std::string("application/x-protobuf"));
    collector_metrics::ExportMetricsServiceResponse decoded;
    QVERIFY(decoded.ParseFromString(response.body));
    QVERIFY(!decoded.has_partial_success());
    QCOMPARE(countsOf(path).metrics, 3);
    QCOMPARE(handler.stats().metricPoints.load(), 3);

    const HttpResponse bad = handler.handle(post("/v1/metrics", "application/x-protobuf", "\x0a\xff\xff"));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.contentType, std::string("application/x-protobuf"));
}

void TestOtlp::handlerPartialSuccess()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    const HttpResponse r = handler.handle(post("/v1/traces", "application/json", kTwoSpans));
    QCOMPARE(r.status, 200);
    const Json body = Json::parse(r.body);
    QCOMPARE(body["partialSuccess"]["rejectedSpans"], Json("1"));
    QVERIFY(!body["partialSuccess"]["errorMessage"].get<std::string>().empty());
    QCOMPARE(countsOf(path).spans, 1);
    QCOMPARE(handler.stats().rejected.load(), 1);

    collector_trace::ExportTraceServiceRequest request;
    otrace::Span *span = request.add_resource_spans()->add_scope_spans()->add_spans();
    span->set_trace_id("short");
    span->set_span_id(bytesFromHex("0102030405060708"));
    const HttpResponse proto = handler.handle(post("/v1/traces", "application/x-protobuf", request.SerializeAsString()));
    QCOMPARE(proto.status, 200);
    collector_trace::ExportTraceServiceResponse decoded;
    QVERIFY(decoded.ParseFromString(proto.body));
    QCOMPARE(decoded.partial_success().rejected_spans(), 1);
    QVERIFY(!decoded.partial_success().error_message().empty());
    QCOMPARE(countsOf(path).spans, 1);

    // A link whose id is no id is left out of its stored span, and said (exploratory test: not a word)
    const Json linked = Json::parse(handler.handle(post("/v1/traces", "application/json", R"({"resourceSpans":[{"scopeSpans":[{"spans":[
        {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"a","startTimeUnixNano":"1",
         "endTimeUnixNano":"2","links":[{"traceId":"abc","spanId":"0102030405060708"}]}]}]}]})")).body);
    QCOMPARE(linked["partialSuccess"]["rejectedSpans"], Json("0"));
    QCOMPARE(linked["partialSuccess"]["errorMessage"],
             Json("1 span links left out: the id was no valid id (32 or 16 hex digits)"));
    QCOMPARE(countsOf(path).spans, 2);

    // Found by an exploratory test: a log record's id that is no id was dropped without a word. The record
    // is stored; the answer warns with 0 rejected, as OTLP allows. All zeroes means "no id" and is no warning.
    const auto logsAnswer = [&](const std::string &traceId) {
        const std::string body = R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1000","traceId":")"
                                 + traceId + R"(","body":{"stringValue":"hi"}}]}]}]})";
        return Json::parse(handler.handle(post("/v1/logs", "application/json", body)).body);
    };
    const Json warned = logsAnswer("abc");
    QCOMPARE(warned["partialSuccess"]["rejectedLogRecords"], Json("0"));
    QVERIFY2(warned["partialSuccess"]["errorMessage"].get<std::string>().find("1 log records stored without their trace")
                 != std::string::npos, warned.dump().c_str());
    QVERIFY(!logsAnswer("00000000000000000000000000000000").contains("partialSuccess"));
    QVERIFY(!logsAnswer("0102030405060708090a0b0c0d0e0f10").contains("partialSuccess"));
    QCOMPARE(countsOf(path).logs, 3);
}

void TestOtlp::handlerMarker()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    const HttpResponse r = handler.handle(post("/api/markers", "application/json",
                                               R"({"kind":"deploy","service":"auth","title":"auth 2.14.0","version":"2.14.0"})"));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.contentType, std::string("application/json"));
    const Json stored = Json::parse(r.body);
    QVERIFY(stored["id"].get<std::int64_t>() > 0);
    QCOMPARE(stored["kind"], Json("deploy"));
    QCOMPARE(stored["service"], Json("auth"));
    QCOMPARE(stored["version"], Json("2.14.0"));
    QCOMPARE(countsOf(path).markers, 1);
    QCOMPARE(handler.stats().markers.load(), 1);
}

// A deploy script that retries its POST (its first answer lost) must not count one deploy twice.
void TestOtlp::handlerRepeatedMarkerStoredOnce()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    const auto send = [&](const char *body) { return handler.handle(post("/api/markers", "application/json", body)); };
    const HttpResponse first = send(R"({"time":"2026-11-20T10:00:00Z","kind":"deploy","service":"auth","title":"auth 2.14",
                                        "attributes":{"team":"identity","env":"prod"}})");
    QCOMPARE(first.status, 201);
    // the same marker, its attributes in another order: an attribute set has no order
    const HttpResponse retry = send(R"({"time":"2026-11-20T10:00:00Z","kind":"deploy","service":"auth","title":"auth 2.14",
                                        "attributes":{"env":"prod","team":"identity"}})");
    QCOMPARE(retry.status, 200);
    QCOMPARE(Json::parse(retry.body)["id"], Json::parse(first.body)["id"]);
    QCOMPARE(countsOf(path).markers, 1);
    QCOMPARE(handler.stats().markers.load(), 1);

    // Any field that differs is another marker.
    for (const char *other : {R"({"time":"2026-11-20T10:00:00.000000001Z","kind":"deploy","service":"auth","title":"auth 2.14",
                                  "attributes":{"team":"identity","env":"prod"}})",
                              R"({"time":"2026-11-20T10:00:00Z","kind":"deploy","service":"auth","title":"auth 2.14",
                                  "attributes":{"team":"identity"}})",
                              R"({"time":"2026-11-20T10:00:00Z","kind":"rollback","service":"auth","title":"auth 2.14",
                                  "attributes":{"team":"identity","env":"prod"}})",
                              R"({"time":"2026-11-20T10:00:00Z","kind":"deploy","service":"auth","title":"auth 2.14",
                                  "version":"2.14","attributes":{"team":"identity","env":"prod"}})"})
        QCOMPARE(send(other).status, 201);
    QCOMPARE(countsOf(path).markers, 5);

    // A marker file imported twice adds only what is new.
    Marker flag;
    flag.time = 1'700'000'000'000'000'000;
    flag.kind = "flag";
    flag.service = "frontend";
    flag.title = "new checkout on";
    Marker off = flag;
    off.title = "new checkout off";
    QCOMPARE(Store(path).insertMarkers({flag}), std::size_t(1));
    QCOMPARE(Store(path).insertMarkers({flag, off, off}), std::size_t(1));
    QCOMPARE(countsOf(path).markers, 7);
}

void TestOtlp::handlerBadMarker()
{
    const QString path = newStorePath();
    OtlpHttpHandler handler(path);
    for (const char *body : {"not json", "[1,2]", R"({"kind":"party","service":"auth","title":"t"})"}) {
        const HttpResponse r = handler.handle(post("/api/markers", "application/json", body));
        QCOMPARE(r.status, 400);
        QVERIFY(!Json::parse(r.body)["error"].get<std::string>().empty());
    }
    // The message says what is wrong with the JSON (exploratory test: "must be a JSON object" for a 1e999)
    for (const char *body : {R"({"kind":"deploy","service":"auth","title":"t","n":1e999})", "{\"title\":\"\xff\"}"}) {
        const HttpResponse r = handler.handle(post("/api/markers", "application/json", body));
        QCOMPARE(r.status, 400);
        const std::string error = Json::parse(r.body)["error"].get<std::string>();
        QVERIFY2(error.starts_with("the body is not valid JSON: "), error.c_str());
    }
    QCOMPARE(countsOf(path).markers, 0);
}

void TestOtlp::receiverChunkedKeepAlive()
{
    const std::string trace = fixture("trace.json");
    REQUIRE_FIXTURE(trace, "trace.json");
    const QString path = newStorePath();
    OtlpReceiver receiver(path);
    receiver.start("127.0.0.1", 0);
    QVERIFY(receiver.port() != 0);
    QCOMPARE(receiver.address(), "127.0.0.1:" + std::to_string(receiver.port()));

    RawHttpClient client(receiver.port());
    QVERIFY(client.connected());
    client.send(chunked("/v1/traces", trace));
    auto [status, body] = client.response();
    QCOMPARE(status, 200);
    QCOMPARE(body, std::string("{}"));
    client.send("GET /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); // same connection
    QCOMPARE(client.response().first, 405);
    client.send("POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    QCOMPARE(client.response().first, 403);

    QCOMPARE(receiver.stats().spans.load(), 1);
    QCOMPARE(receiver.stats().requests.load(), 3);
    // Framing the parser refuses gets a 400 that says so, not a closed connection (exploratory test).
    for (const char *length : { "Content-Length: -1\r\n", "Content-Length: 12345678901234567890123\r\n",
                                "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n" }) {
        RawHttpClient bad(receiver.port());
        bad.send(std::string("POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n") + length
                 + "\r\n{}");
        const auto [badStatus, badBody] = bad.response();
        QCOMPARE(badStatus, 400);
        QVERIFY2(badBody.find("malformed HTTP request") != std::string::npos, badBody.c_str());
    }
    receiver.stop();
    QCOMPARE(countsOf(path).spans, 1);
}

void TestOtlp::receiverBodyLimit()
{
    OtlpReceiver receiver(newStorePath(), 1000);
    receiver.start("127.0.0.1", 0);
    RawHttpClient declared(receiver.port());
    declared.send("POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Content-Length: 5000\r\n\r\n" + std::string(5000, ' '));
    const auto tooLarge = declared.response();
    QCOMPARE(tooLarge.first, 413);
    QCOMPARE(Json::parse(tooLarge.second)["code"], Json(8)); // RESOURCE_EXHAUSTED, an OTLP Status
    RawHttpClient streamed(receiver.port());
    streamed.send(chunked("/v1/logs", std::string(3000, ' ')));
    QCOMPARE(streamed.response().first, 413);
}

void TestOtlp::receiverPortInUse()
{
    OtlpReceiver first(newStorePath());
    first.start("127.0.0.1", 0);
    OtlpReceiver second(newStorePath());
    const std::string expected = "cannot listen on 127.0.0.1:" + std::to_string(first.port());
    try {
        second.start("127.0.0.1", first.port());
        QFAIL("a busy port must throw");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find(expected) == 0, e.what());
    }
    QVERIFY(!second.isRunning());
    first.stop();
    QVERIFY(!first.isRunning());
}

QTEST_GUILESS_MAIN(TestOtlp)
#include "tst_otlp.moc"

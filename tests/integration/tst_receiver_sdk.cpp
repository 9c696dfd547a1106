// The OTLP receiver end to end: `flightdeck serve` receives what the real OpenTelemetry JS SDK sends
// (OTLP/JSON, OTLP/protobuf, gzip), and `flightdeck trace` / `flightdeck query` give back every id, parent
// link, typed attribute and nanosecond timestamp that the SDK reported as sent (otel-sdk/send.mjs writes
// those facts). Then the requests the receiver must refuse (400, 403, 413, 415) leave the store unchanged,
// and the markers API answers 201 / 400.
//
// Needs node and the SDK that the CTest fixture `otel_sdk` installs into the build folder
// (tests/integration/InstallOtelSdk.cmake); the SDK cases skip when either is missing.

#include "CliRunner.h"

#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>

#include <array>
#include <cstdlib>

using namespace fdtest;

namespace {
// The scope send.mjs's tracer and logger are made with: the receiver keeps it as attributes.
const QJsonObject kSdkScope{{QStringLiteral("name"), QStringLiteral("flightdeck-sdk-test")}, {QStringLiteral("version"), QStringLiteral("1.0.0")}};

QString nodeBin() { return QString::fromUtf8(FD_NODE_BIN); }
QString sdkDir() { return QString::fromUtf8(FD_OTEL_SDK_DIR); }

constexpr qsizetype kMiB = 1024 * 1024;
constexpr qsizetype kDefaultBodyLimit = 64 * kMiB; // DESIGN.md: 64 MiB, counted after decompression too
constexpr qsizetype kSmallBodyLimit = kMiB;        // the second receiver's --max-body

QString randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char &c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

// ---------------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client on a plain socket: it controls every header (Origin, Content-Encoding),
// streams a large body while watching for an early answer (a server may answer 413 before reading it
// all), and never follows or retries anything.

struct HttpReply {
    int status = 0;
    QByteArray headers;
    QByteArray body;
    QString error;

    QString describe() const
    {
        if (!error.isEmpty())
            return error;
        return QStringLiteral("HTTP %1\n%2\n%3")
            .arg(status)
            .arg(QString::fromUtf8(headers).remove(QLatin1Char('\r')), QString::fromUtf8(body.left(2000)));
    }
};

// Parses a complete response out of `data`; false while more bytes are needed.
bool parseResponse(const QByteArray &data, bool connectionClosed, HttpReply &out)
{
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return false;
    const QByteArray head = data.left(headerEnd);
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2 || !statusLine.at(0).startsWith("HTTP/"))
        return false;
    qsizetype contentLength = -1;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }
    const QByteArray rest = data.mid(headerEnd + 4);
    QByteArray body;
    if (chunked) {
        qsizetype pos = 0;
        for (;;) {
            const qsizetype eol = rest.indexOf("\r\n", pos);
            if (eol < 0)
                return false;
            bool ok = false;
            const qsizetype size = rest.mid(pos, eol - pos).split(';').value(0).trimmed().toLongLong(&ok, 16);
            if (!ok)
                return false;
            if (size == 0)
                break;
            if (rest.size() < eol + 2 + size + 2)
                return false;
            body += rest.mid(eol + 2, size);
            pos = eol + 2 + size + 2;
        }
    } else if (contentLength >= 0) {
        if (rest.size() < contentLength)
            return false;
        body = rest.left(contentLength);
    } else {
        if (!connectionClosed)
            return false;
        body = rest;
    }
    out.status = statusLine.at(1).toInt();
    out.headers = head;
    out.body = body;
    return true;
}

using Headers = QList<QPair<QByteArray, QByteArray>>;

HttpReply httpPost(quint16 port, const QByteArray &path, const Headers &headers, const QByteArray &body,
                   int timeoutMs = 120000)
{
    HttpReply reply;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(10000)) {
        reply.error = QStringLiteral("cannot connect to 127.0.0.1:%1: %2").arg(port).arg(socket.errorString());
        return reply;
    }
    QByteArray head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                      "\r\nContent-Length: " + QByteArray::number(body.size()) +
                      "\r\nConnection: close\r\nUser-Agent: flightdeck-tst_receiver_sdk\r\n";
    for (const auto &h : headers)
        head += h.first + ": " + h.second + "\r\n";
    head += "\r\n";

    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    auto done = [&] {
        received += socket.readAll();
        return parseResponse(received, socket.state() != QAbstractSocket::ConnectedState, reply);
    };
    socket.write(head);
    qsizetype sent = 0;
    const qsizetype chunk = kMiB;
    while (sent < body.size() && socket.state() == QAbstractSocket::ConnectedState) {
        if (done())
            return reply; // answered before reading the whole body (e.g. 413 from Content-Length)
        if (socket.bytesToWrite() < 4 * chunk) {
            const qsizetype n = qMin(chunk, body.size() - sent);
            socket.write(body.constData() + sent, n);
            sent += n;
        }
        socket.waitForBytesWritten(100);
        if (timer.elapsed() > timeoutMs) {
            reply.error = QStringLiteral("timed out after sending %1 of %2 body bytes").arg(sent).arg(body.size());
            return reply;
        }
    }
    while (!done() && socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs) {
        if (socket.bytesToWrite() > 0)
            socket.waitForBytesWritten(100);
        else
            socket.waitForReadyRead(100);
    }
    if (done())
        return reply;
    reply.error = QStringLiteral("no complete HTTP response (sent %1 of %2 body bytes; socket: %3; received %4 bytes: %5)")
                      .arg(sent)
                      .arg(body.size())
                      .arg(socket.errorString())
                      .arg(received.size())
                      .arg(QString::fromUtf8(received.left(500)));
    return reply;
}

quint32 crc32(const QByteArray &data)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 c = 0xFFFFFFFFu;
    for (const char ch : data)
        c = table[(c ^ quint8(ch)) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

// RFC 1952 gzip around the raw deflate stream inside qCompress's zlib stream.
QByteArray gzip(const QByteArray &data)
{
    // qCompress: 4-byte big-endian length, then zlib: 2-byte header, deflate data, 4-byte Adler-32.
    const QByteArray z = qCompress(data, 6);
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    out += z.mid(6, z.size() - 6 - 4);
    auto appendLe32 = [&out](quint32 v) {
        for (int i = 0; i < 4; ++i)
            out += char((v >> (8 * i)) & 0xFFu);
    };
    appendLe32(crc32(data));
    appendLe32(quint32(quint64(data.size()) & 0xFFFFFFFFu));
    return out;
}

// One OTLP/JSON log record of service "rawclient" whose body carries `token` (and `padding` spaces).
QByteArray otlpJsonLog(const QString &token, qsizetype padding = 0)
{
    return QStringLiteral(R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"rawclient"}}]},)"
                          R"("scopeLogs":[{"scope":{"name":"tst_receiver_sdk"},"logRecords":[{"timeUnixNano":"%1",)"
                          R"("severityNumber":9,"severityText":"INFO","body":{"stringValue":"raw %2"},)"
                          R"("attributes":[{"key":"fd.test.token","value":{"stringValue":"%3"}}]}]}]}]})")
        .arg(nowNs())
        .arg(token + QString(padding, QLatin1Char(' ')), token)
        .toUtf8();
}

// Valid JSON (an empty export request padded with spaces) of more than `size` bytes.
QByteArray paddedJson(qsizetype size)
{
    QByteArray body = R"({"resourceLogs":[)";
    body += QByteArray(size, ' ');
    body += "]}";
    return body;
}

bool enumMatches(const QJsonValue &actual, const QString &name, qint64 otlpNumber, const QString &protoPrefix)
{
    if (actual.isString()) {
        const QString a = actual.toString().toUpper();
        return a == name || a == protoPrefix + name;
    }
    return isJsonInteger(actual) && actual.toInteger() == otlpNumber;
}

QJsonObject findBy(const QJsonArray &array, const QString &key, const QString &value)
{
    for (const QJsonValue &v : array) {
        if (v.toObject().value(key).toString() == value)
            return v.toObject();
    }
    return {};
}

} // namespace

class TestReceiverSdk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void sdkExport_data();
    void sdkExport();
    void rawClientStoresValidRequest();
    void markersApi();
    void maxBodyAcceptsWhatFits();
    void refusedRequestsStoreNothing_data();
    void refusedRequestsStoreNothing();
    void serverSurvivesRefusals();
    void sdkRetriesBusyReceiver();

private:
    std::optional<Table> query(const QStringList &args, QString *error) const { return queryStore(m_store, args, error); }
    std::optional<Table> queryStore(const QString &store, const QStringList &args, QString *error) const;
    qint64 count(const QString &signal, const QString &where = {}) { return countIn(m_store, signal, where); }
    qint64 countIn(const QString &store, const QString &signal, const QString &where = {});
    void verifyTrace(const QJsonObject &facts);
    void verifyLogs(const QJsonObject &facts);
    void verifyMetric(const QJsonObject &facts);
    void verifyQueries(const QJsonObject &facts);
    QString serverLog() const
    {
        return QStringLiteral("\n--- server stderr (tail):\n") + m_server.stdErr().right(3000) +
               QStringLiteral("\n--- small-limit server stderr (tail):\n") + m_small.stdErr().right(2000);
    }

    Cli m_cli;
    Server m_server; // default limits, store.sqlite
    Server m_small;  // --max-body kSmallBodyLimit, small.sqlite
    QString m_store, m_smallStore;
};

void TestReceiverSdk::initTestCase()
{
    QVERIFY2(m_cli.isValid(), "cannot create a temporary folder");
    QVERIFY2(QFileInfo(flightdeckBin()).isExecutable(), qPrintable(flightdeckBin() + QStringLiteral(" is not built")));
    m_store = m_cli.path(QStringLiteral("store.sqlite"));
    QString error;
    QVERIFY2(m_server.start({QStringLiteral("--store"), m_store, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0")},
                            m_cli.environment(), m_cli.dir(), &error),
             qPrintable(error));
    QCOMPARE(m_server.host(), QStringLiteral("127.0.0.1"));
    QVERIFY2(m_server.port() != 0, "serve printed port 0; it must print the port it picked");

    m_smallStore = m_cli.path(QStringLiteral("small.sqlite"));
    QVERIFY2(m_small.start({QStringLiteral("--store"), m_smallStore, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--max-body"), QString::number(kSmallBodyLimit)},
                           m_cli.environment(), m_cli.dir(), &error),
             qPrintable(error));
    QVERIFY(m_small.port() != 0 && m_small.port() != m_server.port());
}

void TestReceiverSdk::cleanupTestCase()
{
    m_server.stop();
    m_small.stop();
}

std::optional<Table> TestReceiverSdk::queryStore(const QString &store, const QStringList &args, QString *error) const
{
    const RunResult r = m_cli.run(QStringList{QStringLiteral("query"), QStringLiteral("--store"), store} + args +
                                  QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    if (!r.succeeded()) {
        *error = r.describe();
        return std::nullopt;
    }
    QString parseError;
    std::optional<Table> t = parseTable(r.out, &parseError);
    if (!t)
        *error = r.command + QStringLiteral(": ") + parseError;
    return t;
}

// Rows of `signal` in a wide window around now (-1 on error, reported through QVERIFY in the caller).
qint64 TestReceiverSdk::countIn(const QString &store, const QString &signal, const QString &where)
{
    QStringList args{QStringLiteral("--signal"), signal, QStringLiteral("--from"), QStringLiteral("now-30d"),
                     QStringLiteral("--to"), QStringLiteral("now+30d"), QStringLiteral("--limit"), QStringLiteral("1")};
    if (!where.isEmpty())
        args << QStringLiteral("--where") << where;
    QString error;
    const std::optional<Table> t = queryStore(store, args, &error);
    if (!t) {
        qWarning("%s", qPrintable(error));
        return -1;
    }
    return t->total;
}

// ---------------------------------------------------------------------------------------------------
// The SDK sends; trace / query read back.

void TestReceiverSdk::sdkExport_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<bool>("gzip");
    QTest::newRow("otlp-json") << QStringLiteral("json") << false;
    QTest::newRow("otlp-proto") << QStringLiteral("proto") << false;
    QTest::newRow("otlp-json-gzip") << QStringLiteral("json") << true;
    QTest::newRow("otlp-proto-gzip") << QStringLiteral("proto") << true;
}

void TestReceiverSdk::sdkExport()
{
    QFETCH(QString, protocol);
    QFETCH(bool, gzip);
    if (nodeBin().isEmpty() || !QFileInfo(nodeBin()).isExecutable())
        QSKIP("node was not found when the build was configured; the OpenTelemetry SDK cases need it");
    const QString script = sdkDir() + QStringLiteral("/send.mjs");
    if (!QFileInfo::exists(sdkDir() + QStringLiteral("/node_modules/@opentelemetry/sdk-trace-base/package.json")) ||
        !QFileInfo::exists(script))
        QSKIP(qPrintable(QStringLiteral("the OpenTelemetry JS SDK is not installed in %1; run the tests through ctest "
                                        "(its fixture otel_sdk runs npm ci there)")
                             .arg(sdkDir())));
    QVERIFY2(m_server.isRunning(), qPrintable(QStringLiteral("the server is gone") + serverLog()));

    QProcessEnvironment env = m_cli.environment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QStringLiteral("OTEL_")))
            env.remove(key); // nothing from the caller's environment changes what the SDK sends
    }
    if (gzip)
        env.insert(QStringLiteral("OTEL_EXPORTER_OTLP_COMPRESSION"), QStringLiteral("gzip"));
    const QString factsPath = m_cli.path(QStringLiteral("facts-%1%2.json").arg(protocol, gzip ? QStringLiteral("-gzip") : QString()));
    const RunResult sent = runProgram(nodeBin(),
                                      {script, QStringLiteral("--endpoint"), m_server.url(), QStringLiteral("--protocol"),
                                       protocol, QStringLiteral("--out"), factsPath},
                                      env, 180000, sdkDir());
    QVERIFY2(sent.succeeded(), qPrintable(sent.describe() + serverLog()));
    qInfo("%s", qPrintable(sent.stdOut().trimmed()));

    QFile factsFile(factsPath);
    QVERIFY2(factsFile.open(QIODevice::ReadOnly), qPrintable(factsPath));
    QString error;
    const std::optional<QJsonObject> facts = parseObject(factsFile.readAll(), &error);
    QVERIFY2(facts, qPrintable(error));
    QCOMPARE(facts->value(QStringLiteral("compression")).toString(), gzip ? QStringLiteral("gzip") : QStringLiteral("none"));

    verifyTrace(*facts);
    if (QTest::currentTestFailed())
        return;
    verifyLogs(*facts);
    if (QTest::currentTestFailed())
        return;
    verifyMetric(*facts);
    if (QTest::currentTestFailed())
        return;
    verifyQueries(*facts);
}

void TestReceiverSdk::verifyTrace(const QJsonObject &facts)
{
    const QString traceId = facts.value(QStringLiteral("trace_id")).toString();
    const RunResult r = m_cli.run({QStringLiteral("trace"), traceId, QStringLiteral("--store"), m_store,
                                   QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    QString error;
    const std::optional<QJsonObject> doc = parseObject(r.out, &error);
    QVERIFY2(doc, qPrintable(error));
    QCOMPARE(doc->value(QStringLiteral("trace_id")).toString(), traceId);
    QVERIFY2(doc->value(QStringLiteral("spans")).isArray(), "trace --format json has no spans array");
    QVERIFY2(doc->value(QStringLiteral("orphans")).isArray(), "trace --format json has no orphans array");
    QVERIFY2(doc->value(QStringLiteral("orphans")).toArray().isEmpty(),
             qPrintable(QStringLiteral("every parent arrived, yet orphans = ") + jsonText(doc->value(QStringLiteral("orphans")))));

    const QJsonArray spans = doc->value(QStringLiteral("spans")).toArray();
    const QJsonArray expected = facts.value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), expected.size());

    QStringList errors;
    for (const QJsonValue &e : expected) {
        const QJsonObject want = e.toObject();
        const QString spanId = want.value(QStringLiteral("span_id")).toString();
        const QString name = want.value(QStringLiteral("name")).toString();
        const QString where = QStringLiteral("span %1 \"%2\"").arg(spanId, name);
        const QJsonObject got = findBy(spans, QStringLiteral("span_id"), spanId);
        if (got.isEmpty()) {
            errors << where + QStringLiteral(": missing from the trace");
            continue;
        }
        auto expectString = [&](const QString &key, const QString &wantValue) {
            if (got.value(key) != QJsonValue(wantValue))
                errors << QStringLiteral("%1: %2 is %3, expected \"%4\"").arg(where, key, jsonText(got.value(key)), wantValue);
        };
        expectString(QStringLiteral("parent_span_id"), want.value(QStringLiteral("parent_span_id")).toString());
        expectString(QStringLiteral("service"), want.value(QStringLiteral("service")).toString());
        expectString(QStringLiteral("name"), name);
        if (!enumMatches(got.value(QStringLiteral("kind")), want.value(QStringLiteral("kind")).toString(),
                         want.value(QStringLiteral("kind_otlp")).toInteger(), QStringLiteral("SPAN_KIND_")))
            errors << QStringLiteral("%1: kind is %2, expected %3").arg(where, jsonText(got.value(QStringLiteral("kind"))),
                                                                         want.value(QStringLiteral("kind")).toString());

        const qint64 startNs = want.value(QStringLiteral("start_ns")).toString().toLongLong();
        const qint64 durationNs = want.value(QStringLiteral("duration_ns")).toString().toLongLong();
        const QString startError = checkTime(where + QStringLiteral(": start"), got.value(QStringLiteral("start")), startNs);
        if (!startError.isEmpty())
            errors << startError;
        const std::optional<qint64> duration = jsonInt64(got.value(QStringLiteral("duration_ns")));
        if (!duration || *duration != durationNs)
            errors << QStringLiteral("%1: duration_ns is %2, expected %3")
                          .arg(where, jsonText(got.value(QStringLiteral("duration_ns"))))
                          .arg(durationNs);

        const QJsonObject wantStatus = want.value(QStringLiteral("status")).toObject();
        const QJsonValue status = got.value(QStringLiteral("status"));
        if (!status.isObject() ||
            !enumMatches(status.toObject().value(QStringLiteral("code")), wantStatus.value(QStringLiteral("code")).toString(),
                         wantStatus.value(QStringLiteral("code_otlp")).toInteger(), QStringLiteral("STATUS_CODE_")))
            errors << QStringLiteral("%1: status is %2, expected code %3").arg(where, jsonText(status),
                                                                                  wantStatus.value(QStringLiteral("code")).toString());
        const QString wantMessage = wantStatus.value(QStringLiteral("message")).toString();
        const QJsonValue message = status.toObject().value(QStringLiteral("message"));
        if (wantMessage.isEmpty() ? !(message.isUndefined() || message.isNull() || message.toString().isEmpty())
                                  : message.toString() != wantMessage)
            errors << QStringLiteral("%1: status message is %2, expected \"%3\"").arg(where, jsonText(message), wantMessage);

        errors << checkAttributes(where + QStringLiteral(" attributes"), withScopeAttributes(want.value(QStringLiteral("attributes")).toObject(), kSdkScope),
                                  got.value(QStringLiteral("attributes")), true);
        errors << checkAttributes(where + QStringLiteral(" resource"), want.value(QStringLiteral("resource")).toObject(),
                                  got.value(QStringLiteral("resource")), false);

        const QJsonArray wantEvents = want.value(QStringLiteral("events")).toArray();
        const QJsonValue events = got.value(QStringLiteral("events"));
        if (!events.isArray() || events.toArray().size() != wantEvents.size()) {
            errors << QStringLiteral("%1: events are %2, expected %3 of them").arg(where, jsonText(events)).arg(wantEvents.size());
        } else {
            for (qsizetype i = 0; i < wantEvents.size(); ++i) {
                const QJsonObject we = wantEvents.at(i).toObject();
                const QJsonObject ge = events.toArray().at(i).toObject();
                const QString ew = QStringLiteral("%1 event %2").arg(where).arg(i);
                if (ge.value(QStringLiteral("name")).toString() != we.value(QStringLiteral("name")).toString())
                    errors << QStringLiteral("%1: name is %2, expected \"%3\"")
                                  .arg(ew, jsonText(ge.value(QStringLiteral("name"))), we.value(QStringLiteral("name")).toString());
                const QString timeError = checkTime(ew + QStringLiteral(" time"), ge.value(QStringLiteral("time")),
                                                    we.value(QStringLiteral("time_ns")).toString().toLongLong());
                if (!timeError.isEmpty())
                    errors << timeError;
                errors << checkAttributes(ew + QStringLiteral(" attributes"), we.value(QStringLiteral("attributes")).toObject(),
                                          ge.value(QStringLiteral("attributes")), true);
            }
        }

        const QJsonArray wantLinks = want.value(QStringLiteral("links")).toArray();
        const QJsonValue links = got.value(QStringLiteral("links"));
        if (!links.isArray() || links.toArray().size() != wantLinks.size()) {
            errors << QStringLiteral("%1: links are %2, expected %3 of them").arg(where, jsonText(links)).arg(wantLinks.size());
        } else {
            for (qsizetype i = 0; i < wantLinks.size(); ++i) {
                const QJsonObject wl = wantLinks.at(i).toObject();
                const QJsonObject gl = links.toArray().at(i).toObject();
                const QString lw = QStringLiteral("%1 link %2").arg(where).arg(i);
                for (const QString &key : {QStringLiteral("trace_id"), QStringLiteral("span_id")}) {
                    if (gl.value(key).toString() != wl.value(key).toString())
                        errors << QStringLiteral("%1: %2 is %3, expected \"%4\"").arg(lw, key, jsonText(gl.value(key)),
                                                                                        wl.value(key).toString());
                }
                errors << checkAttributes(lw + QStringLiteral(" attributes"), wl.value(QStringLiteral("attributes")).toObject(),
                                          gl.value(QStringLiteral("attributes")), true);
            }
        }
    }
    errors.removeAll(QString());
    QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
}

void TestReceiverSdk::verifyLogs(const QJsonObject &facts)
{
    const QString traceId = facts.value(QStringLiteral("trace_id")).toString();
    const QJsonArray expected = facts.value(QStringLiteral("logs")).toArray();
    QString error;
    const std::optional<Table> t = query({QStringLiteral("--signal"), QStringLiteral("logs"), QStringLiteral("--where"),
                                          QStringLiteral("trace_id = \"%1\"").arg(traceId), QStringLiteral("--from"),
                                          QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now+1h"),
                                          QStringLiteral("--limit"), QStringLiteral("100")},
                                         &error);
    QVERIFY2(t, qPrintable(error));
    for (const QString &column : {QStringLiteral("time"), QStringLiteral("severity"), QStringLiteral("severity_text"),
                                  QStringLiteral("service.name"), QStringLiteral("body"), QStringLiteral("trace_id"),
                                  QStringLiteral("span_id"), QStringLiteral("attributes"), QStringLiteral("resource")})
        QVERIFY2(t->hasColumn(column), qPrintable(QStringLiteral("logs have no column \"%1\" (columns: %2)")
                                                      .arg(column, t->columns.join(QStringLiteral(", ")))));
    QCOMPARE(t->columnTypes.value(QStringLiteral("time")).toString(), QStringLiteral("time"));
    QCOMPARE(t->rows.size(), expected.size());
    QCOMPARE(t->total, qint64(expected.size()));
    QVERIFY(!t->truncated);

    static const QHash<qint64, QString> severityNames{{9, QStringLiteral("INFO")}, {13, QStringLiteral("WARN")},
                                                       {17, QStringLiteral("ERROR")}};
    QStringList errors;
    for (const QJsonValue &e : expected) {
        const QJsonObject want = e.toObject();
        const QString body = want.value(QStringLiteral("body")).toString();
        const QString spanId = want.value(QStringLiteral("span_id")).toString();
        const QString where = QStringLiteral("log \"%1\"").arg(body);
        QJsonObject got;
        for (const QJsonValue &row : t->rows) {
            if (row.toObject().value(QStringLiteral("body")).toString() == body)
                got = row.toObject();
        }
        if (got.isEmpty()) {
            errors << where + QStringLiteral(": missing");
            continue;
        }
        const QString timeError = checkTime(where + QStringLiteral(" time"), got.value(QStringLiteral("time")),
                                            want.value(QStringLiteral("time_ns")).toString().toLongLong());
        if (!timeError.isEmpty())
            errors << timeError;
        const qint64 severityNumber = want.value(QStringLiteral("severity_number")).toInteger();
        const QString severityText = want.value(QStringLiteral("severity_text")).toString();
        const QJsonValue severity = got.value(QStringLiteral("severity"));
        const bool severityOk = isJsonInteger(severity)
                                    ? severity.toInteger() == severityNumber
                                    : severity.isString() && (severity.toString().compare(severityText, Qt::CaseInsensitive) == 0 ||
                                                              severity.toString().compare(severityNames.value(severityNumber),
                                                                                          Qt::CaseInsensitive) == 0);
        if (!severityOk)
            errors << QStringLiteral("%1: severity is %2, expected %3 (%4)").arg(where, jsonText(severity)).arg(severityNumber).arg(severityText);
        const QList<QPair<QString, QString>> strings{
            {QStringLiteral("severity_text"), severityText},
            {QStringLiteral("service.name"), want.value(QStringLiteral("service")).toString()},
            {QStringLiteral("trace_id"), traceId},
            {QStringLiteral("span_id"), spanId}};
        for (const auto &[key, value] : strings) {
            if (got.value(key) != QJsonValue(value))
                errors << QStringLiteral("%1: %2 is %3, expected \"%4\"").arg(where, key, jsonText(got.value(key)), value);
        }
        errors << checkAttributes(where + QStringLiteral(" attributes"), withScopeAttributes(want.value(QStringLiteral("attributes")).toObject(), kSdkScope),
                                  got.value(QStringLiteral("attributes")), true);
        errors << checkAttributes(where + QStringLiteral(" resource"),
                                  QJsonObject{{QStringLiteral("service.name"),
                                               typedValue(QStringLiteral("string"), want.value(QStringLiteral("service")))}},
                                  got.value(QStringLiteral("resource")), false);
    }
    errors.removeAll(QString());
    QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
}

void TestReceiverSdk::verifyMetric(const QJsonObject &facts)
{
    const QJsonObject metric = facts.value(QStringLiteral("metric")).toObject();
    const QString name = metric.value(QStringLiteral("name")).toString();
    const QJsonArray points = metric.value(QStringLiteral("points")).toArray();
    QVERIFY(!points.isEmpty());
    QString error;
    const std::optional<Table> t = query({QStringLiteral("--signal"), QStringLiteral("metrics"), QStringLiteral("--where"),
                                          QStringLiteral("name = \"%1\"").arg(name), QStringLiteral("--from"),
                                          QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now+1h")},
                                         &error);
    QVERIFY2(t, qPrintable(error));
    for (const QString &column : {QStringLiteral("time"), QStringLiteral("name"), QStringLiteral("value")})
        QVERIFY2(t->hasColumn(column), qPrintable(QStringLiteral("metrics have no column \"%1\" (columns: %2)")
                                                      .arg(column, t->columns.join(QStringLiteral(", ")))));
    QVERIFY2(t->rows.size() == points.size(),
             qPrintable(QStringLiteral("%1 rows for metric %2, expected %3: %4")
                            .arg(t->rows.size())
                            .arg(name)
                            .arg(points.size())
                            .arg(QString::fromUtf8(QJsonDocument(t->doc).toJson(QJsonDocument::Compact).left(3000)))));

    QStringList errors;
    for (const QJsonValue &p : points) {
        const QJsonObject want = p.toObject();
        const qint64 timeNs = want.value(QStringLiteral("time_ns")).toString().toLongLong();
        QJsonObject got;
        for (const QJsonValue &row : t->rows) {
            const std::optional<qint64> ns = parseRfc3339Ns(row.toObject().value(QStringLiteral("time")).toString());
            if (ns && *ns == timeNs)
                got = row.toObject();
        }
        if (got.isEmpty()) {
            errors << QStringLiteral("no row at %1 (%2) for metric %3; rows: %4")
                          .arg(formatRfc3339Ns(timeNs))
                          .arg(timeNs)
                          .arg(name, QString::fromUtf8(QJsonDocument(t->rows).toJson(QJsonDocument::Compact).left(2000)));
            continue;
        }
        const QString where = QStringLiteral("metric %1 at %2").arg(name, formatRfc3339Ns(timeNs));
        const QString timeError = checkTime(where + QStringLiteral(" time"), got.value(QStringLiteral("time")), timeNs);
        if (!timeError.isEmpty())
            errors << timeError;
        if (got.value(QStringLiteral("name")).toString() != name)
            errors << QStringLiteral("%1: name is %2").arg(where, jsonText(got.value(QStringLiteral("name"))));
        if (!got.value(QStringLiteral("value")).isDouble() ||
            got.value(QStringLiteral("value")).toDouble() != want.value(QStringLiteral("value")).toDouble())
            errors << QStringLiteral("%1: value is %2, expected %3")
                          .arg(where, jsonText(got.value(QStringLiteral("value"))), jsonText(want.value(QStringLiteral("value"))));
        if (t->hasColumn(QStringLiteral("service.name")) &&
            got.value(QStringLiteral("service.name")).toString() != metric.value(QStringLiteral("service")).toString())
            errors << QStringLiteral("%1: service.name is %2, expected \"%3\"")
                          .arg(where, jsonText(got.value(QStringLiteral("service.name"))),
                               metric.value(QStringLiteral("service")).toString());
        // Labels: one column per label, or an attributes column (json) holding them.
        const QJsonObject labels = want.value(QStringLiteral("attributes")).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            const QJsonObject label = it.value().toObject();
            if (t->hasColumn(it.key())) {
                if (got.value(it.key()).toString() != label.value(QStringLiteral("value")).toString())
                    errors << QStringLiteral("%1: label %2 is %3, expected %4")
                                  .arg(where, it.key(), jsonText(got.value(it.key())), jsonText(label.value(QStringLiteral("value"))));
            } else if (t->hasColumn(QStringLiteral("attributes"))) {
                errors << checkAttributes(where + QStringLiteral(" attributes"), QJsonObject{{it.key(), label}},
                                          got.value(QStringLiteral("attributes")), false);
            } else {
                errors << QStringLiteral("%1: label %2 appears neither as a column nor in attributes").arg(where, it.key());
            }
        }
    }
    errors.removeAll(QString());
    QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
}

// Filters on what the SDK sent: numbers compare as numbers, severity by name, spans by trace id.
void TestReceiverSdk::verifyQueries(const QJsonObject &facts)
{
    const QString traceId = facts.value(QStringLiteral("trace_id")).toString();
    struct Case {
        QString signal;
        QString where;
        qint64 expected;
    };
    const QList<Case> cases{
        {QStringLiteral("spans"), QString(), qint64(facts.value(QStringLiteral("spans")).toArray().size())},
        {QStringLiteral("spans"), QStringLiteral("http.response.status_code >= 500"), 1},
        {QStringLiteral("spans"), QStringLiteral("fd.test.amount > 12"), 1},
        {QStringLiteral("spans"), QStringLiteral("service.name = checkout"), 2},
        {QStringLiteral("logs"), QStringLiteral("severity >= WARN"), 2},
        {QStringLiteral("logs"), QStringLiteral("severity >= 17"), 1},
        {QStringLiteral("logs"), QStringLiteral("fd.test.items = 3"), 1},
    };
    QStringList errors;
    for (const Case &c : cases) {
        QStringList args{QStringLiteral("--signal"), c.signal, QStringLiteral("--where"),
                         QStringLiteral("trace_id = \"%1\"").arg(traceId), QStringLiteral("--from"),
                         QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now+1h")};
        if (!c.where.isEmpty())
            args << QStringLiteral("--where") << c.where;
        QString error;
        const std::optional<Table> t = query(args, &error);
        if (!t)
            errors << error;
        else if (t->total != c.expected || t->rows.size() != c.expected)
            errors << QStringLiteral("%1 where trace_id = %2 and %3: total %4 and %5 rows, expected %6")
                          .arg(c.signal, traceId, c.where.isEmpty() ? QStringLiteral("(nothing)") : c.where)
                          .arg(t->total)
                          .arg(t->rows.size())
                          .arg(c.expected);
    }
    QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
}

// ---------------------------------------------------------------------------------------------------
// Plain HTTP: what the receiver accepts and what it refuses.

void TestReceiverSdk::rawClientStoresValidRequest()
{
    // Shows that the hand-made client below gets a real 200 and a stored record, so the refusals
    // that follow are the receiver's doing and not the client's.
    const qint64 before = count(QStringLiteral("logs"));
    QVERIFY(before >= 0);
    const QString token = randomHex(8);
    const HttpReply reply = httpPost(m_server.port(), "/v1/logs", {{"Content-Type", "application/json"}}, otlpJsonLog(token));
    QVERIFY2(reply.status == 200, qPrintable(reply.describe() + serverLog()));
    QCOMPARE(count(QStringLiteral("logs")), before + 1);
    QCOMPARE(count(QStringLiteral("logs"), QStringLiteral("fd.test.token = \"%1\"").arg(token)), qint64(1));
}

void TestReceiverSdk::markersApi()
{
    const QString title = QStringLiteral("receiver test deploy ") + randomHex(4);
    const QByteArray marker = QJsonDocument(QJsonObject{{QStringLiteral("kind"), QStringLiteral("deploy")},
                                                        {QStringLiteral("service"), QStringLiteral("auth")},
                                                        {QStringLiteral("title"), title},
                                                        {QStringLiteral("version"), QStringLiteral("2.14.1")},
                                                        {QStringLiteral("commit"), QStringLiteral("0123abcd")}})
                                  .toJson(QJsonDocument::Compact);
    const Headers json{{"Content-Type", "application/json"}};

    const HttpReply created = httpPost(m_server.port(), "/api/markers", json, marker);
    QVERIFY2(created.status == 201, qPrintable(created.describe() + serverLog()));
    QString error;
    const std::optional<QJsonObject> stored = parseObject(created.body, &error);
    QVERIFY2(stored, qPrintable(QStringLiteral("201 body: ") + error));
    const QJsonObject m = stored->value(QStringLiteral("marker")).isObject() ? stored->value(QStringLiteral("marker")).toObject()
                                                                              : *stored;
    QCOMPARE(m.value(QStringLiteral("kind")).toString(), QStringLiteral("deploy"));
    QCOMPARE(m.value(QStringLiteral("service")).toString(), QStringLiteral("auth"));
    QCOMPARE(m.value(QStringLiteral("title")).toString(), title);
    QCOMPARE(m.value(QStringLiteral("version")).toString(), QStringLiteral("2.14.1"));
    // time defaults to now
    const std::optional<qint64> time = parseRfc3339Ns(m.value(QStringLiteral("time")).toString());
    QVERIFY2(time, qPrintable(QStringLiteral("the stored marker has no RFC 3339 time: ") + QString::fromUtf8(created.body)));
    QVERIFY2(std::llabs(*time - nowNs()) < 600 * kNanosPerSecond,
             qPrintable(QStringLiteral("marker time %1 is not about now").arg(m.value(QStringLiteral("time")).toString())));

    const HttpReply broken = httpPost(m_server.port(), "/api/markers", json, "{\"kind\": ");
    QVERIFY2(broken.status == 400, qPrintable(broken.describe()));
    QVERIFY2(!broken.body.trimmed().isEmpty(), "a 400 from /api/markers must say what is wrong");
    const HttpReply bogus = httpPost(m_server.port(), "/api/markers", json,
                                     R"({"kind": "bogus", "service": "auth", "title": "no such kind"})");
    QVERIFY2(bogus.status == 400, qPrintable(bogus.describe()));
    const HttpReply fromBrowser = httpPost(m_server.port(), "/api/markers",
                                           {{"Content-Type", "application/json"}, {"Origin", "http://127.0.0.1:8000"}}, marker);
    QVERIFY2(fromBrowser.status == 403, qPrintable(fromBrowser.describe()));
    const QByteArray allowOrigin = "access-control-allow-origin";
    QVERIFY2(!fromBrowser.headers.toLower().contains(allowOrigin), "the receiver must send no CORS headers");
}

// The second receiver's --max-body refuses only what is larger: a request just under it is stored.
void TestReceiverSdk::maxBodyAcceptsWhatFits()
{
    const qint64 before = countIn(m_smallStore, QStringLiteral("logs"));
    QVERIFY(before >= 0);
    const QString token = randomHex(8);
    const QByteArray body = otlpJsonLog(token, kSmallBodyLimit - 4096);
    QVERIFY(body.size() < kSmallBodyLimit);
    const HttpReply reply = httpPost(m_small.port(), "/v1/logs", {{"Content-Type", "application/json"}}, body);
    QVERIFY2(reply.status == 200, qPrintable(QStringLiteral("%1 bytes under --max-body %2: ").arg(body.size()).arg(kSmallBodyLimit) +
                                             reply.describe() + serverLog()));
    QCOMPARE(countIn(m_smallStore, QStringLiteral("logs")), before + 1);
}

void TestReceiverSdk::refusedRequestsStoreNothing_data()
{
    QTest::addColumn<bool>("small"); // sent to the receiver with --max-body kSmallBodyLimit
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("contentEncoding");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QString>("body"); // a name, built in the test (the big bodies are not kept around)
    QTest::addColumn<int>("status");

    const QByteArray json = "application/json";
    const QByteArray proto = "application/x-protobuf";
    QTest::newRow("malformed JSON") << false << QByteArray("/v1/traces") << json << QByteArray() << QByteArray()
                                    << QStringLiteral("truncated-json") << 400;
    QTest::newRow("JSON of the wrong shape") << false << QByteArray("/v1/logs") << json << QByteArray() << QByteArray()
                                             << QStringLiteral("wrong-shape") << 400;
    QTest::newRow("malformed protobuf") << false << QByteArray("/v1/metrics") << proto << QByteArray() << QByteArray()
                                        << QStringLiteral("garbage") << 400;
    QTest::newRow("gzip header, plain body") << false << QByteArray("/v1/logs") << json << QByteArray("gzip") << QByteArray()
                                             << QStringLiteral("valid-log") << 400;
    QTest::newRow("text/plain") << false << QByteArray("/v1/logs") << QByteArray("text/plain") << QByteArray() << QByteArray()
                                << QStringLiteral("valid-log") << 415;
    QTest::newRow("over the size limit") << false << QByteArray("/v1/logs") << json << QByteArray() << QByteArray()
                                         << QStringLiteral("oversized") << 413;
    QTest::newRow("over the size limit after gunzip") << false << QByteArray("/v1/logs") << json << QByteArray("gzip")
                                                      << QByteArray() << QStringLiteral("gzip-bomb") << 413;
    QTest::newRow("over --max-body") << true << QByteArray("/v1/logs") << json << QByteArray() << QByteArray()
                                     << QStringLiteral("oversized-small") << 413;
    QTest::newRow("over --max-body after gunzip") << true << QByteArray("/v1/traces") << json << QByteArray("gzip")
                                                  << QByteArray() << QStringLiteral("gzip-bomb-small") << 413;
    QTest::newRow("Origin header") << false << QByteArray("/v1/logs") << json << QByteArray() << QByteArray("http://localhost:3000")
                                   << QStringLiteral("valid-log") << 403;
}

void TestReceiverSdk::refusedRequestsStoreNothing()
{
    QFETCH(bool, small);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, contentEncoding);
    QFETCH(QByteArray, origin);
    QFETCH(QString, body);
    QFETCH(int, status);

    const QString token = randomHex(8);
    QByteArray payload;
    if (body == QStringLiteral("truncated-json"))
        payload = R"({"resourceSpans":[{"resource":{"attributes":[)";
    else if (body == QStringLiteral("wrong-shape"))
        payload = R"({"resourceLogs": 42})";
    else if (body == QStringLiteral("garbage"))
        payload = QByteArray(16, '\xff');
    else if (body == QStringLiteral("valid-log"))
        payload = otlpJsonLog(token);
    else if (body == QStringLiteral("oversized"))
        payload = paddedJson(kDefaultBodyLimit + kMiB);
    else if (body == QStringLiteral("gzip-bomb"))
        payload = gzip(paddedJson(kDefaultBodyLimit + kMiB));
    else if (body == QStringLiteral("oversized-small"))
        payload = paddedJson(2 * kSmallBodyLimit);
    else if (body == QStringLiteral("gzip-bomb-small"))
        payload = gzip(paddedJson(2 * kSmallBodyLimit));
    QVERIFY(!payload.isEmpty());

    const QStringList kinds{QStringLiteral("logs"), QStringLiteral("spans"), QStringLiteral("metrics")};
    const QString store = small ? m_smallStore : m_store;
    const quint16 port = small ? m_small.port() : m_server.port();
    QList<qint64> before;
    for (const QString &s : kinds) {
        before << countIn(store, s);
        QVERIFY(before.last() >= 0);
    }

    Headers headers{{"Content-Type", contentType}};
    if (!contentEncoding.isEmpty())
        headers.append({"Content-Encoding", contentEncoding});
    if (!origin.isEmpty())
        headers.append({"Origin", origin});
    const HttpReply reply = httpPost(port, path, headers, payload);
    payload.clear();
    QVERIFY2(reply.status == status, qPrintable(QStringLiteral("expected HTTP %1, got: ").arg(status) + reply.describe() + serverLog()));
    QVERIFY2(!reply.headers.toLower().contains("access-control-allow-origin"), "the receiver must send no CORS headers");

    for (qsizetype i = 0; i < kinds.size(); ++i)
        QVERIFY2(countIn(store, kinds.at(i)) == before.at(i),
                 qPrintable(QStringLiteral("a refused request changed the number of %1").arg(kinds.at(i))));
    QCOMPARE(countIn(store, QStringLiteral("logs"), QStringLiteral("fd.test.token = \"%1\"").arg(token)), qint64(0));
}

void TestReceiverSdk::serverSurvivesRefusals()
{
    QVERIFY2(m_server.isRunning(), qPrintable(QStringLiteral("the server exited") + serverLog()));
    QVERIFY2(m_small.isRunning(), qPrintable(QStringLiteral("the small-limit server exited") + serverLog()));
    const QString token = randomHex(8);
    const HttpReply reply = httpPost(m_server.port(), "/v1/logs",
                                     {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}},
                                     gzip(otlpJsonLog(token)));
    QVERIFY2(reply.status == 200, qPrintable(reply.describe() + serverLog()));
    QCOMPARE(count(QStringLiteral("logs"), QStringLiteral("fd.test.token = \"%1\"").arg(token)), qint64(1));
}

// A receiver that holds about two requests at a time (--max-in-flight 40000; one is ~15 KB) answers the
// SDK's 20 concurrent exports with 503 + Retry-After; the exporter retries them (a few attempts, then it
// gives up), and exactly what it reports as exported is stored.
void TestReceiverSdk::sdkRetriesBusyReceiver()
{
    if (nodeBin().isEmpty() || !QFileInfo(nodeBin()).isExecutable())
        QSKIP("node was not found when the build was configured; the OpenTelemetry SDK cases need it");
    const QString script = sdkDir() + QStringLiteral("/busy.mjs");
    if (!QFileInfo::exists(script))
        QSKIP(qPrintable(QStringLiteral("%1 is not installed; run the tests through ctest (fixture otel_sdk)").arg(script)));
    const QString store = m_cli.path(QStringLiteral("busy.sqlite"));
    Server busy;
    QString error;
    QVERIFY2(busy.start({QStringLiteral("--store"), store, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--max-in-flight"), QStringLiteral("40000")},
                        m_cli.environment(), m_cli.dir(), &error),
             qPrintable(error));
    const RunResult sent = runProgram(nodeBin(), {script, QStringLiteral("--endpoint"), busy.url()}, m_cli.environment(),
                                      180000, sdkDir());
    QVERIFY2(sent.succeeded(), qPrintable(sent.describe()));
    const std::optional<QJsonObject> result = parseObject(sent.out, &error);
    QVERIFY2(result, qPrintable(error));
    qInfo("%s", sent.out.trimmed().constData());
    const qint64 ok = result->value(QStringLiteral("ok")).toInteger();
    QVERIFY2(ok >= 10, sent.out.constData());
    QVERIFY(busy.terminate());
    static const QRegularExpression refused(QStringLiteral("(\\d+) answered 503 \\(busy"));
    const QRegularExpressionMatch m = refused.match(busy.stdErr());
    QVERIFY2(m.hasMatch() && m.captured(1).toLongLong() > 0, qPrintable(busy.stdErr()));
    QCOMPARE(countIn(store, QStringLiteral("spans")), ok * result->value(QStringLiteral("spans_per_batch")).toInteger());
}

QTEST_GUILESS_MAIN(TestReceiverSdk)
#include "tst_receiver_sdk.moc"

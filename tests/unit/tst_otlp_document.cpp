// OtlpDocumentReader: one OTLP/JSON document of any size read in pieces, and the importer that stores them.
#include "TestHelpers.h"
#include "connectors/import/FileImporter.h"
#include "connectors/import/OtlpDocumentReader.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/store/Store.h"
#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {

Json keyValue(const std::string &key, const std::string &value)
{
    return { { "key", key }, { "value", { { "stringValue", value } } } };
}

Json logRecords(const std::string &prefix, int n)
{
    Json out = Json::array();
    for (int i = 0; i < n; ++i)
        out.push_back({ { "timeUnixNano", std::to_string(1764590400000000000LL + i) },
                        { "body", { { "stringValue", prefix + std::to_string(i) } } } });
    return out;
}

// Two resources; the first has a scope of five records and an empty one, the second one of three.
Json twoResources()
{
    return { { "resourceLogs",
               { { { "resource", { { "attributes", { keyValue("service.name", "a") } } } },
                   { "scopeLogs",
                     { { { "scope", { { "name", "s1" } } }, { "logRecords", logRecords("a", 5) } },
                       { { "scope", { { "name", "s2" } } } } } },
                   { "schemaUrl", "x" } },
                 { { "resource", { { "attributes", { keyValue("service.name", "b") } } } },
                   { "scopeLogs", { { { "logRecords", logRecords("b", 3) } } } } } } } };
}

std::vector<OtlpPiece> piecesOf(const QByteArray &text, std::size_t itemsPerPiece, bool *request = nullptr,
                                CancelTokenPtr cancel = {})
{
    QBuffer buffer;
    buffer.setData(text);
    buffer.open(QIODevice::ReadOnly);
    std::vector<OtlpPiece> pieces;
    OtlpDocumentReader reader(buffer, std::move(cancel), [&](const OtlpPiece &p) { pieces.push_back(p); }, itemsPerPiece);
    const bool found = reader.read();
    if (request)
        *request = found;
    return pieces;
}

QString documentError(const QByteArray &text)
{
    try {
        piecesOf(text, 10);
    } catch (const DocumentError &e) {
        return e.message();
    }
    return QStringLiteral("(no error)");
}

// Every record of the pieces, decoded, as "service body".
QStringList decodedLogs(const std::vector<OtlpPiece> &pieces)
{
    QStringList out;
    for (const OtlpPiece &p : pieces)
        for (const LogRecord &r : decodeOtlpJson(p.signal, p.request).logs)
            out << QString::fromStdString(r.service + " " + jsonValueText(r.body));
    return out;
}

} // namespace

class TestOtlpDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void piecesHoldEveryItemWithItsResourceAndScope()
    {
        const Json doc = twoResources();
        bool request = false;
        const std::vector<OtlpPiece> pieces = piecesOf(QByteArray::fromStdString(doc.dump(2)), 2, &request);
        QVERIFY(request);
        std::vector<std::size_t> items;
        for (const OtlpPiece &p : pieces)
            items.push_back(p.items);
        QCOMPARE(items, (std::vector<std::size_t>{ 2, 2, 1, 0, 2, 1 })); // the empty scope is a piece of its own
        QCOMPARE(pieces[0].request["resourceLogs"][0]["scopeLogs"][0]["scope"].dump(), std::string(R"({"name":"s1"})"));
        QCOMPARE(pieces[3].request["resourceLogs"][0]["scopeLogs"][0]["scope"].dump(), std::string(R"({"name":"s2"})"));
        QVERIFY(!pieces[4].request["resourceLogs"][0]["scopeLogs"][0].contains("scope"));

        QStringList whole;
        for (const LogRecord &r : decodeOtlpJson(OtlpSignal::Logs, doc).logs)
            whole << QString::fromStdString(r.service + " " + jsonValueText(r.body));
        QCOMPARE(whole.size(), 8);
        QCOMPARE(decodedLogs(pieces), whole);
        QVERIFY(std::is_sorted(pieces.begin(), pieces.end(), [](const OtlpPiece &a, const OtlpPiece &b) { return a.bytesRead < b.bytesRead; }));

        // a byte-order mark, proto's member names, spans
        const QByteArray spans = "\xEF\xBB\xBF" R"({"resource_spans": [{"scope_spans": [{"spans": [
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "a",
             "startTimeUnixNano": "1", "endTimeUnixNano": "2"}]}]}]})";
        const std::vector<OtlpPiece> traced = piecesOf(spans, 10);
        QCOMPARE(traced.size(), std::size_t(1));
        QVERIFY(traced[0].signal == OtlpSignal::Traces);
        QCOMPARE(decodeOtlpJson(OtlpSignal::Traces, traced[0].request).spans.size(), std::size_t(1));
    }

    void notARequestOrNotJson()
    {
        bool request = true;
        QVERIFY(piecesOf(R"({"data": [1, 2], "resource": {}})", 10, &request).empty());
        QVERIFY(!request);
        QCOMPARE(documentError("[1, 2]"), QStringLiteral("not an OTLP/JSON export request: the document is not an object"));
        QVERIFY(documentError(R"({"resourceLogs": [{"scopeLogs": [)").startsWith(QStringLiteral("not valid JSON at byte 34 (")));
        QVERIFY(documentError("{}\n{}").startsWith(QStringLiteral("not valid JSON at byte 4 (")));
        QVERIFY(documentError("{\"resourceLogs\": [{\"resource\": \"\xC3\"}]}").startsWith(QStringLiteral("not valid JSON")));
        const QByteArray deep = R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": )" + QByteArray(200000, '[');
        QCOMPARE(documentError(deep), QStringLiteral("JSON nested deeper than 128 levels"));
        // a list that is no list goes to the decoder whole, which says what is wrong
        const std::vector<OtlpPiece> odd = piecesOf(R"({"resourceLogs": 5})", 10, &request);
        QVERIFY(request);
        QCOMPARE(odd.size(), std::size_t(1));
        QVERIFY_THROWS_EXCEPTION(Error, decodeOtlpJson(OtlpSignal::Logs, odd[0].request));
    }

    // Found by review: a document nested too deep was taken for JSON lines and read as a bad line each; and a
    // resource written after its records went unsaid.
    void aDeepItemOrALateResourceIsSaid()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        const QString deep = dir.filePath(QStringLiteral("deep.json"));
        Json records = logRecords("r", 2);
        records.push_back({ { "body", { { "stringValue", "x" } } } });
        std::string text = Json { { "resourceLogs", { { { "scopeLogs", { { { "logRecords", records } } } } } } } }.dump(2);
        text.replace(text.rfind("\"x\""), 3, std::string(200, '[') + std::string(200, ']'));
        QVERIFY(fdtest::writeFile(deep, QByteArray::fromStdString(text)));
        const ImportReport d = FileImporter(store).import(deep, ImportFormat::Auto, {});
        QCOMPARE(d.records, 2);
        QCOMPARE(d.badLines, 1);
        QCOMPARE(d.problems, (std::vector<std::string>{ "deep.json:1: JSON nested deeper than 128 levels" }));

        const QString late = dir.filePath(QStringLiteral("late.json"));
        const Json lateDoc = { { "resourceLogs",
                                 { { { "scopeLogs", { { { "logRecords", logRecords("r", 3) } } } },
                                     { "resource", { { "attributes", { keyValue("service.name", "a") } } } } } } } };
        QVERIFY(fdtest::writeFile(late, QByteArray::fromStdString(lateDoc.dump(2))));
        const ImportReport l = FileImporter(store).import(late, ImportFormat::Auto, {});
        QCOMPARE(l.records, 3);
        QCOMPARE(l.problems.size(), std::size_t(1));
        QVERIFY2(l.problems[0].find("a resource written after its records") != std::string::npos, l.problems[0].c_str());
    }

    void cancelStopsTheWalk()
    {
        const Json doc = { { "resourceLogs", { { { "scopeLogs", { { { "logRecords", logRecords("r", 20000) } } } } } } } };
        const CancelTokenPtr cancel = makeCancelToken();
        cancel->cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, piecesOf(QByteArray::fromStdString(doc.dump()), 100, nullptr, cancel));
    }

    // Past its first 16 MiB a document is committed as it is read: a fault at its end keeps the records
    // before it and says where it is (a document that large was read as 10 million bad lines before).
    void aLargeDocumentIsStoredAsItIsRead()
    {
        constexpr int kRecords = 90'000;
        Json records = Json::array();
        const std::string padding(160, 'p');
        for (int i = 0; i < kRecords; ++i)
            records.push_back({ { "timeUnixNano", std::to_string(1764590400000000000LL + i) },
                                { "body", { { "stringValue", padding + std::to_string(i) } } } });
        const Json doc = { { "resourceLogs", { { { "scopeLogs", { { { "logRecords", std::move(records) } } } } } } } };
        const QByteArray text = QByteArray::fromStdString(doc.dump(2));
        QVERIFY2(text.size() > 20 * 1024 * 1024, qPrintable(QString::number(text.size())));
        QTemporaryDir dir;
        const QString whole = dir.filePath(QStringLiteral("whole.json"));
        QVERIFY(fdtest::writeFile(whole, text));
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        std::vector<qint64> progress;
        const ImportReport r = FileImporter(store).import(whole, ImportFormat::Auto, {}, [&](qint64 done, qint64) { progress.push_back(done); });
        QCOMPARE(r.records, kRecords);
        QCOMPARE(r.badLines, 0);
        QCOMPARE(store.counts().logs, kRecords);
        QVERIFY(progress.size() >= 3 && std::is_sorted(progress.begin(), progress.end())); // each batch, then done
        QCOMPARE(progress.back(), qint64(text.size()));

        const QString cut = dir.filePath(QStringLiteral("cut.json"));
        QVERIFY(fdtest::writeFile(cut, text.left(text.size() - 100)));
        Store other(dir.filePath(QStringLiteral("t.sqlite")));
        const ImportReport c = FileImporter(other).import(cut, ImportFormat::Auto, {});
        QCOMPARE(c.records, kRecords - 1); // every whole record before the cut
        QCOMPARE(other.counts().logs, c.records);
        QCOMPARE(c.badLines, 1);
        QCOMPARE(c.problems.size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(c.problems[0]).startsWith(QStringLiteral("cut.json:1: not valid JSON at byte ")),
                 c.problems[0].c_str());
    }
};

QTEST_GUILESS_MAIN(TestOtlpDocument)
#include "tst_otlp_document.moc"

// The receiver (`flightdeck serve`) and the importer (`flightdeck import`) fed the fuzz targets' seeds and
// mutations of them (tests/fuzz/FuzzSeeds.h, as fuzz_replay makes them), as the programs people run: HTTP
// parsing, gunzip, decoding and the store together, where the fuzz targets cover the decoders alone. Under
// the asan preset (CI) the sanitizers watch the whole path. Every request gets an answer a sender can act
// on (200, 400, 413, 415), the receiver keeps running and stops cleanly, and every import ends with its
// report or a clear error.
#include "CliRunner.h"
#include "FuzzSeeds.h"
#include "connectors/http/HttpClient.h"
#include "connectors/otlp/Gzip.h"
#include "connectors/store/Store.h"
#include <QtTest>

namespace {

// Cuts, bit flips and invalid UTF-8 of each seed, and this many stacks of random edits.
constexpr int kRandomRounds = 40;

std::vector<fdfuzz::fs::path> seeds(const char *target)
{
    return fdfuzz::seedFiles(target, FD_SOURCE_DIR, FD_SHARED_FIXTURES);
}

// A sanitizer's report in a program's stderr (UBSan's "runtime error" may not end the program).
bool sanitizerSpoke(const QString &err)
{
    return err.contains(QStringLiteral("ERROR: AddressSanitizer")) || err.contains(QStringLiteral("runtime error:"))
        || err.contains(QStringLiteral("ERROR: LeakSanitizer"));
}

struct Body {
    std::string what;
    std::string bytes;
    std::string contentType;
    bool gzipped = false;
};

// What the receiver is sent: each OTLP seed and its mutations as JSON and protobuf, the gzip seeds and theirs
// as gzipped JSON, and each JSON seed gzipped as it is.
std::vector<Body> bodies()
{
    std::vector<Body> out;
    const auto add = [&out](const char *target, const std::string &type, bool gzipped) {
        const auto files = seeds(target);
        for (std::size_t i = 0; i < files.size(); ++i)
            for (auto &[how, bytes] : fdfuzz::mutations(fdfuzz::readFile(files[i]), std::uint32_t(i * 31 + 7), kRandomRounds))
                out.push_back({ files[i].filename().string() + ", " + how, std::move(bytes), type, gzipped });
    };
    add("otlp_json", "application/json", false);
    add("otlp_proto", "application/x-protobuf", false);
    add("gzip", "application/json", true);
    for (const auto &file : seeds("otlp_json"))
        out.push_back({ file.filename().string() + ", gzipped", fd::gzip(fdfuzz::readFile(file)), "application/json", true });
    return out;
}

// The body of a wrong answer, to replay by hand: curl --data-binary @FILE.
void keepBody(const Body &b)
{
    QFile f(QDir::temp().filePath(QStringLiteral("tst_corpus_ingest-body")));
    if (f.open(QIODevice::WriteOnly) && f.write(b.bytes.data(), qint64(b.bytes.size())) == qint64(b.bytes.size()))
        qWarning("the body is kept in %s (%s, %s)", qPrintable(f.fileName()), b.contentType.c_str(), b.gzipped ? "gzip" : "plain");
}

} // namespace

class TestCorpusIngest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void receiverAnswersEveryBody()
    {
        fdtest::Cli cli;
        QVERIFY(cli.isValid());
        const QString store = cli.path(QStringLiteral("receiver.sqlite"));
        fdtest::Server server;
        QString error;
        QVERIFY2(server.start({ QStringLiteral("--store"), store, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0") },
                              cli.environment(), cli.dir(), &error),
                 qPrintable(error));
        const char *paths[] = { "/v1/traces", "/v1/logs", "/v1/metrics" };
        const std::vector<Body> all = bodies();
        QVERIFY(all.size() > 500);
        std::map<int, int> statuses;
        for (std::size_t i = 0; i < all.size(); ++i) {
            const Body &b = all[i];
            fd::HttpRequestSpec spec;
            spec.url = server.url().toStdString() + paths[i % 3];
            spec.body = b.bytes;
            spec.contentType = b.contentType;
            if (b.gzipped)
                spec.headers.emplace_back("Content-Encoding", "gzip");
            fd::HttpReply reply;
            try {
                reply = fd::HttpClient().post(spec, fd::makeCancelToken());
            } catch (const std::exception &e) {
                QFAIL(qPrintable(QStringLiteral("%1 to %2: %3").arg(QString::fromStdString(b.what), QString::fromLatin1(paths[i % 3]),
                                                                    QString::fromUtf8(e.what()))));
            }
            const int status = reply.status;
            ++statuses[status];
            if (status != 200 && status != 400 && status != 413 && status != 415)
                keepBody(b);
            QVERIFY2(status == 200 || status == 400 || status == 413 || status == 415,
                     qPrintable(QStringLiteral("%1 to %2: HTTP %3 %4").arg(QString::fromStdString(b.what), QString::fromLatin1(paths[i % 3]))
                                    .arg(status)
                                    .arg(QString::fromStdString(reply.body.substr(0, 2000)))));
        }
        QString answered;
        for (const auto &[status, n] : statuses)
            answered += QStringLiteral(" %1×%2").arg(n).arg(status);
        qInfo("%zu bodies:%s", all.size(), qPrintable(answered));
        QVERIFY2(statuses[200] > 0 && statuses[400] > 0, qPrintable(answered));
        QVERIFY(server.isRunning());
        QVERIFY2(server.terminate(), qPrintable(server.stdErr()));
        QVERIFY2(!sanitizerSpoke(server.stdErr()), qPrintable(server.stdErr().left(4000)));

        fd::Store stored(store, fd::Store::Mode::ReadOnly); // what was acknowledged is there, and the file opens
        const fd::StoreCounts counts = stored.counts();
        QVERIFY(counts.logs > 0 && counts.spans > 0 && counts.metrics > 0);
    }

    void importEndsWithAReportOrAClearError_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("format");
        QTest::newRow("jsonlines") << QStringLiteral("jsonlines") << QStringLiteral("jsonl");
        QTest::newRow("otlp_json") << QStringLiteral("otlp_json") << QStringLiteral("otlp-json");
    }

    // One import per seed, of the seed and each mutation as files of their own.
    void importEndsWithAReportOrAClearError()
    {
        QFETCH(QString, target);
        QFETCH(QString, format);
        fdtest::Cli cli;
        QVERIFY(cli.isValid());
        const auto files = seeds(target.toUtf8().constData());
        QVERIFY(!files.empty());
        for (std::size_t i = 0; i < files.size(); ++i) {
            const QString dir = cli.path(QStringLiteral("inputs-%1").arg(i));
            QVERIFY(QDir().mkpath(dir));
            QStringList inputs;
            for (const auto &[how, bytes] : fdfuzz::mutations(fdfuzz::readFile(files[i]), std::uint32_t(i * 17 + 3), 10)) {
                QFile f(QDir(dir).filePath(QStringLiteral("%1.in").arg(inputs.size())));
                QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size()));
                inputs << f.fileName();
            }
            const fdtest::RunResult r = cli.run(QStringList { QStringLiteral("import") } + inputs
                                                + QStringList { QStringLiteral("--format"), format, QStringLiteral("--store"),
                                                                cli.path(QStringLiteral("import.sqlite")),
                                                                QStringLiteral("--again") }); // mutations alike are inputs too
            const QString seed = QString::fromStdString(files[i].string());
            QVERIFY2(r.succeeded() || (r.failedCleanly() && r.stdErr().contains(QStringLiteral("nothing was imported"))),
                     qPrintable(seed + QStringLiteral(": ") + r.describe() + QStringLiteral("\n") + r.stdErr().left(4000)));
            QVERIFY2(!sanitizerSpoke(r.stdErr()), qPrintable(seed + QStringLiteral(":\n") + r.stdErr().left(4000)));
            QCOMPARE(r.stdOut().count(QStringLiteral(" records from ")), inputs.size()); // a report per file
        }
    }
};

QTEST_GUILESS_MAIN(TestCorpusIngest)
#include "tst_corpus_ingest.moc"

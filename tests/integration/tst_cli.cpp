// The command line as DESIGN.md's "Command line" section promises it to scripts: --version and --help,
// `serve` (listening line, busy port, loopback-only), errors on stderr with a non-zero exit, `mark`
// (and the marker reaching the store and the board's DORA figures), and `import` of OTLP/JSON (the
// shared upstream fixtures) and of JSON lines with a bad line.

#include "tests/unit/ImportSamples.h"
#include "CliRunner.h"

#include <sys/stat.h>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QHostAddress>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <limits>

using namespace fdtest;

namespace {

QString fixturesDir() { return QString::fromUtf8(FD_SHARED_FIXTURES); }

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QString randomToken()
{
    return QString::number(QDateTime::currentMSecsSinceEpoch(), 36) + QString::number(QCoreApplication::applicationPid(), 36);
}

// OTLP/JSON AnyValue -> the typed form CliRunner.h compares with ({"type", "value", "item_types"}).
QJsonObject typedFromAnyValue(const QJsonObject &v)
{
    if (v.contains(QStringLiteral("stringValue")))
        return typedValue(QStringLiteral("string"), v.value(QStringLiteral("stringValue")));
    if (v.contains(QStringLiteral("boolValue")))
        return typedValue(QStringLiteral("bool"), v.value(QStringLiteral("boolValue")));
    if (v.contains(QStringLiteral("intValue")))
        return typedValue(QStringLiteral("int"), QJsonValue(jsonInt64(v.value(QStringLiteral("intValue"))).value_or(0)));
    if (v.contains(QStringLiteral("doubleValue")))
        return typedValue(QStringLiteral("double"), v.value(QStringLiteral("doubleValue")).toDouble());
    if (v.contains(QStringLiteral("arrayValue"))) {
        QJsonArray values;
        QStringList types;
        for (const QJsonValue &item : v.value(QStringLiteral("arrayValue")).toObject().value(QStringLiteral("values")).toArray()) {
            const QJsonObject t = typedFromAnyValue(item.toObject());
            types << t.value(QStringLiteral("type")).toString();
            values << t.value(QStringLiteral("value"));
        }
        return typedValue(QStringLiteral("array"), values, types);
    }
    if (v.contains(QStringLiteral("kvlistValue"))) {
        QJsonObject entries;
        for (const QJsonValue &kv : v.value(QStringLiteral("kvlistValue")).toObject().value(QStringLiteral("values")).toArray())
            entries.insert(kv.toObject().value(QStringLiteral("key")).toString(),
                           typedFromAnyValue(kv.toObject().value(QStringLiteral("value")).toObject()));
        return typedValue(QStringLiteral("map"), entries);
    }
    return typedValue(QStringLiteral("unsupported"), QJsonValue());
}

QJsonObject typedFromKeyValues(const QJsonArray &keyValues)
{
    QJsonObject out;
    for (const QJsonValue &kv : keyValues)
        out.insert(kv.toObject().value(QStringLiteral("key")).toString(),
                   typedFromAnyValue(kv.toObject().value(QStringLiteral("value")).toObject()));
    return out;
}

// withScopeAttributes with the scope's own attributes, as a fixture gives them (OTLP KeyValues).
QJsonObject withFixtureScope(const QJsonObject &typed, const QJsonObject &scope)
{
    return withScopeAttributes(typed, scope, typedFromKeyValues(scope.value(QStringLiteral("attributes")).toArray()));
}

QString serviceOf(const QJsonObject &resource)
{
    for (const QJsonValue &kv : resource.value(QStringLiteral("attributes")).toArray()) {
        if (kv.toObject().value(QStringLiteral("key")).toString() == QStringLiteral("service.name"))
            return kv.toObject().value(QStringLiteral("value")).toObject().value(QStringLiteral("stringValue")).toString();
    }
    return {};
}

std::optional<QJsonObject> readJsonFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": ") + f.errorString();
        return std::nullopt;
    }
    return parseObject(f.readAll(), error);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void version();
    void guiTakesQtsOwnOptions();
    void help_data();
    void help();
    void serveListensAndRefusesBusyPort();
    void serveRefusesRemoteWithoutFlag();
    void serveWritesTheWorkspacesStore();
    void importOfSeveralFilesSaysWhichFailed();
    void mark();
    void boardSeesMarkers();
    void errors_data();
    void errors();
    void importOtlpFixtures();
    void importJsonLines();
    void importJsonLinesKeys();
    void metricRowsHaveAColumnPerLabel();

private:
    std::optional<Table> query(const QString &store, const QStringList &args, QString *error) const;

    Cli m_cli;
    QString m_store; // created by mark()
};

void TestCli::initTestCase()
{
    QVERIFY2(m_cli.isValid(), "cannot create a temporary folder");
    QVERIFY2(QFileInfo(flightdeckBin()).isExecutable(), qPrintable(flightdeckBin() + QStringLiteral(" is not built")));
    m_store = m_cli.path(QStringLiteral("cli.sqlite"));
}

std::optional<Table> TestCli::query(const QString &store, const QStringList &args, QString *error) const
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

void TestCli::version()
{
    const RunResult r = m_cli.run({QStringLiteral("--version")}, 60000);
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    static const QRegularExpression versionRe(QStringLiteral(R"(\b\d+\.\d+(\.\d+)?\b)"));
    QVERIFY2(versionRe.match(r.stdOut()).hasMatch(), qPrintable(QStringLiteral("no version number on stdout: ") + r.describe()));
}

// Exploratory test: Qt's own options (-style, -geometry) were refused as unknown options of the app.
void TestCli::guiTakesQtsOwnOptions()
{
    const QString workspace = m_cli.path(QStringLiteral("qt-options.flightdeck.json"));
    QFile file(workspace);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"flightdeck_workspace": 1, "sources": [{"id": "local", "type": "store", "path": "qt-options.sqlite"}]})");
    file.close();
    const RunResult r = m_cli.run({QStringLiteral("--measure-startup"), QStringLiteral("--no-receiver"),
                                   QStringLiteral("--workspace"), workspace, QStringLiteral("-style"),
                                   QStringLiteral("fusion")},
                                  60000); // -geometry too, where a window system takes it (offscreen does not)
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    QVERIFY2(!r.stdErr().contains(QStringLiteral("Unknown option")), qPrintable(r.describe()));
}

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions"); // an option the help of that command must name
    QTest::addColumn<QString>("usage"); // how it begins: the program by name, not the path it ran from, and the command
    const auto row = [](const char *name, const QStringList &args, const char *mentions, const char *usage) {
        QTest::newRow(name) << args << QString::fromUtf8(mentions) << QString::fromUtf8(usage);
    };
    row("flightdeck", {QStringLiteral("--help")}, "--workspace", "Usage: flightdeck [--workspace FILE]");
    row("the GUI's options", {QStringLiteral("--no-receiver"), QStringLiteral("--help")}, "--measure-startup",
        "Usage: flightdeck [options] [FILE]");
    for (const char *command : {"demo", "serve", "import", "mark", "query", "trace", "board", "export", "credential"}) {
        static const QHash<QString, QString> mentions = {{QStringLiteral("demo"), QStringLiteral("--days")},
            {QStringLiteral("serve"), QStringLiteral("--otlp")}, {QStringLiteral("import"), QStringLiteral("--format")},
            {QStringLiteral("mark"), QStringLiteral("--kind")}, {QStringLiteral("query"), QStringLiteral("--where")},
            {QStringLiteral("trace"), QStringLiteral("--format")}, {QStringLiteral("board"), QStringLiteral("--board")},
            {QStringLiteral("export"), QStringLiteral("--out")}, {QStringLiteral("credential"), QStringLiteral("--bearer")}};
        const QString name = QString::fromUtf8(command);
        QTest::newRow(command) << QStringList{name, QStringLiteral("--help")} << mentions.value(name)
                               << QStringLiteral("Usage: flightdeck %1 [options]").arg(name);
    }
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    QFETCH(QString, usage);
    const RunResult r = m_cli.run(args, 60000);
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    const QString text = r.stdOut() + r.stdErr();
    QVERIFY2(text.contains(mentions), qPrintable(QStringLiteral("the help does not mention %1: ").arg(mentions) + r.describe()));
    QVERIFY2(text.startsWith(usage), qPrintable(r.describe()));
}

void TestCli::serveListensAndRefusesBusyPort()
{
    Server server;
    QString error;
    QVERIFY2(server.start({QStringLiteral("--store"), m_cli.path(QStringLiteral("serve.sqlite")), QStringLiteral("--otlp"),
                           QStringLiteral("127.0.0.1:0")},
                          m_cli.environment(), m_cli.dir(), &error),
             qPrintable(error));
    QCOMPARE(server.host(), QStringLiteral("127.0.0.1"));
    QVERIFY2(server.port() != 0, qPrintable(QStringLiteral("port 0 in: ") + server.stdOut()));
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), server.port());
        QVERIFY2(socket.waitForConnected(10000),
                 qPrintable(QStringLiteral("nothing accepts on the printed port %1: %2").arg(server.port()).arg(socket.errorString())));
    }

    // A second receiver on the same address fails, and says which address.
    const QString address = QStringLiteral("127.0.0.1:%1").arg(server.port());
    const RunResult second = m_cli.run({QStringLiteral("serve"), QStringLiteral("--store"), m_cli.path(QStringLiteral("serve2.sqlite")),
                                        QStringLiteral("--otlp"), address},
                                       30000);
    QVERIFY2(second.failedCleanly(), qPrintable(QStringLiteral("serve on a busy port must exit non-zero: ") + second.describe()));
    QVERIFY2(second.stdErr().contains(address), qPrintable(QStringLiteral("the message must name %1: ").arg(address) + second.describe()));
    QVERIFY2(server.isRunning(), qPrintable(QStringLiteral("the first receiver died: ") + server.stdErr()));
    // exploratory test: demo renamed a new file over the store serve wrote, which acknowledged records into the old one
    const RunResult demo = m_cli.run({QStringLiteral("demo"), QStringLiteral("--store"), m_cli.path(QStringLiteral("serve.sqlite")),
                                      QStringLiteral("--workspace"), m_cli.path(QStringLiteral("serve.flightdeck.json")),
                                      QStringLiteral("--days"), QStringLiteral("1")},
                                     60000);
    QVERIFY2(demo.failedCleanly() && demo.stdErr().contains(QStringLiteral("is open for writing in another Flightdeck process")),
             qPrintable(demo.describe()));
    QVERIFY(!QFileInfo::exists(m_cli.path(QStringLiteral("serve.flightdeck.json"))));
    server.stop();

    // The same when the port belongs to another program.
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress(QHostAddress::LocalHost), 0));
    const QString otherAddress = QStringLiteral("127.0.0.1:%1").arg(other.serverPort());
    const RunResult third = m_cli.run({QStringLiteral("serve"), QStringLiteral("--store"), m_cli.path(QStringLiteral("serve2.sqlite")),
                                       QStringLiteral("--otlp"), otherAddress},
                                      30000);
    QVERIFY2(third.failedCleanly(), qPrintable(third.describe()));
    QVERIFY2(third.stdErr().contains(otherAddress), qPrintable(QStringLiteral("the message must name %1: ").arg(otherAddress) + third.describe()));
}

void TestCli::serveRefusesRemoteWithoutFlag()
{
    const RunResult r = m_cli.run({QStringLiteral("serve"), QStringLiteral("--store"), m_cli.path(QStringLiteral("remote.sqlite")),
                                   QStringLiteral("--otlp"), QStringLiteral("0.0.0.0:0")},
                                  20000);
    QVERIFY2(!r.timedOut, qPrintable(QStringLiteral("serve --otlp 0.0.0.0:0 without --allow-remote kept running: ") + r.describe()));
    QVERIFY2(r.failedCleanly(), qPrintable(r.describe()));
    QVERIFY2(r.stdErr().contains(QStringLiteral("allow-remote")) || r.stdErr().contains(QStringLiteral("0.0.0.0")),
             qPrintable(QStringLiteral("the message should name the address or --allow-remote: ") + r.describe()));
}

void TestCli::serveWritesTheWorkspacesStore()
{
    const QString workspace = m_cli.path(QStringLiteral("served.flightdeck.json"));
    QVERIFY(writeFile(workspace, R"({"flightdeck_workspace": 1, "sources": [{"id": "local", "type": "store", "path": "served.sqlite"}]})"));
    Server server;
    QString error;
    QVERIFY2(server.start({QStringLiteral("--workspace"), workspace, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0")},
                          m_cli.environment(), m_cli.dir(), &error),
             qPrintable(error));
    QVERIFY(QFileInfo::exists(m_cli.path(QStringLiteral("served.sqlite")))); // made before it listens
    server.stop();
}

void TestCli::importOfSeveralFilesSaysWhichFailed()
{
    const QString good = m_cli.path(QStringLiteral("good.jsonl"));
    const QString garbage = m_cli.path(QStringLiteral("garbage.txt"));
    QVERIFY(writeFile(good, "{\"time\": \"2026-01-01T00:00:00Z\", \"msg\": \"kept\"}\n"));
    QVERIFY(writeFile(garbage, "not json\nnor this\n"));
    // A missing file is found before anything is stored, or any store made.
    const QString untouched = m_cli.path(QStringLiteral("untouched.sqlite"));
    const RunResult missing = m_cli.run({QStringLiteral("import"), good, m_cli.path(QStringLiteral("nope2.jsonl")), QStringLiteral("--store"), untouched}, 30000);
    QVERIFY2(missing.failedCleanly() && missing.stdErr().contains(QStringLiteral("nope2.jsonl: no such file")), qPrintable(missing.describe()));
    QVERIFY(!QFileInfo::exists(untouched));
    // A file of which nothing could be read fails the command; the others' records are kept.
    const QString mixed = m_cli.path(QStringLiteral("mixed.sqlite"));
    const RunResult r = m_cli.run({QStringLiteral("import"), garbage, good, QStringLiteral("--store"), mixed}, 30000);
    QVERIFY2(r.failedCleanly() && r.stdErr().contains(QStringLiteral("nothing was imported from ") + garbage), qPrintable(r.describe()));
    const RunResult count = m_cli.run({QStringLiteral("query"), QStringLiteral("--store"), mixed, QStringLiteral("--agg"), QStringLiteral("count"),
                                       QStringLiteral("--from"), QStringLiteral("2025-12-31T00:00:00Z"), QStringLiteral("--to"),
                                       QStringLiteral("2026-01-02T00:00:00Z"), QStringLiteral("--format"), QStringLiteral("csv")},
                                      30000);
    QVERIFY2(count.succeeded() && count.stdOut().trimmed().endsWith(QLatin1Char('1')), qPrintable(count.describe()));
}

void TestCli::mark()
{
    const QString title = QStringLiteral("cli deploy ") + randomToken();
    const qint64 markTime = (nowNs() / kNanosPerSecond - 600) * kNanosPerSecond + 123456789; // 10 min ago, all 9 digits
    const qint64 commitTime = markTime - 3 * 3600 * kNanosPerSecond;
    const QStringList deploy{QStringLiteral("mark"), QStringLiteral("--store"), m_store, QStringLiteral("--kind"),
                             QStringLiteral("deploy"), QStringLiteral("--service"), QStringLiteral("auth"),
                             QStringLiteral("--title"), title, QStringLiteral("--version"), QStringLiteral("1.2"),
                             QStringLiteral("--commit"), QStringLiteral("abc1234"), QStringLiteral("--commit-time"),
                             formatRfc3339Ns(commitTime), QStringLiteral("--url"),
                             QStringLiteral("https://ci.example.invalid/deploys/1"), QStringLiteral("--time"),
                             formatRfc3339Ns(markTime), QStringLiteral("--attr"), QStringLiteral("team=identity")};
    const RunResult r = m_cli.run(deploy);
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    // A deploy script that runs again (a retried pipeline step) stores no second deploy: one row below.
    const RunResult again = m_cli.run(deploy);
    QVERIFY2(again.succeeded(), qPrintable(again.describe()));
    QVERIFY2(again.stdOut().contains(QStringLiteral("stored already")), qPrintable(again.describe()));
    const RunResult plain = m_cli.run({QStringLiteral("mark"), QStringLiteral("--store"), m_store, QStringLiteral("--kind"),
                                       QStringLiteral("flag"), QStringLiteral("--service"), QStringLiteral("frontend"),
                                       QStringLiteral("--title"), QStringLiteral("new checkout flow on")});
    QVERIFY2(plain.succeeded(), qPrintable(plain.describe()));

    // The store still answers queries.
    QString error;
    const std::optional<Table> logs = query(m_store, {QStringLiteral("--signal"), QStringLiteral("logs"), QStringLiteral("--from"),
                                                      QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now+1h")},
                                            &error);
    QVERIFY2(logs, qPrintable(error));
    QCOMPARE(logs->total, qint64(0));

    // The marker is in the store, as given (read with SQLite directly: the command line has no marker listing).
    {
        const QString connection = QStringLiteral("tst_cli_markers");
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(m_store);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.prepare(QStringLiteral("SELECT time, kind, service, version, commit_sha, url FROM markers WHERE title = ?")),
                 qPrintable(QStringLiteral("the store has no markers table of the expected shape: ") + q.lastError().text()));
        q.addBindValue(title);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        QVERIFY2(q.next(), qPrintable(QStringLiteral("marker \"%1\" is not in the store").arg(title)));
        QCOMPARE(q.value(0).toLongLong(), markTime);
        QCOMPARE(q.value(1).toString(), QStringLiteral("deploy"));
        QCOMPARE(q.value(2).toString(), QStringLiteral("auth"));
        QCOMPARE(q.value(3).toString(), QStringLiteral("1.2"));
        QCOMPARE(q.value(4).toString(), QStringLiteral("abc1234"));
        QCOMPARE(q.value(5).toString(), QStringLiteral("https://ci.example.invalid/deploys/1"));
        QVERIFY(!q.next());
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_cli_markers"));
}

// The deploy marker from mark() counts in the board's DORA figures.
void TestCli::boardSeesMarkers()
{
    QVERIFY2(QFileInfo::exists(m_store), "needs the store that mark() writes");
    const QString workspace = m_cli.path(QStringLiteral("cli.flightdeck.json"));
    const QByteArray ws = R"({
      "flightdeck_workspace": 1,
      "sources": [ {"id": "local", "type": "store", "path": "cli.sqlite"} ],
      "queries": [],
      "boards": [ {"name": "CLI", "tiles": [
        {"name": "Log volume", "kind": "value", "unit": "",
         "query": {"signal": "logs", "agg": "count", "interval": "5m"},
         "range": {"method": "seasonal", "period": "1d", "lookback": 7, "band": [0.05, 0.95]}} ]} ],
      "incidents": [],
      "view": {"time_range": {"from": "now-24h", "to": "now"}, "variables": {}}
    })";
    QVERIFY(writeFile(workspace, ws));
    const RunResult r = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), workspace, QStringLiteral("--from"),
                                   QStringLiteral("now-2h"), QStringLiteral("--to"), QStringLiteral("now"), QStringLiteral("--format"),
                                   QStringLiteral("json")});
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    QString error;
    const std::optional<QJsonObject> board = parseObject(r.out, &error);
    QVERIFY2(board, qPrintable(error));
    QCOMPARE(board->value(QStringLiteral("board")).toString(), QStringLiteral("CLI"));
    QVERIFY(parseRfc3339Ns(board->value(QStringLiteral("from")).toString()));
    QVERIFY(parseRfc3339Ns(board->value(QStringLiteral("to")).toString()));
    const QJsonArray tiles = board->value(QStringLiteral("tiles")).toArray();
    QCOMPARE(tiles.size(), 1);
    QCOMPARE(tiles.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Log volume"));
    static const QStringList states{QStringLiteral("ok"), QStringLiteral("warn"), QStringLiteral("bad"), QStringLiteral("no_data")};
    QVERIFY2(states.contains(tiles.at(0).toObject().value(QStringLiteral("state")).toString()),
             qPrintable(QStringLiteral("bad tile state: ") + jsonText(tiles.at(0))));
    const QJsonObject dora = board->value(QStringLiteral("dora")).toObject();
    const QJsonValue perDay = dora.value(QStringLiteral("overall")).toObject().value(QStringLiteral("deploys_per_day"));
    QVERIFY2(perDay.isDouble() && perDay.toDouble() > 0,
             qPrintable(QStringLiteral("the deploy marked 10 minutes ago is not counted: ") + jsonText(dora)));
    QVERIFY2(dora.value(QStringLiteral("by_service")).toObject().contains(QStringLiteral("auth")),
             qPrintable(QStringLiteral("no DORA figures for service auth: ") + jsonText(dora)));

    // --to alone: the view's 24 hours ending there (it had kept from at now-24h and called the range empty)
    const RunResult past = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), workspace, QStringLiteral("--to"),
                                      QStringLiteral("2026-11-20T00:00:00Z"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(past.succeeded(), qPrintable(past.describe()));
    const std::optional<QJsonObject> day = parseObject(past.out, &error);
    QVERIFY2(day, qPrintable(error));
    QCOMPARE(day->value(QStringLiteral("from")).toString(), QStringLiteral("2026-11-19T00:00:00.000000000Z"));
    QCOMPARE(day->value(QStringLiteral("to")).toString(), QStringLiteral("2026-11-20T00:00:00.000000000Z"));

    // --from alone after the view's end: the view's length from there (review: the mirror of --to alone)
    const RunResult ahead = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), workspace, QStringLiteral("--from"),
                                       QStringLiteral("2099-01-01T00:00:00Z"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(ahead.succeeded(), qPrintable(ahead.describe()));
    QCOMPARE(parseObject(ahead.out, &error)->value(QStringLiteral("to")).toString(), QStringLiteral("2099-01-02T00:00:00.000000000Z"));

    // A deploy half an hour before the range's end, rolled back 40 minutes after it, failed.
    for (const auto &[kind, time] : {std::pair{"deploy", "2026-11-10T23:30:00Z"}, std::pair{"rollback", "2026-11-11T00:10:00Z"}}) {
        const RunResult m = m_cli.run({QStringLiteral("mark"), QStringLiteral("--store"), m_store, QStringLiteral("--kind"),
                                       QLatin1String(kind), QStringLiteral("--service"), QStringLiteral("billing"), QStringLiteral("--title"),
                                       QLatin1String(kind), QStringLiteral("--time"), QLatin1String(time)});
        QVERIFY2(m.succeeded(), qPrintable(m.describe()));
    }
    const RunResult late = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), workspace, QStringLiteral("--from"),
                                      QStringLiteral("2026-11-10T00:00:00Z"), QStringLiteral("--to"), QStringLiteral("2026-11-11T00:00:00Z"),
                                      QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(late.succeeded(), qPrintable(late.describe()));
    const QJsonObject billing = parseObject(late.out, &error)->value(QStringLiteral("dora")).toObject()
                                    .value(QStringLiteral("by_service")).toObject().value(QStringLiteral("billing")).toObject();
    QVERIFY2(billing.value(QStringLiteral("change_failure_rate")).toDouble() == 1.0, qPrintable(late.stdOut()));

    // A tile that fails is printed with its error, said on stderr, and the exit is 1 (it had been 0)
    QByteArray broken = ws;
    broken.replace(R"("interval": "5m")", R"("interval": "7m")");
    const QString brokenWorkspace = m_cli.path(QStringLiteral("broken.flightdeck.json"));
    QVERIFY(writeFile(brokenWorkspace, broken));
    const RunResult failed = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), brokenWorkspace,
                                        QStringLiteral("--format"), QStringLiteral("json")});
    QCOMPARE(failed.exitCode, 1);
    QVERIFY2(failed.stdErr().contains(QStringLiteral("tile \"Log volume\": buckets of 7m do not divide")), qPrintable(failed.describe()));
    QVERIFY2(parseObject(failed.out, &error), qPrintable(error));
    // and so does an export of it, which had written the picture of the failed tile and exited 0 (exploratory test)
    const RunResult exported = m_cli.run({QStringLiteral("export"), QStringLiteral("--workspace"), brokenWorkspace,
                                          QStringLiteral("--board"), QStringLiteral("CLI"), QStringLiteral("--out"),
                                          m_cli.path(QStringLiteral("broken-board.png"))});
    QCOMPARE(exported.exitCode, 1);
    QVERIFY2(exported.stdErr().contains(QStringLiteral("flightdeck export: tile \"Log volume\"")), qPrintable(exported.describe()));
    QVERIFY(QFileInfo::exists(m_cli.path(QStringLiteral("broken-board.png"))));

    // A colleague's workspace naming a git clone that is not here: the board and its export work, their DORA
    // figures without that source's markers, and say so (it had failed both with no output, exploratory test)
    QByteArray shared = ws;
    shared.replace(R"({"id": "local", "type": "store", "path": "cli.sqlite"} ])",
                   R"({"id": "local", "type": "store", "path": "cli.sqlite"},
                      {"id": "repo", "type": "git", "path": "not-here-clone"} ])");
    const QString sharedWorkspace = m_cli.path(QStringLiteral("shared.flightdeck.json"));
    QVERIFY(writeFile(sharedWorkspace, shared));
    const RunResult colleague = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), sharedWorkspace,
                                           QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(colleague.succeeded(), qPrintable(colleague.describe()));
    QVERIFY2(colleague.stdErr().contains(QStringLiteral("flightdeck board: warning: markers of source \"repo\" left out: ")),
             qPrintable(colleague.describe()));
    const std::optional<QJsonObject> withWarnings = parseObject(colleague.out, &error);
    QVERIFY2(withWarnings, qPrintable(error));
    QCOMPARE(withWarnings->value(QStringLiteral("warnings")).toArray().size(), 1);
    QVERIFY(withWarnings->value(QStringLiteral("dora")).toObject().value(QStringLiteral("overall")).toObject()
                .value(QStringLiteral("deploys_per_day")).toDouble() > 0); // the store's deploys still count
    const QString report = m_cli.path(QStringLiteral("shared-board.md"));
    const RunResult colleagueExport = m_cli.run({QStringLiteral("export"), QStringLiteral("--workspace"), sharedWorkspace,
                                                 QStringLiteral("--board"), QStringLiteral("CLI"), QStringLiteral("--out"), report});
    QVERIFY2(colleagueExport.succeeded(), qPrintable(colleagueExport.describe()));
    QFile md(report);
    QVERIFY(md.open(QIODevice::ReadOnly));
    QVERIFY(md.readAll().contains(R"((markers of source "repo" left out: )"));

    // A workspace's saved range that does not parse is named as such, not as a --from never given (exploratory test)
    QByteArray badRange = ws;
    badRange.replace(R"("from": "now-24h")", R"("from": "now-2days")");
    const QString badRangeWorkspace = m_cli.path(QStringLiteral("bad-range.flightdeck.json"));
    QVERIFY(writeFile(badRangeWorkspace, badRange));
    const RunResult named = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), badRangeWorkspace});
    QCOMPARE(named.exitCode, 1);
    QVERIFY2(named.stdErr().contains(QStringLiteral("the workspace's view.time_range.from: ")), qPrintable(named.describe()));
    QVERIFY2(m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), badRangeWorkspace, QStringLiteral("--from"),
                        QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now")}).exitCode == 0,
             "--from and --to given: the saved range is not needed");
    // exploratory test: a saved range that ends before it starts had given --to a range of 1 ns, and exit 0
    QByteArray inverted = ws;
    inverted.replace(R"("from": "now-24h", "to": "now")", R"("from": "now", "to": "now-1d")");
    const QString invertedWorkspace = m_cli.path(QStringLiteral("inverted-range.flightdeck.json"));
    QVERIFY(writeFile(invertedWorkspace, inverted));
    const RunResult empty = m_cli.run({QStringLiteral("board"), QStringLiteral("--workspace"), invertedWorkspace, QStringLiteral("--to"),
                                       QStringLiteral("now-1h")});
    QVERIFY2(empty.failedCleanly() && empty.stdErr().contains(QStringLiteral("the time range is empty: the workspace's "
                                                                              "view.time_range.from must be before")),
             qPrintable(empty.describe()));
}

void TestCli::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stderrPattern"); // case-insensitive; the message must relate to the mistake

    const QString store = m_cli.path(QStringLiteral("cli.sqlite"));
    const QString storeArg = QStringLiteral("--store");
    // exploratory test: --file left --kind unused without a word, and an empty file "stored" 0 markers with exit 0
    const QString noMarkers = m_cli.path(QStringLiteral("no-markers.json"));
    QVERIFY(writeFile(noMarkers, "[]"));
    QTest::newRow("mark --file and --kind") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--file"), noMarkers,
                                                           QStringLiteral("--kind"), QStringLiteral("deploy")}
                                            << QStringLiteral("--kind and --file");
    QTest::newRow("mark --file of none") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--file"), noMarkers}
                                         << QStringLiteral("holds no marker");
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate"), storeArg, store} << QStringLiteral("frobnicate");
    QTest::newRow("bad --where") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--signal"), QStringLiteral("logs"),
                                                QStringLiteral("--where"), QStringLiteral("service.name ?? x")}
                                 << QStringLiteral(R"(\?\?|where)");
    QTest::newRow("bad --query-json (not JSON)")
        << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--query-json"), QStringLiteral(R"({"signal": )")}
        << QStringLiteral("json|parse|syntax");
    QTest::newRow("bad --query-json (unknown signal)")
        << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--query-json"), QStringLiteral(R"({"signal": "nope"})")}
        << QStringLiteral("nope|signal");
    QTest::newRow("bad --query-json (a misspelt key)") // exploratory test: it had run without the search
        << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--query-json"),
                       QStringLiteral(R"({"signal": "logs", "agg": "count", "serach": "zzz"})")}
        << QStringLiteral("unknown key \"serach\"");
    QTest::newRow("bad --query-json (a misspelt condition key)")
        << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--query-json"),
                       QStringLiteral(R"({"where": [{"field": "a", "value": 1, "qouted": true}]})")}
        << QStringLiteral("where\\[0\\]\\.qouted");
    QTest::newRow("bad --signal") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--signal"), QStringLiteral("nope")}
                                  << QStringLiteral("nope|signal");
    QTest::newRow("bad --from") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--signal"), QStringLiteral("logs"),
                                               QStringLiteral("--from"), QStringLiteral("yesterdayish")}
                                << QStringLiteral("yesterdayish|from|time");
    QTest::newRow("trace, missing store") << QStringList{QStringLiteral("trace"), QStringLiteral("0123456789abcdef0123456789abcdef"),
                                                         storeArg, m_cli.path(QStringLiteral("missing/none.sqlite"))}
                                          << QStringLiteral("none\\.sqlite|store|exist|found");
    // exploratory test: SQLite waited for ever on a FIFO a colleague's workspace named as its store
    const QString fifo = m_cli.path(QStringLiteral("fifo.sqlite"));
    QVERIFY(QFileInfo::exists(fifo) || ::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    QTest::newRow("query, store a FIFO") << QStringList{QStringLiteral("query"), storeArg, fifo} << QStringLiteral("fifo\\.sqlite is not a file");
    QTest::newRow("mark, store a folder") << QStringList{QStringLiteral("mark"), storeArg, m_cli.dir(), QStringLiteral("--kind"),
                                                         QStringLiteral("deploy"), QStringLiteral("--service"), QStringLiteral("auth"),
                                                         QStringLiteral("--title"), QStringLiteral("x")}
                                          << QStringLiteral("is not a file");
    // exploratory test: demo replaced any file at --store or --workspace, and mark took over another program's database
    const QString notes = m_cli.path(QStringLiteral("notes.txt"));
    QVERIFY(writeFile(notes, "my notes\n"));
    QTest::newRow("demo over a file of another kind") << QStringList{QStringLiteral("demo"), storeArg, notes, QStringLiteral("--days"), QStringLiteral("1")}
                                                      << QStringLiteral("notes\\.txt is not a demo store");
    QTest::newRow("demo over a workspace of another store")
        << QStringList{QStringLiteral("demo"), storeArg, m_cli.path(QStringLiteral("demo2.sqlite")), QStringLiteral("--workspace"), notes,
                       QStringLiteral("--days"), QStringLiteral("1")}
        << QStringLiteral("notes\\.txt is not the workspace of the demo store");
    const QString foreign = m_cli.path(QStringLiteral("foreign.sqlite"));
    if (!QFileInfo::exists(foreign)) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst_cli_foreign"));
        db.setDatabaseName(foreign);
        QVERIFY2(db.open(), qPrintable(db.lastError().text()));
        QSqlQuery create(db);
        QVERIFY2(create.exec(QStringLiteral("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT)")), qPrintable(create.lastError().text()));
    }
    QTest::newRow("mark into another program's database")
        << QStringList{QStringLiteral("mark"), storeArg, foreign, QStringLiteral("--kind"), QStringLiteral("note"), QStringLiteral("--service"),
                       QStringLiteral("a"), QStringLiteral("--title"), QStringLiteral("t")}
        << QStringLiteral("foreign\\.sqlite: it is an SQLite database of another program, not a Flightdeck store");
    QTest::newRow("trace, empty id") << QStringList{QStringLiteral("trace"), QStringLiteral(" "), storeArg, store} << QStringLiteral("the trace id is empty");
    QTest::newRow("export, empty trace id") << QStringList{QStringLiteral("export"), storeArg, store, QStringLiteral("--trace"), QStringLiteral(" "),
                                                           QStringLiteral("--out"), m_cli.path(QStringLiteral("t.png"))}
                                            << QStringLiteral("the trace id is empty");
    const QString noBoards = m_cli.path(QStringLiteral("no-boards.flightdeck.json"));
    QVERIFY(writeFile(noBoards, R"({"flightdeck_workspace": 1, "sources": [{"id": "local", "type": "store", "path": "cli.sqlite"}]})"));
    QTest::newRow("board, no boards") << QStringList{QStringLiteral("board"), QStringLiteral("--workspace"), noBoards}
                                      << QStringLiteral("the workspace has no boards$");
    QTest::newRow("mark, committed after the deploy")
        << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("deploy"), QStringLiteral("--service"),
                       QStringLiteral("auth"), QStringLiteral("--title"), QStringLiteral("x"), QStringLiteral("--time"),
                       QStringLiteral("2026-12-05T10:00:00Z"), QStringLiteral("--commit-time"), QStringLiteral("2026-12-05T12:00:00Z")}
        << QStringLiteral("commit_time.*hour after");
    QTest::newRow("export, --size below 100") << QStringList{QStringLiteral("export"), QStringLiteral("--workspace"), m_cli.path(QStringLiteral("none.fdws")),
                                                             QStringLiteral("--board"), QStringLiteral("b"), QStringLiteral("--out"),
                                                             m_cli.path(QStringLiteral("b.png")), QStringLiteral("--size"), QStringLiteral("00x00")}
                                              << QStringLiteral("--size.*100 to 16384");
    QTest::newRow("mark, bogus kind") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("bogus"),
                                                     QStringLiteral("--service"), QStringLiteral("auth"), QStringLiteral("--title"),
                                                     QStringLiteral("x")}
                                      << QStringLiteral("bogus|kind");
    QTest::newRow("mark, no title") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("deploy"),
                                                   QStringLiteral("--service"), QStringLiteral("auth")}
                                    << QStringLiteral("title");
    // Found by exploratory testing: each of these was silently taken (a default, one of two, the next month).
    QTest::newRow("mark, no service") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("deploy"),
                                                     QStringLiteral("--title"), QStringLiteral("x")}
                                      << QStringLiteral("--service is required");
    QTest::newRow("mark, empty service") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("deploy"),
                                                        QStringLiteral("--service"), QString(), QStringLiteral("--title"), QStringLiteral("x")}
                                         << QStringLiteral("--service is required");
    QTest::newRow("mark, unquoted title") << QStringList{QStringLiteral("mark"), storeArg, store, QStringLiteral("--kind"), QStringLiteral("deploy"),
                                                         QStringLiteral("--service"), QStringLiteral("auth"), QStringLiteral("--title"),
                                                         QStringLiteral("Deploy"), QStringLiteral("auth"), QStringLiteral("2.14.1")}
                                          << QStringLiteral(R"(unexpected argument "auth".*quote)");
    QTest::newRow("board, extra argument") << QStringList{QStringLiteral("board"), storeArg, store, QStringLiteral("junk")}
                                           << QStringLiteral(R"(unexpected argument "junk")");
    QTest::newRow("offset past 23:59") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--from"),
                                                      QStringLiteral("2026-12-05T10:00:00+99:99")}
                                       << QStringLiteral(R"(\+99:99)");
    QTest::newRow("trace as csv") << QStringList{QStringLiteral("trace"), QStringLiteral("0123456789abcdef0123456789abcdef"), storeArg, store,
                                                 QStringLiteral("--format"), QStringLiteral("csv")}
                                  << QStringLiteral(R"(--format "csv" is not one of table, json)");
    QTest::newRow("board as csv") << QStringList{QStringLiteral("board"), storeArg, store, QStringLiteral("--format"), QStringLiteral("csv")}
                                  << QStringLiteral(R"(--format "csv" is not one of table, json)");
    QTest::newRow("--query-json and --where")
        << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--query-json"), QStringLiteral(R"({"agg": "count"})"),
                       QStringLiteral("--where"), QStringLiteral("service.name = auth")}
        << QStringLiteral("--where cannot go with --query-json");
    QTest::newRow("export, unknown format") << QStringList{QStringLiteral("export"), QStringLiteral("--workspace"), m_cli.path(QStringLiteral("none.fdws")),
                                                           QStringLiteral("--board"), QStringLiteral("B"), QStringLiteral("--out"), m_cli.path(QStringLiteral("x.txt"))}
                                            << QStringLiteral(R"(x\.txt.*\.png, \.svg, \.pdf, \.html or \.md)");
    QTest::newRow("export, two things") << QStringList{QStringLiteral("export"), QStringLiteral("--workspace"), m_cli.path(QStringLiteral("none.fdws")),
                                                       QStringLiteral("--board"), QStringLiteral("B"), QStringLiteral("--query"), QStringLiteral("Q"),
                                                       QStringLiteral("--out"), m_cli.path(QStringLiteral("x.png"))}
                                        << QStringLiteral("one thing at a time");
    QTest::newRow("demo of 400 days") << QStringList{QStringLiteral("demo"), storeArg, m_cli.path(QStringLiteral("long/demo.sqlite")),
                                                     QStringLiteral("--days"), QStringLiteral("400")}
                                      << QStringLiteral("--days must be at most 366");
    QTest::newRow("February 30") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--from"),
                                                QStringLiteral("2026-02-30T00:00:00Z")}
                                 << QStringLiteral("2026-02-30");
    QTest::newRow("an option twice") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--limit"), QStringLiteral("1"),
                                                    QStringLiteral("--limit"), QStringLiteral("2")}
                                     << QStringLiteral("--limit is given more than once");
    const QString rejected = m_cli.path(QStringLiteral("rejected.json")); // a 64-bit trace id: no OTLP span
    writeFile(rejected, R"({"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0000000000000001",)"
                        R"("spanId":"0000000000000001","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})");
    QTest::newRow("import, every record rejected") << QStringList{QStringLiteral("import"), rejected, storeArg, m_cli.path(QStringLiteral("rejected.sqlite"))}
                                                   << QStringLiteral("nothing was imported: every record was rejected");
    QTest::newRow("import, missing file") << QStringList{QStringLiteral("import"), m_cli.path(QStringLiteral("nope.jsonl")), storeArg, store}
                                          << QStringLiteral("nope\\.jsonl");
    // --source had been left unused without a word (CLI contract test)
    QTest::newRow("--source with --store") << QStringList{QStringLiteral("query"), storeArg, store, QStringLiteral("--source"), QStringLiteral("main")}
                                           << QStringLiteral("--source and --store");
    QTest::newRow("--source without a workspace") << QStringList{QStringLiteral("query"), QStringLiteral("--source"), QStringLiteral("main")}
                                                  << QStringLiteral("give --workspace FILE too");
    QTest::newRow("serve, bad address") << QStringList{QStringLiteral("serve"), storeArg, m_cli.path(QStringLiteral("bad.sqlite")),
                                                       QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:notaport")}
                                        << QStringLiteral("notaport|otlp|port|address");
    // The GUI's receiver follows the rules of serve's, before any window opens.
    QTest::newRow("GUI, remote receiver") << QStringList{QStringLiteral("--otlp"), QStringLiteral("0.0.0.0:4318")}
                                          << QStringLiteral("refusing to listen on 0\\.0\\.0\\.0: .*--allow-remote");
    // a name that starts like a loopback address may resolve to any address
    QTest::newRow("GUI, name like 127.x") << QStringList{QStringLiteral("--otlp"), QStringLiteral("127.example.com:4318")}
                                          << QStringLiteral("refusing to listen on 127\\.example\\.com: .*--allow-remote");
    QTest::newRow("GUI, port past 65535") << QStringList{QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:99999")}
                                          << QStringLiteral("invalid --otlp \"127\\.0\\.0\\.1:99999\"");
}

void TestCli::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stderrPattern);
    QVERIFY2(QFileInfo::exists(m_store), "needs the store that mark() writes (so that only the mistake under test can fail)");
    const RunResult r = m_cli.run(args, 30000);
    QVERIFY2(r.failedCleanly(), qPrintable(QStringLiteral("expected a non-zero exit: ") + r.describe()));
    QVERIFY2(!r.stdErr().trimmed().isEmpty(), qPrintable(QStringLiteral("expected a message on stderr: ") + r.describe()));
    const QRegularExpression pattern(stderrPattern, QRegularExpression::CaseInsensitiveOption);
    QVERIFY2(pattern.match(r.stdErr()).hasMatch(),
             qPrintable(QStringLiteral("the message does not point at the mistake (/%1/): ").arg(stderrPattern) + r.describe()));
    if (args.first() == QStringLiteral("trace"))
        QVERIFY2(!QFileInfo::exists(m_cli.path(QStringLiteral("missing/none.sqlite"))), "a read command created the store it did not find");
}

void TestCli::importOtlpFixtures()
{
    const QString logsPath = fixturesDir() + QStringLiteral("/otlp/logs.json");
    const QString tracePath = fixturesDir() + QStringLiteral("/otlp/trace.json");
    if (!QFileInfo::exists(logsPath) || !QFileInfo::exists(tracePath))
        QSKIP(qPrintable(QStringLiteral("the shared fixtures are not here (%1); they are in CI").arg(fixturesDir())));

    const QString store = m_cli.path(QStringLiteral("fixtures.sqlite"));
    const RunResult r = m_cli.run({QStringLiteral("import"), logsPath, tracePath, QStringLiteral("--store"), store});
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));

    // Logs: every record of the export request, with its types (intValue as a string becomes an int).
    QString error;
    const std::optional<QJsonObject> logsDoc = readJsonFile(logsPath, &error);
    QVERIFY2(logsDoc, qPrintable(error));
    QList<QJsonObject> records;
    qint64 minNs = std::numeric_limits<qint64>::max(), maxNs = std::numeric_limits<qint64>::min();
    for (const QJsonValue &rl : logsDoc->value(QStringLiteral("resourceLogs")).toArray()) {
        const QString service = serviceOf(rl.toObject().value(QStringLiteral("resource")).toObject());
        for (const QJsonValue &sl : rl.toObject().value(QStringLiteral("scopeLogs")).toArray()) {
            for (const QJsonValue &lr : sl.toObject().value(QStringLiteral("logRecords")).toArray()) {
                QJsonObject record = lr.toObject();
                record.insert(QStringLiteral("fd.service"), service);
                record.insert(QStringLiteral("fd.scope"), sl.toObject().value(QStringLiteral("scope")));
                const qint64 ns = jsonInt64(record.value(QStringLiteral("timeUnixNano"))).value_or(0);
                minNs = std::min(minNs, ns);
                maxNs = std::max(maxNs, ns);
                records << record;
            }
        }
    }
    QVERIFY(!records.isEmpty());
    const std::optional<Table> t = query(store, {QStringLiteral("--signal"), QStringLiteral("logs"), QStringLiteral("--from"),
                                                 formatRfc3339Ns(minNs - kNanosPerSecond), QStringLiteral("--to"),
                                                 formatRfc3339Ns(maxNs + kNanosPerSecond)},
                                         &error);
    QVERIFY2(t, qPrintable(error));
    QCOMPARE(t->total, qint64(records.size()));
    QStringList errors;
    for (const QJsonObject &record : records) {
        const QString body = record.value(QStringLiteral("body")).toObject().value(QStringLiteral("stringValue")).toString();
        const QString where = QStringLiteral("fixture log \"%1\"").arg(body);
        QJsonObject got;
        for (const QJsonValue &row : t->rows) {
            if (row.toObject().value(QStringLiteral("body")).toString() == body)
                got = row.toObject();
        }
        if (got.isEmpty()) {
            errors << where + QStringLiteral(": missing");
            continue;
        }
        errors << checkTime(where + QStringLiteral(" time"), got.value(QStringLiteral("time")),
                            jsonInt64(record.value(QStringLiteral("timeUnixNano"))).value_or(0));
        const qint64 severity = record.value(QStringLiteral("severityNumber")).toInteger();
        const QJsonValue gotSeverity = got.value(QStringLiteral("severity"));
        if (!(isJsonInteger(gotSeverity) && gotSeverity.toInteger() == severity) && !gotSeverity.isString())
            errors << QStringLiteral("%1: severity is %2, expected %3").arg(where, jsonText(gotSeverity)).arg(severity);
        const QList<QPair<QString, QString>> strings{
            {QStringLiteral("severity_text"), record.value(QStringLiteral("severityText")).toString()},
            {QStringLiteral("service.name"), record.value(QStringLiteral("fd.service")).toString()},
            {QStringLiteral("trace_id"), record.value(QStringLiteral("traceId")).toString().toLower()},
            {QStringLiteral("span_id"), record.value(QStringLiteral("spanId")).toString().toLower()}};
        for (const auto &[key, value] : strings) {
            if (got.value(key) != QJsonValue(value))
                errors << QStringLiteral("%1: %2 is %3, expected \"%4\"").arg(where, key, jsonText(got.value(key)), value);
        }
        errors << checkAttributes(where + QStringLiteral(" attributes"),
                                  withFixtureScope(typedFromKeyValues(record.value(QStringLiteral("attributes")).toArray()),
                                                   record.value(QStringLiteral("fd.scope")).toObject()),
                                  got.value(QStringLiteral("attributes")), true);
    }

    // The trace: its one span's parent never arrived, so it is listed in spans and in orphans.
    const std::optional<QJsonObject> traceDoc = readJsonFile(tracePath, &error);
    QVERIFY2(traceDoc, qPrintable(error));
    const QJsonObject resourceSpans = traceDoc->value(QStringLiteral("resourceSpans")).toArray().at(0).toObject();
    const QJsonObject scopeSpans = resourceSpans.value(QStringLiteral("scopeSpans")).toArray().at(0).toObject();
    const QJsonObject span = scopeSpans.value(QStringLiteral("spans")).toArray().at(0).toObject();
    const QString traceId = span.value(QStringLiteral("traceId")).toString().toLower();
    const QString spanId = span.value(QStringLiteral("spanId")).toString().toLower();
    // pasted with a space around it, as a copy from a table gives it (exploratory test: "no trace  2222…")
    const RunResult tr = m_cli.run({QStringLiteral("trace"), QLatin1Char(' ') + traceId + QLatin1Char(' '), QStringLiteral("--store"),
                                    store, QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(tr.succeeded(), qPrintable(tr.describe()));
    const std::optional<QJsonObject> trace = parseObject(tr.out, &error);
    QVERIFY2(trace, qPrintable(error));
    QCOMPARE(trace->value(QStringLiteral("trace_id")).toString(), traceId);
    const QJsonArray spans = trace->value(QStringLiteral("spans")).toArray();
    QCOMPARE(spans.size(), 1);
    const QJsonObject got = spans.at(0).toObject();
    QCOMPARE(got.value(QStringLiteral("span_id")).toString(), spanId);
    QCOMPARE(got.value(QStringLiteral("parent_span_id")).toString(), span.value(QStringLiteral("parentSpanId")).toString().toLower());
    QCOMPARE(got.value(QStringLiteral("name")).toString(), span.value(QStringLiteral("name")).toString());
    QCOMPARE(got.value(QStringLiteral("service")).toString(), serviceOf(resourceSpans.value(QStringLiteral("resource")).toObject()));
    const qint64 start = jsonInt64(span.value(QStringLiteral("startTimeUnixNano"))).value_or(0);
    const qint64 end = jsonInt64(span.value(QStringLiteral("endTimeUnixNano"))).value_or(0);
    errors << checkTime(QStringLiteral("fixture span start"), got.value(QStringLiteral("start")), start);
    QCOMPARE(jsonInt64(got.value(QStringLiteral("duration_ns"))).value_or(-1), end - start);
    errors << checkAttributes(QStringLiteral("fixture span attributes"),
                              withFixtureScope(typedFromKeyValues(span.value(QStringLiteral("attributes")).toArray()),
                                               scopeSpans.value(QStringLiteral("scope")).toObject()),
                              got.value(QStringLiteral("attributes")), true);
    const QJsonArray orphans = trace->value(QStringLiteral("orphans")).toArray();
    const bool listed = orphans.size() == 1 && (orphans.at(0).toString() == spanId ||
                                                orphans.at(0).toObject().value(QStringLiteral("span_id")).toString() == spanId);
    if (!listed)
        errors << QStringLiteral("orphans should list span %1 (its parent never arrived): %2")
                      .arg(spanId, jsonText(trace->value(QStringLiteral("orphans"))));
    errors.removeAll(QString());
    QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
}

void TestCli::importJsonLines()
{
    const QString token = QStringLiteral("jsonl-") + randomToken();
    const qint64 base = (nowNs() / kNanosPerSecond - 900) * kNanosPerSecond; // 15 minutes ago
    struct Line {
        qint64 time;
        QString body, service;
        qint64 severity;
        QString severityName;
        QJsonObject attributes; // typed form
    };
    const QList<Line> lines{
        {base + 100000001, token + QStringLiteral(" payment failed"), QStringLiteral("checkout"), 17, QStringLiteral("error"),
         QJsonObject{{QStringLiteral("http.response.status_code"), typedValue(QStringLiteral("int"), 503)},
                     {QStringLiteral("latency_s"), typedValue(QStringLiteral("double"), 0.75)},
                     {QStringLiteral("retry"), typedValue(QStringLiteral("bool"), true)},
                     {QStringLiteral("region"), typedValue(QStringLiteral("string"), QStringLiteral("eu-west"))}}},
        {base + 2000000002, token + QStringLiteral(" login ok"), QStringLiteral("auth"), 9, QStringLiteral("info"),
         QJsonObject{{QStringLiteral("user.id"), typedValue(QStringLiteral("string"), QStringLiteral("u-1"))},
                     {QStringLiteral("attempt"), typedValue(QStringLiteral("int"), 2)}}},
        {base + 3999999999, token + QStringLiteral(" slow search"), QStringLiteral("search"), 13, QStringLiteral("warn"),
         QJsonObject{{QStringLiteral("duration_ms"), typedValue(QStringLiteral("double"), 1250.5)},
                     {QStringLiteral("cached"), typedValue(QStringLiteral("bool"), false)}}},
    };
    QByteArray file;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const Line &l = lines.at(i);
        QJsonObject o{{QStringLiteral("time"), formatRfc3339Ns(l.time)},
                      {QStringLiteral("severity"), l.severityName},
                      {QStringLiteral("body"), l.body}};
        // both spellings of the service key
        o.insert(i == 1 ? QStringLiteral("service") : QStringLiteral("service.name"), l.service);
        for (auto it = l.attributes.begin(); it != l.attributes.end(); ++it)
            o.insert(it.key(), it.value().toObject().value(QStringLiteral("value")));
        file += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        if (i == 1)
            file += "{\"time\": \"" + formatRfc3339Ns(base).toUtf8() + "\", \"body\": broken\n"; // line 3
    }
    const QString path = m_cli.path(QStringLiteral("events.jsonl"));
    QVERIFY(writeFile(path, file));

    struct Import {
        QString store;
        QStringList extra;
    };
    const QList<Import> imports{{m_cli.path(QStringLiteral("jsonl.sqlite")), {QStringLiteral("--format"), QStringLiteral("jsonl")}},
                                {m_cli.path(QStringLiteral("jsonl-auto.sqlite")), {}}};
    for (const Import &imp : imports) {
        const RunResult r = m_cli.run(QStringList{QStringLiteral("import"), path, QStringLiteral("--store"), imp.store} + imp.extra);
        QVERIFY2(r.succeeded(), qPrintable(QStringLiteral("one bad line must not fail the import: ") + r.describe()));
        static const QRegularExpression lineThree(QStringLiteral(R"(\b3\b)"));
        QVERIFY2(lineThree.match(r.stdErr()).hasMatch(),
                 qPrintable(QStringLiteral("stderr should report the bad line 3: ") + r.describe()));

        QString error;
        const std::optional<Table> t = query(imp.store, {QStringLiteral("--signal"), QStringLiteral("logs"), QStringLiteral("--search"),
                                                         token, QStringLiteral("--from"), QStringLiteral("now-1h"),
                                                         QStringLiteral("--to"), QStringLiteral("now+1h")},
                                             &error);
        QVERIFY2(t, qPrintable(error));
        QCOMPARE(t->total, qint64(lines.size()));
        QStringList errors;
        for (const Line &l : lines) {
            const QString where = QStringLiteral("jsonl \"%1\"").arg(l.body);
            QJsonObject got;
            for (const QJsonValue &row : t->rows) {
                if (row.toObject().value(QStringLiteral("body")).toString() == l.body)
                    got = row.toObject();
            }
            if (got.isEmpty()) {
                errors << where + QStringLiteral(": missing");
                continue;
            }
            errors << checkTime(where + QStringLiteral(" time"), got.value(QStringLiteral("time")), l.time);
            if (got.value(QStringLiteral("service.name")).toString() != l.service)
                errors << QStringLiteral("%1: service.name is %2, expected %3").arg(where, jsonText(got.value(QStringLiteral("service.name"))), l.service);
            const QJsonValue severity = got.value(QStringLiteral("severity"));
            const bool severityOk = isJsonInteger(severity) ? severity.toInteger() == l.severity
                                                            : severity.toString().compare(l.severityName, Qt::CaseInsensitive) == 0;
            if (!severityOk)
                errors << QStringLiteral("%1: severity is %2, expected %3 (%4)").arg(where, jsonText(severity)).arg(l.severity).arg(l.severityName);
            errors << checkAttributes(where + QStringLiteral(" attributes"), l.attributes, got.value(QStringLiteral("attributes")), false);
        }
        errors.removeAll(QString());
        if (!errors.isEmpty())
            errors.prepend(QStringLiteral("import %1:").arg(imp.extra.isEmpty() ? QStringLiteral("(auto)") : imp.extra.join(QLatin1Char(' '))));
        QVERIFY2(errors.isEmpty(), qPrintable(reportErrors(errors)));
    }
    // A CSV's notes go to stderr, the CSV stays data alone (exploratory test: a CSV had said nothing of them)
    const RunResult csv = m_cli.run({QStringLiteral("query"), QStringLiteral("--store"), imports.first().store, QStringLiteral("--search"), token,
                                     QStringLiteral("--agg"), QStringLiteral("count"), QStringLiteral("--group-by"), QStringLiteral("service.name"),
                                     QStringLiteral("--interval"), QStringLiteral("1m"), QStringLiteral("--limit"), QStringLiteral("1"),
                                     QStringLiteral("--from"), QStringLiteral("now-1h"), QStringLiteral("--to"), QStringLiteral("now+1h"),
                                     QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY2(csv.succeeded() && csv.out.startsWith("time,service.name,count\n"), qPrintable(csv.describe()));
    QVERIFY2(csv.stdErr().contains(QStringLiteral("note: The result keeps the 1 largest of 3 series")), qPrintable(csv.describe()));
}

void TestCli::importJsonLinesKeys()
{
    // The usual keys for time (epoch s/ms/ns, RFC 3339), level and message; nested objects by dotted path.
    const QByteArray file = fdtest::kUsualKeysJsonLines;
    const QString path = m_cli.path(QStringLiteral("keys.jsonl"));
    QVERIFY(writeFile(path, file));
    const QString store = m_cli.path(QStringLiteral("keys.sqlite"));
    const RunResult r = m_cli.run({QStringLiteral("import"), path, QStringLiteral("--store"), store, QStringLiteral("--format"),
                                   QStringLiteral("jsonl")});
    QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    QVERIFY2(r.stdOut().contains(QStringLiteral("4 records from 7 lines, 2 bad")), qPrintable(r.describe()));
    QVERIFY2(r.stdErr().contains(QStringLiteral("keys.jsonl:6: not valid JSON")), qPrintable(r.describe()));
    QVERIFY2(r.stdErr().contains(QStringLiteral("keys.jsonl:7: no time field")), qPrintable(r.describe()));
    // Found by exploratory test: serve's retention deleted such records at its next start without a word.
    QVERIFY2(r.stdErr().contains(QStringLiteral("note: 4 of the records imported are older than 30d: `flightdeck serve` "
                                                "on this store deletes them unless its --retention is longer")),
             qPrintable(r.describe()));

    const QStringList range{QStringLiteral("--from"), QStringLiteral("2025-12-01T11:00:00Z"), QStringLiteral("--to"),
                            QStringLiteral("2025-12-01T13:00:00Z")};
    auto count = [&](const QString &where) -> qint64 {
        QString error;
        const std::optional<Table> t = query(store, QStringList{QStringLiteral("--where"), where, QStringLiteral("--agg"),
                                                                QStringLiteral("count")} + range, &error);
        if (!t || t->rows.size() != 1) {
            qWarning() << "count" << where << error;
            return -1;
        }
        return t->rows.first().toObject().value(QStringLiteral("count")).toInteger();
    };
    QCOMPARE(count(QStringLiteral("http.status=500")), qint64(2)); // the number 500 and the text "500"
    QCOMPARE(count(QStringLiteral("http.status >= 300")), qint64(2));
    QCOMPARE(count(QStringLiteral("http.route = /pay")), qint64(1));
    QCOMPARE(count(QStringLiteral("a.b.c = deep")), qint64(1));
    QCOMPARE(count(QStringLiteral("exists(http.status)")), qint64(3));
    QCOMPARE(count(QStringLiteral("user = a")), qint64(1));
    QCOMPARE(count(QStringLiteral("severity >= WARN")), qint64(2));
    // Found by exploratory test: a quoted level number was an unknown severity; and "and" inside one --where is
    // taken into the value, as DESIGN.md's FIELD OP VALUE says, with a note.
    QCOMPARE(count(QStringLiteral("severity >= '13'")), qint64(2));
    const RunResult joined = m_cli.run(QStringList{QStringLiteral("query"), QStringLiteral("--store"), store, QStringLiteral("--where"),
        QStringLiteral("http.route = /pay and user = a"), QStringLiteral("--agg"), QStringLiteral("count")} + range);
    QVERIFY2(joined.succeeded(), qPrintable(joined.describe()));
    QVERIFY2(joined.stdErr().contains(QStringLiteral("give each condition a --where of its own")), qPrintable(joined.describe()));

    QString error;
    const std::optional<Table> rows = query(store, range, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->total, qint64(4));
    // Newest first: the exact times, severities and bodies.
    const QStringList times{QStringLiteral("2025-12-01T12:00:03.000000001Z"), QStringLiteral("2025-12-01T12:00:02.500000000Z"),
                            QStringLiteral("2025-12-01T12:00:01.000000000Z"), QStringLiteral("2025-12-01T12:00:00.000000000Z")};
    const QList<qint64> severities{5, 9, 17, 13};
    const QStringList bodies{QStringLiteral("epoch nanos"), QStringLiteral("rfc 3339"), QStringLiteral("epoch millis"),
                             QStringLiteral("epoch seconds")};
    for (int i = 0; i < 4; ++i) {
        const QJsonObject row = rows->rows.at(i).toObject();
        QCOMPARE(row.value(QStringLiteral("time")).toString(), times.at(i));
        QCOMPARE(row.value(QStringLiteral("severity")).toInteger(), severities.at(i));
        QCOMPARE(row.value(QStringLiteral("body")).toString(), bodies.at(i));
    }

    // The same file again: skipped, said so, nothing stored twice; --again reads it whole.
    const QStringList importAgain{QStringLiteral("import"), path, QStringLiteral("--store"), store};
    const RunResult skipped = m_cli.run(importAgain);
    QVERIFY2(skipped.succeeded(), qPrintable(skipped.describe()));
    QVERIFY2(skipped.stdOut().contains(QStringLiteral("keys.jsonl: already imported on ")), qPrintable(skipped.describe()));
    QVERIFY2(skipped.stdOut().contains(QStringLiteral("(4 records); nothing stored (--again reads it whole again)")),
        qPrintable(skipped.describe()));
    QCOMPARE(count(QStringLiteral("exists(http.status)")), qint64(3));
    const RunResult again = m_cli.run(importAgain + QStringList{QStringLiteral("--again")});
    QVERIFY2(again.stdOut().contains(QStringLiteral("4 records from 7 lines, 2 bad")), qPrintable(again.describe()));
    QCOMPARE(count(QStringLiteral("exists(http.status)")), qint64(6));
}

// DESIGN.md: "a metrics query has time, one column per label, and value", as a Prometheus answer has them (the
// store's points had kept their labels in one attributes column: CLI contract test).
void TestCli::metricRowsHaveAColumnPerLabel()
{
    // A range in the future answers nothing, and says why.
    const RunResult future = m_cli.run({QStringLiteral("query"), QStringLiteral("--store"), m_store, QStringLiteral("--from"),
                                        QStringLiteral("now+1h")}, 30000);
    QVERIFY2(future.succeeded() && future.stdErr().contains(QStringLiteral("--from is in the future")), qPrintable(future.describe()));
    const QString metrics = fixturesDir() + QStringLiteral("/otlp/metrics.json");
    if (!QFileInfo::exists(metrics))
        QSKIP(qPrintable(QStringLiteral("the shared fixtures are not here (%1); they are in CI").arg(fixturesDir())));
    const QString store = m_cli.path(QStringLiteral("labels.sqlite"));
    const RunResult imported = m_cli.run({QStringLiteral("import"), metrics, QStringLiteral("--store"), store}, 30000);
    QVERIFY2(imported.succeeded(), qPrintable(imported.describe()));
    QString error;
    const std::optional<Table> t = query(store, {QStringLiteral("--signal"), QStringLiteral("metrics"), QStringLiteral("--where"),
                                                 QStringLiteral("name = my.counter"), QStringLiteral("--from"),
                                                 QStringLiteral("2018-12-13T00:00:00Z"), QStringLiteral("--to"),
                                                 QStringLiteral("2018-12-14T00:00:00Z")},
                                         &error);
    QVERIFY2(t, qPrintable(error));
    QVERIFY2(t->hasColumn(QStringLiteral("my.counter.attr")) && !t->hasColumn(QStringLiteral("attributes")),
             qPrintable(t->columns.join(u',')));
    QCOMPARE(t->columns.first(), QStringLiteral("time"));
    QVERIFY(t->columns.indexOf(QStringLiteral("my.counter.attr")) < t->columns.indexOf(QStringLiteral("value")));
    QCOMPARE(t->columnTypes.value(QStringLiteral("my.counter.attr")).toString(), QStringLiteral("string"));
    QVERIFY(!t->rows.isEmpty());
    QCOMPARE(t->rows.first().toObject().value(QStringLiteral("my.counter.attr")).toString(), QStringLiteral("some value"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

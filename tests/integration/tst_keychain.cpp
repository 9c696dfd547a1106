// Credentials in the system keychain, end to end: a private Secret Service (gnome-keyring in its own
// D-Bus session, see with-private-keyring.sh), `flightdeck credential`, and a real Prometheus that
// demands basic auth. The secret must reach the server and nothing else: not the workspace file, not
// an error message.

#include "CliRunner.h"
#include "ServerProcess.h"
#include "connectors/secrets/KeychainSecretStore.h"
#include "connectors/secrets/SystemSecretStore.h"
#include "models/Error.h"

#include <QStandardPaths>
#include <QTest>
#include <crypt.h>

using namespace fd;
using namespace fdtest;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("c0rrect-h0rse-battery");

QString bcrypt(const QString &password)
{
    const char *salt = crypt_gensalt("$2b$", 8, nullptr, 0);
    const char *hash = salt ? crypt(password.toUtf8().constData(), salt) : nullptr;
    return hash && hash[0] == '$' ? QString::fromLatin1(hash) : QString();
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT
    Cli m_cli;
    ServerProcess m_prometheus;
    quint16 m_port = 0;
    QString m_workspace;

    RunResult runWithInput(const QStringList &args, const QByteArray &input)
    {
        const QString inputFile = m_cli.path(QStringLiteral("stdin.txt"));
        writeText(inputFile, input);
        RunResult r = runProgram(flightdeckBin(), args, m_cli.environment(), kCommandTimeoutMs, {}, inputFile);
        QFile::remove(inputFile);
        return r;
    }

    RunResult queryUp(const QProcessEnvironment &env)
    {
        return runProgram(flightdeckBin(),
            { QStringLiteral("query"), QStringLiteral("--workspace"), m_workspace, QStringLiteral("--source"),
                QStringLiteral("prom"), QStringLiteral("--query-json"), QStringLiteral(R"j({"signal":"metrics","raw":"vector(42)"})j"),
                QStringLiteral("--format"), QStringLiteral("json") },
            env);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run through tests/integration/with-private-keyring.sh (CTest does)");
        const QString binary = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        QVERIFY2(!binary.isEmpty(), "prometheus is not installed (packaging/install-deps.sh installs it)");
        const QString hash = bcrypt(kPassword);
        QVERIFY2(!hash.isEmpty(), "crypt(3) cannot make a bcrypt hash");
        m_port = freePort();
        const QString dir = m_cli.dir();
        QVERIFY(writeText(dir + QStringLiteral("/prometheus.yml"), "global:\n  scrape_interval: 1m\n"));
        QVERIFY(writeText(dir + QStringLiteral("/web.yml"),
            QStringLiteral("basic_auth_users:\n  %1: '%2'\n").arg(kUser, hash).toUtf8()));
        QString error;
        QVERIFY2(m_prometheus.start(binary,
                     { QStringLiteral("--config.file=") + dir + QStringLiteral("/prometheus.yml"),
                         QStringLiteral("--web.config.file=") + dir + QStringLiteral("/web.yml"),
                         QStringLiteral("--storage.tsdb.path=") + dir + QStringLiteral("/data"),
                         QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port) },
                     dir + QStringLiteral("/prometheus.log"), localUrl(m_port) + "/-/ready", &error,
                     std::chrono::seconds(60), 401),
            qPrintable(error));
        m_workspace = m_cli.path(QStringLiteral("w.flightdeck.json"));
        QVERIFY(writeText(m_workspace,
            QStringLiteral("{\"flightdeck_workspace\": 1, \"sources\": [{\"id\": \"prom\", \"type\": \"prometheus\", "
                           "\"url\": \"http://127.0.0.1:%1\", \"credential\": \"fd-test-prom\"}]}")
                .arg(m_port)
                .toUtf8()));
    }

    void cleanupTestCase() { m_prometheus.stop(); }

    void keychainRoundTrip()
    {
        KeychainSecretStore store(QStringLiteral("Flightdeck test"));
        store.write("round-trip", "s3cret");
        QCOMPARE(store.read("round-trip"), std::optional<std::string>("s3cret"));
        store.write("round-trip", "changed");
        QCOMPARE(store.read("round-trip"), std::optional<std::string>("changed"));
        store.remove("round-trip");
        QCOMPARE(store.read("round-trip"), std::optional<std::string>());
        store.remove("round-trip"); // deleting what is gone is no error
    }

    void environmentOverridesTheKeychain()
    {
        QCOMPARE(SystemSecretStore::environmentName("prom-prod.eu"), QStringLiteral("FLIGHTDECK_CREDENTIAL_PROM_PROD_EU"));
        qputenv("FLIGHTDECK_CREDENTIAL_ENV_ONLY", R"({"kind":"bearer","token":"t"})");
        QCOMPARE(SystemSecretStore().read("env-only"), std::optional<std::string>(R"({"kind":"bearer","token":"t"})"));
        // the token itself, as a CI secret holds it (exploratory test: "the credential is not a JSON object")
        qputenv("FLIGHTDECK_CREDENTIAL_ENV_ONLY", "tok123\n"); // as a secret pasted from a file holds it
        const Credential c = credentialFromJson(*SystemSecretStore().read("env-only"));
        QCOMPARE(c.kind, Credential::Kind::Bearer);
        QCOMPARE(c.secret, std::string("tok123"));
        qunsetenv("FLIGHTDECK_CREDENTIAL_ENV_ONLY");
    }

    void missingCredentialSaysHowToStoreIt()
    {
        const RunResult r = queryUp(m_cli.environment());
        QVERIFY2(r.failedCleanly(), qPrintable(r.describe()));
        QVERIFY2(r.stdErr().contains(QLatin1String("flightdeck credential set fd-test-prom")), qPrintable(r.describe()));
    }

    // Found by an exploratory test: a line break in a header name or value was stored and sent as more header lines.
    void credentialsThatWouldWriteMoreHeaderLinesAreRefused()
    {
        const RunResult name = runWithInput({ QStringLiteral("credential"), QStringLiteral("set"), QStringLiteral("fd-test-bad"),
                                                QStringLiteral("--header"), QStringLiteral("X-A\r\nX-Injected: 2") },
            "value\n");
        QVERIFY2(name.failedCleanly() && name.stdErr().contains(QLatin1String("header name")), qPrintable(name.describe()));
        const RunResult colon = runWithInput({ QStringLiteral("credential"), QStringLiteral("set"), QStringLiteral("fd-test-bad"),
                                                 QStringLiteral("--basic"), QStringLiteral("al:ice") },
            "secret\n");
        QVERIFY2(colon.failedCleanly() && colon.stdErr().contains(QLatin1String("colon")), qPrintable(colon.describe()));
        const RunResult none = m_cli.run({ QStringLiteral("credential"), QStringLiteral("delete"), QStringLiteral("fd-test-none") });
        QVERIFY2(none.failedCleanly() && none.stdErr().contains(QLatin1String("no credential \"fd-test-none\" to delete")),
                 qPrintable(none.describe())); // it had said "deleted"
    }

    void wrongPasswordIsRefusedWithoutEchoingIt()
    {
        const RunResult set = runWithInput({ QStringLiteral("credential"), QStringLiteral("set"), QStringLiteral("fd-test-prom"),
                                               QStringLiteral("--basic"), kUser },
            "wrong-password-123\n");
        QVERIFY2(set.succeeded(), qPrintable(set.describe()));
        const RunResult r = queryUp(m_cli.environment());
        QVERIFY2(r.failedCleanly(), qPrintable(r.describe()));
        QVERIFY2(r.stdErr().contains(QLatin1String("HTTP 401")), qPrintable(r.describe()));
        QVERIFY(!r.stdErr().contains(QLatin1String("wrong-password-123")));
        QVERIFY(!r.stdOut().contains(QLatin1String("wrong-password-123")));
    }

    void storedCredentialReachesTheServer()
    {
        const RunResult set = runWithInput({ QStringLiteral("credential"), QStringLiteral("set"), QStringLiteral("fd-test-prom"),
                                               QStringLiteral("--basic"), kUser },
            kPassword.toUtf8() + "\n");
        QVERIFY2(set.succeeded(), qPrintable(set.describe()));
        const RunResult check = m_cli.run({ QStringLiteral("credential"), QStringLiteral("check"), QStringLiteral("fd-test-prom") });
        QVERIFY2(check.succeeded(), qPrintable(check.describe()));
        QCOMPARE(check.stdOut().trimmed(), QStringLiteral("basic auth as alice"));

        const RunResult r = queryUp(m_cli.environment());
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
        QString error;
        const auto table = parseTable(r.out, &error);
        QVERIFY2(table, qPrintable(error));
        QCOMPARE(table->rows.size(), 1);
        QCOMPARE(table->rows[0].toObject().value(QStringLiteral("value")).toDouble(), 42.0);

        QFile w(m_workspace);
        QVERIFY(w.open(QIODevice::ReadOnly));
        QVERIFY(!w.readAll().contains(kPassword.toUtf8())); // the workspace only names the credential
    }

    void environmentCredentialWorksWithoutTheKeychain()
    {
        const RunResult del = m_cli.run({ QStringLiteral("credential"), QStringLiteral("delete"), QStringLiteral("fd-test-prom") });
        QVERIFY2(del.succeeded(), qPrintable(del.describe()));
        QProcessEnvironment env = m_cli.environment();
        env.insert(QStringLiteral("FLIGHTDECK_CREDENTIAL_FD_TEST_PROM"),
            QStringLiteral(R"({"kind":"basic","username":"%1","password":"%2"})").arg(kUser, kPassword));
        const RunResult r = queryUp(env);
        QVERIFY2(r.succeeded(), qPrintable(r.describe()));
    }

    void credentialHeaderInTheWorkspaceIsRefused()
    {
        const QString path = m_cli.path(QStringLiteral("leaky.flightdeck.json"));
        QVERIFY(writeText(path,
            QStringLiteral("{\"flightdeck_workspace\": 1, \"sources\": [{\"id\": \"prom\", \"type\": \"prometheus\", "
                           "\"url\": \"http://127.0.0.1:%1\", \"options\": {\"headers\": {\"authorization\": \"Bearer abc\"}}}]}")
                .arg(m_port)
                .toUtf8()));
        const RunResult r = m_cli.run({ QStringLiteral("query"), QStringLiteral("--workspace"), path, QStringLiteral("--query-json"),
            QStringLiteral(R"j({"signal":"metrics","raw":"vector(1)"})j") });
        QVERIFY2(r.failedCleanly(), qPrintable(r.describe()));
        QVERIFY2(r.stdErr().contains(QLatin1String("keychain")), qPrintable(r.describe()));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"

#include "models/Error.h"
#include "models/Workspace.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
const char *kWorkspace = R"({ "flightdeck_workspace": 1,
  "sources": [ {"id": "local", "type": "store", "path": "demo.sqlite"},
               {"id": "prom", "type": "prometheus", "url": "http://127.0.0.1:9090", "credential": "keychain-id"} ],
  "queries": [ {"name": "Auth errors", "folder": "auth",
                "query": {"signal": "logs", "where": [{"field": "service.name", "op": "=", "value": "auth"}]}} ],
  "boards": [ {"name": "Business", "tiles": [ { "name": "Login success", "kind": "ratio", "unit": "%",
      "numerator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "dashboard_view"}], "agg": "count", "interval": "5m"},
      "denominator": {"signal": "logs", "where": [{"field": "event.name", "op": "=", "value": "login_page_view"}], "agg": "count", "interval": "5m"},
      "range": {"method": "seasonal", "period": "1d", "lookback": 7, "band": [0.05, 0.95]},
      "markers": {"kinds": ["deploy", "rollback", "flag"], "services": ["auth", "frontend"]} } ]} ],
  "incidents": [],
  "view": { "time_range": {"from": "now-24h", "to": "now"}, "variables": {"service": "auth"} } })";

void write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray read(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void roundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("a.flightdeck.json"));
        write(path, kWorkspace);
        const Workspace w = loadWorkspace(path);
        QCOMPARE(w.sources.size(), std::size_t(2));
        QCOMPARE(w.storePath(w.sources[0]), m_dir.filePath(QStringLiteral("demo.sqlite")));
        QCOMPARE(w.boards.at(0).tiles.at(0).kind, std::string("ratio"));
        QCOMPARE(w.boards.at(0).tiles.at(0).range.lookback, 7);
        QCOMPARE(w.queries.at(0).query.where.size(), std::size_t(1));

        const QString copy = m_dir.filePath(QStringLiteral("b.flightdeck.json"));
        saveWorkspace(w, copy);
        const Workspace again = loadWorkspace(copy);
        QCOMPARE(workspaceToJson(again), workspaceToJson(w));
        QCOMPARE(again.view["variables"]["service"], Json("auth"));
        QCOMPARE(again.sources[1].credential, std::string("keychain-id"));
    }

    void truncatedFileIsAClearErrorAndStaysUntouched()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.flightdeck.json"));
        const QByteArray truncated = QByteArray(kWorkspace).left(200);
        write(path, truncated);
        try {
            loadWorkspace(path);
            QFAIL("a truncated workspace loaded");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("not valid JSON")));
            QVERIFY(e.message().contains(path));
        }
        QCOMPARE(read(path), truncated);
    }

    void invalidContentNamesThePart()
    {
        const QString path = m_dir.filePath(QStringLiteral("invalid.flightdeck.json"));
        write(path, R"({"flightdeck_workspace": 1, "boards": [{"name": "B", "tiles": [{"name": "T", "kind": "pie"}]}]})");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"({"flightdeck_workspace": 99})");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"([1, 2])");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
    }

    void failedSaveKeepsTheOldFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("keep.flightdeck.json"));
        write(path, kWorkspace);
        const Workspace w = loadWorkspace(path);
        QVERIFY_THROWS_EXCEPTION(Error, saveWorkspace(w, m_dir.filePath(QStringLiteral("missing-dir/x.json"))));
        QCOMPARE(read(path), QByteArray(kWorkspace));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"

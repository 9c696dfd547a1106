#include "models/Error.h"
#include "models/Workspace.h"
#include "WorkspaceSample.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
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
        QVERIFY(workspaceToJson(again) == workspaceToJson(w));
        QVERIFY(again.view["variables"]["service"] == Json("auth"));
        QCOMPARE(again.sources[1].credential, std::string("keychain-id"));
    }

    void tileSizeAndFormatRoundTrip()
    {
        const QString path = m_dir.filePath(QStringLiteral("sizes.flightdeck.json"));
        write(path, kWorkspace);
        Workspace w = loadWorkspace(path);
        Tile &tile = w.boards.at(0).tiles.at(0);
        QCOMPARE(tile.columns, 1); // no "size": one cell
        QCOMPARE(tile.rows, 1);
        QCOMPARE(tile.decimals, -1);
        QVERIFY(!tileToJson(tile).contains("size")); // the default stays out of the file
        QVERIFY(!tileToJson(tile).contains("decimals"));

        tile.columns = 2;
        tile.rows = 3;
        tile.decimals = 1;
        QVERIFY(tileToJson(tile)["size"] == Json::array({2, 3}));
        saveWorkspace(w, path);
        const Workspace again = loadWorkspace(path);
        const Tile &loaded = again.boards.at(0).tiles.at(0);
        QCOMPARE(loaded.columns, 2);
        QCOMPARE(loaded.rows, 3);
        QCOMPARE(loaded.decimals, 1);
        QVERIFY(workspaceToJson(again) == workspaceToJson(w));

        Json bad = tileToJson(loaded);
        for (const char *size : {"[0, 1]", "[5, 1]", "[1]", "[1, 2, 3]", "\"2x1\"", "[1.5, 1]", "[2, -1]"}) {
            bad["size"] = Json::parse(size);
            QVERIFY_THROWS_EXCEPTION(Error, tileFromJson(bad));
        }
        bad["size"] = Json::array({4, 4});
        QCOMPARE(tileFromJson(bad).columns, 4);
        bad["decimals"] = 9;
        QVERIFY_THROWS_EXCEPTION(Error, tileFromJson(bad));
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
        write(path, R"j({"flightdeck_workspace": 1, "boards": [{"name": "B", "tiles": [{"name": "T", "kind": "pie"}]}]})j");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"j({"flightdeck_workspace": 99})j");
        QVERIFY_THROWS_EXCEPTION(Error, loadWorkspace(path));
        write(path, R"j([1, 2])j");
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

// FullTextBuilder: the full-text index of a bulk load built in a scratch file from the rows the store has
// committed, then adopted into the store's empty index; the store's own indexing after it; the scratch file.
#include "connectors/store/FullTextBuilder.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "models/Telemetry.h"
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
constexpr TimeNs kStart = 1'700'000'000'000'000'000LL;
const TimeRange kRange{kStart, kStart + 1000 * kSecond};

// `count` logs a second apart from `first` on; every third says "disk full", the others "request served".
void insertLogs(Store &store, int first, int count)
{
    TelemetryBatch batch;
    for (int i = first; i < first + count; ++i) {
        LogRecord r;
        r.time = kStart + i * kSecond;
        r.service = "api";
        r.body = i % 3 == 0 ? "disk full on /var" : "request served";
        r.resource = {{"service.name", "api"}};
        batch.logs.push_back(std::move(r));
    }
    store.insert(batch);
}

std::int64_t searchCount(Store &store, const std::string &text)
{
    Query q;
    q.search = text;
    q.agg = parseAggregate("count");
    const Frame f = store.query(q, kRange);
    return std::get<std::int64_t>(f.cell(0, 0));
}

std::int64_t single(Store &store, const char *sql)
{
    SqliteStatement st(store.handle(), sql);
    return st.step() ? st.int64(0) : -1;
}

// The configuration cookie of the store's FTS5 index: the first four bytes of its structure record, big-endian.
std::int64_t cookieOf(Store &store)
{
    SqliteStatement st(store.handle(), "SELECT block FROM logs_fts_data WHERE id = 10");
    if (!st.step())
        return -1;
    const std::string block = st.text(0);
    std::int64_t value = 0;
    for (std::size_t i = 0; i < 4 && i < block.size(); ++i)
        value = value << 8 | static_cast<unsigned char>(block[i]);
    return value;
}

QStringList filesIn(const QTemporaryDir &dir) { return QDir(dir.path()).entryList(QDir::Files); }
} // namespace

class TestFullTextBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void indexesCommittedRowsAndIsAdopted()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        QVERIFY(store.beginBulkLoad());
        {
            FullTextBuilder builder(store.path());
            QCOMPARE(filesIn(dir).filter(QStringLiteral(".fulltext-")).size(), 1); // beside the store
            QCOMPARE(builder.indexCommitted(100), 0);
            insertLogs(store, 0, 30);
            QCOMPARE(builder.indexCommitted(20), 20); // in steps, from where it was
            QCOMPARE(builder.indexedThrough(), 20);
            insertLogs(store, 30, 30);
            QCOMPARE(builder.indexCommitted(100), 40);
            QCOMPARE(builder.indexCommitted(100), 0);
            insertLogs(store, 60, 3); // committed after the builder's last look: the store indexes them
            store.buildBulkIndexes();
            QVERIFY(builder.adopt());
            QCOMPARE(builder.indexedThrough(), 60);
        }
        QCOMPARE(filesIn(dir).filter(QStringLiteral(".fulltext-")).size(), 0);
        store.endBulkLoad();
        QCOMPARE(store.unindexedLogs(), 3);
        QCOMPARE(store.indexFullText(), 3);
        execSql(store.handle(), "INSERT INTO logs_fts(logs_fts) VALUES ('integrity-check')");
        QCOMPARE(searchCount(store, "disk full"), 21);
        QCOMPARE(searchCount(store, "served"), 42);
        QCOMPARE(single(store, "SELECT COUNT(*) FROM logs_fts WHERE logs_fts MATCH 'dis AND isk'"), 21); // the index alone
        QCOMPARE(single(store, "SELECT v FROM logs_fts_config WHERE k = 'automerge'"), 4); // merging again
        insertLogs(store, 63, 3); // the adopted index takes new rows and deletions as its own
        store.indexFullText();
        QCOMPARE(store.applyRetention(990 * kSecond, kStart + 1000 * kSecond), 10);
        execSql(store.handle(), "INSERT INTO logs_fts(logs_fts) VALUES ('integrity-check')");
        QCOMPARE(searchCount(store, "disk full"), 22 - 4); // 0, 3, 6 and 9 went
    }

    // Not adopted when the store moved meanwhile: another writer (a receiver on the same store) indexed rows, or
    // retention on another connection deleted the newest rows and new rows took their ids, which the builder
    // had indexed with the old bodies. The store indexes the rows instead.
    void refusesWhenTheStoreMovedMeanwhile_data()
    {
        QTest::addColumn<bool>("deleted");
        QTest::addColumn<std::int64_t>("unindexed");
        QTest::addColumn<std::int64_t>("diskFull");
        QTest::newRow("indexed by another writer") << false << std::int64_t(20) << std::int64_t(10);
        QTest::newRow("rows deleted, ids taken again") << true << std::int64_t(6) << std::int64_t(2); // 3 and 6
    }

    void refusesWhenTheStoreMovedMeanwhile()
    {
        QFETCH(bool, deleted);
        QFETCH(std::int64_t, unindexed);
        QFETCH(std::int64_t, diskFull);
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        QVERIFY(store.beginBulkLoad());
        insertLogs(store, 0, 30);
        FullTextBuilder builder(store.path());
        QCOMPARE(builder.indexCommitted(100), 30);
        if (deleted) {
            QCOMPARE(store.applyRetention(1 * kSecond, kStart + 1000 * kSecond), 30);
            insertLogs(store, 1, 6);
            QCOMPARE(single(store, "SELECT MAX(id) FROM logs"), 6);
        } else {
            QCOMPARE(store.indexFullText({}, 10), 10);
        }
        QVERIFY(!builder.adopt());
        store.buildBulkIndexes();
        store.endBulkLoad();
        QCOMPARE(store.unindexedLogs(), unindexed);
        store.indexFullText();
        execSql(store.handle(), "INSERT INTO logs_fts(logs_fts) VALUES ('integrity-check')");
        QCOMPARE(searchCount(store, "disk full"), diskFull);
    }

    // Every connection reads FTS5's configuration again after an adoption: the cookie in the structure record
    // that tells them so moves past both the store's and the builder's.
    void adoptionMovesTheConfigurationCookieOn()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        QVERIFY(store.beginBulkLoad());
        for (int i = 0; i < 5; ++i) // each configuration write moves the store's cookie on
            execSql(store.handle(), "INSERT INTO logs_fts(logs_fts, rank) VALUES ('automerge', 0)");
        const std::int64_t before = cookieOf(store);
        insertLogs(store, 0, 9);
        FullTextBuilder builder(store.path());
        QCOMPARE(builder.indexCommitted(100), 9);
        QVERIFY(builder.adopt());
        QVERIFY2(cookieOf(store) > before, qPrintable(QString::number(cookieOf(store))));
        store.buildBulkIndexes();
        store.endBulkLoad();
        execSql(store.handle(), "INSERT INTO logs_fts(logs_fts) VALUES ('integrity-check')");
    }

    // An import killed mid-way leaves its scratch file; the next bulk load beside the store removes it once it
    // has been untouched for an hour, not before (it may be another import's, running).
    void removesScratchFilesOfKilledImports()
    {
        QTemporaryDir dir;
        Store store(dir.filePath(QStringLiteral("s.sqlite")));
        const QString old = store.path() + QStringLiteral(".fulltext-AbC123"), recent = store.path() + QStringLiteral(".fulltext-XyZ789");
        const QString otherStore = dir.filePath(QStringLiteral("t.sqlite.fulltext-Old456"));
        for (const QString &path : {old, recent, otherStore}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            if (path != recent)
                QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-7200), QFileDevice::FileModificationTime));
        }
        {
            FullTextBuilder builder(store.path());
            QVERIFY(!QFile::exists(old));
            QVERIFY(QFile::exists(recent));
            QVERIFY(QFile::exists(otherStore)); // another store's
        }
        QCOMPARE(filesIn(dir).filter(QStringLiteral(".fulltext-")), QStringList({QStringLiteral("s.sqlite.fulltext-XyZ789"), QStringLiteral("t.sqlite.fulltext-Old456")}));
    }

    void scratchFileThatCannotBeMadeIsAnError()
    {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(Error, FullTextBuilder(dir.filePath(QStringLiteral("missing/s.sqlite"))));
    }
};

QTEST_GUILESS_MAIN(TestFullTextBuilder)
#include "tst_fulltextbuilder.moc"

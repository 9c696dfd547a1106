// The query builder's models: the sentence (parse, format, round trip, errors with positions, completion
// context), the SQL error locator, the query history (JSON lines file, search) and the frame table model.
#include "models/FrameTableModel.h"
#include "models/QueryHistory.h"
#include "models/QuerySentence.h"
#include "models/SqlError.h"
#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
const QString kExample = QStringLiteral(
    "logs where service.name = auth and severity >= ERROR matching \"timeout\" count by service.name every 5m limit 100");

Query exampleQuery()
{
    Query q;
    q.signal = Signal::Logs;
    q.where = { { "service.name", Op::Eq, "auth" }, { "severity", Op::Ge, "ERROR" } };
    q.search = "timeout";
    q.agg.kind = Aggregate::Kind::Count;
    q.groupBy = { "service.name" };
    q.interval = 5 * kMinute;
    q.limit = 100;
    return q;
}

std::pair<int, int> errorSpan(const QString &text)
{
    try {
        parseQuerySentence(text);
    } catch (const SentenceError &e) {
        return { e.start(), e.end() };
    }
    return { -1, -1 };
}
} // namespace

class TestQuerySentence : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesTheExample()
    {
        QVERIFY(parseQuerySentence(kExample) == exampleQuery());
        QCOMPARE(querySentence(exampleQuery()), kExample);
    }

    void parsesEveryClause()
    {
        const Query q = parseQuerySentence(QStringLiteral(
            "spans where http.status_code>=500 and name != 'GET /' and exists(user.id) and !exists(error) "
            "and route ~ \"^/api/.*\" p95(duration_ms) group by service.name, name every 1h"));
        QCOMPARE(q.signal, Signal::Spans);
        QCOMPARE(q.where.size(), std::size_t(5));
        QVERIFY(q.where[0] == (Condition{ "http.status_code", Op::Ge, 500 }));
        QVERIFY(q.where[1] == (Condition{ "name", Op::Ne, "GET /" }));
        QVERIFY(q.where[2] == (Condition{ "user.id", Op::Exists, nullptr }));
        QVERIFY(q.where[3] == (Condition{ "error", Op::NotExists, nullptr }));
        QVERIFY(q.where[4] == (Condition{ "route", Op::Regex, "^/api/.*" }));
        QCOMPARE(q.agg.kind, Aggregate::Kind::Percentile);
        QCOMPARE(q.agg.field, std::string("duration_ms"));
        QCOMPARE(q.agg.percentile, 95.0);
        QVERIFY(q.groupBy == (std::vector<std::string>{ "service.name", "name" }));
        QCOMPARE(q.interval, kHour);
        QCOMPARE(q.limit, 1000);
        QCOMPARE(querySentence(q),
            QStringLiteral("spans where http.status_code >= 500 and name != \"GET /\" and exists(user.id) and "
                           "!exists(error) and route ~ ^/api/.* p95(duration_ms) by service.name, name every 1h"));
    }

    void quotesValuesThatWouldReadBackOtherwise()
    {
        QCOMPARE(sentenceValue(QStringLiteral("auth")), QStringLiteral("auth"));
        QCOMPARE(sentenceValue(QStringLiteral("500")), QStringLiteral("\"500\"")); // text, not a number
        QCOMPARE(sentenceValue(QStringLiteral("and")), QStringLiteral("\"and\""));
        QCOMPARE(sentenceValue(QStringLiteral("a b")), QStringLiteral("\"a b\""));
        QCOMPARE(sentenceValue(QStringLiteral("x=1")), QStringLiteral("\"x=1\""));
        QCOMPARE(sentenceValue(QStringLiteral("say \"hi\"\\")), QStringLiteral("\"say \\\"hi\\\"\\\\\""));
        QCOMPARE(sentenceValue(QString()), QStringLiteral("\"\""));
        // Found by review: a number picked from the completion list was quoted, and matched only its text.
        QCOMPARE(completionValue(QStringLiteral("500")), QStringLiteral("500"));
        QCOMPARE(completionValue(QStringLiteral("-1.5")), QStringLiteral("-1.5"));
        // Not how a number is written: equality reads it back as the text (review: zip=02134 matched 2134 only).
        QCOMPARE(completionValue(QStringLiteral("007")), QStringLiteral("007"));
        QCOMPARE(completionValue(QStringLiteral("1.10")), QStringLiteral("1.10"));
        QCOMPARE(sentenceValue(QStringLiteral("1.10"), Op::Gt), QStringLiteral("\"1.10\"")); // > reads a number
        QCOMPARE(parseQuerySentence(QStringLiteral("logs where version = 1.10 and zip != 02134 and n > 1.10 and v ~ 1.10")).where,
            (std::vector<Condition> { { "version", Op::Eq, "1.10" }, { "zip", Op::Ne, "02134" }, { "n", Op::Gt, 1.1 }, { "v", Op::Regex, "1.10" } }));
        // Quoted, it is the text alone, and the sentence written back keeps the quotes.
        const Query quoted = parseQuerySentence(QStringLiteral("logs where version = \"1.10\" and zip != '02134'"));
        QCOMPARE(quoted.where, (std::vector<Condition> { textOnly({ "version", Op::Eq, "1.10" }), textOnly({ "zip", Op::Ne, "02134" }) }));
        QVERIFY(quoted.where[0].quoted && quoted.where[1].quoted);
        QCOMPARE(querySentence(quoted), QStringLiteral("logs where version = \"1.10\" and zip != \"02134\""));
        QCOMPARE(parseQuerySentence(querySentence(quoted)).where, quoted.where);
        QCOMPARE(completionValue(QStringLiteral("auth")), QStringLiteral("auth"));
        QCOMPARE(completionValue(QStringLiteral("a b")), QStringLiteral("\"a b\""));
    }

    void roundTrips_data()
    {
        QTest::addColumn<QString>("value");
        for (const char *v : { "auth", "500", "and", "a b", "x=1", "say \"hi\"\\", "", "é ü", "2.5", "line\nbreak" })
            QTest::newRow(v) << QString::fromUtf8(v);
    }
    void roundTrips()
    {
        QFETCH(QString, value);
        Query q;
        q.signal = Signal::Metrics;
        q.where = { { "f", Op::Eq, value.toStdString() } };
        q.search = value.toStdString() + "!";
        q.agg = parseAggregate("avg(v)");
        q.limit = 7;
        const QString text = querySentence(q);
        QVERIFY2(parseQuerySentence(text) == q, qPrintable(text));
    }

    // Found by exploratory test: a key with a space (an attribute "user agent") could not be written, in the
    // sentence nor in --where, so a filter the sidebar made from it read back as an error.
    void fieldsWithSpacesAreQuoted()
    {
        Query q;
        q.where = { { "user agent", Op::Eq, "curl" }, { "a=b", Op::Gt, 2 }, { "where", Op::Exists, nullptr },
            { "odd key", Op::NotExists, nullptr } };
        q.groupBy = { "user agent", "service.name" };
        q.agg = parseAggregate("count");
        const QString text = querySentence(q);
        QCOMPARE(text, QStringLiteral("logs where \"user agent\" = curl and \"a=b\" > 2 and exists(\"where\") and "
                                      "!exists(\"odd key\") count by \"user agent\", service.name"));
        QVERIFY2(parseQuerySentence(text) == q, qPrintable(text));
        QCOMPARE(parseQuerySentence(QStringLiteral("logs where exists(\"user agent\")")).where.front().field,
                 std::string("user agent"));
        // fuzz_sentence: a field with a bracket inside exists() was written bare, a sentence that did not parse
        Query paren;
        paren.where = { { "e)sf", Op::NotExists, nullptr } };
        QCOMPARE(querySentence(paren), QStringLiteral("logs where !exists(\"e)sf\")"));
        QVERIFY(parseQuerySentence(querySentence(paren)) == paren);

        // An aggregate's field with a space, a comma, an operator or a quote had no sentence that read back.
        for (const char *field : { "user agent", "a,b", "a=b", "it's", "say \"hi\"", "a(b)", "x" }) {
            for (const char *fn : { "count_distinct", "sum", "p99.9" }) {
                Query agg;
                agg.agg = makeAggregate(fn, field);
                const QString sentence = querySentence(agg);
                QVERIFY2(parseQuerySentence(sentence) == agg, qPrintable(sentence));
            }
        }
        Query distinct;
        distinct.agg = parseAggregate("count_distinct(\"user agent\")");
        distinct.groupBy = { "service.name" };
        QCOMPARE(querySentence(distinct), QStringLiteral("logs count_distinct(\"user agent\") by service.name"));
        QVERIFY(parseQuerySentence(QStringLiteral("logs count_distinct( 'user agent' ) by service.name")) == distinct);
        QVERIFY(parseQuerySentence(QStringLiteral("logs count(\"*\")")).agg == parseAggregate("count"));
        try {
            parseQuerySentence(QStringLiteral("logs count(\"user agent\") by a"));
            QFAIL("count of a field was read");
        } catch (const SentenceError &e) {
            QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("count takes no field: use count, count_distinct(\"user agent\"), "
                                                                 "or exists(\"user agent\") to keep the records that have it"));
            QCOMPARE(e.start(), 5);
            QCOMPARE(e.end(), 24);
        }
        try {
            parseQuerySentence(QStringLiteral("logs sum(\"a b\" by a"));
            QFAIL("an unclosed aggregate was read");
        } catch (const SentenceError &e) {
            QCOMPARE(QString::fromUtf8(e.what()), QStringLiteral("expected \")\" at \"by\""));
        }

        const Condition c = parseWhere("\"user agent\" != 'curl 8'");
        QCOMPARE(c.field, std::string("user agent"));
        QVERIFY(c.op == Op::Ne && c.value == Json("curl 8"));
        QCOMPARE(parseWhere("'x y'>=3").field, std::string("x y"));
        QCOMPARE(parseWhere("exists(\"user agent\")").field, std::string("user agent"));
        QCOMPARE(parseWhereList(whereListToText(q.where)), q.where);
        Query escaped; // found by review: exists() took the where list's quoting, which has no escapes
        escaped.where = { { "a\\b c", Op::Exists, nullptr } };
        QVERIFY2(parseQuerySentence(querySentence(escaped)) == escaped, qPrintable(querySentence(escaped)));
        QCOMPARE(parseField(" \"user agent\" "), std::string("user agent"));
        QCOMPARE(parseField("service.name"), std::string("service.name"));
        QVERIFY_THROWS_EXCEPTION(Error, parseWhere("\"user agent = curl")); // unclosed
        QVERIFY_THROWS_EXCEPTION(Error, parseWhere("\"\" = curl"));
        QCOMPARE(errorSpan(QStringLiteral("logs where exists(\"a\" x")), std::pair(22, 23));
    }

    void numbersStayNumbers()
    {
        const Query q = parseQuerySentence(QStringLiteral("logs where a = 1.5 and b = -3"));
        QVERIFY(q.where[0].value == Json(1.5));
        QVERIFY(q.where[1].value == Json(std::int64_t(-3)));
        QCOMPARE(querySentence(q), QStringLiteral("logs where a = 1.5 and b = -3"));
    }

    void errorsPointAtTheWrongPart()
    {
        QCOMPARE(errorSpan(QStringLiteral("lgos where a = 1")), std::pair(0, 4));
        QCOMPARE(errorSpan(QStringLiteral("logs where a = 1 frobnicate")), std::pair(17, 27));
        QCOMPARE(errorSpan(QStringLiteral("logs where a 1")), std::pair(13, 14));
        QCOMPARE(errorSpan(QStringLiteral("logs where a =")), std::pair(14, 14));
        QCOMPARE(errorSpan(QStringLiteral("logs every soon")), std::pair(11, 15));
        QCOMPARE(errorSpan(QStringLiteral("logs limit -4")), std::pair(11, 13));
        QCOMPARE(errorSpan(QStringLiteral("logs where r ~ \"(\"")), std::pair(15, 18));
        QCOMPARE(errorSpan(QStringLiteral("logs frob(x)")), std::pair(5, 12));
        QCOMPARE(errorSpan(QString()), std::pair(0, 0));
        // Found by review: parseWhere's own error escaped the sentence parser and ended the app on Enter.
        QCOMPARE(errorSpan(QStringLiteral("logs where exists(service.name")), std::pair(11, 30));
        QCOMPARE(errorSpan(QStringLiteral("logs where !exists()")), std::pair(11, 20));
        try {
            parseQuerySentence(QStringLiteral("logs where a = 1 frobnicate"));
            QFAIL("no error");
        } catch (const SentenceError &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                QStringLiteral("expected where, matching, an aggregate (count, rate, sum(f) ...), by, every or "
                               "limit at \"frobnicate\""));
        }
    }

    void contextAtCursor_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expect");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("replaceStart");
        QTest::addColumn<QString>("field");
        QTest::newRow("empty") << QString() << int(SentenceExpect::Signal) << QString() << 0 << QString();
        QTest::newRow("signal prefix") << QStringLiteral("lo") << int(SentenceExpect::Signal) << QStringLiteral("lo") << 0 << QString();
        QTest::newRow("clause") << QStringLiteral("logs ") << int(SentenceExpect::Clause) << QString() << 5 << QString();
        QTest::newRow("clause prefix") << QStringLiteral("logs wh") << int(SentenceExpect::Clause) << QStringLiteral("wh") << 5 << QString();
        QTest::newRow("field") << QStringLiteral("logs where ser") << int(SentenceExpect::Field) << QStringLiteral("ser") << 11 << QString();
        QTest::newRow("operator") << QStringLiteral("logs where service.name ") << int(SentenceExpect::Operator) << QString() << 24 << QString();
        QTest::newRow("value") << QStringLiteral("logs where service.name = au") << int(SentenceExpect::Value) << QStringLiteral("au") << 26 << QStringLiteral("service.name");
        QTest::newRow("value no spaces") << QStringLiteral("logs where service.name=") << int(SentenceExpect::Value) << QString() << 24 << QStringLiteral("service.name");
        QTest::newRow("quoted value") << QStringLiteral("logs where a = \"x y") << int(SentenceExpect::Value) << QStringLiteral("x y") << 15 << QStringLiteral("a");
        QTest::newRow("after value") << QStringLiteral("logs where a = 1 ") << int(SentenceExpect::Clause) << QString() << 17 << QString();
        QTest::newRow("and field") << QStringLiteral("logs where a = 1 and ") << int(SentenceExpect::Field) << QString() << 21 << QString();
        QTest::newRow("search") << QStringLiteral("logs matching ") << int(SentenceExpect::Nothing) << QString() << 14 << QString();
        QTest::newRow("after search") << QStringLiteral("logs matching \"x\" ") << int(SentenceExpect::Clause) << QString() << 18 << QString();
        QTest::newRow("aggregate field") << QStringLiteral("logs sum(dur") << int(SentenceExpect::Field) << QStringLiteral("dur") << 9 << QString();
        QTest::newRow("quoted aggregate field") << QStringLiteral("logs count_distinct(\"user ag") << int(SentenceExpect::Field) << QStringLiteral("user ag") << 20 << QString();
        QTest::newRow("by") << QStringLiteral("logs count by ") << int(SentenceExpect::Field) << QString() << 14 << QString();
        QTest::newRow("by comma") << QStringLiteral("logs count by a, b") << int(SentenceExpect::Field) << QStringLiteral("b") << 17 << QString();
        QTest::newRow("after by") << QStringLiteral("logs count by a ") << int(SentenceExpect::Clause) << QString() << 16 << QString();
        QTest::newRow("every") << QStringLiteral("logs count every ") << int(SentenceExpect::Duration) << QString() << 17 << QString();
        QTest::newRow("limit") << QStringLiteral("logs limit ") << int(SentenceExpect::Nothing) << QString() << 11 << QString();
    }
    void contextAtCursor()
    {
        QFETCH(QString, text);
        QFETCH(int, expect);
        QFETCH(QString, prefix);
        QFETCH(int, replaceStart);
        QFETCH(QString, field);
        const SentenceContext c = sentenceContextAt(text, int(text.size()));
        QCOMPARE(int(c.expect), expect);
        QCOMPARE(c.prefix, prefix);
        QCOMPARE(c.replaceStart, replaceStart);
        QCOMPARE(c.field, field);
    }

    void contextKnowsAnd()
    {
        QVERIFY(sentenceContextAt(QStringLiteral("logs where a = 1 "), 17).afterCondition);
        QVERIFY(!sentenceContextAt(QStringLiteral("logs count "), 11).afterCondition);
        QCOMPARE(sentenceClauseWords(true).front(), QStringLiteral("and"));
        QCOMPARE(sentenceClauseWords(false).front(), QStringLiteral("where"));
    }

    void locatesSqlErrors()
    {
        const QString sql = QStringLiteral("SELECT count(*) FORM logs WHERE service = 'auth'");
        QCOMPARE(sqlErrorRange(QStringLiteral("store: prepare: near \"FORM\": syntax error"), sql), std::optional(std::pair(16, 20)));
        QCOMPARE(sqlErrorRange(QStringLiteral("no such column: service"), sql), std::optional(std::pair(32, 39)));
        QCOMPARE(sqlErrorRange(QStringLiteral("incomplete input"), QStringLiteral("SELECT (1 ")), std::optional(std::pair(8, 9)));
        QCOMPARE(sqlErrorRange(QStringLiteral("unrecognized token: \"'auth\""), QStringLiteral("SELECT 'auth")), std::optional(std::pair(7, 12)));
        QCOMPARE(sqlErrorRange(QStringLiteral("Code: 62. Syntax error: failed at position 8 ('FORM')"), sql), std::optional(std::pair(7, 8)));
        QCOMPARE(sqlErrorRange(QStringLiteral("database is locked"), sql), std::nullopt);
        // Found by review: ClickHouse counts bytes of the query it got (trimmed), the editor UTF-16 units.
        const QString cyrillic = QStringLiteral("  SELECT * FROM logs WHERE body = '\u043e\u0448\u0438\u0431\u043a\u0430' AND foo(");
        QCOMPARE(sqlErrorRange(QStringLiteral("Code: 62. Syntax error: failed at position 52 ('foo')"), cyrillic),
                 std::optional(std::pair(47, 48)));
        QCOMPARE(cyrillic.mid(47, 3), QStringLiteral("foo"));
        // "or" inside "order" is no match: the first whole-token occurrence is.
        QCOMPARE(sqlErrorRange(QStringLiteral("near \"or\": syntax error"), QStringLiteral("SELECT a FROM t order by x or")),
                 std::optional(std::pair(27, 29)));
    }

    void historyFileAppendsAndSkipsBadLines()
    {
        QTemporaryDir dir;
        const QString workspace = dir.filePath(QStringLiteral("demo.flightdeck.json"));
        const QString path = queryHistoryPath(workspace);
        QCOMPARE(path, dir.filePath(QStringLiteral("demo.flightdeck.history.jsonl")));
        QVERIFY(loadQueryHistory(path).empty());
        QueryHistoryEntry a{ 1'700'000'000'123'456'789, exampleQuery(), kExample.toStdString() };
        Query raw;
        raw.raw = "SELECT 1";
        QueryHistoryEntry b{ 1'700'000'060'000'000'000, raw, "SELECT 1" };
        appendQueryHistory(path, a);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"ran_at\": 5, \"query\": {\"signal\": \"nope\"}}\n{not json\n\n");
        }
        appendQueryHistory(path, b);
        int bad = -1;
        const auto loaded = loadQueryHistory(path, &bad);
        QCOMPARE(bad, 2);
        QCOMPARE(loaded.size(), std::size_t(2));
        QVERIFY(loaded[0] == a);
        QVERIFY(loaded[1] == b);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll().count('\n'), 5);
        }
        // Found by review: after a line cut short (no newline), the next entry joined it and was lost too.
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::Append));
            f.write("{\"ran_at\": 7, \"que");
        }
        appendQueryHistory(path, a);
        const auto after = loadQueryHistory(path, &bad);
        QCOMPARE(bad, 3);
        QCOMPARE(after.size(), std::size_t(3));
        QVERIFY(after[2] == a);
    }

    void historyModelSearchesNewestFirst()
    {
        QueryHistoryModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto entry = [](TimeNs t, const char *text) { return QueryHistoryEntry{ t, Query(), text }; };
        model.setEntries({ entry(1, "logs where service.name = auth"), entry(2, "spans count by name"),
            entry(3, "logs where service.name = checkout count") });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), QStringLiteral("logs where service.name = checkout count"));
        QCOMPARE(model.index(2).data().toString(), QStringLiteral("logs where service.name = auth"));
        QCOMPARE(model.index(1).data(QueryHistoryModel::RanAtRole).toLongLong(), 2);
        model.setFilter(QStringLiteral("LOGS count"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.entry(0).ranAt, 3);
        model.append(entry(4, "logs count every 5m"));
        model.append(entry(5, "spans where x = 1"));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.entry(0).ranAt, 4);
        QCOMPARE(model.totalCount(), std::size_t(5));
        model.setFilter(QString());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.entry(0).ranAt, 5);
        model.setFilter(QStringLiteral("nothing matches this"));
        QCOMPARE(model.rowCount(), 0);

        // A query run again right after itself is one entry at its last run, not a repeat (review); run again
        // later, it is a new entry.
        model.setFilter(QString());
        model.append(entry(6, "spans where x = 1"));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.entry(0).ranAt, 6);
        QCOMPARE(model.index(0).data(QueryHistoryModel::RanAtRole).toLongLong(), 6);
        model.append(entry(7, "logs count every 5m"));
        QCOMPARE(model.rowCount(), 6);
        model.setEntries({ entry(1, "logs count"), entry(2, "logs count"), entry(3, "spans count"), entry(4, "logs count") });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.entry(2).ranAt, 2);
        QCOMPARE(model.entry(0).ranAt, 4);

        // Two histories as one: in time order, an entry in both once, even among others of its time (review).
        const auto merged = mergeQueryHistories({ entry(1, "a"), entry(5, "b"), entry(5, "c") },
            { entry(2, "d"), entry(5, "b"), entry(5, "c"), entry(9, "e") });
        QStringList texts;
        for (const QueryHistoryEntry &e : merged)
            texts << QString::fromStdString(e.text);
        QCOMPARE(texts.join(QLatin1Char(' ')), QStringLiteral("a d b c e"));
        // A run appended after an entry of a later clock: merged again, still once (a second "save as" had
        // written it twice).
        const auto again = mergeQueryHistories({ entry(1, "a"), entry(9, "e"), entry(3, "f") }, { entry(3, "f"), entry(1, "a") });
        texts.clear();
        for (const QueryHistoryEntry &e : again)
            texts << QString::fromStdString(e.text);
        QCOMPARE(texts.join(QLatin1Char(' ')), QStringLiteral("a f e"));
    }

    void frameTableModelFormatsOnDemand()
    {
        auto frame = std::make_shared<Frame>();
        frame->columns = { { "time", ColumnType::Time, { std::int64_t(1'700'000'000'123'000'000), Cell() } },
            { "service.name", ColumnType::String, { std::string("auth"), std::string("line one\nline two") } },
            { "count", ColumnType::Int64, { std::int64_t(42), std::int64_t(-7) } },
            { "avg", ColumnType::Double, { 0.1 + 0.2, 2.5 } } };
        FrameTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setFrame(frame);
        model.setUtc(true);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("service.name"));
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("2023-11-14 22:13:20.123"));
        QCOMPARE(model.index(1, 0).data().toString(), QString());
        QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("line one …"));
        QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("42"));
        QCOMPARE(model.index(1, 2).data().toString(), QStringLiteral("-7"));
        QCOMPARE(model.index(0, 3).data().toString(), QStringLiteral("0.3"));
        QCOMPARE(model.index(1, 3).data().toString(), QStringLiteral("2.5"));
        QCOMPARE(model.index(0, 3).data(Qt::ToolTipRole).toString(), QStringLiteral("0.30000000000000004"));
        QVERIFY(model.index(0, 2).data(Qt::ToolTipRole).isNull());
        QCOMPARE(model.index(0, 2).data(Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(model.index(1, 2).data(FrameTableModel::SortRole).toDouble(), -7.0);
        QCOMPARE(model.index(0, 1).data(FrameTableModel::SortRole).toString(), QStringLiteral("auth"));

        // A column's fractions to four significant digits of its smallest (an average read 217.333333333).
        auto averages = std::make_shared<Frame>();
        averages->columns = { { "avg", ColumnType::Double, { 652.0 / 3, 12.5, 1500.0, -0.0 } },
            { "rate", ColumnType::Double, { 0.0123456, 1.0 / 3 } },
            { "whole", ColumnType::Double, { 3.0, 1e300 } },
            { "tiny", ColumnType::Double, { 4e-7, 0.5 } } };
        model.setFrame(averages);
        const auto shown = [&model](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(shown(0, 0), QStringLiteral("217.33"));
        QCOMPARE(shown(1, 0), QStringLiteral("12.5"));
        QCOMPARE(shown(2, 0), QStringLiteral("1500"));
        QCOMPARE(shown(3, 0), QStringLiteral("0"));
        QCOMPARE(shown(0, 1), QStringLiteral("0.01235"));
        QCOMPARE(shown(1, 1), QStringLiteral("0.33333"));
        QCOMPARE(shown(0, 2), QStringLiteral("3"));
        QCOMPARE(shown(1, 2), QStringLiteral("1e+300"));
        QCOMPARE(shown(0, 3), QStringLiteral("4e-07")); // past 6 decimals: significant digits, never a 0
        QCOMPARE(shown(1, 3), QStringLiteral("0.5"));
    }
};

QTEST_GUILESS_MAIN(TestQuerySentence)
#include "tst_querysentence.moc"

// The text forms of a result a person exports or copies: CSV and JSON lines.
#include "models/Frame.h"
#include "models/Cancel.h"
#include "models/Error.h"
#include "models/FieldColumns.h"
#include "models/FrameFileWriter.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace fd;

namespace {
Frame logLines(std::vector<Cell> bodies)
{
    Frame f;
    const std::size_t n = bodies.size();
    f.columns.push_back({ "body", ColumnType::String, std::move(bodies) });
    f.columns.push_back({ "delta", ColumnType::Int64, std::vector<Cell>(n, std::int64_t(-5)) });
    return f;
}
} // namespace

class TestFrameExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Found by an exploratory test: a group by time beside the buckets made two "time" columns, and JSON kept
    // one value of the two.
    void repeatedColumnNamesKeepEveryValue()
    {
        Frame f;
        f.columns.push_back({ "time", ColumnType::Time, { std::int64_t(0) } });
        f.columns.push_back({ "time", ColumnType::String, { std::string("group") } });
        f.columns.push_back({ "time 2", ColumnType::Int64, { std::int64_t(7) } });
        const Json j = frameToJson(f);
        QVERIFY(j["columns"][1]["name"] == "time 2" && j["columns"][2]["name"] == "time 2 2");
        QVERIFY(j["rows"][0] == Json({ { "time", "1970-01-01T00:00:00.000000000Z" }, { "time 2", "group" }, { "time 2 2", 7 } }));
        QCOMPARE(frameToJsonLines(f), j["rows"][0].dump() + "\n");
    }

    // Found by an exploratory test: a field added to the event table as a column was no column of its CSV.
    void fieldsAddedAsColumnsAreColumnsOfTheExport()
    {
        Frame f = logLines({ "a", "b", "c" });
        f.columns.push_back({ "attributes", ColumnType::Json,
            { R"({"user":{"id":"u-1"},"http.status":500,"delta.ms":-5})", R"({"user.id":7})", std::monostate() } });
        f.columns.push_back({ "resource", ColumnType::Json,
            { R"({"service.version":"2.14.0"})", R"({"user.id":"from the resource"})", "not json" } });
        const Frame out = withFieldColumns(f, { "user.id", "service.version", "http.status", "delta.ms", "body" });
        // "body" is a column of the source and a field made a column: both, as the table shows both
        QCOMPARE(csvHeader(out, CsvReader::Script),
                 std::string("body,delta,attributes,resource,user.id,service.version,http.status,delta.ms,body\n"));
        const auto cellAt = [&](std::size_t row, std::size_t column) { return out.cell(row, f.columns.size() + column); };
        QVERIFY(cellAt(0, 0) == Cell(std::string("u-1"))); // nested objects, as findDotted reads them
        QVERIFY(cellAt(1, 0) == Cell(std::int64_t(7))); // the attributes before the resource, a number as a number
        QVERIFY(isNull(cellAt(2, 0)));
        QVERIFY(cellAt(0, 1) == Cell(std::string("2.14.0"))); // from the resource
        QCOMPARE(out.columns[f.columns.size() + 2].type, ColumnType::Int64);
        QVERIFY(isNull(cellAt(0, 4))); // no attribute "body"
        // a negative number is no formula to guard against
        QCOMPARE(csvRows(out, CsvReader::Spreadsheet).substr(0, std::string("a,-5,").size()), std::string("a,-5,"));
        QVERIFY(csvRows(out, CsvReader::Spreadsheet).find(",500,-5,") != std::string::npos);
        QCOMPARE(withFieldColumns(f, {}).columns.size(), f.columns.size());
    }

    // Found by review: a log line "=HYPERLINK(...)" went into the CSV as it was, and a spreadsheet ran it.
    void csvForASpreadsheetRunsNoFormula()
    {
        const Frame f = logLines({ "=HYPERLINK(\"http://x\",\"click\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                   "\tx", "plain, with a comma", "" });
        const std::string sheet = frameToCsv(f, CsvReader::Spreadsheet);
        QCOMPARE(sheet, std::string("body,delta\n"
                                    "\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",-5\n"
                                    "'+cmd|' /C calc'!A0,-5\n"
                                    "'-2+3,-5\n"
                                    "'@SUM(A1),-5\n"
                                    "'\tx,-5\n"
                                    "\"plain, with a comma\",-5\n"
                                    ",-5\n"));
        // For scripts (flightdeck query --format csv) every text stays as it is.
        QCOMPARE(frameToCsv(f), std::string("body,delta\n"
                                            "\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",-5\n"
                                            "+cmd|' /C calc'!A0,-5\n"
                                            "-2+3,-5\n"
                                            "@SUM(A1),-5\n"
                                            "\tx,-5\n"
                                            "\"plain, with a comma\",-5\n"
                                            ",-5\n"));
    }

    // Found by an exploratory test: a script's CSV rounded to 15 digits what its JSON wrote whole.
    void csvForAScriptKeepsEveryDigit()
    {
        Frame f;
        f.columns.push_back({"y", ColumnType::Double, {0.1 + 0.2, 0.7436973757002802, 1e300, -0.0, 2.5}});
        QCOMPARE(frameToCsv(f), std::string("y\n0.30000000000000004\n0.7436973757002802\n1e+300\n-0\n2.5\n"));
        QCOMPARE(frameToCsv(f, CsvReader::Spreadsheet).substr(0, 6), std::string("y\n0.3\n"));
    }

    // Written atomically; an export cancelled before the commit leaves the file that was there.
    void aCancelledWriteLeavesTheFileAsItWas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("rows.jsonl"));
        writeFrameFile(logLines({ "first" }), path);
        CancelToken cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeFrameFile(logLines({ "second" }), path, cancelled));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{\"body\":\"first\",\"delta\":-5}\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{ QStringLiteral("rows.jsonl") }); // no temporary left
    }

    // A result written a page at a time is the same file as written whole: the CSV header once, from the first
    // page (an empty result still has it); nothing at the path until the commit.
    void pagesMakeTheSameFileAsTheWhole()
    {
        QTemporaryDir dir;
        for (const char *name : {"rows.csv", "rows.jsonl"}) {
            const QString whole = dir.filePath(QStringLiteral("whole-") + QLatin1String(name));
            const QString paged = dir.filePath(QStringLiteral("paged-") + QLatin1String(name));
            writeFrameFile(logLines({"a", "=b", "c, d"}), whole);
            {
                FrameFileWriter writer(paged);
                writer.append(logLines({"a", "=b"}));
                writer.append(logLines({}));
                writer.append(logLines({"c, d"}));
                QVERIFY(!QFile::exists(paged));
                QCOMPARE(writer.rows(), std::int64_t(3));
                writer.commit();
            }
            QFile a(whole), b(paged);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QCOMPARE(b.readAll(), a.readAll());
        }
        const QString empty = dir.filePath(QStringLiteral("empty.csv"));
        FrameFileWriter writer(empty);
        writer.append(logLines({}));
        writer.commit();
        QFile file(empty);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("body,delta\n"));
        QVERIFY_THROWS_EXCEPTION(Error, FrameFileWriter(dir.filePath(QStringLiteral("missing/rows.csv"))));
    }
};

QTEST_GUILESS_MAIN(TestFrameExport)
#include "tst_frameexport.moc"

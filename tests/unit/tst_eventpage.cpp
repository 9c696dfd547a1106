#include "models/EventPage.h"
#include "models/Error.h"
#include "models/LoadedRows.h"
#include <QTest>

using namespace fd;

class TestEventPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cellsReadBackAsTheyCame()
    {
        Frame f;
        f.columns = {{"time", ColumnType::Time, {std::int64_t(30), std::int64_t(20), std::monostate{}}},
                     {"value", ColumnType::Double, {1.5, std::monostate{}, -0.25}},
                     {"service.name", ColumnType::String, {std::string("auth"), std::string("auth"), std::monostate{}}},
                     {"attributes", ColumnType::Json, {std::string(R"({"a":1})"), std::string(), std::string(R"({"b":"x"})")}},
                     {"mixed", ColumnType::String, {std::string("text"), std::int64_t(7), 2.5}},
                     {"empty", ColumnType::String, {std::monostate{}, std::monostate{}, std::monostate{}}}};
        const EventPage page(f);
        QCOMPARE(page.rowCount(), std::size_t(3));
        QCOMPARE(page.columnCount(), std::size_t(6));
        QCOMPARE(page.columnIndex("attributes"), 3);
        QCOMPARE(page.columnIndex("nothing"), -1);
        QVERIFY(page.columnType(1) == ColumnType::Double);
        for (std::size_t c = 0; c < f.columns.size(); ++c)
            for (std::size_t r = 0; r < f.rowCount(); ++r)
                QVERIFY2(page.cell(r, c) == f.columns[c].cells[r], (f.columns[c].name + " row " + std::to_string(r)).c_str());
        QCOMPARE(page.integer(0, 0), std::int64_t(30));
        QCOMPARE(page.integer(2, 0), std::int64_t(0));
        QVERIFY(page.isNull(2, 0));
        QVERIFY(!page.isNull(1, 3)); // an empty text is no null
        QVERIFY(page.isNull(0, 5));
        std::string_view text;
        QVERIFY(page.text(1, 2, text));
        QCOMPARE(std::string(text), std::string("auth"));
        QVERIFY(!page.text(2, 2, text));
        QVERIFY(page.text(2, 3, text));
        QCOMPARE(std::string(text), std::string(R"({"b":"x"})"));
        QVERIFY(page.text(0, 4, text));
        QVERIFY(!page.text(1, 4, text));
        QCOMPARE(page.integer(1, 4), std::int64_t(7));
    }

    void equalTextIsKeptOnce()
    {
        Frame f;
        const std::string resource(200, 'r');
        f.columns = {{"resource", ColumnType::Json, {}}};
        for (int i = 0; i < 1000; ++i)
            f.columns[0].cells.emplace_back(resource);
        const EventPage page(f);
        // 1000 ids and one copy of the text, not 1000 copies.
        QVERIFY2(page.bytes() < 1000 * 4 + 200 + 1024, std::to_string(page.bytes()).c_str());
        std::string_view text;
        QVERIFY(page.text(999, 0, text));
        QCOMPARE(std::string(text), resource);
    }

    // The rows an export of the loaded rows writes: in the order given across pages, typed like the first page.
    void loadedRowsMakeOneFrameInTheirOrder()
    {
        const auto page = [](std::vector<Cell> times, std::vector<Cell> bodies) {
            Frame f;
            f.columns = {{"time", ColumnType::Time, std::move(times)}, {"body", ColumnType::String, std::move(bodies)}};
            return std::make_shared<const EventPage>(f);
        };
        const LoadedRows rows({page({std::int64_t(30), std::int64_t(20)}, {std::string("c"), std::string("b")}),
                               page({std::int64_t(10)}, {std::monostate{}})},
                              {{1, 0}, {0, 0}, {0, 1}});
        const Frame f = rows.frame();
        QCOMPARE(f.columns.size(), std::size_t(2));
        QVERIFY(f.columns[0].type == ColumnType::Time);
        QCOMPARE(f.rowCount(), std::size_t(3));
        QCOMPARE(f.total, std::int64_t(3));
        QVERIFY(f.cell(0, 0) == Cell(std::int64_t(10)));
        QVERIFY(std::holds_alternative<std::monostate>(f.cell(0, 1)));
        QVERIFY(f.cell(1, 1) == Cell(std::string("c")));
        QVERIFY(f.cell(2, 1) == Cell(std::string("b")));
        QCOMPARE(LoadedRows().frame().rowCount(), std::size_t(0));
        const auto cancelled = std::make_shared<CancelToken>();
        cancelled->cancel();
        QVERIFY_THROWS_EXCEPTION(Cancelled, rows.frame(cancelled));
    }
};

QTEST_GUILESS_MAIN(TestEventPage)
#include "tst_eventpage.moc"

#include "models/TraceTree.h"

#include <QElapsedTimer>
#include <QTest>

using namespace fd;

namespace {

Span span(const std::string &id, const std::string &parent, TimeNs start, TimeNs end,
          const std::string &service = "svc", int status = 0)
{
    Span s;
    s.traceId = "t1";
    s.spanId = id;
    s.parentSpanId = parent;
    s.service = service;
    s.name = "op-" + id;
    s.start = start;
    s.end = end;
    s.statusCode = status;
    return s;
}

// The display order as "id:depth" strings, which makes failures readable.
QStringList order(const TraceTree &tree)
{
    QStringList out;
    for (const auto &row : tree.rows)
        out << QStringLiteral("%1:%2").arg(QString::fromStdString(tree.spans[row.span].spanId)).arg(row.depth);
    return out;
}

// "a:0 b:1" -> {"a:0", "b:1"}
QStringList expected(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '));
}

} // namespace

class TestTraceTree : public QObject
{
    Q_OBJECT
    static bool critical(const TraceTree &t, const std::string &id)
    {
        for (std::size_t i = 0; i < t.spans.size(); ++i)
            if (t.spans[i].spanId == id)
                return t.critical[i];
        return false;
    }

private Q_SLOTS:
    void criticalPathIsWhatTheEndWaitedFor()
    {
        // a [0,100] waits for b2 [60,95] last, before it for b [10,50]; b1 [5,40] overlaps b and is not
        // on the path; inside b, c2 [30,48] ends last and c1 [12,28] fills the time before it.
        const TraceTree t = TraceTree::build({span("a", "", 0, 100, "frontend"), span("b", "a", 10, 50, "auth"),
                                              span("b1", "a", 5, 40, "auth"), span("b2", "a", 60, 95, "checkout"),
                                              span("c1", "b", 12, 28, "db"), span("c2", "b", 30, 48, "db"),
                                              span("late", "b2", 90, 99, "db")});
        for (const char *on : {"a", "b", "b2", "c1", "c2", "late"})
            QVERIFY2(critical(t, on), on);
        QVERIFY(!critical(t, "b1"));
    }


    void emptyTrace()
    {
        const TraceTree tree = TraceTree::build({});
        QVERIFY(tree.rows.empty());
        QVERIFY(tree.services.empty());
        QVERIFY(tree.orphans.empty());
        QCOMPARE(tree.errorCount, 0);
        QCOMPARE(tree.root(), nullptr);
    }

    void nestingAndOrdering()
    {
        // Given out of order on purpose: children must come out by start time, depth first.
        const TraceTree tree = TraceTree::build({
            span("c2", "b", 40, 50, "db"),
            span("b2", "a", 60, 90, "auth"),
            span("a", "", 0, 100, "frontend"),
            span("c1", "b", 20, 30, "db"),
            span("b", "a", 10, 55, "auth"),
        });
        QCOMPARE(order(tree), expected("a:0 b:1 c1:2 c2:2 b2:1"));
        QVERIFY(tree.orphans.empty());
        QCOMPARE(tree.root()->spanId, std::string("a"));
        QCOMPARE(tree.start, TimeNs(0));
        QCOMPARE(tree.end, TimeNs(100));
        QCOMPARE(tree.services, (std::vector<std::string>{"frontend", "auth", "db"}));
        for (const auto &row : tree.rows)
            QCOMPARE(tree.services[static_cast<std::size_t>(row.serviceIndex)], tree.spans[row.span].service);
    }

    void equalStartsKeepInputOrder()
    {
        const TraceTree tree = TraceTree::build({span("r", "", 0, 10), span("x", "r", 5, 6), span("y", "r", 5, 7)});
        QCOMPARE(order(tree), expected("r:0 x:1 y:1"));
    }

    void orphansBecomeRoots()
    {
        const TraceTree tree = TraceTree::build({
            span("lost", "gone", 30, 40),
            span("root", "", 0, 100),
            span("kid", "lost", 32, 35),
            span("child", "root", 5, 10),
        });
        QCOMPARE(order(tree), expected("root:0 child:1 lost:0 kid:1"));
        QCOMPARE(tree.orphans.size(), std::size_t(1));
        QCOMPARE(tree.spans[tree.orphans.front()].spanId, std::string("lost"));
        QVERIFY(!tree.rows[0].orphan);
        QVERIFY(tree.rows[2].orphan);
        QVERIFY(!tree.rows[3].orphan); // its own parent is present
        QCOMPARE(tree.root()->spanId, std::string("root"));
    }

    void onlyOrphans()
    {
        const TraceTree tree = TraceTree::build({span("b", "x", 20, 30), span("a", "y", 10, 15)});
        QCOMPARE(order(tree), expected("a:0 b:0"));
        QCOMPARE(tree.orphans.size(), std::size_t(2));
        QCOMPARE(tree.root()->spanId, std::string("a"));
    }

    void cycleIsShownOnce()
    {
        const TraceTree tree = TraceTree::build({span("r", "", 0, 10), span("p", "q", 1, 2), span("q", "p", 3, 4)});
        QCOMPARE(tree.rows.size(), std::size_t(3));
        QCOMPARE(order(tree), expected("r:0 p:0 q:1"));
        QVERIFY(tree.rows[1].orphan);
    }

    void errorsAreCounted()
    {
        const TraceTree tree = TraceTree::build({
            span("a", "", 0, 10, "s", int(StatusCode::Error)),
            span("b", "a", 1, 2, "s", int(StatusCode::Ok)),
            span("c", "a", 3, 4, "s", int(StatusCode::Error)),
        });
        QCOMPARE(tree.errorCount, 2);
    }

    // A 100k-deep chain must not overflow the stack, and a wide 100k trace must lay out quickly.
    void largeTraces()
    {
        constexpr int n = 100'000;
        std::vector<Span> chain;
        chain.reserve(n);
        for (int i = 0; i < n; ++i)
            chain.push_back(span("s" + std::to_string(i), i ? "s" + std::to_string(i - 1) : "", i, 2 * n - i));
        const TraceTree deep = TraceTree::build(std::move(chain));
        QCOMPARE(deep.rows.size(), std::size_t(n));
        QCOMPARE(deep.rows.back().depth, n - 1);

        std::vector<Span> wide;
        wide.reserve(n);
        wide.push_back(span("root", "", 0, n));
        for (int i = 1; i < n; ++i)
            wide.push_back(span("w" + std::to_string(i), i < 100 ? "root" : "w" + std::to_string(i % 99 + 1),
                                (n - i) % 997, (n - i) % 997 + 5, "svc" + std::to_string(i % 7)));
        QElapsedTimer timer;
        timer.start();
        const TraceTree tree = TraceTree::build(std::move(wide));
        const qint64 ms = timer.elapsed();
        QCOMPARE(tree.rows.size(), std::size_t(n));
        QVERIFY(tree.orphans.empty());
        QCOMPARE(tree.services.size(), std::size_t(8));
        qInfo("laid out 100k spans in %lld ms", ms);
        QVERIFY2(ms < 1000, "TraceTree::build is far over its 200 ms budget");
    }
};

QTEST_GUILESS_MAIN(TestTraceTree)
#include "tst_tracetree.moc"

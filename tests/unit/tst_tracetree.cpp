#include "models/TraceCompare.h"
#include "models/TraceJson.h"
#include "models/TraceMedian.h"
#include "models/TraceSearch.h"
#include "models/TraceStatistics.h"
#include "models/TraceTree.h"
#include "models/TraceVisibility.h"
#include "models/Time.h"

#include <QElapsedTimer>
#include <limits>
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
        out << QStringLiteral("%1:%2").arg(QString::fromStdString(tree.span(row.span).spanId)).arg(row.depth);
    return out;
}

// "a:0 b:1" -> {"a:0", "b:1"}
QStringList expected(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

// The shop trace (times in ms of a 0..100 trace), in display order:
//   0 root frontend [0,100]   critical
//   1   auth auth [5,25]      overlaps cart, so not what root waited for
//   2     db1 db [6,8]        error
//   3   cart checkout [20,90] critical
//   4     inv inventory [22,35]
//   5     pay payments [30,85] error, critical
//   6       ins db [40,50]    critical
//   7 gone [92,99]            placeholder: the missing parent
//   8   late payments [92,99] orphan
TraceTree shopTrace()
{
    std::vector<Span> spans{
        span("late", "gone", 92, 99, "payments"),
        span("root", "", 0, 100, "frontend"),
        span("auth", "root", 5, 25, "auth"),
        span("db1", "auth", 6, 8, "db", int(StatusCode::Error)),
        span("cart", "root", 20, 90, "checkout"),
        span("pay", "cart", 30, 85, "payments", int(StatusCode::Error)),
        span("ins", "pay", 40, 50, "db"),
        span("inv", "cart", 22, 35, "inventory"),
    };
    spans[2].attributes = {{"user.id", 42}};
    spans[5].attributes = {{"payment.provider", "Stripe"}, {"retry", true}};
    spans[6].attributes = {{"db.statement", "INSERT INTO payments VALUES (?)"}};
    spans[7].attributes = {{"note", "Überweisung"}};
    spans[3].statusMessage = "upstream Timeout";
    spans[7].events = {{30, "cache miss", {{"sku", "x-9"}}}};
    return TraceTree::build(std::move(spans));
}

// The ids of the rows shown, "*" marking the greyed context rows and "+N" the collapsed ones.
QStringList shown(const TraceTree &tree, const TraceVisibility &v)
{
    QStringList out;
    for (std::size_t i = 0; i < v.rows.size(); ++i) {
        QString id = QString::fromStdString(tree.span(tree.rows[static_cast<std::size_t>(v.rows[i])].span).spanId);
        if (v.context[i])
            id += QLatin1Char('*');
        if (v.hidden[i] > 0)
            id += QStringLiteral("+%1").arg(v.hidden[i]);
        out << id;
    }
    return out;
}

QStringList ids(const TraceTree &tree, const std::vector<int> &rows)
{
    QStringList out;
    for (int r : rows)
        out << QString::fromStdString(tree.span(tree.rows[static_cast<std::size_t>(r)].span).spanId);
    return out;
}

int rowOf(const TraceTree &tree, const std::string &id)
{
    for (std::size_t r = 0; r < tree.rows.size(); ++r)
        if (tree.span(tree.rows[r].span).spanId == id)
            return static_cast<int>(r);
    return -1;
}

TraceFilter filterOf(bool errors, bool critical, double percent, std::vector<std::string> services = {})
{
    TraceFilter f;
    f.errorsOnly = errors;
    f.criticalOnly = critical;
    f.minDurationPercent = percent;
    f.services = std::move(services);
    return f;
}

// A wide trace of n spans under one root, 99 children each with ~1000 descendants spread out below.
TraceTree wideTrace(int n)
{
    std::vector<Span> wide;
    wide.reserve(static_cast<std::size_t>(n));
    wide.push_back(span("root", "", 0, n));
    for (int i = 1; i < n; ++i) {
        Span s = span("w" + std::to_string(i), i < 100 ? "root" : "w" + std::to_string(i % 99 + 1), (n - i) % 997,
                      (n - i) % 997 + 5 + i % 50, "svc" + std::to_string(i % 7), i % 89 == 0 ? int(StatusCode::Error) : 0);
        s.attributes = {{"http.route", "/api/item/" + std::to_string(i % 1000)}, {"retry", i % 3}};
        wide.push_back(std::move(s));
    }
    return TraceTree::build(std::move(wide));
}

// A trace of one root (frontend GET /checkout, [0, root]) and children one after another, each
// {service, name, duration}.
struct Child {
    std::string service, name;
    TimeNs duration;
};
TraceTree checkoutTrace(TimeNs root, const std::vector<Child> &children)
{
    Span r = span("root", "", 0, root, "frontend");
    r.name = "GET /checkout";
    std::vector<Span> spans{r};
    TimeNs at = 1;
    for (const Child &c : children) {
        Span s = span("c" + std::to_string(spans.size()), "root", at, at + c.duration, c.service);
        s.name = c.name;
        spans.push_back(s);
        at += c.duration;
    }
    return TraceTree::build(std::move(spans));
}

QStringList diffRows(const std::vector<PathDiff> &diff)
{
    QStringList rows;
    for (const PathDiff &d : diff)
        rows << QStringLiteral("%1|%2:%3|%4:%5|%6%7%8")
                    .arg(QString::fromStdString(d.text()))
                    .arg(d.countA).arg(d.totalA).arg(d.countB).arg(d.totalB).arg(d.delta())
                    .arg(QLatin1String(d.added() ? "+" : "")).arg(QLatin1String(d.missing() ? "-" : ""));
    return rows;
}

} // namespace

Q_DECLARE_METATYPE(fd::TraceFilter)

class TestTraceTree : public QObject
{
    Q_OBJECT
    static bool critical(const TraceTree &t, const std::string &id)
    {
        for (std::size_t i = 0; i < t.spans.size(); ++i)
            if (t.span(i).spanId == id)
                return t.critical[i];
        return false;
    }

    // The ids of the spans on the critical path, in the order the spans were given.
    static QStringList criticalIds(const TraceTree &t)
    {
        QStringList out;
        for (std::size_t i = 0; i < t.spans.size(); ++i)
            if (t.critical[i])
                out << QString::fromStdString(t.span(i).spanId);
        return out;
    }

private Q_SLOTS:
    void elapsedTimesReadForPeople()
    {
        QCOMPARE(formatElapsed(850), QStringLiteral("850 ns"));
        QCOMPARE(formatElapsed(955'661), QStringLiteral("956 µs"));
        QCOMPARE(formatElapsed(10'443'126), QStringLiteral("10.4 ms"));
        QCOMPARE(formatElapsed(2'755'411'929), QStringLiteral("2.76 s"));
        QCOMPARE(formatElapsed(252 * kSecond), QStringLiteral("4 m 12 s"));
        QCOMPARE(formatElapsed(2 * kHour + 5 * kMinute), QStringLiteral("2 h 5 m"));
    }

    void criticalPathIsWhatTheEndWaitedFor()
    {
        // a [0,100] waits for b2 [60,95] last, before it for b [10,50]; b1 [5,40] overlaps b and is not
        // on the path; inside b, c2 [30,48] ends last and c1 [12,28] fills the time before it.
        const TraceTree t = TraceTree::build({span("a", "", 0, 100, "frontend"), span("b", "a", 10, 50, "auth"),
                                              span("b1", "a", 5, 40, "auth"), span("b2", "a", 60, 95, "checkout"),
                                              span("c1", "b", 12, 28, "db"), span("c2", "b", 30, 48, "db"),
                                              span("late", "b2", 90, 99, "db")});
        QCOMPARE(criticalIds(t), expected("a b b2 c1 c2 late"));
        // Exploratory test: a child begun after its parent ended (a queue's consumer) was marked what the parent waited
        // for; the parent waited for the last child that ran within it.
        const TraceTree async = TraceTree::build({span("a", "", 0, 100, "frontend"), span("sync", "a", 10, 90, "auth"),
                                                  span("q", "sync", 20, 80, "db"), span("after", "a", 200, 300, "queue")});
        QCOMPARE(criticalIds(async), expected("a sync q"));
        // Exploratory test (against Jaeger's algorithm): inside an async child cut at the root's end, the
        // grandchild that ran up to that end is what it waited for, not one over long before.
        const TraceTree outlived = TraceTree::build({span("root", "", 0, 100, "a"), span("A", "root", 50, 150, "b"),
                                                     span("B", "A", 60, 140, "c"), span("C", "A", 55, 70, "c")});
        QCOMPARE(criticalIds(outlived), expected("root A B"));
        // A child over before its parent began (clock skew) is nothing the parent waited for.
        const TraceTree skewed = TraceTree::build({span("root", "", 0, 100, "a"), span("early", "root", -1, 89, "b"),
                                                   span("before", "root", -10, -5, "b")});
        QCOMPARE(criticalIds(skewed), expected("root early"));
        // Review: below a zero-length parent (a producer's send), a child keeps its own end: of two overlapping
        // grandchildren the one that ended last is on the path, not both.
        const TraceTree zero = TraceTree::build({span("send", "", 0, 0, "a"), span("process", "send", 10, 100, "b"),
                                                 span("db", "process", 20, 90, "c"), span("cache", "process", 20, 30, "c")});
        QCOMPARE(criticalIds(zero), expected("send process db"));
        // A trace whose root did not arrive (not sampled, not sent yet) had no critical path at all. Its end waits
        // for the missing parents' placeholders: "lost" [10,95] last, before it "gone" [0,5]; "early" [0,40] of
        // "gone2" still ran when "lost" began.
        const TraceTree rootless = TraceTree::build({span("w", "gone", 0, 5, "a"), span("x", "lost", 10, 50, "b"),
                                                     span("y", "lost", 60, 95, "b"), span("z", "y", 70, 90, "c"),
                                                     span("early", "gone2", 1, 40, "d")});
        QCOMPARE(criticalIds(rootless), expected("w x y z"));
    }


    void rowLinks()
    {
        const TraceTree tree = shopTrace();
        QCOMPARE(order(tree), expected("root:0 auth:1 db1:2 cart:1 inv:2 pay:2 ins:3 gone:0 late:1"));
        const std::vector<int> parents{-1, 0, 1, 0, 3, 3, 5, -1, 7};
        const std::vector<std::size_t> ends{7, 3, 3, 7, 5, 7, 7, 9, 9};
        for (std::size_t r = 0; r < tree.rows.size(); ++r) {
            QCOMPARE(tree.rows[r].parentRow, parents[r]);
            QCOMPARE(tree.rows[r].subtreeEnd, ends[r]);
        }
        QVERIFY(tree.hasChildren(0) && tree.hasChildren(5) && !tree.hasChildren(6) && tree.hasChildren(7) && !tree.hasChildren(8));
        for (const char *on : {"root", "cart", "pay", "ins"})
            QVERIFY2(critical(tree, on), on);
        for (const char *off : {"auth", "db1", "inv", "gone", "late"})
            QVERIFY2(!critical(tree, off), off);
    }

    void collapseHidesExactlyTheSubtree()
    {
        const TraceTree tree = shopTrace();
        std::vector<char> collapsed(tree.rows.size(), 0);
        QCOMPARE(TraceVisibility::compute(tree, collapsed, {}).count(), 9);
        QCOMPARE(TraceVisibility::compute(tree, {}, {}).count(), 9); // no flags at all: nothing collapsed

        collapsed[static_cast<std::size_t>(rowOf(tree, "cart"))] = 1;
        TraceVisibility v = TraceVisibility::compute(tree, collapsed, {});
        QCOMPARE(shown(tree, v), expected("root auth db1 cart+3 gone late"));
        QCOMPARE(v.count(), 6);
        QCOMPARE(v.indexOf(rowOf(tree, "pay")), -1);
        QCOMPARE(v.indexOf(rowOf(tree, "late")), 5);
        QCOMPARE(v.lowerBound(rowOf(tree, "pay")), 4);

        collapsed[static_cast<std::size_t>(rowOf(tree, "pay"))] = 1; // inside a collapsed subtree: no change
        QCOMPARE(shown(tree, TraceVisibility::compute(tree, collapsed, {})), expected("root auth db1 cart+3 gone late"));
        collapsed[static_cast<std::size_t>(rowOf(tree, "cart"))] = 0;
        QCOMPARE(shown(tree, TraceVisibility::compute(tree, collapsed, {})), expected("root auth db1 cart inv pay+1 gone late"));

        collapsed.assign(tree.rows.size(), 0);
        collapsed[0] = 1;
        QCOMPARE(shown(tree, TraceVisibility::compute(tree, collapsed, {})), expected("root+6 gone late"));
        collapsed[static_cast<std::size_t>(rowOf(tree, "ins"))] = 1; // a leaf has nothing to collapse
        collapsed[0] = 0;
        QCOMPARE(TraceVisibility::compute(tree, collapsed, {}).count(), 9);
        collapsed[static_cast<std::size_t>(rowOf(tree, "gone"))] = 1; // a placeholder collapses like a span
        QCOMPARE(shown(tree, TraceVisibility::compute(tree, collapsed, {})).last(), QStringLiteral("gone+1"));
    }

    void collapseBelowDepth()
    {
        const TraceTree tree = shopTrace();
        const auto at = [&](int depth) { return shown(tree, TraceVisibility::compute(tree, TraceVisibility::collapsedBelow(tree, depth), {})); };
        QCOMPARE(at(0), expected("root+6 gone+1"));
        QCOMPARE(at(1), expected("root auth+1 cart+3 gone late"));
        QCOMPARE(at(2), expected("root auth db1 cart inv pay+1 gone late"));
        QCOMPARE(at(3).size(), 9);
        QCOMPARE(at(99).size(), 9);
    }

    void filtersHideWhatDoesNotMatch_data()
    {
        QTest::addColumn<TraceFilter>("filter");
        QTest::addColumn<QString>("rows");
        QTest::addColumn<int>("matching");
        QTest::newRow("none") << TraceFilter{} << "root auth db1 cart inv pay ins gone late" << 9;
        QTest::newRow("errors") << filterOf(true, false, 0) << "root* auth* db1 cart* pay" << 2;
        QTest::newRow("critical") << filterOf(false, true, 0) << "root cart pay ins" << 4;
        QTest::newRow("longer than 50%") << filterOf(false, false, 50) << "root cart pay" << 3;
        QTest::newRow("longer than 15%") << filterOf(false, false, 15) << "root auth cart pay" << 4;
        QTest::newRow("longer than 99%") << filterOf(false, false, 99) << "root" << 1;
        QTest::newRow("service db") << filterOf(false, false, 0, {"db"}) << "root* auth* db1 cart* pay* ins" << 2;
        QTest::newRow("services payments+inventory")
            << filterOf(false, false, 0, {"payments", "inventory"}) << "root* cart* inv pay gone* late" << 3;
        QTest::newRow("unknown service") << filterOf(false, false, 0, {"nope"}) << "" << 0;
        QTest::newRow("errors on the critical path") << filterOf(true, true, 0) << "root* cart* pay" << 1;
        QTest::newRow("errors in db") << filterOf(true, false, 0, {"db"}) << "root* auth* db1" << 1;
    }

    void filtersHideWhatDoesNotMatch()
    {
        QFETCH(TraceFilter, filter);
        QFETCH(QString, rows);
        QFETCH(int, matching);
        const TraceTree tree = shopTrace();
        const TraceVisibility v = TraceVisibility::compute(tree, {}, filter);
        QCOMPARE(shown(tree, v), expected(qPrintable(rows)));
        QCOMPARE(v.matching, matching);
        QCOMPARE(v.filtered, filter.isActive());
        for (std::size_t r = 0; r < tree.rows.size(); ++r) // kept is exactly what is shown when nothing is collapsed
            QCOMPARE(bool(v.kept[r]), v.indexOf(static_cast<int>(r)) >= 0);
    }

    void filterAndCollapseTogether()
    {
        const TraceTree tree = shopTrace();
        std::vector<char> collapsed(tree.rows.size(), 0);
        collapsed[static_cast<std::size_t>(rowOf(tree, "cart"))] = 1;
        // The collapsed row counts only the spans the filter keeps below it.
        QCOMPARE(shown(tree, TraceVisibility::compute(tree, collapsed, filterOf(true, false, 0))), expected("root* auth* db1 cart*+1"));
        // A row whose descendants are all filtered out has nothing to expand.
        collapsed.assign(tree.rows.size(), 0);
        collapsed[static_cast<std::size_t>(rowOf(tree, "pay"))] = 1;
        const TraceVisibility v = TraceVisibility::compute(tree, collapsed, filterOf(false, false, 50));
        QCOMPARE(shown(tree, v), expected("root cart pay"));
        QCOMPARE(v.descendants, (std::vector<int>{2, 1, 0}));
    }

    void searchMatchesNamesKeysAndValues()
    {
        const TraceTree tree = shopTrace();
        const auto find = [&](const char *text) { return ids(tree, TraceSearch(QString::fromUtf8(text)).matchingRows(tree)); };
        QCOMPARE(find("stripe"), expected("pay"));         // a value, another case
        QCOMPARE(find("PAYMENT"), expected("pay ins"));    // a key, a value; never the service name
        QCOMPARE(find("42"), expected("auth"));            // a number value
        QCOMPARE(find("true"), expected("pay"));           // a bool value
        QCOMPARE(find("USER.ID"), expected("auth"));
        QCOMPARE(find("op-c"), expected("cart"));          // the name
        QCOMPARE(find("OP-").size(), 8);                   // in display order
        QCOMPARE(find("op-"), expected("root auth db1 cart inv pay ins late"));
        QCOMPARE(find("ÜBERW"), expected("inv"));          // beyond ASCII
        QCOMPARE(find("  cart "), expected("cart"));       // the text is trimmed
        // The status message and events (exploratory test: "timeout" missed the failing spans)
        QCOMPARE(find("timeout"), expected("db1"));
        QCOMPARE(find("CACHE"), expected("inv"));          // an event's name
        QCOMPARE(find("x-9"), expected("inv"));            // an event's attribute
        QVERIFY(find("").isEmpty());
        QVERIFY(find("no such thing").isEmpty());
        QVERIFY(TraceSearch(QString()).isEmpty());
    }

    // Recomputing what is shown should stay well under a frame budget's worth of 50 ms at 100k spans.
    void visibilityAt100k()
    {
        const TraceTree tree = wideTrace(100'000);
        QCOMPARE(tree.rows.size(), std::size_t(100'000));
        QElapsedTimer timer;
        const auto measure = [&](const char *what, const std::vector<char> &collapsed, const TraceFilter &filter) {
            timer.start();
            const TraceVisibility v = TraceVisibility::compute(tree, collapsed, filter);
            const double ms = timer.nsecsElapsed() / 1e6;
            qInfo("visibility at 100k spans, %-28s %7.2f ms (%d rows shown)", what, ms, v.count());
            return std::make_pair(ms, v.count());
        };
        const auto all = measure("no filter:", {}, {});
        QCOMPARE(all.second, 100'000);
        const auto errors = measure("errors only:", {}, filterOf(true, false, 0));
        QVERIFY(errors.second > 1000 && errors.second < 100'000);
        const auto critical = measure("critical path only:", {}, filterOf(false, true, 0));
        QVERIFY(critical.second >= 1);
        const auto services = measure("2 of 7 services:", {}, filterOf(false, false, 0, {"svc1", "svc4"}));
        QVERIFY(services.second > 20'000);
        const auto longer = measure("longer than 5%:", {}, filterOf(false, false, 5));
        const auto depth = measure("collapsed below depth 1:", TraceVisibility::collapsedBelow(tree, 1), {});
        QCOMPARE(depth.second, 100); // the root and its 99 children
        const auto both = measure("collapsed + errors + services:", TraceVisibility::collapsedBelow(tree, 2),
                                  filterOf(true, false, 0, {"svc1", "svc4"}));
        // Times are printed, not asserted: a shared CI machine makes timed pass/fail tests flaky (bench_waterfall measures).
        for (double ms : {all.first, errors.first, critical.first, services.first, longer.first, depth.first, both.first})
            if (ms >= 50)
                qWarning("recomputing the shown rows of 100k spans took %.1f ms (budget 50 ms)", ms);

        timer.start();
        const auto hits = TraceSearch(QStringLiteral("item/77")).matchingRows(tree);
        const double searchMs = timer.nsecsElapsed() / 1e6;
        qInfo("search at 100k spans (name, attribute keys and values): %.2f ms, %zu matches", searchMs, hits.size());
        QVERIFY(hits.size() > 100);
        if (searchMs >= 200)
            qWarning("searching 100k spans took %.1f ms (budget 200 ms)", searchMs);
    }

    void emptyTrace()
    {
        const TraceTree tree = TraceTree::build({});
        QVERIFY(tree.rows.empty());
        QVERIFY(tree.services.empty());
        QVERIFY(tree.orphans.empty());
        QCOMPARE(tree.errorCount, 0);
        QCOMPARE(tree.root(), nullptr);
        const TraceVisibility v = TraceVisibility::compute(tree, {}, filterOf(true, true, 10));
        QCOMPARE(v.count(), 0);
        QVERIFY(TraceSearch(QStringLiteral("x")).matchingRows(tree).empty());
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
            QCOMPARE(tree.services[static_cast<std::size_t>(row.serviceIndex)], tree.span(row.span).service);
    }

    void equalStartsKeepInputOrder()
    {
        const TraceTree tree = TraceTree::build({span("r", "", 0, 10), span("x", "r", 5, 6), span("y", "r", 5, 7)});
        QCOMPARE(order(tree), expected("r:0 x:1 y:1"));
    }

    // Orphans sharing a missing parent id stay together under one placeholder row for that id.
    void orphansGroupUnderTheirMissingParent()
    {
        const TraceTree tree = TraceTree::build({
            span("lost", "gone", 30, 40),
            span("root", "", 0, 100),
            span("kid", "lost", 32, 35),
            span("other", "away", 45, 48),
            span("child", "root", 5, 10),
            span("lost2", "gone", 50, 60, "other-svc"),
        });
        QCOMPARE(order(tree), expected("root:0 child:1 gone:0 lost:1 kid:2 lost2:1 away:0 other:1"));
        QCOMPARE(tree.spanCount, std::size_t(6));
        QCOMPARE(tree.spans.size(), std::size_t(6)); // placeholders are kept apart
        QCOMPARE(tree.placeholderSpans.size(), std::size_t(2));
        QCOMPARE(tree.spanIndexCount(), std::size_t(8));
        QStringList flags;
        for (const auto &row : tree.rows)
            flags << QStringLiteral("%1%2").arg(QLatin1String(row.placeholder ? "P" : "")).arg(QLatin1String(row.orphan ? "O" : "-"));
        QCOMPARE(flags, expected("- - P- O - O P- O"));
        const TraceTree::Row &gone = tree.rows[2];
        QVERIFY(tree.isPlaceholder(gone.span) && !tree.isPlaceholder(tree.rows[3].span));
        QCOMPARE(gone.start, TimeNs(30)); // it spans the spans that name it
        QCOMPARE(gone.end, TimeNs(60));
        QCOMPARE(gone.serviceIndex, -1);
        QCOMPARE(gone.subtreeEnd, std::size_t(6));
        QCOMPARE(tree.rows[3].parentRow, 2);
        QCOMPARE(tree.rows[5].parentRow, 2);
        QCOMPARE(tree.rows[7].parentRow, 6);
        QCOMPARE(tree.services, (std::vector<std::string>{"svc", "other-svc"})); // no service for a placeholder
        QCOMPARE(tree.root()->spanId, std::string("root"));
        QVERIFY(!tree.critical[gone.span]);

        // The orphans are listed in start order, and no placeholder is a span of the trace.
        QStringList orphans;
        for (std::size_t o : tree.orphans)
            orphans << QString::fromStdString(tree.span(o).spanId);
        QCOMPARE(orphans, expected("lost other lost2"));
        const Json json = traceToJson("t1", tree);
        QCOMPARE(json["spans"].size(), std::size_t(6));
        QCOMPARE(json["orphans"].size(), std::size_t(3));
        QCOMPARE(json["orphans"][0]["span_id"].get<std::string>(), std::string("lost"));
        QCOMPARE(json["orphans"][0]["parent_span_id"].get<std::string>(), std::string("gone"));
        for (const Json &s : json["spans"])
            QVERIFY(s["span_id"] != "gone" && s["span_id"] != "away");
        const std::string table = traceToTable(tree);
        QVERIFY(table.find("[missing parent gone: never arrived]") != std::string::npos);
        QVERIFY(table.find("op-lost  (missing parent gone)") != std::string::npos);
    }

    void onlyOrphans()
    {
        const TraceTree tree = TraceTree::build({span("b", "x", 20, 30), span("a", "y", 10, 15)});
        QCOMPARE(order(tree), expected("y:0 a:1 x:0 b:1"));
        QCOMPARE(tree.orphans.size(), std::size_t(2));
        QCOMPARE(tree.root()->spanId, std::string("a")); // never a placeholder
        QCOMPARE(tree.start, TimeNs(10));
        QCOMPARE(tree.end, TimeNs(30));
        // Each ran while the other had not: both are what the trace waited for; the missing parents are no spans
        QVERIFY(traceToJson("t", tree)["critical_path"] == Json::array({"a", "b"}));
    }

    // A child that starts before its parent is shown where it was recorded, and flagged.
    void clockSkewIsFlaggedNotMoved()
    {
        const TraceTree tree = TraceTree::build({
            span("root", "", 10, 100),
            span("early", "root", 4, 20),
            span("fine", "root", 30, 40),
            span("deep", "fine", 29, 35),
        });
        QCOMPARE(order(tree), expected("root:0 early:1 fine:1 deep:2"));
        QCOMPARE(tree.skewCount, 2);
        QVERIFY(!tree.rows[0].skewed && tree.rows[1].skewed && !tree.rows[2].skewed && tree.rows[3].skewed);
        QCOMPARE(tree.rows[1].start, TimeNs(4));
        QCOMPARE(tree.start, TimeNs(4));
        QVERIFY(traceToTable(tree).find("op-early  (starts before its parent: clock skew?)") != std::string::npos);
    }

    // Exploratory test: span text went to the terminal as it came (an escape sequence set the title and cleared the
    // screen, a newline made a false row), and a chain of 10,000 spans printed 100 MB of indent.
    void theTableIsSafeForATerminalAndNarrow()
    {
        std::vector<Span> spans{span("root", "", 0, 100)};
        spans[0].name = "GET /\x1b]0;pwned\x07\x1b[2J\nfake row  *  deadbeef \xc2\x9b" "2J caf\xc3\xa9";
        for (int i = 1; i <= 2000; ++i)
            spans.push_back(span("s" + std::to_string(i), i == 1 ? "root" : "s" + std::to_string(i - 1), i, 100));
        const std::string table = traceToTable(TraceTree::build(spans));
        QVERIFY(table.find("GET / ]0;pwned  [2J fake row  *  deadbeef  2J caf\xc3\xa9") != std::string::npos);
        QCOMPARE(std::count(table.begin(), table.end(), '\n'), std::ptrdiff_t(2001));
        QVERIFY(std::none_of(table.begin(), table.end(), [](char c) { return c == '\x1b' || c == '\x07'; }));
        QVERIFY(table.find("[depth 2000] svc  op-s2000") != std::string::npos);
        QVERIFY(table.size() < 2001 * 200);
    }

    // Self time: the span's duration less the union of its children clipped to it.
    void statisticsOfTheShopTrace()
    {
        const std::vector<OperationStats> stats = traceStatistics(shopTrace());
        QStringList rows;
        for (const OperationStats &s : stats)
            rows << QStringLiteral("%1/%2:n%3,t%4,s%5,m%6,e%7")
                        .arg(QString::fromStdString(s.service), QString::fromStdString(s.name))
                        .arg(s.count).arg(s.total).arg(s.self).arg(s.max).arg(s.errors);
        QCOMPARE(rows, expected("frontend/op-root:n1,t100,s15,m100,e0 checkout/op-cart:n1,t70,s7,m70,e0 "
                                "payments/op-pay:n1,t55,s45,m55,e1 auth/op-auth:n1,t20,s18,m20,e0 "
                                "inventory/op-inv:n1,t13,s13,m13,e0 db/op-ins:n1,t10,s10,m10,e0 "
                                "payments/op-late:n1,t7,s7,m7,e0 db/op-db1:n1,t2,s2,m2,e1"));
    }

    void statisticsMergeOverlapsAndClipChildren()
    {
        std::vector<Span> spans{span("r", "", 0, 100, "api"), span("q0", "r", -5, 5, "db"), span("q1", "r", 10, 30, "db"),
                                span("q2", "r", 20, 40, "db"), span("q3", "r", 90, 120, "db")};
        for (std::size_t i = 1; i < spans.size(); ++i)
            spans[i].name = "query";
        const std::vector<OperationStats> stats = traceStatistics(TraceTree::build(std::move(spans)));
        QCOMPARE(stats.size(), std::size_t(2));
        QCOMPARE(stats[0].service, std::string("api"));
        QCOMPARE(stats[0].self, DurationNs(55)); // covered: [0,5] (skewed, clipped) + [10,40] (merged) + [90,100] (clipped)
        QCOMPARE(stats[1].service, std::string("db"));
        QCOMPARE(stats[1].name, std::string("query"));
        QCOMPARE(stats[1].count, std::int64_t(4));
        QCOMPARE(stats[1].total, DurationNs(80));
        QCOMPARE(stats[1].self, DurationNs(80));
        QCOMPARE(stats[1].max, DurationNs(30));
        QCOMPARE(stats[1].average(), DurationNs(20));
        QVERIFY(traceStatistics(TraceTree::build({})).empty());
        // found by review: a span from before 1678 to after 2262 (decoders accept both ends) overflowed
        const std::vector<OperationStats> wide = traceStatistics(TraceTree::build(
            {span("w", "", std::numeric_limits<TimeNs>::min(), std::numeric_limits<TimeNs>::max())}));
        QCOMPARE(wide.at(0).max, std::numeric_limits<DurationNs>::max());
        QCOMPARE(wide.at(0).total, std::numeric_limits<DurationNs>::max());
    }

    void statisticsLeaveOutPlaceholders()
    {
        const std::vector<OperationStats> stats
            = traceStatistics(TraceTree::build({span("a", "gone", 10, 20), span("b", "gone", 30, 50)}));
        QCOMPARE(stats.size(), std::size_t(2));
        QCOMPARE(stats[0].name + "/" + stats[1].name, std::string("op-b/op-a"));
        QCOMPARE(stats[0].self + stats[1].self, DurationNs(30));
    }

    // A is the baseline; B lost inventory:check, gained cache:get, ran one db:query (longer) for two.
    void compareByOperationPath()
    {
        const TraceTree a = TraceTree::build({span("r", "", 0, 100, "frontend"), span("au", "r", 5, 25, "auth"),
                                              span("inv", "au", 10, 12, "inventory"), span("q1", "r", 30, 40, "db"),
                                              span("q2", "r", 50, 60, "db")});
        const TraceTree b = TraceTree::build({span("R", "", 0, 150, "frontend"), span("AU", "R", 5, 20, "auth"),
                                              span("Q", "R", 30, 100, "db"), span("C", "R", 1, 2, "cache")});
        auto rename = [](TraceTree t, std::vector<std::pair<std::string, std::string>> names) {
            std::vector<Span> spans(t.spans.begin(), t.spans.begin() + static_cast<long>(t.spanCount));
            for (Span &s : spans)
                for (const auto &[id, name] : names)
                    if (s.spanId == id)
                        s.name = name;
            return TraceTree::build(std::move(spans));
        };
        const TraceTree ta = rename(a, {{"r", "GET"}, {"au", "login"}, {"inv", "check"}, {"q1", "query"}, {"q2", "query"}});
        const TraceTree tb = rename(b, {{"R", "GET"}, {"AU", "login"}, {"Q", "query"}, {"C", "get"}});
        const std::vector<PathDiff> diff = compareTraces(ta, tb);
        const QStringList rows = diffRows(diff);
        QCOMPARE(rows, (QStringList{QStringLiteral("frontend:GET|1:100|1:150|50"),
                                    QStringLiteral("frontend:GET / auth:login|1:20|1:15|-5"),
                                    QStringLiteral("frontend:GET / auth:login / inventory:check|1:2|0:0|-2-"),
                                    QStringLiteral("frontend:GET / cache:get|0:0|1:1|1+"),
                                    QStringLiteral("frontend:GET / db:query|2:20|1:70|50")}));
        QCOMPARE(diff[0].relativeDelta(), 0.5);
        QCOMPARE(diff[1].relativeDelta(), -0.25);
        QCOMPARE(diff[4].relativeDelta(), 2.5);
        QCOMPARE(diff[3].relativeDelta(), 0.0); // only in B: no ratio
        QCOMPARE(compareTraces(ta, ta).size(), std::size_t(4)); // cache:get is only in B
        for (const PathDiff &d : compareTraces(ta, ta))
            QVERIFY(d.delta() == 0 && !d.added() && !d.missing());
    }

    // Five checkout traces make the median; a sixth is compared with it.
    void compareWithTheMedian()
    {
        const std::vector<TraceTree> similar{
            checkoutTrace(100, {{"auth", "login", 10}, {"db", "query", 10}, {"db", "query", 10}}),
            checkoutTrace(120, {{"auth", "login", 20}, {"db", "query", 15}, {"db", "query", 15}}),
            checkoutTrace(90, {{"auth", "login", 30}, {"db", "query", 15}, {"db", "query", 15}, {"db", "query", 15}}),
            checkoutTrace(300, {{"db", "query", 10}, {"cache", "get", 5}}),
            checkoutTrace(110, {{"auth", "login", 40}, {"db", "query", 5}, {"db", "query", 20}, {"cache", "get", 7}}),
        };
        std::vector<PathTotals> totals;
        for (const TraceTree &t : similar)
            totals.push_back(pathTotals(t));
        const MedianProfile profile = medianProfile(totals);
        QCOMPARE(profile.traces, std::int64_t(5));
        QStringList rows;
        for (const PathMedian &m : profile.paths)
            rows << QStringLiteral("%1|%2|%3|%4").arg(QString::fromStdString(PathDiff{m.path}.text()))
                        .arg(m.traces).arg(m.count).arg(m.total);
        // Root: 90 100 110 120 300. login in 4 of 5: (20+30)/2. query counts 1 2 2 2 3, totals 10 20 25 30 45.
        // get in 2 of 5: its median count is 0, its total (5+7)/2.
        QCOMPARE(rows, (QStringList{QStringLiteral("frontend:GET /checkout|5|1|110"),
                                    QStringLiteral("frontend:GET /checkout / auth:login|4|1|25"),
                                    QStringLiteral("frontend:GET /checkout / cache:get|2|0|6"),
                                    QStringLiteral("frontend:GET /checkout / db:query|5|2|25")}));
        QVERIFY(profile.find({"frontend:GET /checkout", "cache:get"}));
        QCOMPARE(profile.find({"frontend:GET /checkout", "cache:get"})->traces, std::int64_t(2));
        QVERIFY(!profile.find({"frontend:GET /checkout", "search:find"}));

        // Slower, no login (most traces log in), a cache get (most do not), a search no trace has.
        const TraceTree slow = checkoutTrace(
            200, {{"db", "query", 20}, {"db", "query", 20}, {"db", "query", 20}, {"cache", "get", 8}, {"search", "find", 4}});
        const std::vector<PathDiff> diff = compareWithMedian(profile, slow);
        QCOMPARE(diffRows(diff), (QStringList{QStringLiteral("frontend:GET /checkout|1:110|1:200|90"),
                                              QStringLiteral("frontend:GET /checkout / auth:login|1:25|0:0|-25-"),
                                              QStringLiteral("frontend:GET /checkout / cache:get|0:0|1:8|8+"),
                                              QStringLiteral("frontend:GET /checkout / db:query|2:25|3:60|35"),
                                              QStringLiteral("frontend:GET /checkout / search:find|0:0|1:4|4+")}));
        QCOMPARE(diff[3].relativeDelta(), 1.4);
        QCOMPARE(diff[0].relativeDelta(), 90.0 / 110.0);

        // A typical trace: no path added or missing; the paths only a minority has are left out.
        const std::vector<PathDiff> usual = compareWithMedian(profile, similar[1]);
        QCOMPARE(diffRows(usual), (QStringList{QStringLiteral("frontend:GET /checkout|1:110|1:120|10"),
                                               QStringLiteral("frontend:GET /checkout / auth:login|1:25|1:20|-5"),
                                               QStringLiteral("frontend:GET /checkout / db:query|2:25|2:30|5")}));

        // Of four traces, a path in two is not in "most": its lower median count is 0.
        totals.pop_back();
        const MedianProfile four = medianProfile(totals);
        QCOMPARE(four.find({"frontend:GET /checkout"})->total, DurationNs(110)); // (100 + 120) / 2
        QCOMPARE(four.find({"frontend:GET /checkout", "auth:login"})->count, std::int64_t(1)); // in 3 of 4
        QCOMPARE(four.find({"frontend:GET /checkout", "cache:get"})->count, std::int64_t(0));  // in 1 of 4
        QCOMPARE(four.find({"frontend:GET /checkout", "db:query"})->count, std::int64_t(2));   // 1 2 2 3

        QVERIFY(medianProfile({}).paths.empty());
        QCOMPARE(compareWithMedian(medianProfile({}), slow).size(), std::size_t(4)); // all added
    }

    void cycleIsShownOnce()
    {
        const TraceTree tree = TraceTree::build({span("r", "", 0, 10), span("p", "q", 1, 2), span("q", "p", 3, 4)});
        QCOMPARE(tree.rows.size(), std::size_t(3));
        QCOMPARE(order(tree), expected("r:0 p:0 q:1"));
        // Both parents arrived: a loop, not an orphan (exploratory test: "missing parent, never arrived")
        QVERIFY(tree.rows[1].cycle);
        QVERIFY(!tree.rows[1].orphan);
        QVERIFY(tree.orphans.empty());
        QCOMPARE(tree.cycles, std::vector<std::size_t>{1});
        const TraceTree self = TraceTree::build({span("s", "s", 0, 10)});
        QVERIFY(self.rows.at(0).cycle && self.orphans.empty());
        // A span hanging off a loop, met first, is no loop of its own (review)
        const TraceTree hanging = TraceTree::build({span("c", "a", 5, 6), span("a", "b", 1, 2), span("b", "a", 3, 4),
                                                    span("d", "s", 7, 8), span("s", "s", 0, 10)});
        QCOMPARE(hanging.cycles.size(), std::size_t(2));
        for (std::size_t top : hanging.cycles)
            QVERIFY2(hanging.spans[top].spanId == "a" || hanging.spans[top].spanId == "b" || hanging.spans[top].spanId == "s",
                     hanging.spans[top].spanId.c_str());
        QCOMPARE(hanging.rows.size(), std::size_t(5));
        QCOMPARE(std::count_if(hanging.rows.begin(), hanging.rows.end(), [](const TraceTree::Row &r) { return r.cycle; }), 2);
        const Json j = traceToJson("t", tree);
        QVERIFY(j["orphans"].empty());
        QVERIFY(j["parent_cycles"] == Json::array({"p"}));
        QVERIFY(traceToTable(tree).find("(its parent q descends from it: a loop of parents)") != std::string::npos);
    }

    // Found by an exploratory test: an exporter that retried a batch whose answer it lost stored every span
    // twice, and the waterfall drew each one twice. A span with the same id and times is kept once, said.
    void aSpanSentAgainIsShownOnce()
    {
        const TraceTree tree = TraceTree::build({span("r", "", 0, 10), span("c", "r", 1, 5), span("r", "", 0, 10),
                                                 span("c", "r", 1, 5), span("c", "r", 2, 6)});
        QCOMPARE(tree.repeatedSpans, std::size_t(2));
        QCOMPARE(tree.spanCount, std::size_t(3));
        QCOMPARE(order(tree), expected("r:0 c:1 c:1")); // the same id at other times is no repeat: both stay
        QVERIFY(traceToTable(tree).find("(2 spans arrived more than once, shown once)") != std::string::npos);
        QCOMPARE(TraceTree::build({span("r", "", 0, 10)}).repeatedSpans, std::size_t(0));
        // exploratory test: a copy with an event, a link or another resource says more, and is shown too
        Span withEvent = span("c", "r", 1, 5);
        withEvent.events.push_back({3, "exception", {{"exception.type", "Timeout"}}});
        Span withLink = span("c", "r", 1, 5);
        withLink.links.push_back({std::string(32, 'f'), std::string(16, 'e'), Json::object()});
        Span elsewhere = span("c", "r", 1, 5);
        elsewhere.resource["host.name"] = "h2";
        const TraceTree more = TraceTree::build({span("r", "", 0, 10), span("c", "r", 1, 5), withEvent, withLink, elsewhere,
                                                 withEvent});
        QCOMPARE(more.repeatedSpans, std::size_t(1));
        QCOMPARE(more.spanCount, std::size_t(5));
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

        const qint64 tenth = fastestOfThree(n / 10);
        const qint64 whole = fastestOfThree(n);
        if (QTest::currentTestFailed())
            return;
        qInfo("laid out 10k spans in %lld ms, 100k in %lld ms", tenth, whole);
        // Ten times the spans in about ten times the time, whatever the build (the 200 ms budget is measured
        // in BENCHMARKS.md): growing as the square would take a hundred times.
        QVERIFY2(whole < 50 * std::max<qint64>(tenth, 10), "TraceTree::build grows faster than the trace");
    }

private:
    static qint64 fastestOfThree(int n)
    {
        qint64 fastest = std::numeric_limits<qint64>::max();
        for (int i = 0; i < 3 && !QTest::currentTestFailed(); ++i)
            fastest = std::min(fastest, msToLayOutWide(n));
        return fastest;
    }

    static qint64 msToLayOutWide(int n)
    {
        std::vector<Span> wide;
        wide.reserve(std::size_t(n));
        wide.push_back(span("root", "", 0, n));
        for (int i = 1; i < n; ++i)
            wide.push_back(span("w" + std::to_string(i), i < 100 ? "root" : "w" + std::to_string(i % 99 + 1),
                                (n - i) % 997, (n - i) % 997 + 5, "svc" + std::to_string(i % 7)));
        QElapsedTimer timer;
        timer.start();
        const TraceTree tree = TraceTree::build(std::move(wide));
        const qint64 ms = timer.elapsed();
        [&] {
            QCOMPARE(tree.rows.size(), std::size_t(n));
            QVERIFY(tree.orphans.empty());
            QCOMPARE(tree.services.size(), std::size_t(8));
        }();
        return ms;
    }
};

QTEST_GUILESS_MAIN(TestTraceTree)
#include "tst_tracetree.moc"

#include "models/DataSource.h"
#include "widgets/ServiceColors.h"
#include "widgets/ServiceLegend.h"
#include "widgets/TraceMinimap.h"
#include "widgets/TraceWaterfall.h"
#include "widgets/TracesView.h"
#include "ImageChecks.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <functional>
#include <set>

using namespace fd;

namespace {

constexpr TimeNs kT0 = 1'780'000'000'000'000'000LL;
constexpr TimeNs kMs = 1'000'000;
const std::string kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

QString q(const char *text)
{
    return QString::fromUtf8(text);
}

Span makeSpan(const std::string &id, const std::string &parent, const std::string &service, const std::string &name,
    double startMs, double endMs, bool error = false)
{
    Span s;
    s.traceId = kTraceId;
    s.spanId = id;
    s.parentSpanId = parent;
    s.service = service;
    s.name = name;
    s.kind = int(SpanKind::Server);
    s.start = kT0 + static_cast<TimeNs>(startMs * kMs);
    s.end = kT0 + static_cast<TimeNs>(endMs * kMs);
    s.statusCode = error ? int(StatusCode::Error) : 0;
    return s;
}

// Display order: root auth db1 cart inv pay ins gone late ("gone": the missing parent; see tst_tracetree for the known answers).
std::vector<Span> shopSpans()
{
    std::vector<Span> spans {
        makeSpan("root", "", "frontend", "GET /checkout", 0, 100),
        makeSpan("auth", "root", "auth", "authorize", 5, 25),
        makeSpan("db1", "auth", "db", "SELECT users", 6, 8, true),
        makeSpan("cart", "root", "checkout", "GetCart", 20, 90),
        makeSpan("inv", "cart", "inventory", "CheckStock", 22, 35),
        makeSpan("pay", "cart", "payments", "Charge", 30, 85, true),
        makeSpan("ins", "pay", "db", "INSERT", 40, 50),
        makeSpan("late", "gone", "payments", "late callback", 92, 99),
    };
    spans[5].attributes = { { "payment.provider", "stripe" } };
    spans[6].attributes = { { "db.statement", "INSERT INTO payments VALUES (?)" } };
    return spans;
}

std::shared_ptr<const TraceTree> shopTree()
{
    return std::make_shared<const TraceTree>(TraceTree::build(shopSpans()));
}

// A realistic checkout request of about 150 spans across the shop's services.
std::vector<Span> checkoutSpans()
{
    std::vector<Span> s;
    s.push_back(makeSpan("r", "", "frontend", "GET /checkout", 0, 480));
    s.back().attributes = { { "http.request.method", "GET" }, { "http.route", "/checkout" } };
    s.back().events.push_back({ kT0 + 3 * kMs, "session loaded", {} });
    s.push_back(makeSpan("a", "r", "auth", "POST /auth/verify", 5, 40));
    s.push_back(makeSpan("a1", "a", "auth", "SELECT users", 8, 20));
    s.back().attributes = { { "db.statement", "SELECT * FROM users WHERE id = ?" } };
    s.push_back(makeSpan("a2", "a", "auth", "redis GET session", 22, 25));
    s.push_back(makeSpan("c", "r", "checkout", "GetCart", 45, 125));
    for (int i = 0; i < 20; ++i) {
        const std::string id = "c" + std::to_string(i);
        s.push_back(makeSpan(id, "c", "inventory", "CheckStock", 48 + 3.5 * i, 55 + 3.5 * i));
        s.back().attributes = { { "item.sku", "SKU-" + std::to_string(1000 + i) } };
        s.push_back(makeSpan(id + "d", id, "inventory", "SELECT stock", 49 + 3.5 * i, 53 + 3.5 * i));
        s.push_back(makeSpan(id + "e", id, "inventory", "redis GET price", 53 + 3.5 * i, 54.5 + 3.5 * i));
    }
    s.push_back(makeSpan("p", "r", "payments", "Charge", 130, 400, true));
    s.back().statusMessage = "card declined";
    s.back().attributes = { { "payment.provider", "stripe" }, { "payment.amount", 42.5 } };
    for (int i = 0; i < 3; ++i) {
        const std::string id = "p" + std::to_string(i);
        s.push_back(makeSpan(id, "p", "payments", "POST /v1/charges", 140 + 85 * i, 215 + 85 * i, i < 2));
        s.back().attributes = { { "http.route", "/v1/charges" }, { "payment.attempt", i + 1 } };
        s.back().events.push_back({ kT0 + (180 + 85 * i) * kMs, "retry", {} });
    }
    s.push_back(makeSpan("s", "r", "search", "Recommendations", 130, 300));
    for (int i = 0; i < 40; ++i)
        s.push_back(makeSpan("s" + std::to_string(i), "s", "search", "ScoreItem", 135 + 4 * i, 141 + 4 * i));
    s.push_back(makeSpan("f", "r", "frontend", "render", 405, 470));
    s.push_back(makeSpan("f1", "f", "frontend", "template checkout.html", 410, 460));
    s.push_back(makeSpan("x", "gone", "payments", "webhook callback", 470, 478));
    return s;
}

// n spans: "op-<i>" under 49 first-level spans, spread across 9 services, every 97th an error.
std::shared_ptr<const TraceTree> bigTree(int n)
{
    std::vector<Span> spans;
    spans.reserve(static_cast<std::size_t>(n));
    spans.push_back(makeSpan("root", "", "frontend", "GET /big", 0, 10'000));
    for (int i = 1; i < n; ++i) {
        const std::string parent = i < 50 ? std::string("root") : "s" + std::to_string(i % 49 + 1);
        const double start = (i * 7) % 9000;
        Span s = makeSpan("s" + std::to_string(i), parent, "svc" + std::to_string(i % 9), "op-" + std::to_string(i),
            start, start + 20 + i % 300, i % 97 == 0);
        spans.push_back(std::move(s));
    }
    return std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
}

class FakeSource : public DataSource
{
public:
    std::vector<Span> spans;
    std::string id() const override { return "fake"; }
    Frame query(const Query &, const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &) override
    {
        return traceId == kTraceId ? spans : std::vector<Span> {};
    }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }
};

// The ids of the shown rows; "*" marks a greyed context row, "+N" a collapsed one.
QStringList shownIds(const TraceWaterfall &w)
{
    QStringList out;
    const auto tree = w.tree();
    const TraceVisibility &v = w.visibility();
    for (int i = 0; i < w.visibleRowCount(); ++i) {
        QString id
            = QString::fromStdString(tree->span(tree->rows[static_cast<std::size_t>(w.treeRowAt(i))].span).spanId);
        if (v.context[static_cast<std::size_t>(i)])
            id += QLatin1Char('*');
        if (v.hidden[static_cast<std::size_t>(i)] > 0)
            id += QStringLiteral("+%1").arg(v.hidden[static_cast<std::size_t>(i)]);
        out << id;
    }
    return out;
}

QStringList expected(const char *text)
{
    return QString::fromLatin1(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

int spanOf(const TraceTree &tree, const std::string &id)
{
    for (std::size_t i = 0; i < tree.spans.size(); ++i)
        if (tree.span(i).spanId == id)
            return static_cast<int>(i);
    return -1;
}

std::string selectedId(const TraceWaterfall &w)
{
    return w.selectedSpan() < 0 ? std::string() : w.tree()->span(static_cast<std::size_t>(w.selectedSpan())).spanId;
}

void sendMouse(QWidget *w, QEvent::Type type, const QPoint &pos, Qt::MouseButtons buttons)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, QPointF(pos), QPointF(w->mapToGlobal(pos)), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &event);
}

void drag(QWidget *w, const QPoint &from, const QPoint &to)
{
    sendMouse(w, QEvent::MouseButtonPress, from, Qt::LeftButton);
    for (int step = 1; step <= 4; ++step)
        sendMouse(w, QEvent::MouseMove, from + (to - from) * step / 4, Qt::LeftButton);
    sendMouse(w, QEvent::MouseButtonRelease, to, Qt::NoButton);
}

void savePng(QWidget *w, const char *name)
{
    QTest::qWait(20); // let pending layouts run, as they would before a real paint
    const QString path = q(FD_BINARY_DIR) + QLatin1Char('/') + q(name);
    QVERIFY2(w->grab().save(path), qPrintable(path));
}

// A TracesView showing the given spans as its trace.
struct ViewFixture {
    std::shared_ptr<FakeSource> source = std::make_shared<FakeSource>();
    TracesView view;
    TraceWaterfall *waterfall = nullptr;

    explicit ViewFixture(std::vector<Span> spans)
    {
        source->spans = std::move(spans);
        view.resize(1300, 900);
        view.setSource(source);
        view.show();
        waterfall = view.findChild<TraceWaterfall *>(q("waterfall"));
        view.showTrace(QString::fromStdString(kTraceId));
    }
    template <typename T> T *child(const char *name) { return view.findChild<T *>(q(name)); }
};

} // namespace

class TestWaterfall : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void collapseByClickAndKeys()
    {
        TraceWaterfall w;
        w.resize(1000, 400);
        w.setTree(shopTree());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy changed(&w, &TraceWaterfall::visibilityChanged);
        QCOMPARE(shownIds(w), expected("root auth db1 cart inv pay ins gone late"));
        QVERIFY(w.disclosureRect(2).isEmpty()); // db1 is a leaf
        QVERIFY(!w.disclosureRect(7).isEmpty()); // the missing parent collapses like a span
        QVERIFY(w.disclosureRect(8).isEmpty()); // its orphan is a leaf

        const QRect box = w.disclosureRect(3);
        QVERIFY(!box.isEmpty());
        QTest::mouseClick(w.viewport(), Qt::LeftButton, {}, box.center());
        QCOMPARE(shownIds(w), expected("root auth db1 cart+3 gone late"));
        QCOMPARE(w.visibleRowCount(), 6);
        QVERIFY(w.isCollapsed(3));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(w.selectedSpan(), -1); // the triangle toggles without selecting
        QTest::mouseClick(w.viewport(), Qt::LeftButton, {}, w.disclosureRect(3).center());
        QCOMPARE(w.visibleRowCount(), 9);

        // Left collapses, then goes to the parent; Right expands, then goes to the first child.
        const auto tree = w.tree();
        w.setSelectedSpan(spanOf(*tree, "cart"));
        w.setFocus();
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(shownIds(w), expected("root auth db1 cart+3 gone late"));
        QCOMPARE(selectedId(w), std::string("cart"));
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(selectedId(w), std::string("root"));
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(selectedId(w), std::string("auth"));
        QTest::keyClick(&w, Qt::Key_Down);
        QTest::keyClick(&w, Qt::Key_Down);
        QCOMPARE(selectedId(w), std::string("cart"));
        QTest::keyClick(&w, Qt::Key_Down);
        QCOMPARE(selectedId(w), std::string("gone")); // the collapsed subtree is skipped, to the missing parent
        QTest::keyClick(&w, Qt::Key_Up);
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(w.visibleRowCount(), 9);
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(selectedId(w), std::string("inv"));
        QTest::keyClick(&w, Qt::Key_Right); // a leaf: nothing to do
        QCOMPARE(selectedId(w), std::string("inv"));

        // A selection swallowed by a collapse moves to the collapsed row, so the details stay in sync.
        QSignalSpy selected(&w, &TraceWaterfall::spanSelected);
        w.setSelectedSpan(spanOf(*tree, "ins"));
        w.setCollapsed(3, true);
        QCOMPARE(selectedId(w), std::string("cart"));
        QCOMPARE(selected.count(), 2);
        // Selecting a span inside a collapsed subtree expands it.
        w.setSelectedSpan(spanOf(*tree, "ins"));
        QVERIFY(!w.isCollapsed(3));
        QCOMPARE(w.rowOfSpan(spanOf(*tree, "ins")), 6);

        // Double-clicking a row's name toggles it too.
        QTest::mouseDClick(
            w.viewport(), Qt::LeftButton, {}, w.rowRect(5).center() - QPoint(w.rowRect(5).width() / 3, 0));
        QCOMPARE(shownIds(w), expected("root auth db1 cart inv pay+1 gone late"));
    }

    void collapseBelowDepthFromTheView()
    {
        ViewFixture f(shopSpans());
        QTRY_VERIFY(f.waterfall->tree() && f.waterfall->tree()->rows.size() == 9);
        auto *depth = f.child<QSpinBox>("collapseDepth");
        QVERIFY(depth);
        QCOMPARE(depth->maximum(), 3);
        depth->setValue(1);
        QTest::mouseClick(f.child<QPushButton>("collapseButton"), Qt::LeftButton);
        QCOMPARE(shownIds(*f.waterfall), expected("root auth+1 cart+3 gone late"));
        depth->setValue(0);
        QTest::mouseClick(f.child<QPushButton>("collapseButton"), Qt::LeftButton);
        QCOMPARE(shownIds(*f.waterfall), expected("root+6 gone+1"));
        QTest::mouseClick(f.child<QPushButton>("expandAllButton"), Qt::LeftButton);
        QCOMPARE(f.waterfall->visibleRowCount(), 9);
    }

    void filtersHideRows()
    {
        ViewFixture f(shopSpans());
        QTRY_VERIFY(f.waterfall->tree() && f.waterfall->tree()->rows.size() == 9);
        auto *note = f.child<QLabel>("filterNote");
        QVERIFY(note->text().isEmpty());

        f.child<QCheckBox>("errorsOnly")->setChecked(true);
        QCOMPARE(shownIds(*f.waterfall), expected("root* auth* db1 cart* pay"));
        QVERIFY2(note->text().contains(q("2 of 8")) && note->text().contains(q("Greyed")), qPrintable(note->text()));
        f.child<QCheckBox>("criticalOnly")->setChecked(true);
        QCOMPARE(shownIds(*f.waterfall), expected("root* cart* pay"));
        f.child<QCheckBox>("errorsOnly")->setChecked(false);
        QCOMPARE(shownIds(*f.waterfall), expected("root cart pay ins"));
        QVERIFY(!note->text().contains(q("Greyed"))); // nothing is greyed, so the note does not say so
        f.child<QCheckBox>("criticalOnly")->setChecked(false);
        f.child<QSpinBox>("minDuration")->setValue(50);
        QCOMPARE(shownIds(*f.waterfall), expected("root cart pay"));
        f.child<QSpinBox>("minDuration")->setValue(15);
        QCOMPARE(shownIds(*f.waterfall), expected("root auth cart pay"));
        f.child<QSpinBox>("minDuration")->setValue(0);
        QCOMPARE(f.waterfall->visibleRowCount(), 9);
        QVERIFY(note->text().isEmpty());

        // The legend filters by service: a click adds a service, a second click removes it.
        auto *legend = f.child<ServiceLegend>("serviceLegend");
        QCOMPARE(legend->services(),
            (QStringList { q("frontend"), q("auth"), q("db"), q("checkout"), q("inventory"), q("payments") }));
        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->chipRect(2).center());
        QCOMPARE(legend->selected(), QStringList { q("db") });
        QCOMPARE(shownIds(*f.waterfall), expected("root* auth* db1 cart* pay* ins"));
        auto *services = f.child<QToolButton>("servicesButton");
        QCOMPARE(services->text(), q("Services (1)"));
        // The menu is the same selection.
        QAction *inventory = nullptr;
        QAction *all = nullptr;
        for (QAction *a : services->menu()->actions()) {
            if (a->text() == q("inventory"))
                inventory = a;
            if (a->objectName() == q("allServices"))
                all = a;
        }
        QVERIFY(inventory && all);
        inventory->trigger();
        QCOMPARE(legend->selected(), (QStringList { q("db"), q("inventory") }));
        QCOMPARE(shownIds(*f.waterfall), expected("root* auth* db1 cart* inv pay* ins"));
        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->chipRect(2).center());
        QCOMPARE(shownIds(*f.waterfall), expected("root* cart* inv"));
        all->trigger();
        QVERIFY(legend->selected().isEmpty());
        QCOMPARE(f.waterfall->visibleRowCount(), 9);
        QCOMPARE(services->text(), q("Services"));
    }

    void searchStepsThroughMatches()
    {
        ViewFixture f(shopSpans());
        QTRY_VERIFY(f.waterfall->tree() && f.waterfall->tree()->rows.size() == 9);
        TraceWaterfall &w = *f.waterfall;
        auto *search = f.child<QLineEdit>("spanSearch");
        auto *count = f.child<QLabel>("searchCount");
        search->setFocus();
        QTest::keyClicks(search, q("PAYMENT"));
        QTRY_COMPARE(w.searchMatchCount(), 2); // after the typing pause
        QCOMPARE(count->text(), q("2 matches"));
        QCOMPARE(w.currentSearchMatch(), -1);

        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(count->text(), q("1 of 2"));
        QCOMPARE(selectedId(w), std::string("pay"));
        w.setFocus();
        QTest::keyClick(&w, Qt::Key_N);
        QCOMPARE(count->text(), q("2 of 2"));
        QCOMPARE(selectedId(w), std::string("ins"));
        QTest::keyClick(&w, Qt::Key_N); // wraps around
        QCOMPARE(count->text(), q("1 of 2"));
        QCOMPARE(selectedId(w), std::string("pay"));
        QTest::keyClick(&w, Qt::Key_N, Qt::ShiftModifier); // backwards, wrapping
        QCOMPARE(count->text(), q("2 of 2"));
        QTest::keyClick(&w, Qt::Key_N, Qt::ShiftModifier);
        QCOMPARE(count->text(), q("1 of 2"));
        QTest::keyClick(search, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(count->text(), q("2 of 2"));
        QCOMPARE(selectedId(w), std::string("ins"));

        // Stepping to a match inside collapsed subtrees expands its ancestors.
        w.collapseBelowDepth(0);
        QCOMPARE(shownIds(w), expected("root+6 gone+1"));
        QCOMPARE(selectedId(w), std::string("root"));
        QTest::keyClick(&w, Qt::Key_N);
        QCOMPARE(count->text(), q("1 of 2"));
        QCOMPARE(selectedId(w), std::string("pay"));
        QVERIFY(!w.isCollapsed(0) && !w.isCollapsed(3));
        QVERIFY(w.isCollapsed(5)); // only what hid the match opened
        QCOMPARE(shownIds(w), expected("root auth+1 cart inv pay+1 gone+1"));
        QTest::keyClick(&w, Qt::Key_N);
        QCOMPARE(selectedId(w), std::string("ins"));
        QCOMPARE(shownIds(w), expected("root auth+1 cart inv pay ins gone+1"));

        // Matches the filter hides are not stepped through.
        f.child<QCheckBox>("errorsOnly")->setChecked(true);
        QCOMPARE(w.searchMatchCount(), 1);
        QCOMPARE(count->text(), q("1 match"));
        QTest::keyClick(&w, Qt::Key_N);
        QCOMPARE(count->text(), q("1 of 1"));
        f.child<QCheckBox>("errorsOnly")->setChecked(false);
        QCOMPARE(count->text(), q("1 of 2")); // the current match survives the filter change

        QTest::keyClick(search, Qt::Key_Escape);
        QCOMPARE(w.searchMatchCount(), 0);
        QVERIFY(count->text().isEmpty());
        QTest::keyClicks(search, q("nothing like it"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(count->text(), q("no match"));
    }

    void searchScrollsToAMatchDeepInABigTrace()
    {
        TraceWaterfall w;
        w.resize(1000, 600);
        w.setTree(bigTree(100'000));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.collapseBelowDepth(1);
        QCOMPARE(w.visibleRowCount(), 50);
        // A big trace is searched on a worker thread; a step asked for meanwhile is taken when it is done.
        QSignalSpy searched(&w, &TraceWaterfall::searchChanged);
        w.setSearchText(q("op-77777"));
        QVERIFY(w.isSearching());
        w.nextSearchMatch();
        QTRY_VERIFY(!w.isSearching());
        QCOMPARE(w.searchMatchCount(), 1);
        QCOMPARE(w.currentSearchMatch(), 0);
        QCOMPARE(searched.last().at(0).toInt(), 0);
        QCOMPARE(w.tree()->span(static_cast<std::size_t>(w.selectedSpan())).name, std::string("op-77777"));
        const int row = w.rowOfSpan(w.selectedSpan());
        QVERIFY(row > 50);
        const QRect rect = w.rowRect(row);
        QVERIFY2(rect.top() >= w.headerHeight() && rect.bottom() <= w.viewport()->height(),
            "the match is not scrolled into view");
    }

    void minimapDragScrolls()
    {
        TraceWaterfall w;
        w.resize(1000, 600);
        w.setTree(bigTree(5000));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        TraceMinimap *map = w.minimap();
        QVERIFY(map && map->isVisible() && map->width() > 20);
        QVERIFY(map->geometry().left() >= w.viewport()->geometry().right()); // a strip beside the rows
        const QRect view = map->viewRect();
        QVERIFY(view.top() <= 4 && view.height() >= 4);

        const double pixelsPerRow = (map->height() - 6) / 5000.0;
        const int rowHeight = w.rowHeight();
        drag(map, view.center(), view.center() + QPoint(0, 100));
        const double expectedValue = 100 / pixelsPerRow * rowHeight;
        const int value = w.verticalScrollBar()->value();
        qInfo("minimap drag by 100 px: scrolled to %d px (expected about %.0f)", value, expectedValue);
        QVERIFY(std::abs(value - expectedValue) <= 2 / pixelsPerRow * rowHeight);
        QVERIFY(std::abs(map->viewRect().top() - (view.top() + 100)) <= 2); // the rectangle followed the mouse

        // A press beside the rectangle centres it there.
        const QPoint low(map->width() / 2, map->height() - 40);
        sendMouse(map, QEvent::MouseButtonPress, low, Qt::LeftButton);
        sendMouse(map, QEvent::MouseButtonRelease, low, Qt::NoButton);
        QVERIFY(std::abs(map->viewRect().center().y() - low.y()) <= 3);
        QVERIFY(w.verticalScrollBar()->value() > value);
        // And scrolling the waterfall moves the rectangle.
        w.verticalScrollBar()->setValue(0);
        QVERIFY(map->viewRect().top() <= 4);
    }

    void axisDragZooms()
    {
        TraceWaterfall w;
        w.resize(1000, 400);
        const auto tree = shopTree();
        w.setTree(tree);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy zoomed(&w, &TraceWaterfall::timeWindowChanged);
        const TimeNs t1 = kT0 + 20 * kMs;
        const TimeNs t2 = kT0 + 60 * kMs;
        const double left = w.xOfTime(tree->start);
        const double right = w.xOfTime(tree->end);
        const double nsPerPixel = static_cast<double>(tree->end - tree->start) / (right - left);
        const int y = w.headerHeight() / 2;
        QVERIFY(w.timeAxisRect().contains(QPoint(int(left), y)));

        // A short drag is a click, not a zoom.
        drag(w.viewport(), QPoint(int(left) + 50, y), QPoint(int(left) + 52, y));
        QVERIFY(!w.isZoomed());

        drag(w.viewport(), QPoint(int(std::lround(w.xOfTime(t1))), y), QPoint(int(std::lround(w.xOfTime(t2))), y));
        QVERIFY(w.isZoomed());
        QCOMPARE(zoomed.count(), 1);
        qInfo("zoomed to [%.3f, %.3f] ms for [20, 60] ms", double(w.windowStart() - kT0) / kMs,
            double(w.windowEnd() - kT0) / kMs);
        QVERIFY(std::abs(double(w.windowStart() - t1)) <= nsPerPixel);
        QVERIFY(std::abs(double(w.windowEnd() - t2)) <= nsPerPixel);
        // The bars are laid out over the window: it spans the whole axis, a 10 ms span a quarter of it.
        QVERIFY(std::abs(w.xOfTime(w.windowStart()) - left) < 0.5);
        QVERIFY(std::abs(w.xOfTime(w.windowEnd()) - right) < 0.5);
        const double quarter = (w.xOfTime(kT0 + 50 * kMs) - w.xOfTime(kT0 + 40 * kMs)) / (right - left);
        QVERIFY2(std::abs(quarter - 0.25) < 0.01, qPrintable(QString::number(quarter)));
        QVERIFY(w.xOfTime(tree->start) < left); // the root starts before the window

        // When zoomed, dragging the minimap sideways pans the window and keeps its length.
        const TimeNs length = w.windowEnd() - w.windowStart();
        const TimeNs before = w.windowStart();
        const QRect view = w.minimap()->viewRect();
        QVERIFY(view.width() < w.minimap()->width() - 8);
        drag(w.minimap(), view.center(), view.center() + QPoint(10, 0));
        QCOMPARE(w.windowEnd() - w.windowStart(), length);
        const double mapNsPerPixel = double(tree->end - tree->start) / (w.minimap()->width() - 6);
        QVERIFY(std::abs(double(w.windowStart() - before) - 10 * mapNsPerPixel) <= 2 * mapNsPerPixel);

        // Double-clicking the axis shows the whole trace again.
        sendMouse(w.viewport(), QEvent::MouseButtonDblClick, QPoint(int(left) + 100, y), Qt::LeftButton);
        QVERIFY(!w.isZoomed());
        QCOMPARE(w.windowStart(), tree->start);
        QCOMPARE(w.windowEnd(), tree->end);
    }

    // Figures for the report: the shown rows recomputed and a frame painted, at 100k spans.
    void performanceAt100k()
    {
        const auto tree = bigTree(100'000);
        TraceWaterfall w;
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QElapsedTimer timer;
        timer.start();
        w.setTree(tree);
        const double setTreeMs = timer.nsecsElapsed() / 1e6;

        const auto change = [&](const char *what, const std::function<void()> &apply) {
            timer.start();
            apply();
            const double recompute = timer.nsecsElapsed() / 1e6;
            timer.start();
            w.repaint(); // a whole frame: rows, header and minimap (its overview is redrawn once per change)
            const double paint = timer.nsecsElapsed() / 1e6;
            qInfo("100k spans, %-26s recompute %6.2f ms, then a frame %5.2f ms (%d rows shown)", what, recompute, paint,
                  w.visibleRowCount());
            return recompute;
        };
        std::vector<double> recomputes;
        TraceFilter errors;
        errors.errorsOnly = true;
        TraceFilter services;
        services.services = { "svc2", "svc5" };
        TraceFilter longer;
        longer.minDurationPercent = 2;
        recomputes.push_back(change("errors only:", [&] { w.setFilter(errors); }));
        recomputes.push_back(change("2 of 9 services:", [&] { w.setFilter(services); }));
        recomputes.push_back(change("longer than 2%:", [&] { w.setFilter(longer); }));
        recomputes.push_back(change("no filter:", [&] { w.setFilter({}); }));
        recomputes.push_back(change("collapse below depth 1:", [&] { w.collapseBelowDepth(1); }));
        recomputes.push_back(change("expand one:", [&] { w.setCollapsed(w.treeRowAt(10), false); }));
        recomputes.push_back(change("expand all:", [&] { w.expandAll(); }));
        recomputes.push_back(change("collapse the root:", [&] { w.setCollapsed(0, true); }));
        recomputes.push_back(change("expand all again:", [&] { w.expandAll(); }));
        recomputes.push_back(change("search started:", [&] { w.setSearchText(q("op-4242")); }));
        timer.start();
        QTRY_VERIFY(!w.isSearching());
        qInfo("100k spans, the search on a worker thread answered after %.1f ms", timer.nsecsElapsed() / 1e6);
        QCOMPARE(w.searchMatchCount(), 11); // op-4242 and op-42420 to op-42429
        recomputes.push_back(change("next match (expands):", [&] { w.nextSearchMatch(); }));
        // A newer search supersedes a running one: only its matches arrive.
        w.setSearchText(q("op-1"));
        w.setSearchText(q("op-99999"));
        QTRY_VERIFY(!w.isSearching());
        QCOMPARE(w.searchMatchCount(), 1);

        // Frames while scrolling through the whole trace, a filter active.
        w.setFilter(services);
        w.viewport()->repaint();
        std::vector<double> frames;
        QScrollBar *bar = w.verticalScrollBar();
        for (int i = 0; i <= 60; ++i) {
            bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * i / 60));
            timer.start();
            w.repaint();
            frames.push_back(timer.nsecsElapsed() / 1e6);
        }
        std::sort(frames.begin(), frames.end());
        double sum = 0;
        for (double f : frames)
            sum += f;
        const double mean = sum / frames.size();
        const double p95 = frames[frames.size() * 95 / 100];
        qInfo("100k spans: setTree %.2f ms; scrolling frames (waterfall + minimap): mean %.2f ms, p95 %.2f ms, max "
              "%.2f ms",
            setTreeMs, mean, p95, frames.back());
        savePng(&w, "tst_waterfall_100k.png");
        QVERIFY(fdtest::colourCount(w.grab().toImage()) > 8);
        // The budgets (50 ms, 16 ms) are measured by bench_waterfall; here only ten times them fails, which an
        // algorithmic regression reaches and a busy machine under the sanitizers does not (CI failed at 50 ms).
        for (double ms : recomputes)
            QVERIFY2(ms < 500, "recomputing the shown rows of 100k spans took 500 ms or more");
        QVERIFY2(mean < 160, "a frame at 100k spans takes 160 ms or more on average");
    }

    void servicesOfATraceHaveDistinctColours()
    {
        // Found by review: checkout and search hash to one colour, so the demo's charts and a trace through both
        // drew two services alike.
        QCOMPARE(ServiceColors::ownColor("checkout"), ServiceColors::ownColor("search"));
        const ServiceColors two(std::vector<std::string>{"search", "checkout"});
        QVERIFY(two.color("checkout") != two.color("search"));
        QCOMPARE(two.color("checkout"), ServiceColors::ownColor("checkout")); // the first by name keeps its own
        QCOMPARE(ServiceColors(QStringList{q("checkout"), q("search")}).color("search"), two.color("search"));
        QCOMPARE(two.color("frontend"), ServiceColors::ownColor("frontend")); // not in the set
        // n3's own colour is the one after checkout's: search, moved, takes another, and n3 keeps its own
        // (review: a name that collides with no one was moved).
        const ServiceColors three(std::vector<std::string>{"checkout", "search", "n3"});
        QCOMPARE(three.color("n3"), ServiceColors::ownColor("n3"));
        QCOMPARE(three.color("checkout"), ServiceColors::ownColor("checkout"));
        QVERIFY(three.color("search") != three.color("checkout") && three.color("search") != three.color("n3"));
        std::vector<std::string> twelve;
        for (int i = 0; i < 12; ++i)
            twelve.push_back("service-" + std::to_string(i));
        const ServiceColors many(twelve);
        std::set<QRgb> colours;
        for (const std::string &name : twelve)
            colours.insert(many.color(name).rgb());
        QCOMPARE(colours.size(), std::size_t(12));

        ViewFixture f({ makeSpan("root", "", "checkout", "POST /checkout", 0, 100),
            makeSpan("s", "root", "search", "GET /search", 10, 60) });
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        QTRY_VERIFY(f.waterfall->tree() && f.waterfall->tree()->rows.size() == 2);
        const QColor checkout = f.waterfall->serviceColors().color("checkout");
        const QColor search = f.waterfall->serviceColors().color("search");
        QVERIFY(checkout != search);
        const QImage image = f.waterfall->grab().toImage();
        QVERIFY(fdtest::hasColourNear(image, checkout, 0) && fdtest::hasColourNear(image, search, 0));
    }

    void screenshots()
    {
        ViewFixture f(checkoutSpans());
        QVERIFY(QTest::qWaitForWindowExposed(&f.view));
        QTRY_VERIFY(f.waterfall->tree() && !f.waterfall->tree()->rows.empty());
        TraceWaterfall &w = *f.waterfall;
        const auto tree = w.tree();
        w.setCollapsed(w.rowOfSpan(spanOf(*tree, "c")), true); // GetCart and its 60 inventory spans
        auto *search = f.child<QLineEdit>("spanSearch");
        QTest::keyClicks(search, q("payment"));
        QTest::keyClick(search, Qt::Key_Return);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(w.currentSearchMatch(), 1);
        QCOMPARE(w.visibility().hidden[static_cast<std::size_t>(w.rowOfSpan(spanOf(*tree, "c")))], 60);
        QVERIFY(fdtest::colourCount(w.grab().toImage()) > 20);
        savePng(&f.view, "tst_waterfall_collapsed_search.png");

        f.child<QCheckBox>("errorsOnly")->setChecked(true);
        auto *legend = f.child<ServiceLegend>("serviceLegend");
        const int payments = static_cast<int>(legend->services().indexOf(q("payments")));
        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->chipRect(payments).center());
        QCOMPARE(shownIds(w), expected("r* p p0 p1"));
        savePng(&f.view, "tst_waterfall_filtered.png");

        f.child<QCheckBox>("errorsOnly")->setChecked(false);
        QTest::mouseClick(legend, Qt::LeftButton, {}, legend->chipRect(payments).center());
        w.setTimeWindow(kT0 + 120 * kMs, kT0 + 320 * kMs);
        QVERIFY(f.child<QPushButton>("resetZoomButton")->isEnabled());
        savePng(&f.view, "tst_waterfall_zoomed.png");
    }
};

QTEST_MAIN(TestWaterfall)
#include "tst_waterfall.moc"

// Waterfall figures for generated traces of 10k, 100k and 1M spans: TraceTree::build (depth, order,
// critical path, missing parents), the statistics, the shown rows, the waterfall's first paint, frame
// times while scrolling and zooming, the whole-trace image the GUI draws on its own thread (File ▸ Export whole trace),
// and the memory the trace takes. Prints figures; not a pass/fail test.
#include "app/WidgetExport.h"
#include "models/TraceStatistics.h"
#include "models/TraceTree.h"
#include "models/TraceVisibility.h"
#include "widgets/TraceWaterfall.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <algorithm>
#include <cstdio>
#include <random>

using namespace fd;

namespace {

constexpr int kWidth = 1500, kHeight = 900;
constexpr TimeNs kStart = 1'763'650'000LL * kSecond;

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile95(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, v.size() * 95 / 100)];
}

// Resident memory of this process, in MB (Linux).
double rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() / 1024.0;
    return 0;
}

// A service-mesh shaped trace: a root, 200 requests below it, each a tree of nested calls up to 12
// deep across 20 services, a few errors, attributes on every span, and 0.1% of spans whose parent
// never arrived.
std::vector<Span> makeTrace(int n)
{
    std::mt19937 rng(42);
    std::vector<Span> spans;
    spans.reserve(static_cast<std::size_t>(n));
    const TimeNs length = 10 * kSecond;
    Span root;
    root.traceId = "0af7651916cd43dd8448eb211c80319c";
    root.spanId = "s0";
    root.service = "frontend";
    root.name = "GET /batch";
    root.start = kStart;
    root.end = kStart + length;
    spans.push_back(root);
    std::vector<int> depth{0};
    for (int i = 1; i < n; ++i) {
        // A parent among the recent spans, so that subtrees nest; every 50th span starts a new request.
        int parent = i % 50 == 1 ? 0 : std::max(0, i - 1 - static_cast<int>(rng() % 8));
        while (depth[static_cast<std::size_t>(parent)] >= 12)
            parent = std::max(0, parent - 1);
        const Span &p = spans[static_cast<std::size_t>(parent)];
        const TimeNs pLen = std::max<TimeNs>(1000, p.end - p.start);
        Span s;
        s.traceId = root.traceId;
        s.spanId = "s" + std::to_string(i);
        s.parentSpanId = i % 1000 == 999 && qEnvironmentVariableIsEmpty("FD_BENCH_NO_ORPHANS") ? "lost" + std::to_string(i % 7) : p.spanId;
        s.service = "svc-" + std::to_string(rng() % 20);
        s.name = "op-" + std::to_string(rng() % 150);
        s.start = p.start + static_cast<TimeNs>(rng() % static_cast<std::uint64_t>(pLen / 2));
        s.end = s.start + 1000 + static_cast<TimeNs>(rng() % static_cast<std::uint64_t>(pLen / 2));
        s.statusCode = rng() % 97 == 0 ? int(StatusCode::Error) : 0;
        s.attributes = {{"http.route", "/api/v1/item/" + std::to_string(i % 500)}, {"retry", static_cast<int>(i % 3)}};
        spans.push_back(std::move(s));
        depth.push_back(depth[static_cast<std::size_t>(parent)] + 1);
    }
    return spans;
}

void bench(int n)
{
    const double before = rssMb();
    std::vector<Span> spans = makeTrace(n);
    const double spansMb = rssMb() - before;

    QElapsedTimer t;
    t.start();
    auto tree = std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
    const double buildMs = msSince(t);
    const double treeMb = rssMb() - before;
    t.restart();
    const std::vector<OperationStats> stats = traceStatistics(*tree);
    const double statsMs = msSince(t);
    t.restart();
    const TraceVisibility all = TraceVisibility::compute(*tree, {}, {});
    const double visibilityMs = msSince(t);
    TraceFilter errors;
    errors.errorsOnly = true;
    t.restart();
    const TraceVisibility filtered = TraceVisibility::compute(*tree, {}, errors);
    const double filterMs = msSince(t);

    TraceWaterfall w;
    w.resize(kWidth, kHeight);
    w.show();
    t.restart();
    w.setTree(tree);
    const double setTreeMs = msSince(t);
    t.restart();
    QImage image = w.grab().toImage();
    const double firstPaintMs = msSince(t);

    // Scrolling: 60 steps of a third of a page through the whole trace, each step painted.
    QScrollBar *bar = w.verticalScrollBar();
    std::vector<double> scroll;
    for (int i = 1; i <= 60; ++i) {
        t.restart();
        bar->setValue(static_cast<int>(static_cast<qint64>(bar->maximum()) * i / 60));
        image = w.grab().toImage();
        scroll.push_back(msSince(t));
    }
    // Zooming: 30 ever narrower windows around the trace's middle, each painted.
    std::vector<double> zoom;
    const TimeNs mid = (tree->start + tree->end) / 2;
    TimeNs half = (tree->end - tree->start) / 2;
    for (int i = 0; i < 30; ++i) {
        half = std::max<TimeNs>(half * 3 / 4, 1000);
        t.restart();
        w.setTimeWindow(mid - half, mid + half);
        image = w.grab().toImage();
        zoom.push_back(msSince(t));
    }
    const double totalMb = rssMb() - before; // before the whole-trace image, which is no part of the waterfall
    t.restart();
    const QImage whole = wholeTraceImage(tree);
    const double wholeImageMs = msSince(t);
    std::printf("%8d spans (%zu rows, %zu orphans, %zu operations, %d shown with errors only)\n", n,
                tree->rows.size(), tree->orphans.size(), stats.size(), filtered.count());
    std::printf("    TraceTree::build           %9.1f ms\n", buildMs);
    std::printf("    traceStatistics            %9.1f ms\n", statsMs);
    std::printf("    visibility: all / errors   %9.1f ms / %.1f ms  (%d rows)\n", visibilityMs, filterMs, all.count());
    std::printf("    setTree (waterfall)        %9.1f ms\n", setTreeMs);
    std::printf("    first paint                %9.1f ms\n", firstPaintMs);
    std::printf("    scroll frame  median / p95 %9.2f ms / %.2f ms\n", median(scroll), percentile95(scroll));
    std::printf("    zoom frame    median / p95 %9.2f ms / %.2f ms\n", median(zoom), percentile95(zoom));
    std::printf("    whole-trace image          %9.1f ms  (%d x %d px)\n", wholeImageMs, whole.width(), whole.height());
    std::printf("    memory: spans %.0f MB, + tree %.0f MB, + waterfall %.0f MB (RSS growth)\n\n", spansMb,
                treeMb - spansMb, totalMb - treeMb);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    std::printf("bench_waterfall: %d x %d px, QT_QPA_PLATFORM=%s\n\n", kWidth, kHeight, qgetenv("QT_QPA_PLATFORM").constData());
    int only = 0;
    if (argc > 1)
        only = std::atoi(argv[1]);
    for (int n : {10'000, 100'000, 1'000'000})
        if (only == 0 || only == n)
            bench(n);
    return 0;
}

// A trace search over a generated store: the result summaries from one SQL query (the store's
// TraceSummarySource) against one trace() per result (what any DataSource can do). Prints figures;
// not a pass/fail test. Usage: bench_tracefind [--traces N] [--spans M] [--dir DIR]
#include "connectors/store/Store.h"
#include "models/TraceFinder.h"
#include "tests/support/PlainSource.h"
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <random>

using namespace fd;

namespace {
constexpr TimeNs kStart = 1'800'000'000LL * kSecond;
constexpr DurationNs kMs = 1'000'000;
constexpr DurationNs kUs = 1'000;
constexpr const char *kServices[] = {"frontend", "auth", "checkout", "payments", "inventory", "search", "db"};

std::string hexId(std::uint64_t hi, std::uint64_t lo, int chars)
{
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(hi), static_cast<unsigned long long>(lo));
    return std::string(buf + 32 - chars);
}

// A frontend root with spans-1 descendants (each under a random earlier span), attributes on each.
std::vector<Span> makeTrace(int index, int spans, std::mt19937_64 &rng)
{
    std::vector<Span> out;
    const std::string traceId = hexId(rng(), static_cast<std::uint64_t>(index), 32);
    const TimeNs t0 = kStart + static_cast<TimeNs>(index) * 500 * kMs;
    for (int i = 0; i < spans; ++i) {
        Span s;
        s.traceId = traceId;
        s.spanId = hexId(0, static_cast<std::uint64_t>(index) * 1000 + static_cast<std::uint64_t>(i) + 1, 16);
        const Span *parent = i == 0 ? nullptr : &out[rng() % out.size()];
        s.parentSpanId = parent ? parent->spanId : std::string();
        s.service = i == 0 ? "frontend" : kServices[1 + rng() % (std::size(kServices) - 1)];
        s.name = i == 0 ? "GET /api/" + std::to_string(index % 12) : "op-" + std::to_string(rng() % 30);
        s.kind = int(SpanKind::Server);
        s.start = parent ? parent->start + static_cast<TimeNs>(rng() % 1000) * kUs : t0;
        s.end = s.start + static_cast<TimeNs>(1 + rng() % 5000) * kUs;
        s.statusCode = rng() % 50 == 0 ? int(StatusCode::Error) : 0;
        s.attributes = {{"http.route", "/api/" + std::to_string(rng() % 12)}, {"retry", int(rng() % 3)},
                        {"db.statement", "SELECT * FROM items WHERE id = " + std::to_string(rng() % 100000)}};
        s.resource = {{"service.name", s.service}, {"host.name", "node-" + std::to_string(rng() % 4)}};
        out.push_back(std::move(s));
    }
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The median of three runs, in ms.
template<typename F>
double timeMs(F &&run)
{
    std::vector<double> runs;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        run();
        runs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    return median(runs);
}

bool sameFrame(const Frame &a, const Frame &b)
{
    if (a.columns.size() != b.columns.size())
        return false;
    for (std::size_t c = 0; c < a.columns.size(); ++c)
        if (a.columns[c].name != b.columns[c].name || !(a.columns[c].cells == b.columns[c].cells))
            return false;
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int traces = 2000, spans = 20;
    QString dirPath = QDir::tempPath();
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QStringLiteral("--traces"))
            traces = args[i + 1].toInt();
        else if (args[i] == QStringLiteral("--spans"))
            spans = args[i + 1].toInt();
        else if (args[i] == QStringLiteral("--dir"))
            dirPath = args[i + 1];
    }
    QTemporaryDir dir(QDir(dirPath).filePath(QStringLiteral("fd-bench-tracefind-XXXXXX")));
    const QString path = dir.filePath(QStringLiteral("traces.sqlite"));
    {
        Store store(path);
        std::mt19937_64 rng(42);
        for (int first = 0; first < traces; first += 100) {
            TelemetryBatch batch;
            for (int t = first; t < std::min(traces, first + 100); ++t) {
                std::vector<Span> trace = makeTrace(t, spans, rng);
                batch.spans.insert(batch.spans.end(), trace.begin(), trace.end());
            }
            store.insert(batch);
        }
    }
    std::printf("store: %d traces of %d spans\n", traces, spans);
    auto store = std::make_shared<StoreSource>("store", path);
    fdtest::PlainSource plain(store);
    const TimeRange range{kStart - kMinute, kStart + static_cast<TimeNs>(traces) * 500 * kMs + kMinute};
    const std::vector<Condition> where{{"service.name", Op::Eq, "frontend"}};
    for (const int limit : {50, 500, traces}) {
        Frame fast, slow;
        const double fastMs = timeMs([&] { fast = findTraces(*store, where, range, limit, makeCancelToken()); });
        const double slowMs = timeMs([&] { slow = findTraces(plain, where, range, limit, makeCancelToken()); });
        std::printf("findTraces, %4zu results: one summary query %8.1f ms   trace() per result %8.1f ms   "
                    "%.1fx   same rows: %s\n",
                    fast.rowCount(), fastMs, slowMs, slowMs / fastMs, sameFrame(fast, slow) ? "yes" : "NO");
    }
    return 0;
}

// Event table frame time over a 10M-row result. The rows come from a DataSource that generates them
// on demand (row i at a fixed time step, newest first; range and limit answered by arithmetic, the
// count exact), so the figures are the model's and the view's, not a database's. A QTableView over
// EventTableModel (1400x800, offscreen) scrolls wheel-step by wheel-step through the loaded rows;
// reaching the end pages in the next 1000 (keyset, off the GUI thread). Each frame is one scroll step
// plus a synchronous repaint. Then more pages are loaded without scrolling, up to the load target, to
// measure the memory a loaded row costs (resident memory before and after). Prints figures; not a
// pass/fail test. Usage: bench_eventtable [ROWS_SCROLLED [ROWS_LOADED]]
#include "models/DataSource.h"
#include "models/EventTableModel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace fd;

namespace {

constexpr std::int64_t kRows = 10'000'000;
constexpr TimeNs kStep = 250'000; // 0.25 ms between rows: 10M rows over about 42 minutes
const TimeNs kFrom = 1'780'000'000LL * kSecond;

class GeneratedSource : public DataSource
{
public:
    std::string id() const override { return "generated"; }
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &) override
    {
        // Row k (oldest first) is at kFrom + k * kStep; rows inside [from, to) form one index range.
        const std::int64_t first = std::clamp<std::int64_t>((range.from - kFrom + kStep - 1) / kStep, 0, kRows);
        const std::int64_t end = std::clamp<std::int64_t>((range.to - kFrom + kStep - 1) / kStep, 0, kRows);
        const std::int64_t count = std::max<std::int64_t>(0, end - first);
        if (q.agg.kind == Aggregate::Kind::Count && q.groupBy.empty())
            return {{{"count", ColumnType::Int64, {count}}}};
        if (q.agg.kind != Aggregate::Kind::None)
            return {};
        Frame f;
        f.columns = {{"time", ColumnType::Time, {}},          {"severity", ColumnType::Int64, {}},
                     {"severity_text", ColumnType::String, {}}, {"service.name", ColumnType::String, {}},
                     {"body", ColumnType::String, {}},          {"trace_id", ColumnType::String, {}},
                     {"span_id", ColumnType::String, {}},       {"attributes", ColumnType::Json, {}},
                     {"resource", ColumnType::Json, {}}};
        static const char *services[] = {"frontend", "auth", "checkout", "payments", "inventory", "search"};
        const std::int64_t n = std::min<std::int64_t>(count, q.limit);
        for (std::int64_t k = end - 1; k >= end - n; --k) {
            const auto s = static_cast<std::size_t>(k % 6);
            f.columns[0].cells.emplace_back(kFrom + k * kStep);
            f.columns[1].cells.emplace_back(std::int64_t(k % 50 == 0 ? 17 : 9));
            f.columns[2].cells.emplace_back(std::string(k % 50 == 0 ? "ERROR" : "INFO"));
            f.columns[3].cells.emplace_back(std::string(services[s]));
            f.columns[4].cells.emplace_back("GET /api/items/" + std::to_string(k % 9973) + " answered 200 in "
                                            + std::to_string(k % 300) + " ms for user u-" + std::to_string(k % 1000));
            f.columns[5].cells.emplace_back(std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
            f.columns[6].cells.emplace_back(std::string("00f067aa0ba902b7"));
            f.columns[7].cells.emplace_back("{\"http.route\":\"/api/items/{id}\",\"http.response.status_code\":200,\"user.id\":\"u-"
                                            + std::to_string(k % 1000) + "\"}");
            f.columns[8].cells.emplace_back("{\"service.name\":\"" + std::string(services[s]) + "\",\"service.version\":\"2.14.0\"}");
        }
        f.truncated = count > n;
        f.total = count; // as the store does for a truncated result
        return f;
    }
    std::vector<Marker> markers(const TimeRange &, const CancelTokenPtr &) override { return {}; }
    std::vector<Span> trace(const std::string &, const CancelTokenPtr &) override { return {}; }
    Frame recentTraces(const TimeRange &, int, const CancelTokenPtr &) override { return {}; }
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

long rssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toLong() / 1024;
    return -1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int targetRows = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const int loadRows = argc > 2 ? std::atoi(argv[2]) : targetRows;

    auto source = std::make_shared<GeneratedSource>();
    EventTableModel model;
    QTableView table;
    table.setModel(&model);
    table.setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    table.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table.verticalHeader()->setDefaultSectionSize(table.fontMetrics().height() + 6);
    table.verticalHeader()->hide();
    table.horizontalHeader()->setStretchLastSection(true);
    table.setColumnWidth(0, 200);
    table.resize(1400, 800);
    table.show();
    model.setExtraColumns({QStringLiteral("http.route"), QStringLiteral("user.id")});

    Query q;
    q.limit = 1000;
    QElapsedTimer timer;
    timer.start();
    model.start(source, q, {kFrom, kFrom + kRows * kStep});
    while (model.rowCount() == 0)
        QTest::qWait(1);
    const double firstPageMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    QScrollBar *bar = table.verticalScrollBar();
    const int wheelStep = 3 * table.verticalHeader()->defaultSectionSize();
    std::vector<double> frames, pageWaits;
    QElapsedTimer run;
    run.start();
    while (model.rowCount() < targetRows) {
        QElapsedTimer frame;
        frame.start();
        const int before = model.rowCount();
        bar->setValue(bar->value() + wheelStep);
        table.viewport()->repaint();
        frames.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
        if (bar->value() >= bar->maximum()) {
            // The view asked for the next page when the bar reached its end; wait for it as a user would.
            QElapsedTimer wait;
            wait.start();
            while (model.rowCount() == before) {
                if (model.canFetchMore({}))
                    model.fetchMore({});
                QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            }
            pageWaits.push_back(static_cast<double>(wait.nsecsElapsed()) / 1e6);
        }
        QCoreApplication::processEvents();
    }
    const double seconds = static_cast<double>(run.nsecsElapsed()) / 1e9;
    std::printf("event table over a %lld-row generated result (1400x800, 6 columns, 2 of them from JSON attributes)\n",
                static_cast<long long>(kRows));
    std::printf("  count line:            %s\n", qPrintable(model.countText()));
    std::printf("  first page shown:      %.1f ms\n", firstPageMs);
    std::printf("  scroll frames:         %zu over %d rows in %.1f s\n", frames.size(), model.rowCount(), seconds);
    std::printf("  frame time:            median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile(frames, 0.5),
                percentile(frames, 0.95), percentile(frames, 0.99), percentile(frames, 1.0));
    std::printf("  next page (1000 rows): median %.1f ms, max %.1f ms over %zu pages (off the GUI thread)\n",
                percentile(pageWaits, 0.5), percentile(pageWaits, 1.0), pageWaits.size());
    std::printf("  resident memory:       %ld MB with %d rows loaded\n", rssMb(), model.rowCount());

    // Memory: page in rows up to the load target without painting; the resident growth per row added.
    const long rssBefore = rssMb();
    const int rowsBefore = model.rowCount();
    while (model.rowCount() < loadRows) {
        if (model.canFetchMore({}))
            model.fetchMore({});
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    const long rssAfter = rssMb();
    std::printf("  loaded without scroll: %d rows, resident %ld MB (+%ld MB for %d rows: %.0f bytes a row)\n",
                model.rowCount(), rssAfter, rssAfter - rssBefore, model.rowCount() - rowsBefore,
                model.rowCount() > rowsBefore
                    ? static_cast<double>(rssAfter - rssBefore) * 1048576.0 / (model.rowCount() - rowsBefore)
                    : 0.0);
    std::printf("  rows' storage counted: %.1f MB, %.0f bytes a row (pages and row index, without the parsed-JSON cache)\n",
                static_cast<double>(model.loadedBytes()) / 1048576.0,
                static_cast<double>(model.loadedBytes()) / std::max(1, model.rowCount()));

    // Jumps: the last loaded row and back to the top, as a drag of the scroll bar would.
    std::vector<double> jumps;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer frame;
        frame.start();
        bar->setValue(i % 2 == 0 ? bar->maximum() : 0);
        table.viewport()->repaint();
        jumps.push_back(static_cast<double>(frame.nsecsElapsed()) / 1e6);
    }
    std::printf("  jump top <-> bottom:   median %.2f ms, max %.2f ms\n", percentile(jumps, 0.5), percentile(jumps, 1.0));

    // A click on a column header this source cannot sort by: the loaded rows are sorted here. The GUI thread's
    // share is the time until sort() returns; the rest is the time until the order is shown.
    for (const auto &[column, name] : {std::pair{int(EventTableModel::FixedColumnCount) + 1, "user.id (JSON)"},
                                       std::pair{int(EventTableModel::ServiceColumn), "service"}}) {
        QElapsedTimer sortTimer;
        sortTimer.start();
        model.sort(column, Qt::AscendingOrder);
        const double blocked = static_cast<double>(sortTimer.nsecsElapsed()) / 1e6;
        while (!model.isSorted())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        std::printf("  sort %d rows by %-14s GUI thread %.1f ms, shown after %.1f ms\n", model.rowCount(), name, blocked,
                    static_cast<double>(sortTimer.nsecsElapsed()) / 1e6);
        model.sort(EventTableModel::TimeColumn, Qt::DescendingOrder);
    }
    return 0;
}

// Queries over a generated store of 10M log records (filter + count on an indexed field and on a nested
// JSON attribute, a group-by, full-text search, pages of rows sorted by a column, completion, the field sidebar), each against the same SQL run by the
// sqlite3 shell in the same run. Prints figures; not a pass/fail test.
// Usage: bench_store [--rows N] [--dir DIR] [--store FILE]
// The store is written in DIR (default /tmp) and deleted, or kept in FILE (generated when FILE does not
// exist, reused when it does: to rerun the queries without generating 10M records again).
#include "connectors/store/SqlCompiler.h"
#include "connectors/store/Store.h"
#include "models/FieldSummary.h"
#include "models/TimePager.h"
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <cstdio>
#include <limits>
#include <random>

using namespace fd;

namespace {
constexpr TimeNs kEnd = 1'800'000'000LL * kSecond;
constexpr const char *kServices[] = {"frontend", "auth", "checkout", "payments", "inventory", "search"};
constexpr const char *kCountries[] = {"DE", "FR", "US", "GB", "JP", "BR", "IN", "NL"};
constexpr const char *kPaths[] = {"/api/items", "/api/cart", "/login", "/api/pay", "/api/search", "/"};

LogRecord makeRecord(std::int64_t i, std::int64_t rows, std::mt19937_64 &rng)
{
    LogRecord r;
    r.time = kEnd - 7 * kDay + static_cast<TimeNs>(static_cast<double>(i) / rows * 7 * kDay);
    r.observedTime = r.time;
    const std::size_t s = rng() % 100 < 30 ? 0 : 1 + rng() % 5;
    r.service = kServices[s];
    const unsigned roll = rng() % 100;
    r.severity = roll < 2 ? 17 : roll < 8 ? 13 : roll < 20 ? 5 : 9;
    r.severityText = severityName(r.severity);
    const int status = r.severity == 17 ? 500 : rng() % 50 == 0 ? 404 : 200;
    const unsigned ms = 2 + static_cast<unsigned>(rng() % 400);
    const char *path = kPaths[rng() % std::size(kPaths)];
    if (r.severity == 17)
        r.body = std::string("upstream ") + (rng() % 2 ? "timeout" : "connection reset") + " after " + std::to_string(ms)
                 + " ms calling " + path;
    else
        r.body = std::string("GET ") + path + " " + std::to_string(status) + " in " + std::to_string(ms) + " ms";
    char trace[33];
    std::snprintf(trace, sizeof trace, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(i));
    r.traceId = trace;
    r.spanId = r.traceId.substr(16);
    r.attributes = {{"http.request.method", rng() % 5 ? "GET" : "POST"},
                    {"http.response.status_code", status},
                    {"url.path", path},
                    {"user.id", "u" + std::to_string(rng() % 20000)},
                    {"duration_ms", ms},
                    {"client", {{"country", kCountries[rng() % std::size(kCountries)]},
                                {"ip", "10.0." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256)}}}};
    r.resource = {{"service.name", r.service}, {"service.version", "1." + std::to_string(s) + ".0"},
                  {"host.name", "node-" + std::to_string(s % 3)}};
    return r;
}

double seconds(const QElapsedTimer &t) { return static_cast<double>(t.nsecsElapsed()) / 1e9; }

// The shell's own timing of the statement ("Run Time: real X"), the median of three runs.
double shellSeconds(const QString &store, const std::string &sql)
{
    std::vector<double> runs;
    for (int i = 0; i < 3; ++i) {
        QProcess p;
        p.start(QStringLiteral("sqlite3"), {QStringLiteral("-readonly"), store});
        p.write((".timer on\n" + sql + ";\n").c_str());
        p.closeWriteChannel();
        p.waitForFinished(-1);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QRegularExpressionMatch m = QRegularExpression(QStringLiteral("Run Time: real ([0-9.]+)")).match(out);
        if (!m.hasMatch()) {
            std::fprintf(stderr, "sqlite3 failed: %s %s\n", qPrintable(out), p.readAllStandardError().constData());
            return -1;
        }
        runs.push_back(m.captured(1).toDouble());
    }
    std::sort(runs.begin(), runs.end());
    return runs[1];
}

struct Timed {
    double seconds;
    std::string result;
    std::string sql; // what the store ran, parameters written in
};

Timed timeQuery(Store &store, const Query &q, const TimeRange &range)
{
    store.query(q, range); // warm
    std::vector<double> runs;
    Frame f;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        f = store.query(q, range);
        runs.push_back(seconds(t));
    }
    std::sort(runs.begin(), runs.end());
    std::string result = f.rowCount() ? cellToString(f.cell(0, f.columns.size() - 1)) : std::string("-");
    return {runs[1], result + (f.rowCount() > 1 ? " (first of " + std::to_string(f.rowCount()) + " rows)" : ""),
            f.nativeQuery};
}

void compare(Store &store, const char *label, const Query &q, const TimeRange &range, const std::string &handSql = {})
{
    const Timed ours = timeQuery(store, q, range);
    const double shell = shellSeconds(store.path(), ours.sql);
    std::printf("%-44s flightdeck %7.3f s   sqlite3 shell, same SQL %7.3f s   ratio %.2f   result %s\n", label,
                ours.seconds, shell, shell > 0 ? ours.seconds / shell : 0.0, ours.result.c_str());
    // The SQL as compiled before the row-share hints (likelihood() on the time bounds).
    if (const std::string plain = compileQuery(q, range).display(); plain != ours.sql)
        std::printf("%-44s sqlite3 shell, SQL without row-share hints %7.3f s\n", "", shellSeconds(store.path(), plain));
    if (!handSql.empty())
        std::printf("%-44s sqlite3 shell, minimal SQL %7.3f s   (%s)\n", "", shellSeconds(store.path(), handSql),
                    handSql.c_str());
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::int64_t rows = 10'000'000;
    QString dirPath = QStringLiteral("/tmp");
    QString keptPath;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--rows"))
            rows = args[i + 1].toLongLong();
        if (args[i] == QLatin1String("--dir"))
            dirPath = args[i + 1];
        if (args[i] == QLatin1String("--store"))
            keptPath = args[i + 1];
    }
    QTemporaryDir dir(QDir(dirPath).filePath(QStringLiteral("fd-bench-store-XXXXXX")));
    const QString path = keptPath.isEmpty() ? dir.filePath(QStringLiteral("bench.sqlite")) : keptPath;
    const bool reuse = QFileInfo::exists(path);
    Store store(path);
    store.setReleaseDetection(false);
    std::mt19937_64 rng(42);
    QElapsedTimer t;
    t.start();
    constexpr std::int64_t kBatch = 50000;
    if (reuse)
        std::printf("reusing %s (%.2f GB)\n", qPrintable(path), QFileInfo(path).size() / 1e9);
    for (std::int64_t i = 0; !reuse && i < rows; i += kBatch) {
        TelemetryBatch b;
        for (std::int64_t j = i; j < std::min(rows, i + kBatch); ++j)
            b.logs.push_back(makeRecord(j, rows, rng));
        store.insert(b);
    }
    const double insertSeconds = seconds(t);
    std::printf("generated %lld log records in %.1f s (%.0f records/s, generation included); store %.2f GB\n",
                static_cast<long long>(rows), insertSeconds, rows / insertSeconds,
                QFileInfo(path).size() / 1e9);

    const TimeRange all{kEnd - 8 * kDay, kEnd};
    Query search;
    search.search = "timeout";
    search.agg = parseAggregate("count");
    const Timed scan = timeQuery(store, search, all);
    std::printf("%-44s scan (no index yet) %7.3f s   result %s\n", "search \"timeout\", count", scan.seconds,
                scan.result.c_str());

    t.restart();
    const std::int64_t indexed = store.indexFullText();
    std::printf("full-text index of %lld bodies built in %.1f s; store %.2f GB\n", static_cast<long long>(indexed),
                seconds(t), QFileInfo(path).size() / 1e9);
    const Timed fts = timeQuery(store, search, all);
    std::printf("%-44s full-text index %7.3f s   result %s\n", "search \"timeout\", count", fts.seconds,
                fts.result.c_str());

    Query byService;
    byService.where = parseWhereList("service.name = checkout");
    byService.agg = parseAggregate("count");
    compare(store, "count service.name = checkout (indexed)", byService, all,
            "SELECT COUNT(*) FROM logs WHERE service = 'checkout'");
    Query byStatus;
    byStatus.where = parseWhereList("http.response.status_code = 500");
    byStatus.agg = parseAggregate("count");
    compare(store, "count http.response.status_code = 500", byStatus, all,
            "SELECT COUNT(*) FROM logs WHERE json_extract(attrs, '$.\"http.response.status_code\"') = 500");
    Query nested;
    nested.where = parseWhereList("client.country = DE");
    nested.agg = parseAggregate("count");
    compare(store, "count client.country = DE (nested JSON)", nested, all,
            "SELECT COUNT(*) FROM logs WHERE json_extract(attrs, '$.client.country') = 'DE'");
    Query group;
    group.groupBy = {"service.name"};
    group.agg = parseAggregate("count");
    compare(store, "count group by service.name", group, all,
            "SELECT service, COUNT(*) FROM logs GROUP BY service ORDER BY 2 DESC");
    Query lastHour = byService;
    const TimeRange hour{kEnd - kHour, kEnd};
    compare(store, "count service.name = checkout, last hour", lastHour, hour);

    // The event table's first page, newest first, with the count of the whole result it shows.
    compare(store, "rows newest first, first 1000 + count", Query {}, all);
    // The event table sorted by a column: a page of the whole result in that order (the first with its count).
    Query sorted;
    sorted.sortField = "service.name";
    compare(store, "rows by service.name, first 1000 + count", sorted, all);
    sorted.countTotal = false;
    sorted.rowOffset = 100'000;
    compare(store, "rows by service.name, 1000 at offset 100k", sorted, all);
    // Descending by service, as the table's further pages ask (the rows up to the first page's mark): in the
    // (service, time) index's order.
    Query byServiceDown;
    byServiceDown.sortField = "service.name";
    byServiceDown.sortDescending = true;
    compare(store, "rows by service.name descending, first 1000", byServiceDown, all);
    byServiceDown.countTotal = false;
    byServiceDown.rowOffset = 100'000;
    byServiceDown.arrivedUpTo = std::numeric_limits<std::int64_t>::max() / 2;
    compare(store, "rows by service.name descending, at 100k", byServiceDown, all);
    Query byUser;
    byUser.sortField = "user.id";
    byUser.sortDescending = true;
    byUser.countTotal = false;
    compare(store, "rows by user.id (JSON) descending, first 1000", byUser, all);

    // A whole-result export of service.name = checkout: the store's pages (one statement, no LIMIT) against
    // reading it by time, 4,000 rows a query, as another source is read (pageRowsByTime); each page made CSV.
    StoreSource source("bench", store.path());
    Query exported;
    exported.where = parseWhereList("service.name = checkout");
    exported.countTotal = false;
    const auto exportRows = [&](const char *label, const std::function<void(const std::function<void(const Frame &)> &)> &run) {
        std::int64_t rows = 0;
        std::size_t bytes = 0;
        QElapsedTimer timer;
        timer.start();
        run([&](const Frame &page) {
            rows += static_cast<std::int64_t>(page.rowCount());
            bytes += csvRows(page, CsvReader::Spreadsheet).size();
        });
        const double secs = seconds(timer);
        std::printf("%-44s %7.3f s   %lld rows, %.0f rows/s, %.0f MB of CSV\n", label, secs, static_cast<long long>(rows),
                    static_cast<double>(rows) / secs, static_cast<double>(bytes) / 1e6);
        return secs;
    };
    exported.limit = 0;
    for (int round = 0; round < 2; ++round) { // alternately, so that neither has the warmer cache
        const double paged = exportRows("export checkout: the store's pages", [&](const auto &page) {
            source.queryPages(exported, all, makeCancelToken(), page);
        });
        const double byTime = exportRows("export checkout: by time, 4,000 a query", [&](const auto &page) {
            pageRowsByTime(source, exported, all, 4000, makeCancelToken(), page);
        });
        std::printf("%-44s ratio (by time / pages) %.2f\n", "", byTime / paged);
    }

    // The event view's field sidebar: the top values of 8 fields over the whole result, in one pass against a
    // group-by query per field (DataSource's way), alternately.
    const std::vector<std::string> sidebar = { "service.name", "severity", "http.request.method",
        "http.response.status_code", "url.path", "user.id", "client.country", "duration_ms" };
    for (const char *where : { "", "service.name = checkout" }) {
        Query base;
        if (*where)
            base.where = parseWhereList(where);
        for (int round = 0; round < 2; ++round) {
            t.restart();
            store.summarizeFields(base, all, sidebar, 5);
            const double onePass = seconds(t);
            t.restart();
            summarizeFieldsByQueries(source, base, all, sidebar, 5, {});
            const double byQueries = seconds(t);
            std::printf("sidebar, 8 fields%-27s one pass %7.3f s   a group-by each %7.3f s   ratio %.2f\n",
                *where ? (std::string(", ") + where).c_str() : "", onePass, byQueries, byQueries / onePass);
        }
    }

    t.restart();
    const std::vector<std::string> names = store.fieldNames(Signal::Logs, {}, all);
    std::printf("%-44s %7.3f s   %zu names\n", "completion: field names (7 days)", seconds(t), names.size());
    for (const char *field : {"service.name", "client.country", "user.id"}) {
        t.restart();
        std::int64_t newest = 0;
        const std::vector<FieldValue> values = store.fieldValues(Signal::Logs, field, {}, all, {}, &newest);
        std::printf("completion: values of %-22s %7.3f s   %zu values, top %s (%lld), from the newest %lld events\n",
                    field, seconds(t), values.size(), values.empty() ? "-" : values[0].value.c_str(),
                    values.empty() ? 0LL : static_cast<long long>(values[0].count), static_cast<long long>(newest));
        // What completion did before: group every event of the 7 days.
        Query every;
        every.where.push_back({field, Op::Exists, nullptr});
        every.groupBy = {field};
        every.agg = parseAggregate("count");
        every.limit = 50;
        t.restart();
        store.query(every, all);
        std::printf("completion: values of %-22s %7.3f s   (every event, as before)\n", field, seconds(t));
        t.restart();
        store.fieldValues(Signal::Logs, field, {}, hour);
        std::printf("completion: values of %-22s %7.3f s   (last hour)\n", field, seconds(t));
    }
    return 0;
}

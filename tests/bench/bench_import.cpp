// JSON-lines import into the embedded store, end to end (read, parse, commit, full-text index), in MB/s,
// against lnav loading the same file and grouping it by a field, in the same run. Also the bare
// nlohmann_json parse rate of the file on one core, the bound of the decoding thread.
// Usage: bench_import [--mb N] [--dir DIR] [--file FILE] [--import-only]   (the file and store are written in DIR,
// default /tmp, and deleted; --file reuses a file an earlier run kept with --keep FILE; --import-only skips the
// single-stage rates and lnav)
// Stages: reading lines alone, reading + decoding into records alone (one core), then the import with the
// seconds each thread spent per stage, and CPU seconds of the process beside the wall time (the machine is shared).
#include "connectors/import/FileImporter.h"
#include "connectors/import/JsonLinesDecoder.h"
#include "connectors/import/LineReader.h"
#include "connectors/import/LogRowDecoder.h"
#include "connectors/store/Store.h"
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <cstdio>
#include <random>
#include <sys/resource.h>

using namespace fd;

namespace {
constexpr const char *kServices[] = {"frontend", "auth", "checkout", "payments", "inventory", "search"};
constexpr const char *kLevels[] = {"info", "info", "info", "info", "info", "info", "debug", "warn", "error"};
constexpr const char *kPaths[] = {"/api/items", "/api/cart", "/login", "/api/pay", "/api/search", "/"};
constexpr const char *kCountries[] = {"DE", "FR", "US", "GB", "JP", "BR"};

// A realistic JSON line: RFC 3339 time, level, message, service, trace id, nested http and user objects.
std::string line(std::int64_t i, std::mt19937_64 &rng)
{
    const std::int64_t ms = 1'795'000'000'000LL + i * 7;
    const int status = rng() % 40 ? 200 : 503;
    const char *path = kPaths[rng() % std::size(kPaths)];
    char time[40];
    const std::time_t secs = ms / 1000;
    std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", std::gmtime(&secs));
    char buf[700];
    std::snprintf(buf, sizeof buf,
                  "{\"ts\":\"%s.%03lldZ\",\"level\":\"%s\",\"msg\":\"GET %s %d in %u ms\",\"service\":\"%s\","
                  "\"trace_id\":\"%016llx%016llx\",\"http\":{\"method\":\"GET\",\"status\":%d,\"route\":\"%s\"},"
                  "\"user\":{\"id\":\"u%u\",\"country\":\"%s\"},\"duration_ms\":%.1f,\"host\":\"node-%u\"}\n",
                  time, static_cast<long long>(ms % 1000), kLevels[rng() % std::size(kLevels)], path, status,
                  static_cast<unsigned>(rng() % 500), kServices[rng() % std::size(kServices)],
                  static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()), status, path,
                  static_cast<unsigned>(rng() % 100000), kCountries[rng() % std::size(kCountries)],
                  static_cast<double>(rng() % 50000) / 10.0, static_cast<unsigned>(rng() % 8));
    return buf;
}

double seconds(const QElapsedTimer &t) { return static_cast<double>(t.nsecsElapsed()) / 1e9; }

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2) : QString();
}

// Reading lines alone, then reading and decoding them into log records (discarded per batch), on this thread.
void stageRates(const QString &path, double mb)
{
    QFile in(path);
    in.open(QIODevice::ReadOnly);
    QElapsedTimer t;
    t.start();
    std::string_view l;
    bool cut = false;
    std::int64_t n = 0;
    {
        LineReader reader(in, 1 << 30);
        while (reader.next(l, cut))
            ++n;
    }
    std::printf("stage read lines alone: %.2f s, %.0f MB/s\n", seconds(t), mb / seconds(t));
    in.seek(0);
    LineReader reader(in, 1 << 30);
    LogRowDecoder decoder;
    LogRows rows;
    t.restart();
    while (reader.next(l, cut)) {
        try {
            decoder.decode(l, false, rows);
        } catch (const std::exception &) {
        }
        if (rows.rows.size() == 20000)
            rows = {};
    }
    std::printf("stage read + decode into store rows alone (the import's decoder), one core: %.2f s, %.0f MB/s\n",
                seconds(t), mb / seconds(t));
    in.seek(0);
    LineReader again(in, 1 << 30);
    std::vector<LogRecord> batch;
    t.restart();
    while (again.next(l, cut) && again.position() < 200'000'000) {
        try {
            batch.push_back(logRecordFromJsonLine(Json::parse(l.begin(), l.end())));
        } catch (const std::exception &) {
        }
        if (batch.size() == 20000)
            batch.clear();
    }
    std::printf("stage read + nlohmann parse + LogRecord (the former decoder), one core, first 200 MB at most: %.0f MB/s\n",
                again.position() / 1e6 / seconds(t));
}

const char *kLnavFormat = R"json({
  "$schema": "https://lnav.org/schemas/format-v1.schema.json",
  "fdbench_log": {
    "title": "Flightdeck import benchmark", "description": "JSON lines written by bench_import.",
    "json": true, "file-pattern": "\\.jsonl$", "timestamp-field": "ts", "level-field": "level", "body-field": "msg",
    "value": { "service": { "kind": "string", "identifier": true }, "trace_id": { "kind": "string" },
               "http": { "kind": "json" }, "user": { "kind": "json" }, "duration_ms": { "kind": "float" },
               "host": { "kind": "string" } } } })json";
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 megabytes = 1024;
    QString dirPath = QStringLiteral("/tmp");
    QString given, keep;
    const QStringList args = app.arguments();
    const bool importOnly = args.contains(QLatin1String("--import-only"));
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--mb"))
            megabytes = args[i + 1].toLongLong();
        if (args[i] == QLatin1String("--dir"))
            dirPath = args[i + 1];
        if (args[i] == QLatin1String("--file"))
            given = args[i + 1];
        if (args[i] == QLatin1String("--keep"))
            keep = args[i + 1];
    }
    QTemporaryDir dir(QDir(dirPath).filePath(QStringLiteral("fd-bench-import-XXXXXX")));
    const QString path = given.isEmpty() ? dir.filePath(QStringLiteral("events.jsonl")) : given;
    std::int64_t lines = 0;
    if (given.isEmpty()) {
        QFile out(path);
        out.open(QIODevice::WriteOnly);
        std::mt19937_64 rng(7);
        std::string block;
        while (out.size() + static_cast<qint64>(block.size()) < megabytes * 1'000'000) {
            block += line(lines++, rng);
            if (block.size() > (8 << 20)) {
                out.write(block.data(), static_cast<qint64>(block.size()));
                block.clear();
            }
        }
        out.write(block.data(), static_cast<qint64>(block.size()));
    }
    if (!keep.isEmpty())
        QFile::copy(path, keep);
    const double mb = QFileInfo(path).size() / 1e6;
    std::printf("file: %s, %.0f MB; load average %s\n", qPrintable(path), mb, qPrintable(loadAverage()));
    if (!importOnly) {
        stageRates(path, mb);
        QFile in(path);
        in.open(QIODevice::ReadOnly);
        QElapsedTimer t;
        t.start();
        std::int64_t parsed = 0;
        while (!in.atEnd() && parsed < 1'000'000) {
            const QByteArray l = in.readLine();
            parsed += !Json::parse(l.constData(), l.constData() + l.size(), nullptr, false).is_discarded();
        }
        std::printf("nlohmann_json parse alone, one core: %.0f MB/s (first %lld lines)\n", in.pos() / 1e6 / seconds(t),
                    static_cast<long long>(parsed));
    }

    const QString storePath = dir.filePath(QStringLiteral("import.sqlite"));
    QElapsedTimer t;
    t.start();
    const double cpu = cpuSeconds();
    ImportReport report;
    {
        Store store(storePath);
        store.setReleaseDetection(false);
        report = FileImporter(store).import(path, ImportFormat::JsonLines);
        const double s = seconds(t);
        std::printf("flightdeck import (parse + commit + indexes + full-text): %.1f s, %.1f MB/s, %.0f records/s, "
                    "CPU %.1f s, %lld records, %lld bad lines, %lld unindexed after; load average %s\n",
                    s, mb / s, report.records / s, cpuSeconds() - cpu, static_cast<long long>(report.records),
                    static_cast<long long>(report.badLines), static_cast<long long>(store.unindexedLogs()),
                    qPrintable(loadAverage()));
        const ImportTimings &tm = report.timings;
        std::printf("  decoding thread: decode %.1f s, waiting for the writer %.1f s; writer thread: insert %.1f s, "
                    "log indexes %.1f s, full-text %.1f s; full-text thread: %.1f s\n",
                    tm.decode, tm.waiting, tm.insert, tm.indexes, tm.fullText, tm.builder);
        Query q;
        q.groupBy = {"service.name"};
        q.agg = parseAggregate("count");
        QElapsedTimer g;
        g.start();
        const Frame f = store.query(q, {0, 4'000'000'000LL * kSecond});
        std::printf("flightdeck group by service.name after the import: %.2f s (%zu groups); import + group by %.1f s\n",
                    seconds(g), f.rowCount(), seconds(t));
    }

    if (importOnly)
        return 0;
    // lnav with a private home folder holding only the format for these lines.
    QTemporaryDir home(QDir(dirPath).filePath(QStringLiteral("fd-bench-lnav-XXXXXX")));
    QDir(home.path()).mkpath(QStringLiteral(".lnav/formats/installed"));
    QFile format(home.filePath(QStringLiteral(".lnav/formats/installed/fdbench.json")));
    format.open(QIODevice::WriteOnly);
    format.write(kLnavFormat);
    format.close();
    QProcess lnav;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    lnav.setProcessEnvironment(env);
    t.restart();
    lnav.start(QStringLiteral("lnav"), {QStringLiteral("-n"), QStringLiteral("-c"),
                                        QStringLiteral(";SELECT service, count(*) FROM fdbench_log GROUP BY service"), path});
    if (!lnav.waitForStarted()) {
        std::printf("lnav: not installed (Debian package lnav)\n");
        return 0;
    }
    lnav.waitForFinished(-1);
    const double s = seconds(t);
    const QByteArray out = lnav.readAllStandardOutput();
    rusage child{};
    getrusage(RUSAGE_CHILDREN, &child);
    std::printf("lnav load + group by service: %.1f s, %.1f MB/s, CPU %.1f s; load average %s; its answer:\n%s", s,
                mb / s, static_cast<double>(child.ru_utime.tv_sec + child.ru_stime.tv_sec), qPrintable(loadAverage()),
                out.constData());
    return 0;
}

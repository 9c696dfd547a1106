// JSON-lines import into the embedded store, end to end (read, parse, commit, full-text index), in MB/s,
// against lnav loading the same file and grouping it by a field, in the same run. Also the bare
// nlohmann_json parse rate of the file on one core, the bound of the decoding thread.
// Usage: bench_import [--mb N] [--dir DIR]   (the file and store are written in DIR, default /tmp, and deleted)
#include "connectors/import/FileImporter.h"
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
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--mb"))
            megabytes = args[i + 1].toLongLong();
        if (args[i] == QLatin1String("--dir"))
            dirPath = args[i + 1];
    }
    QTemporaryDir dir(QDir(dirPath).filePath(QStringLiteral("fd-bench-import-XXXXXX")));
    const QString path = dir.filePath(QStringLiteral("events.jsonl"));
    std::int64_t lines = 0;
    {
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
    const double mb = QFileInfo(path).size() / 1e6;
    std::printf("file: %lld JSON lines, %.0f MB\n", static_cast<long long>(lines), mb);

    {
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
    ImportReport report;
    {
        Store store(storePath);
        store.setReleaseDetection(false);
        report = FileImporter(store).import(path, ImportFormat::JsonLines);
        const double s = seconds(t);
        std::printf("flightdeck import (parse + commit + indexes + full-text): %.1f s, %.1f MB/s, %.0f records/s, "
                    "%lld bad lines, %lld unindexed after\n",
                    s, mb / s, report.records / s, static_cast<long long>(report.badLines),
                    static_cast<long long>(store.unindexedLogs()));
        Query q;
        q.groupBy = {"service.name"};
        q.agg = parseAggregate("count");
        QElapsedTimer g;
        g.start();
        const Frame f = store.query(q, {0, 4'000'000'000LL * kSecond});
        std::printf("flightdeck group by service.name after the import: %.2f s (%zu groups); import + group by %.1f s\n",
                    seconds(g), f.rowCount(), seconds(t));
    }

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
    std::printf("lnav load + group by service: %.1f s, %.1f MB/s; its answer:\n%s", s, mb / s, out.constData());
    return 0;
}

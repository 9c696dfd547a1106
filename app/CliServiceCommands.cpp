#include "CliCommands.h"
#include "CliContext.h"
#include "DemoWriter.h"
#include "ReceiverAddress.h"
#include "connectors/otlp/OtlpReceiver.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <atomic>
#include <csignal>

namespace fd {

namespace {
std::atomic<bool> g_stopRequested{false};
CancelToken g_demoCancel; // the token outlives the command: the signal handler reaches the global
constexpr int kMaxDemoDays = 366;

void requestStop(int) { g_stopRequested.store(true); }

int positiveInt(const QCommandLineParser &p, const QString &name, int fallback)
{
    if (!p.isSet(name))
        return fallback;
    bool ok = false;
    const int v = p.value(name).toInt(&ok);
    if (!ok || v <= 0)
        throw Error(QStringLiteral("--%1 must be a positive integer").arg(name));
    return v;
}
} // namespace

int demoCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("store"), QStringLiteral("Where to write the demo store."), QStringLiteral("PATH")},
                  {QStringLiteral("workspace"), QStringLiteral("Where to write the demo workspace."), QStringLiteral("FILE")},
                  {QStringLiteral("days"), QStringLiteral("Days of history (default 8)."), QStringLiteral("N")},
                  {QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("N")}});
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Writes (replacing) the demo store and its workspace.")); rc >= 0)
        return rc;
    const QString store = p.isSet(QStringLiteral("store")) ? p.value(QStringLiteral("store")) : Store::demoStorePath();
    const QString workspace = p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace"))
                                                                   : Store::demoWorkspacePath();
    DemoOptions options;
    options.days = positiveInt(p, QStringLiteral("days"), options.days);
    if (options.days > kMaxDemoDays) // a year takes minutes and gigabytes already
        throw Error(QStringLiteral("--days must be at most %1").arg(kMaxDemoDays));
    options.seed = static_cast<std::uint64_t>(positiveInt(p, QStringLiteral("seed"), static_cast<int>(options.seed)));
    QElapsedTimer timer;
    timer.start();
    // Ctrl+C or a TERM: the half-written store is removed (a kill -9 leaves it to the next write).
    const CancelTokenPtr cancel(&g_demoCancel, [](CancelToken *) {});
    std::signal(SIGINT, [](int) { g_demoCancel.cancel(); });
    std::signal(SIGTERM, [](int) { g_demoCancel.cancel(); });
    const DemoSummary s = writeDemoFiles(store, workspace, options, cancel);
    printOut("demo written in " + std::to_string(timer.elapsed()) + " ms: " + std::to_string(s.logs) + " log records, "
             + std::to_string(s.spans) + " spans, " + std::to_string(s.metricPoints) + " metric points, "
             + std::to_string(s.markers) + " markers\n  store:     " + store.toStdString() + "\n  workspace: "
             + workspace.toStdString() + "\n");
    return 0;
}

int serveCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, false, nullptr);
    p.addOptions({{QStringLiteral("max-body"), QStringLiteral("Largest request body in bytes (default 64 MiB)."), QStringLiteral("BYTES")},
                  {QStringLiteral("max-in-flight"),
                   QStringLiteral("Request bytes held at once (read or waiting for the store) before further requests "
                                  "get 503 with Retry-After (default 128 MiB)."),
                   QStringLiteral("BYTES")},
                  {QStringLiteral("max-connections"), QStringLiteral("Open connections served at once (default 256)."),
                   QStringLiteral("N")},
                  {QStringLiteral("store-timeout"),
                   QStringLiteral("How long a request waits for another writer of the store before it gets 503 (default 2000)."),
                   QStringLiteral("MS")},
                  {QStringLiteral("retention"), QStringLiteral("Delete records older than this (default 30d; checked hourly)."),
                   QStringLiteral("DURATION")}});
    ReceiverAddress::addOptions(p);
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Runs the OTLP/HTTP receiver and markers API.")); rc >= 0)
        return rc;
    const ReceiverAddress endpoint = ReceiverAddress::fromCommandLine(p);
    const QString storePath = CliContext(p).storePath();
    const QString retentionText = p.isSet(QStringLiteral("retention")) ? p.value(QStringLiteral("retention")) : formatDuration(Store::kDefaultRetention);
    const auto retention = parseDuration(retentionText);
    if (!retention || *retention <= 0)
        throw Error(QStringLiteral("invalid --retention \"%1\" (e.g. 7d, 30d, 12h)").arg(retentionText));
    // The schema exists before the first request, a bad path fails now, and old records go first.
    const auto applyRetention = [storePath, age = *retention, retentionText] {
        const TimeNs now = nowNs();
        if (const std::int64_t removed = Store(storePath).applyRetention(age, now); removed > 0)
            printErr(QStringLiteral("retention: deleted %1 records stamped before %2 (--retention %3)")
                         .arg(removed)
                         .arg(QString::fromStdString(formatRfc3339Std(now - age)), retentionText));
    };
    applyRetention();
    ReceiverLimits limits;
    limits.maxBody = static_cast<std::size_t>(positiveInt(p, QStringLiteral("max-body"), static_cast<int>(limits.maxBody)));
    limits.maxBytesInFlight = static_cast<std::size_t>(
        positiveInt(p, QStringLiteral("max-in-flight"), static_cast<int>(limits.maxBytesInFlight)));
    limits.maxConnections = positiveInt(p, QStringLiteral("max-connections"), limits.maxConnections);
    limits.storeBusyTimeout = std::chrono::milliseconds(
        positiveInt(p, QStringLiteral("store-timeout"), static_cast<int>(limits.storeBusyTimeout.count())));
    OtlpReceiver receiver(storePath, limits);
    receiver.start(endpoint.host, endpoint.port);
    printOut("listening on " + receiver.address() + "\n");
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [] {
        if (g_stopRequested.load())
            QCoreApplication::quit();
    });
    poll.start(100);
    // Retention runs on its own connection, on this thread, between the receiver's short transactions.
    QTimer retentionTimer;
    QObject::connect(&retentionTimer, &QTimer::timeout, [&applyRetention] {
        try {
            applyRetention();
        } catch (const std::exception &e) {
            printErr(QStringLiteral("retention: %1").arg(QString::fromUtf8(e.what())));
        }
    });
    retentionTimer.start(3600 * 1000);
    const int rc = QCoreApplication::exec();
    receiver.stop();
    const ReceiverStats &s = receiver.stats();
    printErr(QStringLiteral("stopped: %1 requests, %2 spans, %3 log records, %4 metric points, %5 markers; "
                            "%6 answered 503 (busy, or the store could not write); at most %7 bytes of requests in flight")
                 .arg(s.requests.load()).arg(s.spans.load()).arg(s.logs.load()).arg(s.metricPoints.load()).arg(s.markers.load())
                 .arg(s.throttled.load()).arg(s.peakBytesInFlight.load()));
    return rc;
}

} // namespace fd

// The receiver at full size (issue 9): `flightdeck serve` as a child process, 50 client threads sending
// 1M spans and 2M log records as OTLP/protobuf, paced to take about a minute (or as fast as it goes with
// --seconds 0). Prints throughput, 503 answers, the receiver's peak resident memory, and whether the store
// holds exactly the acknowledged requests. Not a CTest test; see BENCHMARKS.md.
//   bench_receiver_load [--clients N] [--spans N] [--logs N] [--per-request N] [--seconds S] [--max-in-flight BYTES]
// Each client sends (spans + logs) / per-request / clients requests, every (logs / spans + 1)-th of them spans:
// sizes that do not divide evenly are rounded (the defaults do).
#include "CliRunner.h"
#include "OtlpLoad.h"
#include "ProcessMemory.h"
#include <QCoreApplication>
#include <cstdio>
#include <cstring>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    long long clients = 50, spans = 1'000'000, logs = 2'000'000, perRequest = 1000, seconds = 60, maxInFlight = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const long long v = std::atoll(argv[i + 1]);
        const char *name = argv[i];
        long long *target = !std::strcmp(name, "--clients") ? &clients
            : !std::strcmp(name, "--spans")                 ? &spans
            : !std::strcmp(name, "--logs")                  ? &logs
            : !std::strcmp(name, "--per-request")           ? &perRequest
            : !std::strcmp(name, "--seconds")               ? &seconds
            : !std::strcmp(name, "--max-in-flight")         ? &maxInFlight
                                                            : nullptr;
        if (!target) {
            std::fprintf(stderr, "unknown option %s\n", name);
            return 2;
        }
        *target = v;
    }
    fdtest::Cli cli;
    const QString store = cli.path(QStringLiteral("bench.sqlite"));
    QStringList args { QStringLiteral("--store"), store, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0") };
    if (maxInFlight > 0)
        args << QStringLiteral("--max-in-flight") << QString::number(maxInFlight);
    fdtest::Server server;
    QString error;
    if (!server.start(args, cli.environment(), cli.dir(), &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    const std::int64_t idleRss = fdtest::residentBytes(server.pid());
    fdtest::PeakRssSampler rss(server.pid());

    fdtest::LoadPlan plan;
    plan.baseUrl = server.url().toStdString();
    plan.clients = static_cast<int>(clients);
    plan.recordsPerRequest = static_cast<int>(perRequest);
    plan.logRequestsPerSpanRequest = spans > 0 ? static_cast<int>(logs / spans) : 0;
    plan.requestsPerClient = static_cast<int>((spans + logs) / perRequest / clients);
    if (seconds > 0)
        plan.pace = std::chrono::microseconds(seconds * 1'000'000 / plan.requestsPerClient);
    std::printf("%d clients x %d requests of %d records (%d log requests per span request), paced over %lld s\n",
        plan.clients, plan.requestsPerClient, plan.recordsPerRequest, plan.logRequestsPerSpanRequest, seconds);
    std::fflush(stdout);
    const fdtest::LoadResult load = fdtest::runLoad(plan);
    const std::int64_t peakRss = rss.stop();
    server.terminate();

    const double records = static_cast<double>(load.ackedSpans() + load.ackedLogs());
    std::printf(
        "acknowledged %lld spans and %lld log records in %.1f s: %.0f records/s (%.1f MB of request bodies sent, "
        "retries included)\n",
        static_cast<long long>(load.ackedSpans()), static_cast<long long>(load.ackedLogs()), load.seconds,
        records / load.seconds, load.bodyBytes() / 1e6);
    std::printf("503 answers: %lld (%lld without Retry-After); other statuses: %lld; transport errors: %lld %s\n",
        static_cast<long long>(load.throttled()), static_cast<long long>(load.withoutRetryAfter()),
        static_cast<long long>(load.otherStatus()), static_cast<long long>(load.transportErrors()),
        load.firstUnexpected().c_str());
    std::printf("receiver resident memory: %.0f MiB idle, %.0f MiB peak\n", idleRss / 1048576.0, peakRss / 1048576.0);
    std::printf("receiver: %s\n", qPrintable(server.stdErr().trimmed()));
    const std::string diff = fdtest::compareStoredLoad(plan, load, fdtest::readStoredLoad(store));
    std::printf("store: %s\n", diff.empty() ? "exactly the acknowledged requests, each whole" : diff.c_str());
    return diff.empty() ? 0 : 1;
}

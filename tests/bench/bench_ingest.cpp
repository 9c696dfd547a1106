// OTLP/JSON ingest into the embedded store: through the receiver over HTTP (4 clients; it decodes one
// request while it commits another, and indexes log bodies for full-text search between requests: also
// how long until the index has them all), through its request handler on one thread (decode, then
// commit), and its parts in the same run: decoding alone, the store insert alone of the decoded batches
// into a fresh store, and the full-text index of them. Prints figures; not a pass/fail test.
#include "connectors/http/HttpClient.h"
#include "connectors/otlp/OtlpHttpHandler.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/otlp/OtlpReceiver.h"
#include "connectors/store/Store.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <atomic>
#include <ctime>
#include <cstdio>
#include <thread>

using namespace fd;

namespace {
std::string hex(std::uint64_t v, int width)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%0*llx", width, static_cast<unsigned long long>(v));
    return buf;
}

Json attribute(const char *key, Json value)
{
    Json v;
    if (value.is_string())
        v["stringValue"] = value;
    else
        v["intValue"] = std::to_string(value.get<std::int64_t>());
    return {{"key", key}, {"value", v}};
}

Json resource(const char *service)
{
    return {{"attributes", Json::array({attribute("service.name", service), attribute("service.version", "1.2.3")})}};
}

std::string spansRequest(int count, std::uint64_t seed)
{
    Json spans = Json::array();
    const std::int64_t t0 = 1'700'000'000'000'000'000LL;
    for (int i = 0; i < count; ++i) {
        const std::uint64_t n = seed * 1'000'000 + static_cast<std::uint64_t>(i);
        spans.push_back({{"traceId", hex(n / 10, 32)}, {"spanId", hex(n + 1, 16)},
                         {"parentSpanId", i % 10 ? hex(n - (i % 10) + 1, 16) : ""}, {"name", "GET /api/items"},
                         {"kind", 2}, {"startTimeUnixNano", std::to_string(t0 + i * 1000)},
                         {"endTimeUnixNano", std::to_string(t0 + i * 1000 + 5'000'000)},
                         {"attributes", Json::array({attribute("http.request.method", "GET"),
                                                     attribute("http.response.status_code", 200),
                                                     attribute("url.path", "/api/items")})},
                         {"status", {{"code", 0}}}});
    }
    Json scope = {{"scope", {{"name", "bench"}}}, {"spans", spans}};
    return Json({{"resourceSpans", Json::array({{{"resource", resource("checkout")}, {"scopeSpans", Json::array({scope})}}})}}).dump();
}

std::string logsRequest(int count, std::uint64_t seed)
{
    Json records = Json::array();
    const std::int64_t t0 = 1'700'000'000'000'000'000LL;
    for (int i = 0; i < count; ++i)
        records.push_back({{"timeUnixNano", std::to_string(t0 + static_cast<std::int64_t>(seed) * 1'000'000 + i)},
                           {"severityNumber", 9}, {"severityText", "INFO"},
                           {"body", {{"stringValue", "request served in 5 ms"}}},
                           {"traceId", hex(seed * 1'000'000 + static_cast<std::uint64_t>(i), 32)},
                           {"spanId", hex(static_cast<std::uint64_t>(i) + 1, 16)},
                           {"attributes", Json::array({attribute("event.name", "request"), attribute("user.id", "u42")})}});
    Json scope = {{"scope", {{"name", "bench"}}}, {"logRecords", records}};
    return Json({{"resourceLogs", Json::array({{{"resource", resource("frontend")}, {"scopeLogs", Json::array({scope})}}})}}).dump();
}

double run(OtlpHttpHandler &handler, const char *path, const std::vector<std::string> &bodies, int perRequest)
{
    QElapsedTimer timer;
    timer.start();
    for (const std::string &body : bodies) {
        const HttpResponse r = handler.handle({"POST", path, "application/json", "", false, body});
        if (r.status != 200) {
            std::fprintf(stderr, "request failed: %d %s\n", r.status, r.body.c_str());
            std::exit(1);
        }
    }
    return static_cast<double>(bodies.size()) * perRequest / (timer.nsecsElapsed() / 1e9);
}
// Each client posts every clients-th body; returns records per second over all of them.
double runReceiver(OtlpReceiver &receiver, const char *path, const std::vector<std::string> &bodies, int perRequest,
                   int clients)
{
    std::atomic<int> failures{0};
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            HttpClient http;
            for (std::size_t i = static_cast<std::size_t>(c); i < bodies.size(); i += static_cast<std::size_t>(clients)) {
                HttpRequestSpec spec;
                spec.url = "http://" + receiver.address() + path;
                spec.contentType = "application/json";
                spec.body = bodies[i];
                spec.options.totalTimeout = std::chrono::seconds(120);
                const HttpReply reply = http.post(spec, makeCancelToken());
                if (reply.status != 200 && failures++ == 0)
                    std::fprintf(stderr, "request failed: %d %s\n", reply.status, reply.body.c_str());
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    if (failures > 0)
        std::exit(1);
    return static_cast<double>(bodies.size()) * perRequest / (timer.nsecsElapsed() / 1e9);
}

double recordsPerSecond(std::size_t records, const QElapsedTimer &timer)
{
    return static_cast<double>(records) / (static_cast<double>(timer.nsecsElapsed()) / 1e9);
}

// This thread's CPU time: unlike the wall clock, barely moved by other processes sharing the cores.
double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Decoding alone, then inserting the decoded batches into a store of their own: the parts of run().
void runParts(const QString &storePath, OtlpSignal signal, const std::vector<std::string> &bodies, const char *what)
{
    std::vector<TelemetryBatch> batches;
    QElapsedTimer timer;
    timer.start();
    std::size_t records = 0;
    for (const std::string &body : bodies) {
        batches.push_back(decodeOtlpJson(signal, body));
        records += batches.back().spans.size() + batches.back().logs.size();
    }
    const double decoded = recordsPerSecond(records, timer);
    Store store(storePath);
    timer.restart();
    const double cpuBefore = threadCpuSeconds();
    for (const TelemetryBatch &batch : batches)
        store.insert(batch);
    const double insertCpuMicros = (threadCpuSeconds() - cpuBefore) * 1e6 / static_cast<double>(records);
    const double inserted = recordsPerSecond(records, timer);
    timer.restart();
    const std::int64_t indexed = store.indexFullText({}, static_cast<std::int64_t>(records));
    std::printf("  %s: decode alone %.0f/s, store insert alone %.0f/s (%.2f CPU-us each), full-text index of %lld "
                "bodies %.0f/s\n",
                what, decoded, inserted, insertCpuMicros, static_cast<long long>(indexed),
                indexed > 0 ? recordsPerSecond(static_cast<std::size_t>(indexed), timer) : 0.0);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const int perRequest = 5000, requests = 40;
    std::vector<std::string> spanBodies, logBodies;
    for (int i = 0; i < requests; ++i) {
        spanBodies.push_back(spansRequest(perRequest, static_cast<std::uint64_t>(i) + 1));
        logBodies.push_back(logsRequest(perRequest, static_cast<std::uint64_t>(i) + 1));
    }
    const int clients = 4;
    {
        OtlpReceiver receiver(dir.filePath(QStringLiteral("receiver-spans.sqlite")));
        receiver.start("127.0.0.1", 0);
        std::printf("OTLP/JSON ingest through the receiver (%d clients over HTTP, decode beside commit): %.0f spans/s\n",
                    clients, runReceiver(receiver, "/v1/traces", spanBodies, perRequest, clients));
    }
    // The baseline first: every commit indexes its bodies for full-text search before answering.
    for (const std::int64_t lag : {std::int64_t(0), ReceiverLimits{}.maxFullTextLag}) {
        const QString path = dir.filePath(QStringLiteral("receiver-logs-%1.sqlite").arg(lag));
        OtlpReceiver receiver(path, ReceiverLimits{.maxFullTextLag = lag});
        receiver.start("127.0.0.1", 0);
        QElapsedTimer sinceFirst;
        sinceFirst.start();
        const double logsPerSecond = runReceiver(receiver, "/v1/logs", logBodies, perRequest, clients);
        const double acknowledged = sinceFirst.nsecsElapsed() / 1e9;
        Store reader(path, Store::Mode::ReadOnly);
        while (reader.unindexedLogs() > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const double indexed = sinceFirst.nsecsElapsed() / 1e9;
        std::printf("  %s: %.0f log records/s acknowledged (%.2f s), all in the full-text index after %.2f s (%.0f/s)\n",
                    lag == 0 ? "indexing in every commit (the baseline)" : "indexing between requests",
                    logsPerSecond, acknowledged, indexed, requests * perRequest / indexed);
    }
    OtlpHttpHandler handler(dir.filePath(QStringLiteral("bench.sqlite")));
    const double spansPerSecond = run(handler, "/v1/traces", spanBodies, perRequest);
    const double logsPerSecond = run(handler, "/v1/logs", logBodies, perRequest);
    std::printf("OTLP/JSON ingest through the handler on one thread (decode + commit, %d requests of %d): %.0f spans/s, "
                "%.0f log records/s\n",
                requests, perRequest, spansPerSecond, logsPerSecond);
    std::printf("request body sizes: %.1f MB spans, %.1f MB logs\n", spanBodies[0].size() * requests / 1e6,
                logBodies[0].size() * requests / 1e6);
    runParts(dir.filePath(QStringLiteral("spans.sqlite")), OtlpSignal::Traces, spanBodies, "spans");
    runParts(dir.filePath(QStringLiteral("logs.sqlite")), OtlpSignal::Logs, logBodies, "log records");
    return 0;
}

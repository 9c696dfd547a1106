// `flightdeck serve` under 50 concurrent clients (OTLP/protobuf spans and logs, one span request for two
// log requests), with its store locked by another writer for a while in the middle so that requests pile
// up: the receiver answers 503 + Retry-After instead of holding more than --max-in-flight, its resident
// memory stays bounded, and exactly the acknowledged requests end up in the store.
// The full-size run (1M spans, 2M log records) is tests/bench/bench_receiver_load.
#include "CliRunner.h"
#include "OtlpLoad.h"
#include "ProcessMemory.h"
#include "Sanitizers.h"
#include "connectors/store/Store.h"
#include <QProcessEnvironment>
#include <QtTest>
#include <thread>

using namespace std::chrono_literals;

namespace {
constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kMaxInFlight = 2 * kMiB; // 50 clients hold up to 5 MB of requests at once
} // namespace

class TestReceiverLoad : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fiftyClientsWithAStall();
};

void TestReceiverLoad::fiftyClientsWithAStall()
{
    fdtest::Cli cli;
    QVERIFY(cli.isValid());
    const QString store = cli.path(QStringLiteral("load.sqlite"));
    QProcessEnvironment env = cli.environment();
#if FD_ADDRESS_SANITIZER
    // Freed memory stays in AddressSanitizer's quarantine (256 MiB by default) and would hide what the receiver
    // holds: a small one keeps the resident size meaningful.
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               env.value(QStringLiteral("ASAN_OPTIONS")) + QStringLiteral(":quarantine_size_mb=16:malloc_context_size=0"));
#endif
    fdtest::Server server;
    QString error;
    QVERIFY2(server.start({ QStringLiteral("--store"), store, QStringLiteral("--otlp"), QStringLiteral("127.0.0.1:0"),
                              QStringLiteral("--max-in-flight"), QString::number(kMaxInFlight),
                              QStringLiteral("--store-timeout"), QStringLiteral("10000") },
                 env, cli.dir(), &error),
        qPrintable(error));
    const std::int64_t idleRss = fdtest::residentBytes(server.pid());
    fdtest::PeakRssSampler rss(server.pid());

    fdtest::LoadPlan plan;
    plan.baseUrl = server.url().toStdString();
    plan.clients = 50;
    plan.requestsPerClient = 6;
    plan.recordsPerRequest = 1000;
    fdtest::LoadResult load;
    std::thread clients([&] { load = fdtest::runLoad(plan); });
    // Another writer holds the store for 1.5 s: requests queue up to the budget, then get 503.
    std::this_thread::sleep_for(500ms);
    {
        fd::Store writer(store);
        fd::execSql(writer.handle(), "BEGIN IMMEDIATE");
        std::this_thread::sleep_for(1500ms);
        fd::execSql(writer.handle(), "ROLLBACK");
    }
    clients.join();
    const std::int64_t peakRss = rss.stop();
    QVERIFY(server.terminate());
    const QString stopped = server.stdErr();

    const std::int64_t sent = std::int64_t(plan.clients) * plan.requestsPerClient * plan.recordsPerRequest;
    qInfo("%lld records (%.1f MB of requests with retries) in %.1f s: %.0f records/s; %lld answers 503; "
          "receiver RSS %.0f MiB idle, %.0f MiB at most\n%s",
        static_cast<long long>(sent), load.bodyBytes() / 1e6, load.seconds, sent / load.seconds,
        static_cast<long long>(load.throttled()), idleRss / double(kMiB), peakRss / double(kMiB),
        qPrintable(stopped.trimmed()));
    QVERIFY2(load.otherStatus() == 0 && load.transportErrors() == 0, load.firstUnexpected().c_str());
    QVERIFY2(load.throttled() > 0, "the stalled store must have made the receiver refuse some requests");
    QCOMPARE(load.withoutRetryAfter(), 0);
    QCOMPARE(load.ackedSpans() + load.ackedLogs(), sent); // every request got through after its retries

    const fdtest::StoredLoad stored = fdtest::readStoredLoad(store);
    const std::string diff = fdtest::compareStoredLoad(plan, load, stored);
    QVERIFY2(diff.empty(), diff.c_str());

    // The receiver's own account: never more request bytes held than allowed (no request is larger).
    static const QRegularExpression line(
        QStringLiteral("(\\d+) answered 503 \\(busy, or the store could not write\\); at most (\\d+) bytes of requests in flight"));
    const QRegularExpressionMatch m = line.match(stopped);
    QVERIFY2(m.hasMatch(), qPrintable(stopped));
    QCOMPARE(m.captured(1).toLongLong(), load.throttled());
    QVERIFY(m.captured(2).toLongLong() <= kMaxInFlight);
    // Memory: the requests held, SQLite's page cache (64 MiB) and the decoding of one request, over what
    // it used idle. Without the budget the 50 clients' stalled requests would all be held at once.
    const QString grew = QStringLiteral("resident memory grew by %1 MiB").arg((peakRss - idleRss) / kMiB);
    std::int64_t bound = kMaxInFlight + 64 * kMiB + 64 * kMiB;
#if FD_ADDRESS_SANITIZER
    // Shadow memory, redzones and the small quarantine about double it (measured: 134 MiB, 68 in a release build).
    bound *= 2;
#endif
    QVERIFY2(peakRss - idleRss < bound, qPrintable(grew));
}

QTEST_GUILESS_MAIN(TestReceiverLoad)
#include "tst_receiver_load.moc"

// The receiver's back-pressure (ReceiverLimits): over the in-flight budget, over the connection limit,
// a request that waited too long for the store, or a store locked by another writer, the answer is
// 503 with Retry-After at once, nothing of that request is stored, and everything acknowledged is.
#include "OtlpLoad.h"
#include "connectors/otlp/OtlpHttpHandler.h"
#include "connectors/otlp/OtlpReceiver.h"
#include "connectors/otlp/SerialWorker.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "rpc_status.pb.h"
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <future>
#include <thread>
#include <limits>
#include <mutex>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace fd;
using namespace std::chrono_literals;

namespace {

// Holds the store's write lock, as another writer (the GUI, `flightdeck import`) would.
class StoreLock
{
public:
    explicit StoreLock(const QString &path)
        : m_store(path)
    {
        execSql(m_store.handle(), "BEGIN IMMEDIATE");
    }
    ~StoreLock() { release(); }
    void release()
    {
        if (m_held)
            execSql(m_store.handle(), "ROLLBACK");
        m_held = false;
    }

private:
    Store m_store;
    bool m_held = true;
};

HttpReply post(std::uint16_t port, const std::string &path, const std::string &body,
    const std::string &contentType = "application/x-protobuf")
{
    HttpRequestSpec spec;
    spec.url = "http://127.0.0.1:" + std::to_string(port) + path;
    spec.body = body;
    spec.contentType = contentType;
    return HttpClient().post(spec, makeCancelToken());
}

// A TCP connection to the receiver on 127.0.0.1, or -1.
int connectLoopback(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A POST with a chunked body written by hand (HttpClient always sends Content-Length); returns the
// whole answer as text.
std::string postChunked(std::uint16_t port, const std::string &path, const std::string &body)
{
    const int fd = connectLoopback(port);
    if (fd < 0)
        return {};
    timeval timeout { 5, 0 };
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string request = "POST " + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
          "Transfer-Encoding: chunked\r\n\r\n";
    for (std::size_t at = 0; at < body.size(); at += 4096) {
        const std::string part = body.substr(at, 4096);
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        request += size + part + "\r\n";
    }
    request += "0\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return answer;
}

// An open connection that sends nothing.
class IdleConnection
{
public:
    explicit IdleConnection(std::uint16_t port)
        : m_fd(connectLoopback(port))
    {
    }
    ~IdleConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

private:
    int m_fd;
};

std::int64_t spanCount(const QString &path)
{
    return Store(path, Store::Mode::ReadOnly).counts().spans;
}

bool waitFor(const std::function<bool()> &condition, std::chrono::milliseconds limit = 5s)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

int rpcCode(const std::string &body)
{
    flightdeck::rpc::Status status;
    return status.ParseFromString(body) ? status.code() : -1;
}

HttpRequest logsRequest(int count, int seq = 0)
{
    return HttpRequest{"POST", "/v1/logs", "application/x-protobuf", "", false, fdtest::loadLogsBody(0, seq, count)};
}

// How many stored log bodies contain `text`, by the store's full-text search.
std::int64_t searchCount(const QString &path, const std::string &text)
{
    Query q;
    q.search = text;
    q.agg = parseAggregate("count");
    const Frame f = Store(path, Store::Mode::ReadOnly).query(q, {0, std::numeric_limits<TimeNs>::max()});
    return f.rowCount() == 1 ? cellToInt(f.cell(0, 0)) : -1;
}

std::int64_t unindexedLogs(const QString &path)
{
    return Store(path, Store::Mode::ReadOnly).unindexedLogs();
}

} // namespace

class TestReceiverLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void overBudgetIsRefusedBeforeReading();
    void storeLockedTooLong_data();
    void storeLockedTooLong();
    void waitedTooLongInQueue();
    void stoppingAnswersTheCommitUnderWay();
    void connectionLimit();
    void outOfDescriptorsRetriesWithoutSpinning();
    void tricklingBodyGivesBackItsShare();
    void concurrentClientsLoseNothingAcknowledged();
    void idleJobRunsBetweenJobs();
    void fullTextIndexWaitsForTheGaps();
    void fullTextStepNeverWaitsForAnotherWriter();
    void receiverIndexesWhileIdle();
    void receiverIndexesWhatItFindsAtStart();

private:
    // A store with its schema, and a receiver on it that has opened it (a warm-up request).
    QString newStore()
    {
        const QString path = m_dir.filePath(QStringLiteral("store%1.sqlite").arg(++m_stores));
        Store { path };
        return path;
    }
    static void warmUp(const OtlpReceiver &receiver)
    {
        QCOMPARE(post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(49, 0, 1)).status, 200);
    }

    QTemporaryDir m_dir;
    int m_stores = 0;
};

void TestReceiverLimits::overBudgetIsRefusedBeforeReading()
{
    const QString path = newStore();
    ReceiverLimits limits;
    limits.maxBytesInFlight = 64 * 1024;
    limits.storeBusyTimeout = 20s;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);
    warmUp(receiver);

    StoreLock lock(path);
    const std::string held = fdtest::loadSpansBody(0, 1, 300);
    const std::string refused = fdtest::loadSpansBody(0, 2, 400);
    QVERIFY(held.size() < limits.maxBytesInFlight && held.size() + refused.size() > limits.maxBytesInFlight);
    auto first = std::async(std::launch::async, [&] { return post(receiver.port(), "/v1/traces", held); });
    // Read whole and waiting for the locked store: its bytes stay reserved.
    QVERIFY(waitFor([&] { return receiver.stats().bytesInFlight.load() == static_cast<std::int64_t>(held.size()); }));

    QElapsedTimer timer;
    timer.start();
    const HttpReply busy = post(receiver.port(), "/v1/traces", refused);
    QCOMPARE(busy.status, 503);
    QCOMPARE(busy.header("Retry-After"), std::string("1"));
    QCOMPARE(busy.header("Content-Type"), std::string("application/x-protobuf"));
    QCOMPARE(rpcCode(busy.body), 14); // UNAVAILABLE
    QVERIFY2(timer.elapsed() < 2000, "refused at once, not after the store frees up");

    // Without Content-Length the bytes are reserved as they arrive: refused part-way.
    const std::string chunkedAnswer = postChunked(receiver.port(), "/v1/traces", refused);
    QVERIFY2(chunkedAnswer.rfind("HTTP/1.1 503", 0) == 0, chunkedAnswer.c_str());
    QVERIFY(chunkedAnswer.find("Retry-After: 1\r\n") != std::string::npos);

    const HttpReply marker = post(receiver.port(), "/api/markers", std::string(70 * 1024, ' '), "application/json");
    QCOMPARE(marker.status, 503);
    QCOMPARE(marker.header("Retry-After"), std::string("1"));
    QVERIFY(marker.body.find("the receiver is busy") != std::string::npos);

    QCOMPARE(receiver.stats().bytesInFlight.load(), static_cast<std::int64_t>(held.size()));
    lock.release();
    QCOMPARE(first.get().status, 200);
    QVERIFY(waitFor([&] { return receiver.stats().bytesInFlight.load() == 0; }));
    QVERIFY(receiver.stats().peakBytesInFlight.load() <= static_cast<std::int64_t>(limits.maxBytesInFlight));
    QCOMPARE(receiver.stats().throttled.load(), 3);
    receiver.stop();
    QCOMPARE(spanCount(path), 1 + 300);
    const fdtest::StoredLoad stored = fdtest::readStoredLoad(path);
    QCOMPARE(stored.spans.count({ 0, 2 }), std::size_t(0));
}

void TestReceiverLimits::storeLockedTooLong_data()
{
    QTest::addColumn<bool>("opened");
    QTest::newRow("store already open") << true;
    QTest::newRow("first request opens the store") << false; // opening waited SQLite's 10 s, not the limit
}

void TestReceiverLimits::storeLockedTooLong()
{
    QFETCH(bool, opened);
    const QString path = newStore();
    ReceiverLimits limits;
    limits.storeBusyTimeout = 300ms;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);
    if (opened)
        warmUp(receiver);
    {
        StoreLock lock(path);
        QElapsedTimer timer;
        timer.start();
        const HttpReply busy = post(receiver.port(), "/v1/logs", fdtest::loadLogsBody(0, 1, 50));
        QCOMPARE(busy.status, 503);
        QCOMPARE(busy.header("Retry-After"), std::string("5"));
        QCOMPARE(rpcCode(busy.body), 14);
        QVERIFY2(timer.elapsed() >= 300 && timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }
    QCOMPARE(Store(path, Store::Mode::ReadOnly).counts().logs, 0);
    QCOMPARE(post(receiver.port(), "/v1/logs", fdtest::loadLogsBody(0, 1, 50)).status, 200);
    QCOMPARE(Store(path, Store::Mode::ReadOnly).counts().logs, 50);
}

void TestReceiverLimits::waitedTooLongInQueue()
{
    const QString path = newStore();
    ReceiverLimits limits;
    limits.maxQueueWait = 300ms;
    limits.storeBusyTimeout = 20s;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);
    warmUp(receiver);

    StoreLock lock(path);
    const std::string firstBody = fdtest::loadSpansBody(0, 1, 10);
    auto first = std::async(std::launch::async, [&] { return post(receiver.port(), "/v1/traces", firstBody); });
    QVERIFY(waitFor([&] { return receiver.stats().bytesInFlight.load() > 0; }));
    auto second = std::async(
        std::launch::async, [&] { return post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 2, 10)); });
    QVERIFY(
        waitFor([&] { return receiver.stats().bytesInFlight.load() > static_cast<std::int64_t>(firstBody.size()); }));
    std::this_thread::sleep_for(600ms);
    lock.release();
    QCOMPARE(first.get().status, 200);
    const HttpReply late = second.get();
    QCOMPARE(late.status, 503);
    QCOMPARE(late.header("Retry-After"), std::string("1"));
    receiver.stop();
    const fdtest::StoredLoad stored = fdtest::readStoredLoad(path);
    QCOMPARE(stored.spans.at({ 0, 1 }), 10);
    QCOMPARE(stored.spans.count({ 0, 2 }), std::size_t(0));
}

// Found by an exploratory test: stopped (SIGTERM to `serve`) while a request was being committed, the receiver
// stored its records and closed the connection unanswered; the client, following OTLP's retry rules, sent them
// again. The commit under way is answered before the receiver stops.
void TestReceiverLimits::stoppingAnswersTheCommitUnderWay()
{
    const QString path = newStore();
    ReceiverLimits limits;
    limits.storeBusyTimeout = 20s;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);
    warmUp(receiver);

    StoreLock lock(path);
    auto sent = std::async(std::launch::async, [&] {
        try {
            return post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 1, 10)).status;
        } catch (const Error &) {
            return -1; // closed unanswered
        }
    });
    QVERIFY(waitFor([&] { return receiver.stats().bytesInFlight.load() > 0; }));
    std::this_thread::sleep_for(300ms); // on the store's worker, waiting for the lock
    auto stopped = std::async(std::launch::async, [&] { receiver.stop(); });
    std::this_thread::sleep_for(200ms);
    lock.release();
    stopped.get();
    // Stored and answered, or (on a machine so busy that the request was still queued when the receiver stopped)
    // neither: never stored unanswered
    const int status = sent.get();
    const fdtest::StoredLoad load = fdtest::readStoredLoad(path);
    const std::int64_t stored = load.spans.count({0, 1}) ? load.spans.at({0, 1}) : 0;
    QVERIFY2((status == 200 && stored == 10) || (status == -1 && stored == 0),
             qPrintable(QStringLiteral("answer %1, stored %2").arg(status).arg(stored)));
}

// Out of file descriptors, accepting fails at once for as long as a connection waits: the receiver tries
// again every 100 ms rather than at once, which took a core (fixed by reading, this test came later). Once
// descriptors are free, it serves again.
void TestReceiverLimits::outOfDescriptorsRetriesWithoutSpinning()
{
    const QString path = newStore();
    OtlpReceiver receiver(path);
    receiver.start("127.0.0.1", 0);
    warmUp(receiver);
    QTest::qWait(300); // the full-text step after the warm-up is done

    const int waiting = ::socket(AF_INET, SOCK_STREAM, 0); // its descriptor taken before they run out
    QVERIFY(waiting >= 0);
    rlimit before {};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &before) == 0);
    int highest = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/self/fd"))
        highest = std::max(highest, std::atoi(entry.path().filename().c_str()));
    rlimit lowered = before;
    lowered.rlim_cur = rlim_t(highest) + 16;
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    std::vector<int> taken;
    for (int fd; (fd = ::dup(waiting)) >= 0;)
        taken.push_back(fd);
    const int dupError = errno;

    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(receiver.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int connected = ::connect(waiting, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    rusage start {}, end {};
    ::getrusage(RUSAGE_SELF, &start);
    std::this_thread::sleep_for(1s); // the connection waits in the backlog; every accept fails with EMFILE
    ::getrusage(RUSAGE_SELF, &end);
    for (int fd : taken)
        ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &before);
    QCOMPARE(dupError, EMFILE);
    QCOMPARE(connected, 0);
    const auto cpuMs = [](const rusage &u) {
        return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1000;
    };
    const long used = cpuMs(end) - cpuMs(start);
    qInfo("CPU time of the process in the second without descriptors: %ld ms", used);
    QVERIFY2(used < 300, qPrintable(QString::number(used)));

    ::close(waiting);
    QCOMPARE(post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 1, 5)).status, 200);
}

void TestReceiverLimits::connectionLimit()
{
    const QString path = newStore();
    ReceiverLimits limits;
    limits.maxConnections = 2;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);
    auto one = std::make_unique<IdleConnection>(receiver.port());
    IdleConnection two(receiver.port());
    QVERIFY(waitFor([&] { return receiver.stats().connections.load() == 2; }));
    const HttpReply refused = post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 1, 5));
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("Retry-After"), std::string("1"));
    // A refusal holds a descriptor until its answer is written; past as many refusals as connections, a
    // connection is closed at once (1,000 idle ones ran the process out of descriptors, found by review).
    // The first refusal's slot is given back after its answer is written, which the client may see first.
    QVERIFY(waitFor([&] { return receiver.stats().refusing.load() == 0; }));
    IdleConnection waitingForRefusal1(receiver.port()), waitingForRefusal2(receiver.port());
    QVERIFY(waitFor([&] { return receiver.stats().refusing.load() == 2; }));
    const int extra = connectLoopback(receiver.port());
    QVERIFY(extra >= 0);
    timeval wait { 10, 0 }; // a request's header would have 30 s
    ::setsockopt(extra, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char byte = 0;
    const ssize_t got = ::recv(extra, &byte, 1, 0);
    const int error = errno;
    QVERIFY2(got == 0 || (got < 0 && error == ECONNRESET), // closed; EAGAIN: still open after 10 s
             qPrintable(QStringLiteral("recv returned %1: %2").arg(got).arg(QString::fromLocal8Bit(std::strerror(error)))));
    ::close(extra);
    one.reset();
    QVERIFY(waitFor([&] { return receiver.stats().connections.load() == 1; }));
    QCOMPARE(post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 2, 5)).status, 200);
    receiver.stop();
    const fdtest::StoredLoad stored = fdtest::readStoredLoad(path);
    QCOMPARE(stored.spans.count({ 0, 1 }), std::size_t(0));
    QCOMPARE(stored.spans.at({ 0, 2 }), 5);
}

// A client that declares 1 MiB and sends a byte every 100 ms never let a read wait 30 s, so it held its
// share of the in-flight budget for as long as it liked (found by review). The whole body now has
// bodyTimeout plus a second per MiB.
void TestReceiverLimits::tricklingBodyGivesBackItsShare()
{
    ReceiverLimits limits;
    limits.bodyTimeout = 1s;
    OtlpReceiver receiver(newStore(), limits);
    receiver.start("127.0.0.1", 0);
    const int fd = connectLoopback(receiver.port());
    QVERIFY(fd >= 0);
    const std::string header = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                               "Content-Length: 1048576\r\n\r\n";
    QCOMPARE(::send(fd, header.data(), header.size(), MSG_NOSIGNAL), ssize_t(header.size()));
    std::atomic<bool> done { false };
    std::thread trickle([&] {
        while (!done && ::send(fd, "x", 1, MSG_NOSIGNAL) == 1)
            std::this_thread::sleep_for(100ms);
    });
    QVERIFY(waitFor([&] { return receiver.stats().bytesInFlight.load() == 1'048'576; }));
    QElapsedTimer timer;
    timer.start();
    const bool released = waitFor([&] { return receiver.stats().bytesInFlight.load() == 0; }, 8s);
    done = true;
    trickle.join();
    ::close(fd);
    QVERIFY2(released, "the trickling request still holds its bytes after 8 s");
    qInfo("released after %lld ms (bodyTimeout 1 s + 1 s for its MiB)", timer.elapsed());
    QCOMPARE(post(receiver.port(), "/v1/traces", fdtest::loadSpansBody(0, 1, 5)).status, 200);
    receiver.stop();
}

// 20 clients against a small budget and a store that is locked for a moment at the start: some requests
// are refused and retried; in the end exactly the acknowledged requests are in the store, each whole.
void TestReceiverLimits::concurrentClientsLoseNothingAcknowledged()
{
    const QString path = newStore();
    ReceiverLimits limits;
    limits.maxBytesInFlight = 96 * 1024;
    OtlpReceiver receiver(path, limits);
    receiver.start("127.0.0.1", 0);

    fdtest::LoadPlan plan;
    plan.baseUrl = "http://127.0.0.1:" + std::to_string(receiver.port());
    plan.clients = 20;
    plan.requestsPerClient = 6;
    plan.recordsPerRequest = 200;
    plan.retryAfterScale = 0.1;
    auto lock = std::make_unique<StoreLock>(path);
    std::thread unlock([&lock] {
        std::this_thread::sleep_for(500ms);
        lock->release();
    });
    const fdtest::LoadResult load = fdtest::runLoad(plan);
    unlock.join();
    receiver.stop();

    QVERIFY2(load.otherStatus() == 0 && load.transportErrors() == 0, load.firstUnexpected().c_str());
    QVERIFY2(load.throttled() > 0, "the small budget must have refused some requests");
    QCOMPARE(load.withoutRetryAfter(), 0);
    QCOMPARE(receiver.stats().throttled.load(), load.throttled());
    const std::int64_t total = std::int64_t(plan.clients) * plan.requestsPerClient * plan.recordsPerRequest;
    QCOMPARE(load.ackedSpans() + load.ackedLogs(), total); // every request got through in the end
    const fdtest::StoredLoad stored = fdtest::readStoredLoad(path);
    const std::string diff = fdtest::compareStoredLoad(plan, load, stored);
    QVERIFY2(diff.empty(), diff.c_str());
    // The largest request is about 25 KB: the budget held, up to one request past it never happens.
    QVERIFY(receiver.stats().peakBytesInFlight.load() <= static_cast<std::int64_t>(limits.maxBytesInFlight));
}

void TestReceiverLimits::idleJobRunsBetweenJobs()
{
    std::mutex mutex;
    std::vector<std::string> ran;
    const auto note = [&](const char *what) {
        const std::lock_guard lock(mutex);
        ran.emplace_back(what);
    };
    const auto ranSoFar = [&] {
        const std::lock_guard lock(mutex);
        return ran;
    };
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    int steps = 0;
    SerialWorker worker;
    worker.setIdleJob([&] {
        note("idle");
        return ++steps < 3; // more to do twice
    });
    std::this_thread::sleep_for(20ms);
    QVERIFY(ranSoFar().empty()); // nothing before the first job
    worker.post([&, released] {
        released.wait();
        note("a");
    });
    worker.post([&] { note("b"); });
    release.set_value();
    const std::vector<std::string> expected = {"a", "b", "idle", "idle", "idle"};
    QVERIFY(waitFor([&] { return ranSoFar().size() >= expected.size(); }));
    std::this_thread::sleep_for(20ms); // the third step said it was done: no fourth
    QCOMPARE(ranSoFar(), expected);
    worker.post([&] { note("c"); });
    QVERIFY(waitFor([&] { return ranSoFar().size() == 7; }));
    QCOMPARE(ranSoFar().back(), std::string("idle"));
}

void TestReceiverLimits::fullTextIndexWaitsForTheGaps()
{
    const QString path = newStore();
    OtlpHttpHandler handler(path);
    QVERIFY(!handler.indexFullTextStep()); // no request yet, so no store opened
    QCOMPARE(handler.handle(logsRequest(12000)).status, 200);
    QCOMPARE(unindexedLogs(path), 12000); // acknowledged before it is indexed
    const std::string needle = fdtest::loadLogBody(0, 0, 11999);
    QCOMPARE(searchCount(path, needle), 1); // the rows after the index are scanned

    QVERIFY(handler.indexFullTextStep()); // a step of 10,000: more to do
    QCOMPARE(unindexedLogs(path), 2000);
    QVERIFY(!handler.indexFullTextStep());
    QCOMPARE(unindexedLogs(path), 0);
    QCOMPARE(searchCount(path, needle), 1);

    // Far behind (requests never leave a gap): each commit indexes twice what it wrote.
    handler.setFullTextLagLimit(100);
    QCOMPARE(handler.handle(logsRequest(300, 1)).status, 200);
    QCOMPARE(unindexedLogs(path), 0);
    QCOMPARE(searchCount(path, fdtest::loadLogBody(0, 1, 299)), 1);
}

void TestReceiverLimits::fullTextStepNeverWaitsForAnotherWriter()
{
    const QString path = newStore();
    OtlpHttpHandler handler(path);
    handler.setStoreBusyTimeout(10s);
    QCOMPARE(handler.handle(logsRequest(100)).status, 200);
    StoreLock lock(path);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!handler.indexFullTextStep());
    QVERIFY2(timer.elapsed() < 1000, QByteArray::number(timer.elapsed()).constData());
    lock.release();
    QVERIFY(!handler.indexFullTextStep()); // all 100 in one step
    QCOMPARE(unindexedLogs(path), 0);
}

void TestReceiverLimits::receiverIndexesWhileIdle()
{
    const QString path = newStore();
    OtlpReceiver receiver(path);
    receiver.start("127.0.0.1", 0);
    QCOMPARE(post(receiver.port(), "/v1/logs", fdtest::loadLogsBody(0, 0, 25000)).status, 200);
    QVERIFY(waitFor([&] { return unindexedLogs(path) == 0; }, 30s));
    QCOMPARE(Store(path, Store::Mode::ReadOnly).counts().logs, 25000);
    QCOMPARE(searchCount(path, fdtest::loadLogBody(0, 0, 24999)), 1);
}

// A store migrated to a new index, or one written without it (the demo), is indexed by the next receiver
// without waiting for a request; one that another writer holds is left to the first request.
void TestReceiverLimits::receiverIndexesWhatItFindsAtStart()
{
    const QString path = newStore();
    {
        OtlpReceiver receiver(path);
        receiver.start("127.0.0.1", 0);
        QCOMPARE(post(receiver.port(), "/v1/logs", fdtest::loadLogsBody(0, 0, 25000)).status, 200);
    }
    Store store(path);
    execSql(store.handle(), "INSERT INTO logs_fts(logs_fts) VALUES ('delete-all'); "
                            "UPDATE meta SET value = '0' WHERE key = 'fts_indexed_id'");
    QCOMPARE(unindexedLogs(path), 25000);
    {
        StoreLock lock(path);
        OtlpReceiver receiver(path);
        receiver.start("127.0.0.1", 0);
        std::this_thread::sleep_for(100ms);
    }
    QCOMPARE(unindexedLogs(path), 25000);
    OtlpReceiver receiver(path);
    receiver.start("127.0.0.1", 0);
    QVERIFY(waitFor([&] { return unindexedLogs(path) == 0; }, 30s));
    QCOMPARE(searchCount(path, fdtest::loadLogBody(0, 0, 24999)), 1);
}

QTEST_GUILESS_MAIN(TestReceiverLimits)
#include "tst_receiver_limits.moc"

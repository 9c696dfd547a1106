#pragma once
// Load for the OTLP receiver (tst_receiver_limits, tst_receiver_load, tst_crash, bench_receiver_load):
// client threads POST OTLP/protobuf span and log requests whose every record names its request, keep
// what was acknowledged (200), and the store is then read back to compare. Header-only; link fd_connectors.
//
// A record's request is (client, seq): a span's id is [client+1, seq (3 bytes), index (4 bytes)], a log
// record's body is "load c=<client> s=<seq> i=<index>".

#include "connectors/http/HttpClient.h"
#include "connectors/store/SqliteStatement.h"
#include "connectors/store/Store.h"
#include "logs_service.pb.h"
#include "trace_service.pb.h"

#include <QString>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fdtest {

enum class LoadSignal { Spans, Logs };

using RequestKey = std::pair<int, int>; // (client, seq)

inline std::int64_t loadNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline std::string loadSpanId(int client, int seq, int index)
{
    std::string id(8, '\0');
    id[0] = static_cast<char>(client + 1);
    for (int b = 0; b < 3; ++b)
        id[1 + b] = static_cast<char>((seq >> (8 * (2 - b))) & 0xff);
    for (int b = 0; b < 4; ++b)
        id[4 + b] = static_cast<char>((index >> (8 * (3 - b))) & 0xff);
    return id;
}

// The (client, seq) a stored span id (lowercase hex) belongs to; (-1, -1) for another span.
inline RequestKey loadRequestOfSpan(const std::string &hex)
{
    if (hex.size() != 16)
        return { -1, -1 };
    const auto byte = [&](int i) { return std::stoi(hex.substr(static_cast<std::size_t>(2 * i), 2), nullptr, 16); };
    return { byte(0) - 1, (byte(1) << 16) | (byte(2) << 8) | byte(3) };
}

inline std::string loadLogBody(int client, int seq, int index)
{
    return "load c=" + std::to_string(client) + " s=" + std::to_string(seq) + " i=" + std::to_string(index);
}

inline RequestKey loadRequestOfLog(const std::string &body)
{
    int client = -1, seq = -1, index = -1;
    if (std::sscanf(body.c_str(), "load c=%d s=%d i=%d", &client, &seq, &index) != 3)
        return { -1, -1 };
    return { client, seq };
}

inline void loadResource(opentelemetry::proto::resource::v1::Resource *resource, int client)
{
    auto *service = resource->add_attributes();
    service->set_key("service.name");
    service->mutable_value()->set_string_value("load-" + std::to_string(client % 5));
}

inline std::string loadSpansBody(int client, int seq, int count)
{
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
    auto *resourceSpans = request.add_resource_spans();
    loadResource(resourceSpans->mutable_resource(), client);
    auto *scope = resourceSpans->add_scope_spans();
    scope->mutable_scope()->set_name("load");
    const std::int64_t t0 = loadNowNs();
    for (int i = 0; i < count; ++i) {
        auto *span = scope->add_spans();
        std::string traceId = loadSpanId(client, seq, i / 8) + std::string(7, '\0') + '\x01';
        span->set_trace_id(traceId);
        span->set_span_id(loadSpanId(client, seq, i));
        if (i % 8)
            span->set_parent_span_id(loadSpanId(client, seq, i - i % 8));
        span->set_name(i % 8 ? "SELECT items" : "GET /api/items");
        span->set_kind(i % 8 ? opentelemetry::proto::trace::v1::Span::SPAN_KIND_CLIENT
                             : opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER);
        span->set_start_time_unix_nano(static_cast<std::uint64_t>(t0 + i * 1000));
        span->set_end_time_unix_nano(static_cast<std::uint64_t>(t0 + i * 1000 + 2'000'000));
        auto *method = span->add_attributes();
        method->set_key("http.request.method");
        method->mutable_value()->set_string_value("GET");
        auto *status = span->add_attributes();
        status->set_key("http.response.status_code");
        status->mutable_value()->set_int_value(200);
    }
    return request.SerializeAsString();
}

inline std::string loadLogsBody(int client, int seq, int count)
{
    opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
    auto *resourceLogs = request.add_resource_logs();
    loadResource(resourceLogs->mutable_resource(), client);
    auto *scope = resourceLogs->add_scope_logs();
    scope->mutable_scope()->set_name("load");
    const std::int64_t t0 = loadNowNs();
    for (int i = 0; i < count; ++i) {
        auto *record = scope->add_log_records();
        record->set_time_unix_nano(static_cast<std::uint64_t>(t0 + i));
        record->set_severity_number(opentelemetry::proto::logs::v1::SEVERITY_NUMBER_INFO);
        record->set_severity_text("INFO");
        record->mutable_body()->set_string_value(loadLogBody(client, seq, i));
        auto *user = record->add_attributes();
        user->set_key("user.id");
        user->mutable_value()->set_string_value("u" + std::to_string(i % 100));
    }
    return request.SerializeAsString();
}

struct LoadPlan {
    std::string baseUrl; // http://127.0.0.1:PORT
    int clients = 50;
    int firstClient = 0; // client ids are firstClient .. firstClient + clients - 1 (at most 254)
    int requestsPerClient = 20;
    int logRequestsPerSpanRequest = 2; // seq % (n + 1) == 0 is a span request, the others log requests
    int recordsPerRequest = 500;
    bool retryThrottled = true; // after Retry-After on 429/503
    double retryAfterScale = 1.0; // tests may wait less than Retry-After says
    std::atomic<bool> *stop = nullptr; // set: clients finish their current request and quit
    std::chrono::microseconds pace { 0 }; // a client starts request n no sooner than n * pace after its start
};

inline LoadSignal loadSignalOf(const LoadPlan &plan, int seq)
{
    return seq % (plan.logRequestsPerSpanRequest + 1) == 0 ? LoadSignal::Spans : LoadSignal::Logs;
}

// What one client saw. "Unsure" requests once got no answer (the connection failed after sending):
// stored or not (or twice, when a retry was acknowledged), either is right.
struct LoadClientResult {
    std::set<int> acked, unsure;
    std::int64_t ackedSpans = 0, ackedLogs = 0;
    std::int64_t throttled = 0, withoutRetryAfter = 0, otherStatus = 0, transportErrors = 0;
    std::int64_t bodyBytes = 0;
    std::string firstUnexpected;
};

inline LoadClientResult runLoadClient(const LoadPlan &plan, int client)
{
    LoadClientResult r;
    fd::HttpClient http;
    const auto start = std::chrono::steady_clock::now();
    for (int seq = 0; seq < plan.requestsPerClient; ++seq) {
        if (plan.stop && plan.stop->load())
            break;
        std::this_thread::sleep_until(start + seq * plan.pace);
        const LoadSignal signal = loadSignalOf(plan, seq);
        fd::HttpRequestSpec spec;
        spec.url = plan.baseUrl + (signal == LoadSignal::Spans ? "/v1/traces" : "/v1/logs");
        spec.contentType = "application/x-protobuf";
        spec.body = signal == LoadSignal::Spans ? loadSpansBody(client, seq, plan.recordsPerRequest)
                                                : loadLogsBody(client, seq, plan.recordsPerRequest);
        spec.options.totalTimeout = std::chrono::seconds(60);
        for (int attempt = 0;; ++attempt) {
            if (plan.stop && plan.stop->load() && attempt > 0)
                break;
            try {
                r.bodyBytes += static_cast<std::int64_t>(spec.body.size());
                const fd::HttpReply reply = http.post(spec, fd::makeCancelToken());
                if (reply.status == 200) {
                    r.acked.insert(seq);
                    (signal == LoadSignal::Spans ? r.ackedSpans : r.ackedLogs) += plan.recordsPerRequest;
                    break;
                }
                if (reply.status == 429 || reply.status == 503) {
                    ++r.throttled;
                    const std::string retryAfter = reply.header("Retry-After");
                    if (retryAfter.empty())
                        ++r.withoutRetryAfter;
                    if (!plan.retryThrottled)
                        break;
                    const int seconds = retryAfter.empty() ? 1 : std::clamp(std::atoi(retryAfter.c_str()), 0, 30);
                    std::this_thread::sleep_for(
                        std::chrono::milliseconds(static_cast<int>(seconds * 1000 * plan.retryAfterScale)));
                    continue;
                }
                ++r.otherStatus;
                if (r.firstUnexpected.empty())
                    r.firstUnexpected = std::to_string(reply.status) + " " + reply.body.substr(0, 300);
                break;
            } catch (const fd::HttpError &e) {
                ++r.transportErrors;
                if (r.firstUnexpected.empty())
                    r.firstUnexpected = e.what();
                r.unsure.insert(seq);
                if (attempt >= 3 || (plan.stop && plan.stop->load()))
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
        }
    }
    return r;
}

struct LoadResult {
    std::vector<LoadClientResult> clients;
    double seconds = 0;

    template <typename F> std::int64_t sum(F field) const
    {
        std::int64_t n = 0;
        for (const LoadClientResult &c : clients)
            n += field(c);
        return n;
    }
    std::int64_t ackedSpans() const
    {
        return sum([](const auto &c) { return c.ackedSpans; });
    }
    std::int64_t ackedLogs() const
    {
        return sum([](const auto &c) { return c.ackedLogs; });
    }
    std::int64_t throttled() const
    {
        return sum([](const auto &c) { return c.throttled; });
    }
    std::int64_t withoutRetryAfter() const
    {
        return sum([](const auto &c) { return c.withoutRetryAfter; });
    }
    std::int64_t otherStatus() const
    {
        return sum([](const auto &c) { return c.otherStatus; });
    }
    std::int64_t transportErrors() const
    {
        return sum([](const auto &c) { return c.transportErrors; });
    }
    std::int64_t bodyBytes() const
    {
        return sum([](const auto &c) { return c.bodyBytes; });
    }
    std::string firstUnexpected() const
    {
        for (const LoadClientResult &c : clients)
            if (!c.firstUnexpected.empty())
                return c.firstUnexpected;
        return {};
    }
};

inline LoadResult runLoad(const LoadPlan &plan)
{
    LoadResult result;
    result.clients.resize(static_cast<std::size_t>(plan.clients));
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < plan.clients; ++c)
        threads.emplace_back([&plan, &result, c] {
            result.clients[static_cast<std::size_t>(c)] = runLoadClient(plan, plan.firstClient + c);
        });
    for (std::thread &t : threads)
        t.join();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

// How many records of each load request the store holds, by (client, seq), spans and logs apart.
struct StoredLoad {
    std::map<RequestKey, std::int64_t> spans, logs;
    std::int64_t otherRows = 0;
};

inline StoredLoad readStoredLoad(const QString &storePath)
{
    fd::Store store(storePath, fd::Store::Mode::ReadOnly);
    StoredLoad out;
    fd::SqliteStatement spans(store.handle(), "SELECT span_id FROM spans");
    while (spans.step()) {
        const RequestKey key = loadRequestOfSpan(spans.text(0));
        key.first < 0 ? ++out.otherRows : ++out.spans[key];
    }
    fd::SqliteStatement logs(store.handle(), "SELECT body FROM logs");
    while (logs.step()) {
        const RequestKey key = loadRequestOfLog(logs.text(0));
        key.first < 0 ? ++out.otherRows : ++out.logs[key];
    }
    return out;
}

// Only the requests of clients first .. first + count - 1.
inline StoredLoad storedOfClients(const StoredLoad &all, int first, int count)
{
    StoredLoad out;
    for (const auto &[key, n] : all.spans)
        if (key.first >= first && key.first < first + count)
            out.spans[key] = n;
    for (const auto &[key, n] : all.logs)
        if (key.first >= first && key.first < first + count)
            out.logs[key] = n;
    return out;
}

// Every acknowledged request is in the store whole, and every stored one was acknowledged (or its
// answer was lost) and is whole; "" when so, else the first few differences.
inline std::string compareStoredLoad(const LoadPlan &plan, const LoadResult &load, const StoredLoad &stored)
{
    std::vector<std::string> problems;
    const auto note = [&](std::string p) {
        if (problems.size() < 5)
            problems.push_back(std::move(p));
    };
    const auto name
        = [](const RequestKey &k) { return "c=" + std::to_string(k.first) + " s=" + std::to_string(k.second); };
    for (int c = 0; c < static_cast<int>(load.clients.size()); ++c) {
        for (int seq : load.clients[static_cast<std::size_t>(c)].acked) {
            const auto &table = loadSignalOf(plan, seq) == LoadSignal::Spans ? stored.spans : stored.logs;
            const auto it = table.find({ plan.firstClient + c, seq });
            const std::int64_t have = it == table.end() ? 0 : it->second;
            const bool unsure = load.clients[static_cast<std::size_t>(c)].unsure.count(seq) > 0;
            if (unsure ? have < plan.recordsPerRequest : have != plan.recordsPerRequest)
                note("acknowledged request " + name({ plan.firstClient + c, seq }) + " has " + std::to_string(have)
                    + " of " + std::to_string(plan.recordsPerRequest) + " records in the store");
        }
    }
    for (const auto *table : { &stored.spans, &stored.logs }) {
        for (const auto &[key, count] : *table) {
            const int index = key.first - plan.firstClient;
            const bool known = index >= 0 && index < static_cast<int>(load.clients.size());
            const LoadClientResult *client = known ? &load.clients[static_cast<std::size_t>(index)] : nullptr;
            if (!client || (!client->acked.count(key.second) && !client->unsure.count(key.second)))
                note("request " + name(key) + " is in the store but was refused or never sent");
            else if (count % plan.recordsPerRequest != 0
                || (count > plan.recordsPerRequest && !client->unsure.count(key.second)))
                note("request " + name(key) + " is in the store with " + std::to_string(count) + " of "
                    + std::to_string(plan.recordsPerRequest) + " records (not all or nothing)");
        }
    }
    if (stored.otherRows)
        note(std::to_string(stored.otherRows) + " rows that no load request sent");
    std::string out;
    for (const std::string &p : problems)
        out += (out.empty() ? "" : "; ") + p;
    return out;
}

} // namespace fdtest

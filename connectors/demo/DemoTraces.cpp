#include "DemoTraces.h"
#include <algorithm>
#include <cmath>
#include <functional>

namespace fd::demo {

namespace {

constexpr int kInfo = 9;
constexpr int kWarn = 13;
constexpr int kError = 17;
constexpr double kLoginViewsPerTrace = 6.5; // a sampled trace for every few page views
constexpr double kLogShareOfGoodRequests = 0.25;

TimeNs ms(double millis)
{
    return static_cast<TimeNs>(millis * 1e6);
}

struct Outcome {
    TimeNs end = 0;
    int status = 200; // what the call answered; 5xx is a failure
    std::string error;
    std::string errorType;
    bool failed() const { return status >= 500; }
};

struct Dependency {
    const char *system;
    const char *address;
    int port;
};

constexpr Dependency kPostgres{"postgresql", "postgres.shop.internal", 5432};
constexpr Dependency kElasticsearch{"elasticsearch", "elasticsearch.shop.internal", 9200};

// Builds one trace span by span; calls nest through callbacks that do the callee's work.
class TraceBuilder
{
public:
    using Work = std::function<Outcome(int server, TimeNs start)>;

    TraceBuilder(const Plan &plan, Rng &rng) : m_plan(plan), m_rng(rng), m_traceId(rng.hex(32)) {}

    void build(TimeNs start);
    void emit(Sink &sink);

private:
    int open(int parent, Service s, std::string name, SpanKind kind, TimeNs start, Json attributes);
    void close(int index, const Outcome &outcome);
    Outcome done(TimeNs after, double ownMs, int status = 200);
    Outcome upstreamFailed(const Outcome &child, Service callee, TimeNs after);
    Outcome root(TimeNs start, const char *method, const char *route, const std::string &path, const Work &work);
    Outcome http(int parent, Service from, Service to, const char *method, const char *route, const std::string &path,
                 TimeNs start, const Work &work);
    Outcome database(int parent, Service s, const Dependency &db, const char *operation, const char *collection,
                     TimeNs start, double medianMs, double failure = 0, const char *failMessage = "");
    Outcome external(int parent, Service s, const char *host, const char *path, TimeNs start, double medianMs,
                     double failure, int failStatus, const char *failMessage, double failMs);

    Outcome stockLookup(int parent, Service from, TimeNs start);
    void productPage(TimeNs start);
    void searchPage(TimeNs start);
    void loginRequest(TimeNs start);
    void checkoutPage(TimeNs start);
    void placeOrder(TimeNs start);
    Outcome reserveStock(int parent, TimeNs start);
    Outcome chargePayment(int parent, TimeNs start);
    Outcome submitOrder(int server, TimeNs start, bool brokenRelease);

    void logServerSpan(const Span &span, Sink &sink);

    const Plan &m_plan;
    Rng &m_rng;
    std::string m_traceId;
    std::vector<Span> m_spans;
};

void TraceBuilder::build(TimeNs start)
{
    const double kind = m_rng.uniform();
    if (kind < 0.30)
        searchPage(start);
    else if (kind < 0.50)
        productPage(start);
    else if (kind < 0.70)
        loginRequest(start);
    else if (kind < 0.85)
        checkoutPage(start);
    else
        placeOrder(start);
}

int TraceBuilder::open(int parent, Service s, std::string name, SpanKind kind, TimeNs start, Json attributes)
{
    Span span;
    span.traceId = m_traceId;
    span.spanId = m_rng.hex(16);
    if (parent >= 0)
        span.parentSpanId = m_spans[static_cast<std::size_t>(parent)].spanId;
    span.service = serviceName(s);
    span.name = std::move(name);
    span.kind = static_cast<int>(kind);
    span.start = start;
    span.attributes = std::move(attributes);
    const int host = static_cast<int>(m_rng.uniformInt(1, hostCount(s) + 1));
    span.resource = m_plan.resource(s, start, host);
    m_spans.push_back(std::move(span));
    return static_cast<int>(m_spans.size()) - 1;
}

void TraceBuilder::close(int index, const Outcome &outcome)
{
    Span &span = m_spans[static_cast<std::size_t>(index)];
    span.end = std::max(outcome.end, span.start + 1000);
    if (span.attributes.contains("http.request.method"))
        span.attributes["http.response.status_code"] = outcome.status;
    if (!outcome.failed())
        return;
    span.statusCode = static_cast<int>(StatusCode::Error);
    span.statusMessage = outcome.error;
    span.attributes["error.type"] = outcome.errorType.empty() ? std::to_string(outcome.status) : outcome.errorType;
    if (span.kind == static_cast<int>(SpanKind::Server) && !outcome.errorType.empty())
        span.events.push_back({span.end - 1000, "exception",
                               Json{{"exception.type", outcome.errorType}, {"exception.message", outcome.error}}});
}

Outcome TraceBuilder::done(TimeNs after, double ownMs, int status)
{
    return {after + ms(m_rng.logNormal(ownMs, 0.5)), status, {}, {}};
}

Outcome TraceBuilder::upstreamFailed(const Outcome &child, Service callee, TimeNs after)
{
    Outcome o = done(after, 0.5, 502);
    o.error = std::string("upstream ") + serviceName(callee) + " failed: " + child.error;
    return o;
}

Outcome TraceBuilder::root(TimeNs start, const char *method, const char *route, const std::string &path,
                           const Work &work)
{
    const int server = open(-1, Frontend, std::string(method) + ' ' + route, SpanKind::Server, start,
                            Json{{"http.request.method", method},
                                 {"http.route", route},
                                 {"url.path", path},
                                 {"url.scheme", "https"},
                                 {"server.address", "shop.example.com"},
                                 {"server.port", 443}});
    const Outcome outcome = work(server, start + ms(m_rng.logNormal(1.5, 0.5)));
    close(server, outcome);
    return outcome;
}

Outcome TraceBuilder::http(int parent, Service from, Service to, const char *method, const char *route,
                           const std::string &path, TimeNs start, const Work &work)
{
    const std::string name = std::string(method) + ' ' + route;
    const std::string callee = serviceName(to);
    const int client = open(parent, from, name, SpanKind::Client, start,
                            Json{{"http.request.method", method},
                                 {"server.address", callee},
                                 {"server.port", 8080},
                                 {"url.full", "http://" + callee + ":8080" + path}});
    const TimeNs serverStart = start + ms(m_rng.logNormal(0.4, 0.4));
    const int server = open(client, to, name, SpanKind::Server, serverStart,
                            Json{{"http.request.method", method},
                                 {"http.route", route},
                                 {"url.path", path},
                                 {"url.scheme", "http"},
                                 {"server.address", callee},
                                 {"server.port", 8080}});
    Outcome outcome = work(server, serverStart + ms(m_rng.logNormal(0.3, 0.5)));
    close(server, outcome);
    outcome.end += ms(m_rng.logNormal(0.4, 0.4));
    close(client, outcome);
    return outcome;
}

Outcome TraceBuilder::database(int parent, Service s, const Dependency &db, const char *operation,
                               const char *collection, TimeNs start, double medianMs, double failure,
                               const char *failMessage)
{
    const int span = open(parent, s, std::string(operation) + " shop." + collection, SpanKind::Client, start,
                          Json{{"db.system.name", db.system},
                               {"db.system", db.system}, // the older name, still emitted by many instrumentations
                               {"db.namespace", "shop"},
                               {"db.operation.name", operation},
                               {"db.collection.name", collection},
                               {"server.address", db.address},
                               {"server.port", db.port}});
    // One query in a hundred waits on a lock or a cold cache.
    const double tail = m_rng.chance(0.01) ? m_rng.uniform(8, 40) : 1.0;
    Outcome outcome = done(start, medianMs * tail);
    if (m_rng.chance(failure)) {
        outcome.status = 500;
        outcome.error = failMessage;
        outcome.errorType = std::string(db.system) + "_error";
    }
    close(span, outcome);
    return outcome;
}

Outcome TraceBuilder::external(int parent, Service s, const char *host, const char *path, TimeNs start,
                               double medianMs, double failure, int failStatus, const char *failMessage,
                               double failMs)
{
    const int span = open(parent, s, std::string("POST ") + path, SpanKind::Client, start,
                          Json{{"http.request.method", "POST"},
                               {"server.address", host},
                               {"server.port", 443},
                               {"url.full", std::string("https://") + host + path}});
    Outcome outcome = done(start, medianMs);
    if (m_rng.chance(failure)) {
        outcome = {start + ms(m_rng.logNormal(failMs, 0.05)), failStatus, failMessage, {}};
    }
    close(span, outcome);
    return outcome;
}

Outcome TraceBuilder::stockLookup(int parent, Service from, TimeNs start)
{
    const std::string path = "/stock/SKU-" + std::to_string(m_rng.uniformInt(1000, 10000));
    return http(parent, from, Inventory, "GET", "/stock/{sku}", path, start, [this](int server, TimeNs t) {
        const Outcome q = database(server, Inventory, kPostgres, "SELECT", "stock", t, 3, 0.005,
                                   "canceling statement due to statement timeout");
        if (q.failed())
            return Outcome{q.end + ms(0.5), 500, "stock query failed: " + q.error, "QueryError"};
        return done(q.end, 1.5);
    });
}

void TraceBuilder::productPage(TimeNs start)
{
    const std::string id = std::to_string(m_rng.uniformInt(100, 5000));
    root(start, "GET", "/products/{id}", "/products/" + id, [this, &id](int server, TimeNs t) {
        const Outcome o = http(server, Frontend, Inventory, "GET", "/products/{id}", "/products/" + id, t,
                               [this](int, TimeNs t2) {
                                   if (m_rng.chance(0.005))
                                       return Outcome{t2 + ms(m_rng.logNormal(900, 0.3)), 500,
                                                      "product cache unavailable: connection refused", "CacheError"};
                                   return done(t2, 3);
                               });
        return o.failed() ? upstreamFailed(o, Inventory, o.end) : done(o.end, 6);
    });
}

void TraceBuilder::searchPage(TimeNs start)
{
    root(start, "GET", "/search", "/search", [this](int server, TimeNs t) {
        const Outcome o = http(server, Frontend, Search, "GET", "/search", "/search", t, [this](int s, TimeNs t2) {
            const Outcome q = database(s, Search, kElasticsearch, "search", "products", t2, 25, 0.02,
                                       "search_phase_execution_exception: all shards failed");
            if (q.failed())
                return Outcome{q.end + ms(1), 503, "search backend unavailable: " + q.error, "SearchBackendError"};
            if (!m_rng.chance(0.4))
                return done(q.end, 4);
            const Outcome stock = stockLookup(s, Search, q.end + ms(0.5));
            return done(stock.end, 4); // availability is optional: a failed lookup still answers
        });
        return o.failed() ? upstreamFailed(o, Search, o.end) : done(o.end, 5);
    });
}

void TraceBuilder::loginRequest(TimeNs start)
{
    root(start, "POST", "/login", "/login", [this, start](int server, TimeNs t) {
        const Outcome o = http(server, Frontend, Auth, "POST", "/login", "/login", t, [this, start](int s, TimeNs t2) {
            const Outcome user = database(s, Auth, kPostgres, "SELECT", "users", t2, 2.5);
            const double failure = m_plan.authBroken(start) ? 0.47 : 0.005;
            const Outcome token = external(s, Auth, "tokens.shop.internal", "/v1/tokens", user.end + ms(0.3), 12,
                                           failure, 503, "503 Service Unavailable", 25);
            if (token.failed())
                return Outcome{token.end + ms(0.5), 503, "login failed: token service unavailable",
                               "TokenServiceUnavailable"};
            return done(token.end, 6);
        });
        return o.failed() ? upstreamFailed(o, Auth, o.end) : done(o.end, 4);
    });
}

void TraceBuilder::checkoutPage(TimeNs start)
{
    root(start, "GET", "/checkout", "/checkout", [this, start](int server, TimeNs t) {
        const Outcome o = http(server, Frontend, Checkout, "GET", "/cart", "/cart", t, [this, start](int s, TimeNs t2) {
            const Outcome stock = stockLookup(s, Checkout, t2 + ms(0.5));
            if (m_plan.checkoutBroken(start) && m_rng.chance(0.25))
                return Outcome{stock.end + ms(1), 500, "failed to serialize cart: unknown field \"loyalty_points\"",
                               "SerializationError"};
            return done(stock.end, 5);
        });
        return o.failed() ? upstreamFailed(o, Checkout, o.end) : done(o.end, 8);
    });
}

Outcome TraceBuilder::reserveStock(int parent, TimeNs start)
{
    return http(parent, Checkout, Inventory, "POST", "/reservations", "/reservations", start, [this](int s, TimeNs t) {
        const Outcome q = database(s, Inventory, kPostgres, "UPDATE", "stock", t, 5, 0.01, "deadlock detected");
        if (q.failed())
            return Outcome{q.end + ms(0.5), 500, "reservation failed: " + q.error, "QueryError"};
        return done(q.end, 2, 201);
    });
}

Outcome TraceBuilder::chargePayment(int parent, TimeNs start)
{
    return http(parent, Checkout, Payments, "POST", "/payments", "/payments", start, [this](int s, TimeNs t) {
        const Outcome charge = external(s, Payments, "api.payments-provider.example", "/v1/charges", t, 180, 0.03,
                                        504, "upstream timeout", 3000);
        if (charge.failed())
            return Outcome{charge.end + ms(0.5), 504, "payment provider: upstream timeout", "timeout"};
        return done(charge.end, 4, 201);
    });
}

Outcome TraceBuilder::submitOrder(int server, TimeNs t, bool brokenRelease)
{
    const Outcome reserved = reserveStock(server, t);
    if (reserved.failed())
        return Outcome{reserved.end + ms(1), 500, "inventory reservation failed: " + reserved.error,
                       "ReservationError"};
    if (brokenRelease && m_rng.chance(0.4))
        return Outcome{reserved.end + ms(2), 500, "failed to serialize order: unknown field \"loyalty_points\"",
                       "SerializationError"};
    const Outcome paid = chargePayment(server, reserved.end + ms(0.5));
    if (paid.failed())
        return Outcome{paid.end + ms(1), 502, "payment authorization failed: upstream timeout", "timeout"};
    const Outcome stored = database(server, Checkout, kPostgres, "INSERT", "orders", paid.end + ms(0.3), 6);
    return done(stored.end, 6, 201);
}

void TraceBuilder::placeOrder(TimeNs start)
{
    const bool brokenRelease = m_plan.checkoutBroken(start);
    root(start, "GET", "/checkout", "/checkout", [this, brokenRelease](int server, TimeNs t) {
        const Outcome o = http(server, Frontend, Checkout, "POST", "/orders", "/orders", t,
                               [this, brokenRelease](int s, TimeNs t2) { return submitOrder(s, t2, brokenRelease); });
        return o.failed() ? upstreamFailed(o, Checkout, o.end) : done(o.end, 8);
    });
}

void TraceBuilder::logServerSpan(const Span &span, Sink &sink)
{
    const Json &attrs = span.attributes;
    const int status = attrs.value("http.response.status_code", 0);
    const long durationMs = std::lround(static_cast<double>(span.duration()) / 1e6);
    LogRecord record;
    if (span.statusCode == static_cast<int>(StatusCode::Error)) {
        record.severity = kError;
        record.body = span.statusMessage;
    } else if (durationMs > 1000) {
        record.severity = kWarn;
        record.body = "slow request: " + span.name + ' ' + std::to_string(status) + " took " +
                      std::to_string(durationMs) + " ms";
    } else if (m_rng.chance(kLogShareOfGoodRequests)) {
        record.severity = kInfo;
        record.body = span.name + ' ' + std::to_string(status) + " in " + std::to_string(durationMs) + " ms";
    } else {
        return;
    }
    record.time = record.observedTime = span.end;
    record.severityText = severityName(record.severity);
    record.service = span.service;
    record.traceId = span.traceId;
    record.spanId = span.spanId;
    record.attributes = Json{{"http.request.method", attrs.at("http.request.method")},
                             {"http.route", attrs.at("http.route")},
                             {"url.path", attrs.at("url.path")},
                             {"http.response.status_code", status}};
    if (attrs.contains("error.type"))
        record.attributes["error.type"] = attrs.at("error.type");
    record.resource = span.resource;
    sink.add(std::move(record));
}

void TraceBuilder::emit(Sink &sink)
{
    for (const Span &span : m_spans) {
        if (span.kind == static_cast<int>(SpanKind::Server))
            logServerSpan(span, sink);
    }
    for (Span &span : m_spans)
        sink.add(std::move(span));
    m_spans.clear();
}

} // namespace

void writeTraces(const Plan &plan, Rng &rng, Sink &sink)
{
    for (TimeNs bucket = alignDown(plan.start(), kBucket); bucket < plan.end(); bucket += kBucket) {
        const auto count = rng.poisson(loginViewsPer5m(bucket + kBucket / 2) / kLoginViewsPerTrace);
        for (std::int64_t i = 0; i < count; ++i) {
            const TimeNs start = bucket + rng.uniformInt(0, kBucket);
            if (start < plan.start() || start >= plan.end() - 10 * kSecond)
                continue;
            TraceBuilder trace(plan, rng);
            trace.build(start);
            trace.emit(sink);
        }
    }
}

} // namespace fd::demo

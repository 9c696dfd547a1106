#include "DemoDataset.h"
#include "DemoPlan.h"
#include "DemoRandom.h"
#include "DemoSink.h"
#include "DemoTraces.h"
#include "connectors/store/Store.h"
#include <algorithm>
#include <vector>

namespace fd {

namespace {

using namespace demo;

constexpr int kInfo = 9;
constexpr int kWarn = 13;
constexpr int kError = 17;
constexpr double kBrokenLoginSuccess = 0.33;

TimeNs randomTimeIn(TimeNs bucket, Rng &rng)
{
    return bucket + rng.uniformInt(0, kBucket);
}

int randomHost(Service s, Rng &rng)
{
    return static_cast<int>(rng.uniformInt(1, hostCount(s) + 1));
}

std::string randomUserId(Rng &rng)
{
    return "u-" + std::to_string(rng.uniformInt(10000, 100000));
}

// Share of login page views followed by a dashboard view while login works: 70 % at night, 74 % by day.
double normalLoginSuccess(TimeNs t)
{
    return 0.70 + 0.04 * dailyShape(t);
}

// Decides which login visits reach the dashboard. Error diffusion with a jittered threshold keeps each
// bucket's count within a visit or two of its expectation: steadier than coin flips, so that the drop
// after the bad auth deploy stands far outside the band even at the quietest hour.
class LoginFunnel
{
public:
    bool converts(double p, Rng &rng)
    {
        m_credit += p;
        if (m_credit < m_threshold)
            return false;
        m_credit -= 1.0;
        m_threshold = rng.uniform(0.7, 1.3);
        return true;
    }

private:
    double m_credit = 0;
    double m_threshold = 1.0;
};

// One visit of the login page: the view, then the dashboard, a failed login, or nothing (the visitor left).
void writeLoginVisit(const Plan &plan, Rng &rng, LoginFunnel &funnel, Sink &sink, TimeNs t)
{
    const std::string session = rng.hex(16);
    sink.add(makeLog(plan, Frontend, t, kInfo, "GET /login 200",
                     Json{{"event.name", "login_page_view"},
                          {"http.request.method", "GET"},
                          {"url.path", "/login"},
                          {"http.response.status_code", 200},
                          {"session.id", session}},
                     randomHost(Frontend, rng)));
    const double normal = normalLoginSuccess(t);
    const bool broken = plan.authBroken(t);
    const bool success = funnel.converts(broken ? kBrokenLoginSuccess : normal, rng);
    const TimeNs after = t + static_cast<TimeNs>(std::min(rng.logNormal(5.0, 0.5), 60.0) * kSecond);
    if (after >= plan.end())
        return;
    if (success) {
        sink.add(makeLog(plan, Frontend, after, kInfo, "GET /dashboard 200",
                         Json{{"event.name", "dashboard_view"},
                              {"http.request.method", "GET"},
                              {"url.path", "/dashboard"},
                              {"http.response.status_code", 200},
                              {"user.id", randomUserId(rng)},
                              {"session.id", session}},
                         randomHost(Frontend, rng)));
    } else if (broken && rng.chance((normal - kBrokenLoginSuccess) / (1.0 - kBrokenLoginSuccess))) {
        sink.add(makeLog(plan, Auth, after - kSecond, kError, "login failed: token service unavailable",
                         Json{{"http.request.method", "POST"},
                              {"url.path", "/login"},
                              {"http.response.status_code", 503},
                              {"error.type", "TokenServiceUnavailable"},
                              {"session.id", session}},
                         randomHost(Auth, rng)));
    } else if (rng.chance(0.15)) {
        sink.add(makeLog(plan, Auth, after - kSecond, kWarn, "login failed: invalid credentials",
                         Json{{"http.request.method", "POST"},
                              {"url.path", "/login"},
                              {"http.response.status_code", 401},
                              {"error.type", "InvalidCredentials"},
                              {"session.id", session}},
                         randomHost(Auth, rng)));
    }
}

void writeLoginFlow(const Plan &plan, Rng &rng, Sink &sink)
{
    LoginFunnel funnel;
    for (TimeNs bucket = alignDown(plan.start(), kBucket); bucket < plan.end(); bucket += kBucket) {
        const auto views = rng.poisson(loginViewsPer5m(bucket + kBucket / 2));
        std::vector<TimeNs> times;
        for (std::int64_t i = 0; i < views; ++i)
            times.push_back(randomTimeIn(bucket, rng));
        std::sort(times.begin(), times.end()); // the funnel must see the deploy's switch in time order
        for (const TimeNs t : times) {
            if (t >= plan.start() && t < plan.end())
                writeLoginVisit(plan, rng, funnel, sink, t);
        }
    }
}

void writeSignUp(const Plan &plan, Rng &rng, Sink &sink, TimeNs t, std::int64_t userNumber)
{
    sink.add(makeLog(plan, Auth, t, kInfo, "POST /signup 201",
                     Json{{"event.name", "sign_up"},
                          {"http.request.method", "POST"},
                          {"url.path", "/signup"},
                          {"http.response.status_code", 201},
                          {"user.id", "u-" + std::to_string(userNumber)},
                          {"session.id", rng.hex(16)}},
                     randomHost(Auth, rng)));
}

void writeSubscription(const Plan &plan, Rng &rng, Sink &sink, TimeNs t)
{
    static constexpr const char *plans[] = {"basic", "basic", "pro", "pro", "team"};
    sink.add(makeLog(plan, Frontend, t, kInfo, "POST /subscription 201",
                     Json{{"event.name", "subscription_started"},
                          {"http.request.method", "POST"},
                          {"url.path", "/subscription"},
                          {"http.response.status_code", 201},
                          {"user.id", randomUserId(rng)},
                          {"subscription.plan", rng.pick(plans)}},
                     randomHost(Frontend, rng)));
}

void writeSignUps(const Plan &plan, Rng &rng, Sink &sink)
{
    std::int64_t nextUser = 100000;
    for (TimeNs bucket = alignDown(plan.start(), kBucket); bucket < plan.end(); bucket += kBucket) {
        const TimeNs middle = bucket + kBucket / 2;
        const double load = dailyShape(middle);
        const auto signUps = rng.poisson((3.0 + 12.0 * load) * weekFactor(middle));
        const auto subscriptions = rng.poisson((0.3 + 1.5 * load) * weekFactor(middle));
        for (std::int64_t i = 0; i < signUps + subscriptions; ++i) {
            const TimeNs t = randomTimeIn(bucket, rng);
            if (t < plan.start() || t >= plan.end())
                continue;
            if (i < signUps)
                writeSignUp(plan, rng, sink, t, nextUser++);
            else
                writeSubscription(plan, rng, sink, t);
        }
    }
}

struct CheckoutProblem {
    int severity;
    const char *body;
    const char *errorType; // "" for none
    int status;
};

constexpr CheckoutProblem kCheckoutProblems[] = {
    {kError, "payment authorization failed: upstream timeout", "timeout", 502},
    {kError, "payment authorization failed: upstream timeout", "timeout", 502},
    {kError, "order submission failed: database connection reset", "ConnectionResetError", 500},
    {kError, "inventory reservation failed: deadlock detected", "ReservationError", 500},
    {kError, "payment declined: card issuer unavailable", "IssuerUnavailable", 502},
};

constexpr CheckoutProblem kCheckoutWarnings[] = {
    {kWarn, "retrying payment authorization (attempt 2 of 3)", "timeout", 201},
    {kWarn, "cart total mismatch, recalculated", "", 201},
    {kWarn, "coupon service slow, order placed without discount", "", 201},
};

constexpr CheckoutProblem kBadReleaseError = {
    kError, "failed to serialize order: unknown field \"loyalty_points\"", "SerializationError", 500};

void writeCheckoutProblem(const Plan &plan, Rng &rng, Sink &sink, TimeNs t, const CheckoutProblem &p)
{
    Json attributes{{"http.request.method", "POST"},
                    {"url.path", "/orders"},
                    {"http.response.status_code", p.status}};
    if (*p.errorType)
        attributes["error.type"] = p.errorType;
    sink.add(makeLog(plan, Checkout, t, p.severity, p.body, std::move(attributes), randomHost(Checkout, rng)));
}

// Checkout's own error lines at a low base rate, and ten times as many while 3.8.0 was live.
void writeCheckoutErrors(const Plan &plan, Rng &rng, Sink &sink)
{
    for (TimeNs bucket = alignDown(plan.start(), kBucket); bucket < plan.end(); bucket += kBucket) {
        const TimeNs middle = bucket + kBucket / 2;
        const double base = (0.4 + 1.4 * dailyShape(middle)) * weekFactor(middle);
        const auto errors = rng.poisson(base);
        const auto warnings = rng.poisson(0.5 * base);
        // About ten times the daytime peak whatever the hour, so the bad release stands out at night too.
        const auto releaseErrors = rng.poisson(12.0 * std::max(base, 1.8));
        for (std::int64_t i = 0; i < errors + warnings + releaseErrors; ++i) {
            const TimeNs t = randomTimeIn(bucket, rng);
            if (t < plan.start() || t >= plan.end())
                continue;
            if (i < errors)
                writeCheckoutProblem(plan, rng, sink, t, rng.pick(kCheckoutProblems));
            else if (i < errors + warnings)
                writeCheckoutProblem(plan, rng, sink, t, rng.pick(kCheckoutWarnings));
            else if (plan.checkoutBroken(t))
                writeCheckoutProblem(plan, rng, sink, t, kBadReleaseError);
        }
    }
}

struct ServiceTraffic {
    double requestsPerLoginView; // per minute, relative to login page views per minute
    double errorShare;
    double p95Ms;
};

constexpr ServiceTraffic kTraffic[kServiceCount] = {
    {12.0, 0.004, 320}, // frontend
    {2.5, 0.002, 120},  // auth
    {3.0, 0.004, 450},  // checkout
    {0.8, 0.012, 380},  // payments
    {6.0, 0.002, 35},   // inventory
    {5.0, 0.006, 140},  // search
};

MetricPoint metricPoint(const Plan &plan, Service s, TimeNs time, const char *name, const char *unit)
{
    MetricPoint p;
    p.time = time;
    p.name = name;
    p.unit = unit;
    p.service = serviceName(s);
    p.resource = plan.resource(s, time - 1, 0);
    return p;
}

void writeRequestCount(const Plan &plan, Sink &sink, Service s, TimeNs time, const char *statusClass,
                       std::int64_t count)
{
    MetricPoint p = metricPoint(plan, s, time, "http.server.request.count", "{request}");
    p.startTime = time - kMinute;
    p.type = static_cast<int>(MetricType::Sum);
    p.monotonic = true;
    p.temporality = 1;
    p.value = static_cast<double>(count);
    p.attributes = Json{{"http.response.status_code", statusClass}};
    sink.add(std::move(p));
}

void writeServiceMinute(const Plan &plan, Rng &rng, Sink &sink, Service s, TimeNs time)
{
    const TimeNs middle = time - kMinute / 2;
    const ServiceTraffic &traffic = kTraffic[s];
    double errorShare = traffic.errorShare;
    double latency = traffic.p95Ms * (1.0 + 0.25 * dailyShape(middle));
    if (s == Auth && plan.authBroken(middle)) {
        errorShare = 0.35;
        latency *= 1.8;
    } else if (s == Checkout && plan.checkoutBroken(middle)) {
        errorShare = 0.3;
        latency *= 1.4;
    }
    const auto total = rng.poisson(loginViewsPer5m(middle) / 5.0 * traffic.requestsPerLoginView);
    const auto errors = std::min(total, rng.poisson(static_cast<double>(total) * errorShare));
    writeRequestCount(plan, sink, s, time, "2xx", total - errors);
    if (errors > 0) // a delta sum may leave out a series with nothing to report
        writeRequestCount(plan, sink, s, time, "5xx", errors);

    MetricPoint p95 = metricPoint(plan, s, time, "http.server.request.duration.p95", "ms");
    p95.type = static_cast<int>(MetricType::Gauge);
    p95.value = std::round(rng.logNormal(latency, 0.08) * 10.0) / 10.0;
    sink.add(std::move(p95));
}

void writeMetrics(const Plan &plan, Rng &rng, Sink &sink)
{
    for (TimeNs time = alignDown(plan.start(), kMinute) + kMinute; time <= plan.end(); time += kMinute) {
        for (int i = 0; i < kServiceCount; ++i)
            writeServiceMinute(plan, rng, sink, static_cast<Service>(i), time);
    }
}

} // namespace

DemoSummary writeDemo(Store &store, const DemoOptions &options, const CancelTokenPtr &cancel)
{
    const TimeNs end = options.end != 0 ? options.end : nowNs();
    const int days = std::clamp(options.days, 1, 90);
    const Plan plan(end - days * kDay, end, options.seed);
    throwIfCancelled(cancel);
    store.clear();
    const std::size_t markers = store.insertMarkers(plan.markers());

    Sink sink(store, cancel);
    Rng loginRng(options.seed, "login");
    writeLoginFlow(plan, loginRng, sink);
    Rng signUpRng(options.seed, "sign-ups");
    writeSignUps(plan, signUpRng, sink);
    Rng checkoutRng(options.seed, "checkout-errors");
    writeCheckoutErrors(plan, checkoutRng, sink);
    Rng traceRng(options.seed, "traces");
    writeTraces(plan, traceRng, sink);
    Rng metricRng(options.seed, "metrics");
    writeMetrics(plan, metricRng, sink);
    sink.finish();

    DemoSummary summary = sink.summary();
    summary.markers = static_cast<std::int64_t>(markers);
    return summary;
}

} // namespace fd

#include "DemoPlan.h"
#include "DemoRandom.h"
#include <algorithm>
#include <cmath>
#include <iterator>

namespace fd::demo {

namespace {

constexpr const char *kServiceNames[kServiceCount] = {"frontend",  "auth",     "checkout",
                                                      "payments", "inventory", "search"};
constexpr int kHostCounts[kServiceCount] = {3, 2, 2, 2, 2, 2};
constexpr double kDeploysPerWeekday[kServiceCount] = {1.3, 0.9, 1.0, 0.5, 0.6, 0.9};
constexpr double kDeploysPerWeekendDay = 0.12;
// No unscripted change lands in the last hours, so the bad auth deploy stands alone before the drop.
constexpr DurationNs kQuietBeforeEnd = 3 * kHour;

struct Version {
    int major = 0, minor = 0, patch = 0;
    std::string text() const
    {
        return std::to_string(major) + '.' + std::to_string(minor) + '.' + std::to_string(patch);
    }
};

// auth and checkout start one minor below the scripted bad versions 2.14.0 and 3.8.0.
constexpr Version kInitialVersions[kServiceCount] = {{5, 2, 0}, {2, 13, 0}, {3, 7, 0},
                                                    {1, 9, 0}, {4, 1, 0},  {1, 22, 0}};

enum class DeployKind { Patch, Minor, Rollback };

struct PlannedDeploy {
    TimeNs time = 0;
    Service service = Frontend;
    DeployKind kind = DeployKind::Patch;
};

struct Build {
    Version version;
    std::string commit;
    TimeNs commitTime = 0;
};

struct Flag {
    const char *name;
    Service service;
};

constexpr Flag kRandomFlags[] = {{"recommendations-v2", Frontend}, {"one-click-checkout", Checkout},
                                 {"passwordless-login", Auth},     {"express-shipping", Checkout},
                                 {"dark-mode", Frontend}};

struct ConfigChange {
    Service service;
    const char *title;
    const char *key;
    const char *value;
};

constexpr ConfigChange kConfigChanges[] = {
    {Payments, "Raise payments connection pool to 64", "db.pool.max_size", "64"},
    {Inventory, "Lower inventory cache TTL to 30s", "cache.ttl", "30s"},
    {Search, "Increase search replicas to 3", "replicas", "3"},
    {Auth, "Rotate auth token signing key", "token.signing_key_id", "key-7"},
};

TimeNs workingHoursTime(TimeNs day, Rng &rng)
{
    return alignDown(day + 8 * kHour + static_cast<TimeNs>(rng.uniform() * 10 * kHour), kSecond);
}

// Log-uniform between 1 and 30 hours: most changes ship within hours, a few wait a day.
DurationNs leadTime(Rng &rng)
{
    return static_cast<DurationNs>(std::exp(rng.uniform(std::log(1.0), std::log(30.0))) * kHour);
}

std::string commitUrl(Service s, const std::string &sha)
{
    return std::string("https://git.example.com/shop/") + serviceName(s) + "/commit/" + sha;
}

Marker deployMarker(TimeNs time, Service s, const Build &build)
{
    Marker m;
    m.time = time;
    m.kind = "deploy";
    m.service = serviceName(s);
    m.version = build.version.text();
    m.title = "Deploy " + m.service + ' ' + m.version;
    m.commit = build.commit;
    m.commitTime = build.commitTime;
    m.url = commitUrl(s, build.commit);
    m.attributes = Json{{"deployment.environment.name", "production"}};
    return m;
}

Marker rollbackMarker(TimeNs time, Service s, const Build &from, const Build &to)
{
    Marker m = deployMarker(time, s, to);
    m.kind = "rollback";
    m.title = "Rollback " + m.service + ' ' + from.version.text() + " to " + m.version;
    m.attributes["rolled_back_version"] = from.version.text();
    return m;
}

Marker flagMarker(TimeNs time, const char *flag, Service s, bool value)
{
    Marker m;
    m.time = time;
    m.kind = "flag";
    m.service = serviceName(s);
    m.title = std::string(value ? "Enable " : "Disable ") + flag;
    m.attributes = Json{{"flag", flag}, {"value", value}};
    return m;
}

} // namespace

const char *serviceName(Service s)
{
    return kServiceNames[s];
}

int hostCount(Service s)
{
    return kHostCounts[s];
}

double dailyShape(TimeNs t)
{
    const double hour = static_cast<double>(t - alignDown(t, kDay)) / static_cast<double>(kHour);
    const double wave = (1.0 - std::cos(6.283185307179586 * (hour - 3.0) / 24.0)) / 2.0;
    return std::pow(wave, 1.3); // a longer, flatter night than a plain cosine
}

bool isWeekend(TimeNs t)
{
    const std::int64_t day = alignDown(t, kDay) / kDay;
    const std::int64_t weekday = ((day + 3) % 7 + 7) % 7; // 1970-01-01 was a Thursday; Monday is 0
    return weekday >= 5;
}

double weekFactor(TimeNs t)
{
    return isWeekend(t) ? 0.65 : 1.0;
}

double loginViewsPer5m(TimeNs t)
{
    // Nights stay busy (~50 views a bucket even on a weekend), enough for the login success ratio of
    // the bad auth deploy to stand outside a band widened by three standard deviations of binomial noise.
    return isWeekend(t) ? 50.0 + 25.0 * dailyShape(t) : 56.0 + 50.0 * dailyShape(t);
}

Plan::Plan(TimeNs start, TimeNs end, std::uint64_t seed)
    : m_start(start)
    , m_end(end)
    , m_badCheckoutDeploy(alignDown(end - 3 * kDay - 2 * kHour - 13 * kMinute, kSecond))
    , m_checkoutRollback(m_badCheckoutDeploy + kHour)
    // 42 minutes: the drop two minutes later then covers the last seven complete 5-minute buckets.
    , m_badAuthDeploy(alignDown(end - 42 * kMinute, kSecond))
{
    scheduleDeploys(seed);
    addFlagFlips(seed);
    addConfigChanges(seed);
    addIncident();
    std::stable_sort(m_markers.begin(), m_markers.end(),
                     [](const Marker &a, const Marker &b) { return a.time < b.time; });
    buildResources();
}

bool Plan::checkoutBroken(TimeNs t) const
{
    return m_badCheckoutDeploy >= m_start && t >= m_badCheckoutDeploy + 2 * kMinute && t < m_checkoutRollback + kMinute;
}

bool Plan::authBroken(TimeNs t) const
{
    return t >= m_badAuthDeploy + 2 * kMinute;
}

bool Plan::quietForDeploys(Service s, TimeNs t) const
{
    if (t < m_start + kHour || t >= m_end - kQuietBeforeEnd)
        return false;
    return s != Checkout || std::abs(t - m_badCheckoutDeploy) >= 3 * kHour;
}

void Plan::scheduleDeploys(std::uint64_t seed)
{
    Rng rng(seed, "deploys");
    std::vector<PlannedDeploy> deploys;
    for (TimeNs day = alignDown(m_start, kDay); day < m_end; day += kDay) {
        for (int i = 0; i < kServiceCount; ++i) {
            const auto s = static_cast<Service>(i);
            const auto count = rng.poisson(weekFactor(day) < 1 ? kDeploysPerWeekendDay : kDeploysPerWeekday[i]);
            for (std::int64_t k = 0; k < count; ++k) {
                const TimeNs t = workingHoursTime(day, rng);
                if (quietForDeploys(s, t))
                    deploys.push_back({t, s, DeployKind::Patch});
            }
        }
    }
    if (m_badCheckoutDeploy >= m_start) {
        deploys.push_back({m_badCheckoutDeploy, Checkout, DeployKind::Minor});
        deploys.push_back({m_checkoutRollback, Checkout, DeployKind::Rollback});
    }
    deploys.push_back({alignDown(m_end - 95 * kMinute, kSecond), Search, DeployKind::Patch}); // an innocent bystander
    deploys.push_back({m_badAuthDeploy, Auth, DeployKind::Minor});
    std::stable_sort(deploys.begin(), deploys.end(),
                     [](const PlannedDeploy &a, const PlannedDeploy &b) { return a.time < b.time; });

    // running[s].back() is live; a rollback pops back to the build before it.
    std::array<std::vector<Build>, kServiceCount> running;
    std::array<Version, kServiceCount> latest;
    for (int i = 0; i < kServiceCount; ++i) {
        latest[i] = kInitialVersions[i];
        running[i].push_back({latest[i], rng.hex(40), m_start - 30 * kDay});
        m_releases[i].push_back({m_start - 30 * kDay, latest[i].text()});
    }
    for (const PlannedDeploy &d : deploys) {
        auto &stack = running[d.service];
        if (d.kind == DeployKind::Rollback) {
            const Build bad = stack.back();
            stack.pop_back();
            m_markers.push_back(rollbackMarker(d.time, d.service, bad, stack.back()));
        } else {
            Version &v = latest[d.service];
            if (d.kind == DeployKind::Minor)
                v = {v.major, v.minor + 1, 0};
            else
                ++v.patch;
            stack.push_back({v, rng.hex(40), d.time - leadTime(rng)});
            m_markers.push_back(deployMarker(d.time, d.service, stack.back()));
        }
        m_releases[d.service].push_back({d.time, stack.back().version.text()});
    }
}

void Plan::addFlagFlips(std::uint64_t seed)
{
    Rng rng(seed, "flags");
    std::vector<std::pair<TimeNs, std::size_t>> flips;
    for (TimeNs day = alignDown(m_start, kDay); day < m_end; day += kDay) {
        const auto count = rng.poisson(weekFactor(day) < 1 ? 0.3 : 1.2);
        for (std::int64_t k = 0; k < count; ++k) {
            const TimeNs t = workingHoursTime(day, rng);
            const auto flag = static_cast<std::size_t>(rng.uniformInt(0, std::size(kRandomFlags)));
            if (t >= m_start && t < m_end - kQuietBeforeEnd)
                flips.emplace_back(t, flag);
        }
    }
    std::stable_sort(flips.begin(), flips.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    bool on[std::size(kRandomFlags)] = {};
    for (const auto &[t, flag] : flips) {
        on[flag] = !on[flag];
        m_markers.push_back(flagMarker(t, kRandomFlags[flag].name, kRandomFlags[flag].service, on[flag]));
    }
    m_markers.push_back(flagMarker(alignDown(m_end - 150 * kMinute, kSecond), "new-search-ranking", Search, true));
}

void Plan::addConfigChanges(std::uint64_t seed)
{
    Rng rng(seed, "config");
    const auto slots = static_cast<std::int64_t>(std::size(kConfigChanges));
    const DurationNs slot = (m_end - m_start) / slots;
    for (std::int64_t i = 0; i < slots; ++i) {
        const ConfigChange &c = kConfigChanges[i];
        const TimeNs t = alignDown(m_start + i * slot + static_cast<TimeNs>(rng.uniform(0.2, 0.8) * slot), kSecond);
        if (t >= m_end - kQuietBeforeEnd)
            continue;
        Marker m;
        m.time = t;
        m.kind = "config";
        m.service = serviceName(c.service);
        m.title = c.title;
        m.attributes = Json{{"key", c.key}, {"value", c.value}};
        m_markers.push_back(std::move(m));
    }
}

void Plan::addIncident()
{
    if (m_badCheckoutDeploy < m_start)
        return;
    Marker start;
    start.time = m_badCheckoutDeploy + 10 * kMinute;
    start.kind = "incident_start";
    start.service = serviceName(Checkout);
    start.title = "Incident: checkout error rate elevated";
    start.attributes = Json{{"severity", "SEV2"}};
    Marker end = start;
    end.time = m_checkoutRollback + 8 * kMinute;
    end.kind = "incident_end";
    end.title = "Resolved: checkout errors back to normal after rollback";
    m_markers.push_back(std::move(start));
    m_markers.push_back(std::move(end));
}

void Plan::buildResources()
{
    for (int i = 0; i < kServiceCount; ++i) {
        const auto s = static_cast<Service>(i);
        for (const Release &release : m_releases[i]) {
            std::vector<Json> hosts;
            Json base{{"service.name", serviceName(s)},
                      {"service.version", release.version},
                      {"deployment.environment.name", "production"}};
            hosts.push_back(base);
            for (int h = 1; h <= hostCount(s); ++h) {
                Json withHost = base;
                withHost["host.name"] = std::string(serviceName(s)) + '-' + std::to_string(h);
                hosts.push_back(std::move(withHost));
            }
            m_resources[i].push_back(std::move(hosts));
        }
    }
}

const Json &Plan::resource(Service s, TimeNs t, int host) const
{
    const auto &releases = m_releases[s];
    const auto next = std::upper_bound(releases.begin(), releases.end(), t,
                                       [](TimeNs time, const Release &r) { return time < r.time; });
    const auto index = std::max<std::ptrdiff_t>(0, std::distance(releases.begin(), next) - 1);
    return m_resources[s][static_cast<std::size_t>(index)][static_cast<std::size_t>(host)];
}

LogRecord makeLog(const Plan &plan, Service s, TimeNs time, int severity, std::string body, Json attributes,
                  int host)
{
    LogRecord r;
    r.time = time;
    r.observedTime = time;
    r.severity = severity;
    r.severityText = severityName(severity);
    r.body = std::move(body);
    r.service = serviceName(s);
    r.attributes = std::move(attributes);
    r.resource = plan.resource(s, time, host);
    return r;
}

} // namespace fd::demo

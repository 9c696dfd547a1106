#pragma once
#include "models/Telemetry.h"
#include <array>
#include <cstdint>
#include <string>
#include <vector>

// The demo's script: which version each service runs when, the markers, the traffic rhythm and the
// two bad deploys. The generators read it; it holds no telemetry itself.
namespace fd::demo {

enum Service { Frontend, Auth, Checkout, Payments, Inventory, Search, kServiceCount };
const char *serviceName(Service s);
int hostCount(Service s);

constexpr DurationNs kBucket = 5 * kMinute;

// Traffic rhythm, in UTC like the baselines that read it.
double dailyShape(TimeNs t); // 0 at 03:00, 1 at 15:00
bool isWeekend(TimeNs t);
double weekFactor(TimeNs t); // business events: lower on Saturday and Sunday
double loginViewsPer5m(TimeNs t);

struct Release {
    TimeNs time = 0;
    std::string version;
};

class Plan
{
public:
    Plan(TimeNs start, TimeNs end, std::uint64_t seed);

    TimeNs start() const { return m_start; }
    TimeNs end() const { return m_end; }
    TimeNs badCheckoutDeploy() const { return m_badCheckoutDeploy; }
    TimeNs checkoutRollback() const { return m_checkoutRollback; }
    TimeNs badAuthDeploy() const { return m_badAuthDeploy; }

    // The bad versions take a couple of minutes to roll out before they hurt.
    bool checkoutBroken(TimeNs t) const;
    bool authBroken(TimeNs t) const;

    // host 0: the service as a whole (metrics), 1..hostCount: one instance.
    const Json &resource(Service s, TimeNs t, int host) const;
    const std::vector<Marker> &markers() const { return m_markers; }
    const std::vector<Release> &releases(Service s) const { return m_releases[s]; }

private:
    void scheduleDeploys(std::uint64_t seed);
    void addFlagFlips(std::uint64_t seed);
    void addConfigChanges(std::uint64_t seed);
    void addIncident();
    void buildResources();
    bool quietForDeploys(Service s, TimeNs t) const;

    TimeNs m_start = 0;
    TimeNs m_end = 0;
    TimeNs m_badCheckoutDeploy = 0;
    TimeNs m_checkoutRollback = 0;
    TimeNs m_badAuthDeploy = 0;
    std::vector<Marker> m_markers;
    std::array<std::vector<Release>, kServiceCount> m_releases;
    // [service][release][host]
    std::array<std::vector<std::vector<Json>>, kServiceCount> m_resources;
};

LogRecord makeLog(const Plan &plan, Service s, TimeNs time, int severity, std::string body, Json attributes,
                  int host);

} // namespace fd::demo

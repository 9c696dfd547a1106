#pragma once
#include "models/Frame.h"
#include "models/Telemetry.h"
#include <string>

namespace fd {

// Where a Prometheus source finds deploys: a query whose series carry the running version in a label
// (e.g. `build_info` with `version`), per service (`job`, `service` ...).
struct PromDeploySpec {
    std::string query; // empty: the source has no deploy markers
    std::string versionLabel = "version";
    std::string serviceLabel = "job";
};

// A deploy marker wherever a service's series show a version that was not there one sample before and
// is not the version it ran last (a version that ran earlier again is a rollback). Versions present at
// the first sample of the frame are the starting state, not deploys. `frame` is a query_range result
// (time, one column per label, value) as promFrame returns it.
std::vector<Marker> deployMarkersFromFrame(const Frame &frame, const PromDeploySpec &spec, const std::string &sourceId);

} // namespace fd

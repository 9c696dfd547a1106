#pragma once
#include "models/Cancel.h"
#include "models/Time.h"
#include <cstdint>

namespace fd {

class Store;

struct DemoOptions {
    int days = 8;
    std::uint64_t seed = 1;
    TimeNs end = 0; // 0: now
};

struct DemoSummary {
    std::int64_t logs = 0, spans = 0, metricPoints = 0, markers = 0;
};

// Replaces the store's content with the demo web shop (DESIGN.md, "The demo dataset").
// Deterministic for a given seed and end time. Written in bulk on a writer thread, it returns with every index
// and the full-text index built, as an import does. Throws fd::Cancelled when the token is set.
DemoSummary writeDemo(Store &store, const DemoOptions &options, const CancelTokenPtr &cancel = {});

} // namespace fd

#pragma once
#include "DemoPlan.h"
#include "DemoRandom.h"
#include "DemoSink.h"

namespace fd::demo {

// Request traces across the shop's services, and the request log lines that carry their context.
void writeTraces(const Plan &plan, Rng &rng, Sink &sink);

} // namespace fd::demo

#pragma once
#include "Frame.h"
#include "Time.h"

namespace fd {

// The answer a saved query gave, kept in the workspace so that it reopens offline exactly as it was.
struct Snapshot {
    TimeNs taken = 0;
    TimeRange range;
    FramePtr frame;
};

// Columnar and lossless: cells as stored (times as integer nanoseconds, JSON columns as their text),
// so that a snapshot read back gives the same frame.
Json snapshotToJson(const Snapshot &s);
// Throws fd::Error naming what is malformed.
Snapshot snapshotFromJson(const Json &j);
// "1,204 rows of 2026-11-20 14:00 – 15:00 UTC, taken 2026-11-21 09:12 UTC"
QString snapshotSummary(const Snapshot &s);

} // namespace fd

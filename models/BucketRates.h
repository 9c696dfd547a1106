#pragma once
#include "Frame.h"
#include "Query.h"
#include "Time.h"

namespace fd {

// A rate over time buckets is counted per bucket and divided by the bucket's length. The range cuts its first
// and last bucket short: their counts cover only part of the bucket, and divided by the whole length they
// read as a fall at both ends of every chart (a 5-minute rest of a 15-minute bucket at a third of the rate).
// For a rate over buckets of `step`, this divides such buckets by the part within the range instead; a bucket
// less than a tenth in the range has no rate (null: a gap). The bucket under way counts only its time up to
// now (a range ending in the future, as a live view's may). The frame is an aggregate result: a "time" column
// of bucket starts and the value last.
void rescalePartialBucketRates(Frame &f, const Aggregate &agg, DurationNs step, const TimeRange &range);
// The range a rate without buckets is over: the range up to now (the future has had no events yet), or a range
// wholly in the future as it is. Engines that evaluate at one time (Prometheus, Loki) evaluate at its end.
TimeRange rateRange(const TimeRange &range, TimeNs now = nowNs());
// What a rate per second divides by: its bucket, or without one rateRange's length. Every engine divides by this.
DurationNs rateSpan(const TimeRange &range, DurationNs interval, TimeNs now = nowNs());

} // namespace fd

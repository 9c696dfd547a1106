#pragma once
#include "models/Query.h"
#include "models/Time.h"
#include <string>

namespace fd {

// Compiles the metrics form of a Query to PromQL:
//   where name = X            the metric (any other op on name becomes a __name__ matcher)
//   where label OP value      a label matcher (= != ~ !~ -> = != =~ !~; exists -> !="", !exists -> ="");
//                             a field that is no valid label name has its other characters replaced by
//                             "_", as OpenTelemetry's Prometheus exporter writes them (service.name -> service_name)
//   where value OP n          a comparison filter on the result (value > 5)
//   agg rate                  rate(m[w]), summed by group_by when there is one
//   agg sum(f)                sum by (group_by) (m): the series' sum at the bucket's end; f names the metric
//                             when no name condition does
//   agg min/max(f)            min by (group_by) (min_over_time(m[b])): over the samples of the bucket b (the
//                             step, or the range of an instant query), as the store aggregates a bucket's points
//   agg avg(f)                sum by (group_by) (sum_over_time(m[b])) / sum by (group_by) (count_over_time(m[b]))
//   agg count                 sum by (group_by) (count_over_time(m[b])): the samples
//   agg count_distinct(l)     count by (group_by) (count by (group_by, l) (count_over_time(m[b])))
//   agg pNN(f)                histogram_quantile(0.NN, sum by (le, group_by) (rate(f_bucket[w])))
// A raw query wins. Parts PromQL cannot express raise fd::Error naming them.
class PromQlCompiler
{
public:
    // Prometheus needs at least two samples in a rate window: 4 scrapes keeps one lost scrape harmless.
    explicit PromQlCompiler(DurationNs scrapeInterval = 15 * kSecond)
        : m_scrapeInterval(scrapeInterval)
    {
    }

    // step: the query_range step, or 0 for an instant query that covers rangeLength.
    std::string compile(const Query &q, DurationNs step, DurationNs rangeLength) const;
    // The range of rate() and friends: the step (no sample is skipped between points) or the whole range
    // of an instant query, never under 4 scrape intervals.
    DurationNs window(DurationNs step, DurationNs rangeLength) const;

    // "90s", "5m", "1500ms": PromQL's duration syntax.
    static std::string duration(DurationNs d);
    // metric{matchers}; {__name__="metric", matchers} for a name that is no PromQL identifier.
    static std::string selector(const std::string &metric, const std::vector<std::string> &matchers = {});
    // A label name PromQL accepts.
    static std::string labelName(const std::string &field);
    // A double-quoted string literal (PromQL's and LogQL's); a non-string value as its JSON text.
    static std::string stringLiteral(const Json &value);
    // The quantile of a percentile: 95 -> "0.95", 99.9 -> "0.999".
    static std::string quantile(double percentile);

private:
    DurationNs m_scrapeInterval;
};

} // namespace fd

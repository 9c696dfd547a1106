#include "PromQlCompiler.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Unexpressible.h"
#include <algorithm>
#include <array>
#include <charconv>
#include <QString>

namespace fd {

namespace {

bool isNameField(const std::string &field)
{
    return field == "name" || field == "__name__";
}

bool isCounterName(const std::string &metric)
{
    return metric.ends_with("_total") || metric.ends_with("_count") || metric.ends_with("_sum") || metric.ends_with("_bucket");
}

std::string join(const std::vector<std::string> &parts, const char *separator = ", ")
{
    return joinText(parts, separator);
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
std::string inQuotes(const std::string &text)
{
    std::string out = "\"";
    out += text;
    out += '"';
    return out;
}

// A PromQL string literal.
std::string quote(const Json &value)
{
    return quotedLiteral(value.is_string() ? value.get<std::string>() : value.dump());
}

// 95 -> "0.95", 99.9 -> "0.999", 100 -> "1": shifted in text, as p / 100 in binary would print 0.9990000000000001.
std::string quantileText(double percentile)
{
    if (percentile >= 100)
        return "1";
    std::array<char, 32> buf {};
    const std::string digits(buf.data(), std::to_chars(buf.data(), buf.data() + buf.size(), percentile).ptr);
    const auto dot = digits.find('.');
    std::string whole = digits.substr(0, dot);
    whole.insert(0, whole.size() < 2 ? 2 - whole.size() : 0, '0');
    std::string out = "0." + whole + (dot == std::string::npos ? std::string() : digits.substr(dot + 1));
    while (out.ends_with('0'))
        out.pop_back();
    return out.ends_with('.') ? "0" : out;
}

// Every selector reads the samples just before the time it is asked at: a point asked at T covers [T - w, T)
// on VictoriaMetrics and Prometheus 3 (whose ranges are (T - w, T]), so a bucket asked at its end counts
// [B, B + step) as the store's does; asked at T itself, a sample on the boundary had counted in the earlier bucket
// (and on Prometheus 2, whose ranges hold both ends, in both). Prometheus 2 still counts a sample at T - w - 1 ms.
// An offset, not times 1 ms early: VictoriaMetrics moves a range query's start onto the step to use its cache.
constexpr const char *kJustBefore = " offset 1ms";

std::string aggregate(const std::string &fn, const std::vector<std::string> &by, const std::string &inner)
{
    return by.empty() ? fn + "(" + inner + ")" : fn + " by (" + join(by) + ") (" + inner + ")";
}

// One compilation: gathers matchers and filters, and every part that has no PromQL form.
class Compilation
{
public:
    Compilation(const Query &q, std::string window, std::string bucket)
        : m_q(q)
        , m_window(std::move(window))
        , m_bucket(std::move(bucket))
    {
        for (const std::string &g : q.groupBy)
            m_by.push_back(isNameField(g) ? "__name__" : PromQlCompiler::labelName(g));
    }

    std::string run()
    {
        if (m_q.signal != Signal::Metrics)
            m_unsupported.addSignal(m_q.signal, "Prometheus holds metrics only");
        if (!m_q.search.empty())
            m_unsupported.add("full-text search " + inQuotes(m_q.search));
        for (const Condition &c : m_q.where)
            addCondition(c);
        const std::string metric = metricName();
        refuseWhatPromQlComputesOtherwise();
        std::string expr = expression(metric);
        for (const std::string &f : m_filters)
            expr += " " + f;
        m_unsupported.throwIfAny();
        return expr;
    }

private:
    void addCondition(const Condition &c)
    {
        if (isNameField(c.field) && c.op == Op::Eq && c.value.is_string() && m_nameFromWhere.empty())
            m_nameFromWhere = c.value.get<std::string>();
        else if (c.field == "time") // the sample's time, no label (review: it had matched a label "time")
            m_unsupported.add(inQuotes(conditionToText(c)) + " (the time range sets the time)");
        else if (c.field == "value")
            addValueFilter(c);
        else
            addMatcher(c);
    }

    void addMatcher(const Condition &c)
    {
        const std::string label = isNameField(c.field) ? "__name__" : PromQlCompiler::labelName(c.field);
        switch (c.op) {
        case Op::Eq:
            m_matchers.push_back(label + "=" + quote(c.value));
            break;
        case Op::Ne:
            m_matchers.push_back(label + "!=" + quote(c.value));
            break;
        case Op::Regex:
            m_matchers.push_back(label + "=~" + quotedLiteral(unanchoredPattern(jsonValueText(c.value))));
            break;
        case Op::NotRegex:
            m_matchers.push_back(label + "!~" + quotedLiteral(unanchoredPattern(jsonValueText(c.value))));
            break;
        case Op::Exists:
            m_matchers.push_back(label + "!=\"\"");
            break;
        case Op::NotExists:
            m_matchers.push_back(label + "=\"\"");
            break;
        default:
            m_unsupported.add(
                inQuotes(conditionToText(c)) + " (labels are text: use = != ~ !~, or compare value)");
        }
    }

    void addValueFilter(const Condition &c)
    {
        static const std::array<std::pair<Op, const char *>, 6> kOps = { { { Op::Eq, "==" }, { Op::Ne, "!=" },
            { Op::Gt, ">" }, { Op::Ge, ">=" }, { Op::Lt, "<" }, { Op::Le, "<=" } } };
        const auto it = std::find_if(kOps.begin(), kOps.end(), [&](const auto &p) { return p.first == c.op; });
        if (it == kOps.end() || !c.value.is_number()) {
            m_unsupported.add(inQuotes(conditionToText(c)) + " (value compares with a number: = != > >= < <=)");
            return;
        }
        m_filters.push_back(std::string(it->second) + " " + c.value.dump());
    }

    // Exploratory test against a real Prometheus: each had been compiled, and answered something else.
    void refuseWhatPromQlComputesOtherwise()
    {
        const Aggregate::Kind kind = m_q.agg.kind;
        // A comparison after an aggregate keeps or drops its results; the store and ClickHouse leave out samples.
        if (!m_filters.empty() && kind != Aggregate::Kind::None)
            m_unsupported.add("a condition on value with " + inQuotes(m_q.agg.text())
                              + " (PromQL would compare the aggregate's results, not the samples: use raw PromQL)");
        // rate() and the *_over_time functions drop the metric's name: every name had been one group.
        const bool keepsName = kind == Aggregate::Kind::None || kind == Aggregate::Kind::Sum;
        if (!keepsName && std::find(m_by.begin(), m_by.end(), "__name__") != m_by.end())
            m_unsupported.add("group_by name with " + inQuotes(m_q.agg.text())
                              + " (PromQL's range functions drop the metric's name: query one metric at a time)");
    }

    // The metric named by `name = X` or by the aggregate's field; they must agree when both are given.
    std::string metricName()
    {
        const Aggregate &a = m_q.agg;
        const bool fieldIsMetric = !a.field.empty() && a.field != "value" && a.kind != Aggregate::Kind::CountDistinct;
        if (!fieldIsMetric)
            return m_nameFromWhere;
        std::string field = a.field;
        if (a.kind == Aggregate::Kind::Percentile && field.ends_with("_bucket"))
            field.resize(field.size() - 7);
        if (!m_nameFromWhere.empty() && m_nameFromWhere != field && m_nameFromWhere != a.field)
            m_unsupported.add(
                inQuotes(a.text()) + " with name = " + m_nameFromWhere + " (two different metrics)");
        return field;
    }

    // A metric name that is no PromQL identifier (an OpenTelemetry name with dots, or text that would be read
    // as more PromQL) is matched as the __name__ label's value.
    std::string selector(const std::string &metric) const
    {
        return PromQlCompiler::selector(metric, m_matchers);
    }

    std::string expression(const std::string &metric)
    {
        if (metric.empty() && std::none_of(m_matchers.begin(), m_matchers.end(), [](const std::string &m) {
                return m.starts_with("__name__");
            }))
            m_unsupported.add("a query without a metric (add where name = <metric>, or use raw PromQL)");
        const std::string sel = selector(metric);
        const std::string range = "[" + m_window + "]" + kJustBefore;
        // What each series sampled within the bucket, as the store aggregates a bucket's points.
        const auto inBucket = [&](const char *fn) { return std::string(fn) + "(" + sel + "[" + m_bucket + "]" + kJustBefore + ")"; };
        switch (m_q.agg.kind) {
        case Aggregate::Kind::None:
            if (!m_by.empty())
                m_unsupported.add("group_by without an aggregate (add agg sum, avg, rate ...)");
            return sel + kJustBefore;
        case Aggregate::Kind::Rate: // one total without a group, as the store's (a series each had come back: exploratory test)
            return aggregate("sum", m_by, "rate(" + sel + range + ")");
        case Aggregate::Kind::Sum:
            // A counter's sum is how much it rose, as the store sums a counter's increases (the running totals had
            // been added up: exploratory test); OpenMetrics names counters so. A gauge's: its series' values now.
            return aggregate("sum", m_by, isCounterName(metric) ? inBucket("increase") : sel + kJustBefore);
        case Aggregate::Kind::Avg: // over every sample, not of the series' averages
            return aggregate("sum", m_by, inBucket("sum_over_time")) + " / "
                   + aggregate("sum", m_by, inBucket("count_over_time"));
        case Aggregate::Kind::Min:
            return aggregate("min", m_by, inBucket("min_over_time"));
        case Aggregate::Kind::Max:
            return aggregate("max", m_by, inBucket("max_over_time"));
        case Aggregate::Kind::Count:
            return aggregate("sum", m_by, inBucket("count_over_time"));
        case Aggregate::Kind::CountDistinct: {
            std::vector<std::string> inner = m_by;
            inner.push_back(PromQlCompiler::labelName(m_q.agg.field));
            return aggregate("count", m_by, aggregate("count", inner, inBucket("count_over_time")));
        }
        case Aggregate::Kind::Percentile:
            return quantile(metric);
        }
        return sel;
    }

    std::string quantile(const std::string &metric)
    {
        if (metric.empty()) {
            m_unsupported.add(inQuotes(m_q.agg.text()) + " without a histogram metric");
            return {};
        }
        std::vector<std::string> by = { "le" };
        by.insert(by.end(), m_by.begin(), m_by.end());
        const std::string rate = "rate(" + selector(metric + "_bucket") + "[" + m_window + "]" + kJustBefore + ")";
        return "histogram_quantile(" + quantileText(m_q.agg.percentile) + ", " + aggregate("sum", by, rate) + ")";
    }

    const Query &m_q;
    std::string m_window;
    std::string m_bucket;
    std::vector<std::string> m_by;
    std::string m_nameFromWhere;
    std::vector<std::string> m_matchers;
    std::vector<std::string> m_filters;
    Unexpressible m_unsupported{"PromQL"};
};

} // namespace

namespace {
// A name PromQL reads as a metric's: [a-zA-Z_:][a-zA-Z0-9_:]* and no keyword (`on`, `bool`, `nan` ... are read as
// PromQL, a number or an error).
bool isMetricName(const std::string &name)
{
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
    if (name.empty() || !letter(name.front())
        || !std::all_of(name.begin(), name.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9'); }))
        return false;
    static const std::array<const char *, 14> kKeywords = { "and", "or", "unless", "by", "without", "on", "ignoring",
        "group_left", "group_right", "bool", "offset", "atan2", "nan", "inf" };
    return std::none_of(kKeywords.begin(), kKeywords.end(), [&](const char *k) {
        return QString::fromStdString(name).compare(QLatin1String(k), Qt::CaseInsensitive) == 0;
    });
}
} // namespace

std::string PromQlCompiler::selector(const std::string &metric, const std::vector<std::string> &matchers)
{
    if (!metric.empty() && !isMetricName(metric)) { // a dotted OpenTelemetry name, or text that would read as PromQL
        std::vector<std::string> all{ "__name__=" + quotedLiteral(metric) };
        all.insert(all.end(), matchers.begin(), matchers.end());
        return "{" + join(all) + "}";
    }
    return matchers.empty() ? metric : metric + "{" + join(matchers) + "}";
}

std::string PromQlCompiler::compile(const Query &q, DurationNs step, DurationNs rangeLength) const
{
    if (!q.raw.empty())
        return q.raw;
    return Compilation(q, duration(window(step, rangeLength)), duration(step > 0 ? step : rangeLength)).run();
}

DurationNs PromQlCompiler::window(DurationNs step, DurationNs rangeLength) const
{
    return std::max(step > 0 ? step : rangeLength, 4 * m_scrapeInterval);
}

std::string PromQlCompiler::duration(DurationNs d)
{
    const DurationNs ms = std::max<DurationNs>(1, (d + kMillisecond - 1) / kMillisecond);
    static const std::array<std::pair<DurationNs, const char *>, 4> kUnits
        = { { { kDay / kMillisecond, "d" }, { kHour / kMillisecond, "h" }, { kMinute / kMillisecond, "m" }, { kSecond / kMillisecond, "s" } } };
    for (const auto &[size, unit] : kUnits) {
        if (ms % size == 0)
            return std::to_string(ms / size) + unit;
    }
    return std::to_string(ms) + "ms";
}

std::string PromQlCompiler::labelName(const std::string &field)
{
    std::string out = field;
    for (char &c : out) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok)
            c = '_';
    }
    if (out.empty() || (out.front() >= '0' && out.front() <= '9'))
        out.insert(out.begin(), '_');
    return out;
}

std::string PromQlCompiler::stringLiteral(const Json &value)
{
    return quote(value);
}

std::string PromQlCompiler::quantile(double percentile)
{
    return quantileText(percentile);
}

} // namespace fd

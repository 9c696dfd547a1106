#include "LogQlCompiler.h"
#include "connectors/prometheus/PromQlCompiler.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include "models/Telemetry.h"
#include "models/Unexpressible.h"
#include <algorithm>
#include <array>

namespace fd {

namespace {

using K = Aggregate::Kind;

std::string join(const std::vector<std::string> &parts, const char *separator = ", ")
{
    return joinText(parts, separator);
}

std::string literal(const Json &value)
{
    return PromQlCompiler::stringLiteral(value);
}

// A condition's value as the LogQL string of a pattern that finds it anywhere (label matchers match whole values).
// It checks the value as a regular expression: only ~ and !~ ask for it ("C:\temp" is a value to = and !=).
std::string patternLiteral(const Condition &c)
{
    return literal(unanchoredPattern(jsonValueText(c.value)));
}

// The text as an RE2 pattern that matches it literally.
std::string regexQuote(const std::string &text)
{
    std::string out;
    for (const char c : text) {
        if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos)
            out += '\\';
        out += c;
    }
    return out;
}

// Loki's level names of each OpenTelemetry severity band (TRACE, DEBUG, INFO, WARN, ERROR, FATAL).
constexpr std::array<const char *, 6> kLevelNames
    = { "trace", "debug", "info", "warn|warning", "error|err", "fatal|critical" };

class Compilation
{
public:
    Compilation(const Query &q, const LokiFields &fields, DurationNs window)
        : m_q(q)
        , m_fields(fields)
        , m_window(PromQlCompiler::duration(window))
    {
    }

    std::string run()
    {
        if (m_q.signal != Signal::Logs)
            m_unsupported.addSignal(m_q.signal, "Loki holds logs");
        if (!m_q.search.empty())
            addSearch();
        for (const Condition &c : m_q.where)
            addCondition(c);
        std::string out = LogQlCompiler::isMetric(m_q) ? metric() : logs();
        m_unsupported.throwIfAny();
        return out;
    }

private:
    bool isStreamLabel(const std::string &field) const { return m_fields.streamLabels.contains(field); }

    void addSearch()
    {
        // letters have cases, ASCII or not ("Ü" finds "ü": exploratory test)
        const bool letters = std::any_of(m_q.search.begin(), m_q.search.end(),
                                         [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
        m_lineFilters.push_back(letters ? "|~ " + literal("(?i)" + regexQuote(m_q.search)) : "|= " + literal(m_q.search));
    }

    void addCondition(const Condition &c)
    {
        if (c.field == "time" || c.field == "observed_time")
            m_unsupported.addCondition(c, "the time range sets the time");
        else if (c.field == "body")
            addBodyCondition(c);
        else if (c.field == "severity")
            addSeverityCondition(c);
        else if (isStreamLabel(c.field) && c.op != Op::Gt && c.op != Op::Ge && c.op != Op::Lt && c.op != Op::Le)
            addMatcher(c);
        else
            addLabelFilter(m_fields.label(c.field), c, needsParser(c.field));
    }

    bool needsParser(const std::string &field) const
    {
        return !isStreamLabel(field) && field != "trace_id" && field != "span_id";
    }

    void addBodyCondition(const Condition &c)
    {
        if (c.op == Op::Regex || c.op == Op::NotRegex)
            m_lineFilters.push_back((c.op == Op::Regex ? "|~ " : "!~ ") + literal(jsonValueText(c.value)));
        else
            m_unsupported.add(
                "\"" + conditionToText(c) + "\" (LogQL matches lines by text: use search, body ~ or body !~)");
    }

    void addMatcher(const Condition &c)
    {
        const std::string label = m_fields.label(c.field);
        const std::string value = literal(jsonValueText(c.value));
        switch (c.op) {
        case Op::Eq:
            m_matchers.push_back(label + "=" + value);
            m_positive = m_positive || jsonValueText(c.value) != "";
            break;
        case Op::Ne: m_matchers.push_back(label + "!=" + value); break;
        case Op::Regex:
            m_matchers.push_back(label + "=~" + patternLiteral(c));
            m_positive = true;
            break;
        case Op::NotRegex: m_matchers.push_back(label + "!~" + patternLiteral(c)); break;
        case Op::Exists:
            m_matchers.push_back(label + "=~\".+\"");
            m_positive = true;
            break;
        case Op::NotExists: m_matchers.push_back(label + "=\"\""); break;
        default: break;
        }
    }

    void addLabelFilter(const std::string &label, const Condition &c, bool parsed)
    {
        m_parsed = m_parsed || parsed;
        const std::string value = literal(jsonValueText(c.value));
        switch (c.op) {
        case Op::Eq: m_labelFilters.push_back(label + "=" + value); return;
        case Op::Ne: m_labelFilters.push_back(label + "!=" + value); return;
        case Op::Regex: m_labelFilters.push_back(label + "=~" + patternLiteral(c)); return;
        case Op::NotRegex: m_labelFilters.push_back(label + "!~" + patternLiteral(c)); return;
        case Op::Exists: m_labelFilters.push_back(label + "!=\"\""); return;
        case Op::NotExists: m_labelFilters.push_back(label + "=\"\""); return;
        default: break;
        }
        if (!c.value.is_number()) {
            m_unsupported.addCondition(c, "LogQL compares labels with numbers only");
            return;
        }
        m_labelFilters.push_back(label + " " + opName(c.op) + " " + c.value.dump());
    }

    void addSeverityCondition(const Condition &c)
    {
        const std::string label = m_fields.levelLabel;
        const int number = severityOfValue(c.value); // "13" as 13, as the store reads it
        const bool ordered = c.op == Op::Eq || c.op == Op::Ne || c.op == Op::Gt || c.op == Op::Ge || c.op == Op::Lt
            || c.op == Op::Le;
        if (!ordered) {
            addLabelFilter(label, c, false);
            return;
        }
        if (number < 1 || number > 24) {
            m_unsupported.addCondition(c, "use TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24");
            return;
        }
        const int band = (number - 1) / 4;
        int low = band, high = band;
        if (c.op == Op::Gt || c.op == Op::Ge)
            low = c.op == Op::Gt ? band + 1 : band, high = 5;
        if (c.op == Op::Lt || c.op == Op::Le)
            low = 0, high = c.op == Op::Lt ? band - 1 : band;
        std::vector<std::string> names;
        for (int b = low; b <= high; ++b)
            names.push_back(kLevelNames[std::size_t(b)]);
        if (names.empty()) {
            m_unsupported.addCondition(c, "no severity is below TRACE");
            return;
        }
        m_labelFilters.push_back(label + (c.op == Op::Ne ? "!~" : "=~") + literal("(?i)(" + join(names, "|") + ")"));
    }

    std::string selector()
    {
        std::vector<std::string> matchers = m_matchers;
        if (!m_positive)
            matchers.insert(matchers.begin(), m_fields.serviceLabel() + "=~\".+\"");
        return "{" + join(matchers) + "}";
    }

    // The selector and its pipeline: line filters first (cheapest), then the parser and label filters.
    std::string pipeline(bool dropErrors)
    {
        std::string out = selector();
        for (const std::string &f : m_lineFilters)
            out += " " + f;
        const bool parser = m_parsed && !m_fields.parser.empty();
        if (parser)
            out += " | " + m_fields.parser;
        for (const std::string &f : m_labelFilters)
            out += " | " + f;
        if (parser && dropErrors)
            out += " | __error__=\"\"";
        return out;
    }

    std::string logs()
    {
        if (!m_q.groupBy.empty())
            m_unsupported.add("group_by without an aggregate");
        return pipeline(false);
    }

    std::string metric()
    {
        std::vector<std::string> by;
        for (const std::string &g : m_q.groupBy) {
            by.push_back(m_fields.label(g));
            m_parsed = m_parsed || needsParser(g);
        }
        const Aggregate &a = m_q.agg;
        const bool unwrapped = a.kind == K::Sum || a.kind == K::Avg || a.kind == K::Min || a.kind == K::Max
            || a.kind == K::Percentile;
        std::string field;
        if (!a.field.empty()) {
            field = m_fields.label(a.field);
            m_parsed = m_parsed || needsParser(a.field);
        }
        std::string range = pipeline(true);
        if (unwrapped)
            range += " | unwrap " + field + " | __error__=\"\"";
        range += " [" + m_window + "]";
        const std::string grouping = " by (" + join(by) + ")";
        auto outer = [&](const char *fn, const std::string &inner) {
            return std::string(fn) + (by.empty() ? "(" + inner + ")" : grouping + " (" + inner + ")");
        };
        switch (a.kind) {
        case K::None:
        case K::Count: return outer("sum", "count_over_time(" + range + ")");
        case K::Rate: return outer("sum", "rate(" + range + ")");
        case K::Sum: return outer("sum", "sum_over_time(" + range + ")");
        case K::Min: return outer("min", "min_over_time(" + range + ")");
        case K::Max: return outer("max", "max_over_time(" + range + ")");
        case K::Avg: return "avg_over_time(" + range + ")" + grouping;
        case K::Percentile:
            return "quantile_over_time(" + PromQlCompiler::quantile(a.percentile) + ", " + range + ")" + grouping;
        case K::CountDistinct: {
            std::vector<std::string> inner = by;
            inner.push_back(field);
            return outer("count", "sum by (" + join(inner) + ") (count_over_time(" + range + "))");
        }
        }
        return {};
    }

    const Query &m_q;
    const LokiFields &m_fields;
    std::string m_window;
    std::vector<std::string> m_matchers;
    bool m_positive = false; // a matcher that no empty value satisfies, as Loki requires
    std::vector<std::string> m_lineFilters;
    std::vector<std::string> m_labelFilters;
    bool m_parsed = false; // a filter, group or unwrap needs labels parsed from the line
    Unexpressible m_unsupported{"LogQL"};
};

} // namespace

std::string LokiFields::label(const std::string &field) const
{
    if (const auto it = streamLabels.find(field); it != streamLabels.end())
        return it->second;
    if (field == "severity")
        return levelLabel;
    return PromQlCompiler::labelName(field);
}

std::string LogQlCompiler::compile(const Query &q, DurationNs window) const
{
    if (!q.raw.empty())
        return q.raw;
    return Compilation(q, m_fields, window).run();
}

bool LogQlCompiler::isMetric(const Query &q)
{
    return q.agg.kind != K::None || q.interval > 0 || !q.groupBy.empty();
}

} // namespace fd

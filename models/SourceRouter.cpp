#include "SourceRouter.h"
#include <utility>
#include "Error.h"
#include <algorithm>
#include <chrono>
#include <future>

namespace fd {

SourceRouter::SourceRouter(std::vector<std::string> ids, std::string defaultId, Factory factory)
    : m_ids(std::move(ids))
    , m_defaultId(std::move(defaultId))
    , m_factory(std::move(factory))
{
}

DataSourcePtr SourceRouter::source(const std::string &id)
{
    return made(id);
}

namespace {
bool holds(const SourceCapabilities &c, Signal signal)
{
    switch (signal) {
    case Signal::Logs: return c.logs;
    case Signal::Spans: return c.spans;
    case Signal::Metrics: return c.metrics;
    }
    return false;
}
} // namespace

DataSourcePtr SourceRouter::sourceFor(const Query &q) const
{
    return q.source.empty() ? sourceForSignal(q.signal) : made(q.source);
}

DataSourcePtr SourceRouter::sourceForSignal(Signal signal) const
{
    DataSourcePtr fallback = made(m_defaultId);
    if (holds(fallback->capabilities(), signal))
        return fallback;
    for (const std::string &id : m_ids) {
        try {
            if (DataSourcePtr other = made(id); holds(other->capabilities(), signal))
                return other;
        } catch (const std::exception &) {
            // a source that cannot be made is reported when it is asked for by name
        }
    }
    return fallback;
}

DataSourcePtr SourceRouter::made(const std::string &id) const
{
    const std::lock_guard lock(m_mutex);
    if (const auto it = m_made.find(id); it != m_made.end())
        return it->second;
    if (std::find(m_ids.begin(), m_ids.end(), id) == m_ids.end())
        throw Error("the workspace has no source \"" + id + "\"");
    DataSourcePtr made = m_factory(id);
    m_made.emplace(id, made);
    return made;
}

SourceCapabilities SourceRouter::capabilities() const
{
    try {
        return made(m_defaultId)->capabilities();
    } catch (const std::exception &) {
        return {}; // an unavailable source can do nothing; its queries say why
    }
}

SourceCapabilities SourceRouter::capabilitiesFor(const Query &q) const
{
    try {
        return sourceFor(q)->capabilities();
    } catch (const std::exception &) {
        return {};
    }
}

std::string SourceRouter::compile(const Query &q, const TimeRange &range) const
{
    return sourceFor(q)->compile(withVariables(q, variables()), range);
}

DataSourcePtr SourceRouter::rowSourceFor(const Query &q) const
{
    const DataSourcePtr source = sourceFor(q);
    // A source that cannot would quietly return the newest rows first.
    if (q.oldestFirst && !source->capabilities().oldestFirst)
        throw Error("source \"" + source->id() + "\" returns rows newest first only");
    if (!q.sortField.empty() && !source->capabilities().sortByField)
        throw Error("source \"" + source->id() + "\" orders rows by time only");
    return source;
}

namespace {
// A $name that is no variable is matched as written: said, since a query saved with a variable and run in a
// workspace without it had found nothing without a word (exploratory test).
std::vector<std::string> unknownVariableNotes(const Query &q, const Variables &vars)
{
    std::vector<std::string> notes;
    for (const std::string &name : unknownVariables(q, vars))
        notes.push_back("$" + name + " is no variable of this workspace: it is matched as written");
    return notes;
}

void addNotes(Frame &frame, const std::vector<std::string> &notes)
{
    frame.notes.insert(frame.notes.end(), notes.begin(), notes.end());
}
} // namespace

Frame SourceRouter::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    const Variables vars = variables();
    Frame frame = rowSourceFor(q)->query(withVariables(q, vars), range, cancel);
    addNotes(frame, unknownVariableNotes(q, vars));
    return frame;
}

std::vector<FieldSummary> SourceRouter::summarizeFields(const Query &q, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
{
    return rowSourceFor(q)->summarizeFields(withVariables(q, variables()), range, fields, topValues, cancel);
}

bool SourceRouter::queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                              const std::function<void(const Frame &)> &page)
{
    const Variables vars = variables();
    std::vector<std::string> notes = unknownVariableNotes(q, vars); // on the first page only
    return rowSourceFor(q)->queryPages(withVariables(q, vars), range, cancel, [&](const Frame &f) {
        if (notes.empty())
            return page(f);
        Frame noted = f;
        addNotes(noted, std::exchange(notes, {}));
        page(noted);
    });
}

std::vector<Marker> SourceRouter::markers(const TimeRange &range, const CancelTokenPtr &cancel)
{
    return allMarkers(range, cancel, nullptr);
}

std::vector<Marker> SourceRouter::markersLeavingOut(const TimeRange &range, const CancelTokenPtr &cancel,
                                                    std::vector<std::string> &leftOut)
{
    return allMarkers(range, cancel, &leftOut);
}

std::vector<Marker> SourceRouter::allMarkers(const TimeRange &range, const CancelTokenPtr &cancel,
                                             std::vector<std::string> *leftOut)
{
    std::vector<Marker> all = made(m_defaultId)->markers(range, cancel);
    for (const std::string &id : m_ids) {
        if (id == m_defaultId)
            continue;
        try {
            const DataSourcePtr other = source(id); // a type this version does not know, a folder not here
            if (!other->capabilities().markers)
                continue;
            std::vector<Marker> more = other->markers(range, cancel);
            all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) {
            if (!leftOut)
                throw Error("the markers of source \"" + id + "\": " + e.what());
            std::string why = e.what();
            if (const std::string named = "source \"" + id + "\": "; why.starts_with(named))
                why.erase(0, named.size());
            why = "markers of source \"" + id + "\" left out: " + why;
            if (std::find(leftOut->begin(), leftOut->end(), why) == leftOut->end())
                leftOut->push_back(std::move(why));
        }
    }
    addWorkspaceMarkers(all, range);
    std::stable_sort(all.begin(), all.end(), [](const Marker &a, const Marker &b) { return a.time < b.time; });
    return all;
}

void SourceRouter::setVariables(Variables variables)
{
    std::lock_guard lock(m_mutex);
    m_variables = std::move(variables);
}

Variables SourceRouter::variables() const
{
    std::lock_guard lock(m_mutex);
    return m_variables;
}

void SourceRouter::setWorkspaceMarkers(std::vector<Marker> markers)
{
    std::lock_guard lock(m_mutex);
    m_workspaceMarkers = std::move(markers);
}

void SourceRouter::addWorkspaceMarkers(std::vector<Marker> &all, const TimeRange &range) const
{
    std::lock_guard lock(m_mutex);
    const std::size_t fromSources = all.size();
    for (const Marker &m : m_workspaceMarkers) {
        const auto same = [&m](const Marker &o) { return o.kind == m.kind && o.service == m.service && o.time == m.time; };
        if (range.contains(m.time) && std::none_of(all.begin(), all.begin() + fromSources, same))
            all.push_back(m);
    }
}

std::vector<Span> SourceRouter::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    return traceFrom(m_defaultId, traceId, cancel);
}

std::vector<Span> SourceRouter::traceFrom(const std::string &firstId, const std::string &traceId,
                                          const CancelTokenPtr &cancel)
{
    std::vector<std::string> order{firstId};
    for (const std::string &id : m_ids)
        if (id != firstId)
            order.push_back(id);
    // Every source at once, each within its own timeout: one after another, three sources that did not answer had
    // taken three timeouts. The first in order that has the trace answers; the others are cancelled then.
    const CancelTokenPtr others = makeCancelToken();
    std::vector<std::future<std::vector<Span>>> answers;
    std::string errors;
    const auto failed = [&errors](const std::exception &e) { errors += std::string(errors.empty() ? "" : "; ") + e.what(); };
    for (const std::string &id : order) {
        try {
            DataSourcePtr s = made(id);
            if (s->capabilities().spans)
                answers.push_back(std::async(std::launch::async, [s, traceId, others] { return s->trace(traceId, others); }));
        } catch (const std::exception &e) {
            failed(e);
        }
    }
    for (auto &answer : answers) { // on leaving, the futures wait in their destructors for the sources cancelled
        while (answer.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready)
            if (cancel && cancel->isCancelled()) {
                others->cancel();
                throw Cancelled();
            }
        try {
            if (std::vector<Span> spans = answer.get(); !spans.empty()) {
                others->cancel();
                return spans;
            }
        } catch (const Cancelled &) {
        } catch (const std::exception &e) {
            failed(e);
        }
    }
    if (!errors.empty())
        throw Error("trace " + traceId + " was not found, and some sources could not be asked: " + errors);
    return {};
}

Frame SourceRouter::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    return sourceForSignal(Signal::Spans)->recentTraces(range, limit, cancel);
}

std::vector<std::string> SourceRouter::fieldNames(
    Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return sourceForSignal(signal)->fieldNames(signal, metricName, range, cancel);
}

std::vector<FieldValue> SourceRouter::fieldValues(Signal signal, const std::string &field, const std::string &metricName,
    const TimeRange &range, const CancelTokenPtr &cancel)
{
    return sourceForSignal(signal)->fieldValues(signal, field, metricName, range, cancel);
}

std::optional<std::vector<TraceSummary>> SourceRouter::traceSummaries(const std::vector<std::string> &traceIds,
                                                                      const CancelTokenPtr &cancel)
{
    const DataSourcePtr spans = sourceForSignal(Signal::Spans);
    if (auto *fast = dynamic_cast<TraceSummarySource *>(spans.get()))
        return fast->traceSummaries(traceIds, cancel);
    return std::nullopt;
}

} // namespace fd

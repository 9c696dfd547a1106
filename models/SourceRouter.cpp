#include "SourceRouter.h"
#include "Error.h"
#include <algorithm>

namespace fd {

SourceRouter::SourceRouter(std::vector<std::string> ids, std::string defaultId, Factory factory)
    : m_ids(std::move(ids))
    , m_defaultId(std::move(defaultId))
    , m_factory(std::move(factory))
{
}

DataSourcePtr SourceRouter::source(const std::string &id)
{
    return sourceFor(Query { .source = id });
}

DataSourcePtr SourceRouter::sourceFor(const Query &q) const
{
    const std::string &id = q.source.empty() ? m_defaultId : q.source;
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
    return sourceFor({})->capabilities();
}

std::string SourceRouter::compile(const Query &q, const TimeRange &range) const
{
    return sourceFor(q)->compile(q, range);
}

Frame SourceRouter::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return sourceFor(q)->query(q, range, cancel);
}

std::vector<Marker> SourceRouter::markers(const TimeRange &range)
{
    std::vector<Marker> all = sourceFor({})->markers(range);
    for (const std::string &id : m_ids) {
        if (id == m_defaultId)
            continue;
        const DataSourcePtr other = source(id);
        if (!other->capabilities().markers)
            continue;
        try {
            std::vector<Marker> more = other->markers(range);
            all.insert(all.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
        } catch (const Cancelled &) {
            throw;
        } catch (const std::exception &e) {
            throw Error("the markers of source \"" + id + "\": " + e.what());
        }
    }
    addWorkspaceMarkers(all, range);
    std::stable_sort(all.begin(), all.end(), [](const Marker &a, const Marker &b) { return a.time < b.time; });
    return all;
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

std::vector<Span> SourceRouter::trace(const std::string &traceId)
{
    return sourceFor({})->trace(traceId);
}

Frame SourceRouter::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    return sourceFor({})->recentTraces(range, limit, cancel);
}

std::vector<std::string> SourceRouter::fieldNames(
    const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return sourceFor({})->fieldNames(metricName, range, cancel);
}

std::vector<FieldValue> SourceRouter::fieldValues(const std::string &field, const std::string &metricName,
    const TimeRange &range, const CancelTokenPtr &cancel)
{
    return sourceFor({})->fieldValues(field, metricName, range, cancel);
}

} // namespace fd

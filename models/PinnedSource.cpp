#include "PinnedSource.h"
#include "SourceRouter.h"
#include <utility>

namespace fd {

PinnedSource::PinnedSource(std::shared_ptr<SourceRouter> router, std::string id)
    : m_router(std::move(router))
    , m_id(std::move(id))
{
}

Query PinnedSource::pinned(const Query &q) const
{
    Query on = q;
    if (on.source.empty())
        on.source = m_id;
    return on;
}

DataSourcePtr PinnedSource::picked() const
{
    return m_router->source(m_id);
}

SourceCapabilities PinnedSource::capabilities() const
{
    return m_router->capabilitiesFor(pinned(Query())); // the picked source's; nothing when it cannot be made
}

SourceCapabilities PinnedSource::capabilitiesFor(const Query &q) const
{
    return m_router->capabilitiesFor(pinned(q));
}

std::string PinnedSource::compile(const Query &q, const TimeRange &range) const
{
    return m_router->compile(pinned(q), range);
}

std::vector<std::string> PinnedSource::fieldNames(
    Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return picked()->fieldNames(signal, metricName, range, cancel);
}

std::vector<FieldValue> PinnedSource::fieldValues(Signal signal, const std::string &field,
    const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return picked()->fieldValues(signal, field, metricName, range, cancel);
}

Frame PinnedSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return m_router->query(pinned(q), range, cancel);
}

bool PinnedSource::queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                              const std::function<void(const Frame &)> &page)
{
    return m_router->queryPages(pinned(q), range, cancel, page);
}

std::vector<FieldSummary> PinnedSource::summarizeFields(const Query &q, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
{
    return m_router->summarizeFields(pinned(q), range, fields, topValues, cancel);
}

std::vector<Marker> PinnedSource::markers(const TimeRange &range, const CancelTokenPtr &cancel)
{
    return m_router->markers(range, cancel);
}

std::vector<Marker> PinnedSource::markersLeavingOut(const TimeRange &range, const CancelTokenPtr &cancel,
                                                    std::vector<std::string> &leftOut)
{
    return m_router->markersLeavingOut(range, cancel, leftOut);
}

std::vector<Span> PinnedSource::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    return m_router->traceFrom(m_id, traceId, cancel);
}

Frame PinnedSource::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    return picked()->recentTraces(range, limit, cancel);
}

std::optional<std::vector<TraceSummary>> PinnedSource::traceSummaries(const std::vector<std::string> &traceIds,
                                                                      const CancelTokenPtr &cancel)
{
    if (auto *fast = dynamic_cast<TraceSummarySource *>(picked().get()))
        return fast->traceSummaries(traceIds, cancel);
    return std::nullopt;
}

} // namespace fd

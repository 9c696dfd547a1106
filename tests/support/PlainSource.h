#pragma once
// A DataSource that passes every call to another and offers nothing more (no TraceSummarySource):
// the generic path of code that would otherwise take a source's fast path.

#include "models/DataSource.h"
#include <utility>

namespace fdtest {

class PlainSource : public fd::DataSource
{
public:
    explicit PlainSource(fd::DataSourcePtr inner) : m_inner(std::move(inner)) {}
    std::string id() const override { return m_inner->id(); }
    fd::SourceCapabilities capabilities() const override { return m_inner->capabilities(); }
    fd::Frame query(const fd::Query &q, const fd::TimeRange &range, const fd::CancelTokenPtr &cancel) override
    {
        return m_inner->query(q, range, cancel);
    }
    std::vector<fd::Marker> markers(const fd::TimeRange &range, const fd::CancelTokenPtr &cancel) override
    {
        return m_inner->markers(range, cancel);
    }
    std::vector<fd::Span> trace(const std::string &traceId, const fd::CancelTokenPtr &cancel) override
    {
        return m_inner->trace(traceId, cancel);
    }
    fd::Frame recentTraces(const fd::TimeRange &range, int limit, const fd::CancelTokenPtr &cancel) override
    {
        return m_inner->recentTraces(range, limit, cancel);
    }

private:
    fd::DataSourcePtr m_inner;
};

} // namespace fdtest

#include "DemoSink.h"
#include "connectors/store/Store.h"
#include "models/Error.h"

namespace fd::demo {

void Sink::add(LogRecord &&record)
{
    m_batch.logs.push_back(std::move(record));
    ++m_summary.logs;
    added();
}

void Sink::add(Span &&span)
{
    m_batch.spans.push_back(std::move(span));
    ++m_summary.spans;
    added();
}

void Sink::add(MetricPoint &&point)
{
    m_batch.metrics.push_back(std::move(point));
    ++m_summary.metricPoints;
    added();
}

void Sink::added()
{
    if (++m_pending % 1024 == 0)
        throwIfCancelled(m_cancel);
    if (m_pending >= kBatchSize)
        flush();
}

void Sink::flush()
{
    throwIfCancelled(m_cancel);
    if (!m_batch.empty()) {
        ImportBatch batch;
        batch.telemetry = std::move(m_batch);
        m_writer.push(std::move(batch));
    }
    m_batch = {};
    m_pending = 0;
}

void Sink::finish()
{
    flush();
    m_writer.finish();
    throwIfCancelled(m_cancel); // the writer leaves the full-text index unfinished when cancelled
}

} // namespace fd::demo

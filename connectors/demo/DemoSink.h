#pragma once
#include "DemoDataset.h"
#include "models/Cancel.h"
#include "models/Telemetry.h"

namespace fd::demo {

// Collects generated telemetry and hands it to the store in batches of one transaction each.
class Sink
{
public:
    static constexpr std::size_t kBatchSize = 20000;

    Sink(Store &store, CancelTokenPtr cancel) : m_store(store), m_cancel(std::move(cancel)) {}

    void add(LogRecord &&record);
    void add(Span &&span);
    void add(MetricPoint &&point);
    void flush();
    // Throws fd::Cancelled when the token is set.
    void checkCancelled() const;
    const DemoSummary &summary() const { return m_summary; }

private:
    void added();

    Store &m_store;
    CancelTokenPtr m_cancel;
    TelemetryBatch m_batch;
    std::size_t m_pending = 0;
    DemoSummary m_summary;
};

} // namespace fd::demo

#pragma once
#include "DemoDataset.h"
#include "connectors/import/BatchWriter.h"
#include "models/Cancel.h"
#include "models/Telemetry.h"

namespace fd::demo {

// Collects generated telemetry and hands it in batches to a writer thread (BatchWriter: one transaction a batch, the
// indexes and the full-text index built at the end), so that the demo is generated while the store writes it.
class Sink
{
public:
    static constexpr std::size_t kBatchSize = 20000;

    // The store belongs to the writer thread until finish() returns.
    Sink(Store &store, CancelTokenPtr cancel) : m_cancel(cancel), m_writer(store, std::move(cancel)) {}

    void add(LogRecord &&record);
    void add(Span &&span);
    void add(MetricPoint &&point);
    // Commits everything added and indexes it for full-text search; rethrows the writer's error.
    void finish();
    const DemoSummary &summary() const { return m_summary; }

private:
    void added();
    void flush(); // hands the batch to the writer

    CancelTokenPtr m_cancel;
    BatchWriter m_writer;
    TelemetryBatch m_batch;
    std::size_t m_pending = 0;
    DemoSummary m_summary;
};

} // namespace fd::demo

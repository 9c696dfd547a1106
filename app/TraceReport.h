#pragma once
#include "Report.h"
#include "models/TraceTree.h"

namespace fd {

// One trace as a document: its summary, the waterfall picture, the critical path, the failed spans
// and the time per operation (total and self).
class TraceReport
{
public:
    static constexpr std::size_t kMaxRows = 200;

    TraceReport(const TraceTree &tree, QImage waterfall);

    const Report &report() const { return m_report; }
    void write(const QString &path) const { m_report.write(path); }

private:
    QString title() const;
    QString summary() const;
    ReportTable criticalPath() const;
    ReportTable errors() const;
    ReportTable operations() const;
    QStringList spanCells(const Span &span) const;

    const TraceTree &m_tree;
    Report m_report;
};

} // namespace fd

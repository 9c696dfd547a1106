#pragma once
#include "Report.h"
#include "models/Frame.h"
#include "models/Query.h"

namespace fd {

// A saved query's answer as a document: the query and what it compiled to, the range, the chart
// (when the answer is a time series) and the first rows.
class QueryReport
{
public:
    static constexpr std::size_t kMaxRows = 200;

    QueryReport(const std::string &name, const Query &query, const TimeRange &range, const Frame &frame, QImage chart);

    const Report &report() const { return m_report; }
    void write(const QString &path) const { m_report.write(path); }

private:
    QString htmlBody() const;
    QString markdown() const;
    QString summary() const;
    ReportTable rows() const;

    std::string m_name;
    const Query &m_query;
    TimeRange m_range;
    const Frame &m_frame;
    bool m_hasChart;
    Report m_report;
};

} // namespace fd

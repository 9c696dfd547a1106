#include "QueryReport.h"

namespace fd {

namespace {
std::size_t shownRows(const Frame &f) { return std::min(f.rowCount(), QueryReport::kMaxRows); }
} // namespace

QueryReport::QueryReport(const std::string &name, const Query &query, const TimeRange &range, const Frame &frame, QImage chart)
    : m_name(name)
    , m_query(query)
    , m_range(range)
    , m_frame(frame)
    , m_hasChart(!chart.isNull())
    , m_report(QString::fromStdString(name))
{
    if (m_hasChart)
        m_report.addImage(QStringLiteral("chart"), std::move(chart));
    m_report.setHtmlBody(htmlBody());
    m_report.setMarkdown(markdown());
}

QString QueryReport::summary() const
{
    const std::size_t total = m_frame.total > 0 ? static_cast<std::size_t>(m_frame.total) : m_frame.rowCount();
    QString s = QStringLiteral("%1 – %2 · %3 rows").arg(reportTime(m_range.from), reportTime(m_range.to)).arg(total);
    if (shownRows(m_frame) < total)
        s += QStringLiteral(", the first %1 shown").arg(shownRows(m_frame));
    return s;
}

ReportTable QueryReport::rows() const
{
    ReportTable table;
    for (const Column &c : m_frame.columns)
        table.headers << QString::fromStdString(c.name);
    for (std::size_t row = 0; row < shownRows(m_frame); ++row) {
        QStringList cells;
        for (const Column &c : m_frame.columns) {
            const Json v = cellToJson(c.cells[row], c.type);
            cells << QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump());
        }
        table.rows.push_back(std::move(cells));
    }
    return table;
}

QString QueryReport::htmlBody() const
{
    QString h = QStringLiteral("<h1>%1</h1><p>%2</p><pre>%3</pre>")
                    .arg(htmlText(m_name), summary().toHtmlEscaped(), htmlText(m_frame.nativeQuery.empty() ? queryToJson(m_query).dump() : m_frame.nativeQuery));
    if (m_hasChart)
        h += QStringLiteral("<p><img src=\"%1\" width=\"680\" alt=\"chart\"></p>").arg(Report::imageSource(QStringLiteral("chart")));
    return h + rows().html();
}

QString QueryReport::markdown() const
{
    QString md = QStringLiteral("# %1\n\n%2\n\n%3\n\n")
                     .arg(markdownText(QString::fromStdString(m_name)), markdownText(summary()),
                          markdownCode(QString::fromStdString(m_frame.nativeQuery.empty() ? queryToJson(m_query).dump() : m_frame.nativeQuery)));
    if (m_hasChart)
        md += QStringLiteral("![chart](%1)\n\n").arg(Report::imageSource(QStringLiteral("chart")));
    return md + rows().markdown();
}

} // namespace fd

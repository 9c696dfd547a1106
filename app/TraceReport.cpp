#include "TraceReport.h"
#include "models/Time.h"
#include "models/TraceStatistics.h"

namespace fd {

namespace {
QString q(const std::string &s) { return QString::fromStdString(s); }
const QString kWaterfall = QStringLiteral("waterfall");
} // namespace

TraceReport::TraceReport(const TraceTree &tree, QImage waterfall)
    : m_tree(tree)
    , m_report(title())
{
    m_report.addImage(kWaterfall, std::move(waterfall));
    const QString heading = title();
    const ReportTable path = criticalPath(), failed = errors(), perOperation = operations();
    const QString failedNote = failed.rows.empty() ? QStringLiteral("No span failed.") : QString();
    m_report.setHtmlBody(QStringLiteral("<h1>%1</h1><p>%2</p><p><img src=\"%3\" width=\"680\" alt=\"waterfall\"></p>"
                                        "<h2>Critical path</h2>%4<h2>Failed spans</h2><p>%5</p>%6<h2>Time per operation</h2>%7")
                             .arg(heading.toHtmlEscaped(), summary().toHtmlEscaped(), Report::imageSource(kWaterfall),
                                  path.html(), failedNote, failed.rows.empty() ? QString() : failed.html(), perOperation.html()));
    m_report.setMarkdown(QStringLiteral("# %1\n\n%2\n\n![waterfall](%3)\n\n## Critical path\n\n%4\n## Failed spans\n\n%5\n## Time per operation\n\n%6")
                             .arg(markdownText(heading), markdownText(summary()), Report::imageSource(kWaterfall), path.markdown(),
                                  failed.rows.empty() ? failedNote + QLatin1Char('\n') : failed.markdown(), perOperation.markdown()));
}

QString TraceReport::title() const
{
    const Span *root = m_tree.root();
    return root ? QStringLiteral("Trace: %1 %2").arg(q(root->service), q(root->name)) : QStringLiteral("Trace");
}

QString TraceReport::summary() const
{
    const std::string id = m_tree.spans.empty() ? std::string() : m_tree.spans.front().traceId;
    QString s = QStringLiteral("Trace %1 · started %2 · took %3 · %4 spans in %5 services · %6 failed")
                    .arg(q(id), reportTime(m_tree.start), formatElapsed(spanBetween(m_tree.start, m_tree.end)))
                    .arg(m_tree.spans.size())
                    .arg(m_tree.services.size())
                    .arg(m_tree.errorCount);
    if (!m_tree.orphans.empty())
        s += QStringLiteral(" · %1 spans whose parent never arrived").arg(m_tree.orphans.size());
    if (!m_tree.cycles.empty())
        s += QStringLiteral(" · %1 loops of parents").arg(m_tree.cycles.size());
    if (m_tree.repeatedSpans > 0)
        s += QStringLiteral(" · %1 spans arrived more than once, shown once").arg(m_tree.repeatedSpans);
    return s;
}

QStringList TraceReport::spanCells(const Span &span) const
{
    return {q(span.service), q(span.name), QStringLiteral("+") + formatElapsed(span.start - m_tree.start),
            formatElapsed(span.duration())};
}

ReportTable TraceReport::criticalPath() const
{
    ReportTable table{{QStringLiteral("Service"), QStringLiteral("Operation"), QStringLiteral("Starts"), QStringLiteral("Duration")}, {}};
    for (std::size_t row = 0; row < m_tree.rows.size() && table.rows.size() < kMaxRows; ++row)
        if (!m_tree.rows[row].placeholder && m_tree.isCritical(row))
            table.rows.push_back(spanCells(m_tree.span(m_tree.rows[row].span)));
    return table;
}

ReportTable TraceReport::errors() const
{
    ReportTable table{{QStringLiteral("Service"), QStringLiteral("Operation"), QStringLiteral("Starts"), QStringLiteral("Duration"),
                       QStringLiteral("Status")}, {}};
    for (std::size_t row = 0; row < m_tree.rows.size() && table.rows.size() < kMaxRows; ++row) {
        if (m_tree.rows[row].placeholder || !m_tree.isError(row))
            continue;
        const Span &span = m_tree.span(m_tree.rows[row].span);
        table.rows.push_back(spanCells(span) << q(span.statusMessage));
    }
    return table;
}

ReportTable TraceReport::operations() const
{
    ReportTable table{{QStringLiteral("Service"), QStringLiteral("Operation"), QStringLiteral("Spans"), QStringLiteral("Failed"),
                       QStringLiteral("Total"), QStringLiteral("Self")}, {}};
    for (const OperationStats &op : traceStatistics(m_tree)) {
        if (table.rows.size() == kMaxRows)
            break;
        table.rows.push_back({q(op.service), q(op.name), QString::number(op.count), QString::number(op.errors),
                              formatElapsed(op.total), formatElapsed(op.self)});
    }
    return table;
}

} // namespace fd

#include "BoardReport.h"
#include "models/Error.h"
#include "widgets/ChartView.h"

namespace fd {

namespace {

QString value(double v, const std::string &unit)
{
    return std::isfinite(v) ? formatValue(v, QString::fromStdString(unit)) : QStringLiteral("–");
}


QString stateWord(const TileResult &t) { return t.error.empty() ? QString::fromStdString(t.state) : QStringLiteral("error"); }

QString percent(const Json &share) { return share.is_number() ? QString::number(share.get<double>() * 100, 'f', 0) + QLatin1Char('%') : QStringLiteral("–"); }

// One line per anomaly: direction, start, end, the top suspect and the top change.
QStringList anomalyLines(const TileResult &t)
{
    QStringList lines;
    for (const Anomaly &a : t.anomalies) {
        QString line = QStringLiteral("%1 %2 from %3 %4").arg(a.direction > 0 ? QStringLiteral("up") : QStringLiteral("down"),
                                                               QString::number(std::abs(a.size) * 100, 'f', 0) + QLatin1Char('%'),
                                                               reportTime(a.start),
                                                               a.open ? QStringLiteral("(ongoing)") : QStringLiteral("to ") + reportTime(a.end));
        if (!a.suspects.empty()) {
            const Suspect &s = a.suspects.front();
            line += QStringLiteral("; suspect: %1 %2 (%3)").arg(QString::fromStdString(s.marker.kind),
                                                                QString::fromStdString(s.marker.title),
                                                                QString::fromStdString(s.reasons.empty() ? std::string() : s.reasons.front()));
        }
        if (!a.whatChanged.empty()) {
            const Json &c = a.whatChanged.front();
            line += QStringLiteral("; changed: %1 = %2 (%3 → %4)")
                        .arg(QString::fromStdString(c.value("field", std::string())),
                             QString::fromStdString(c.contains("value") && c["value"].is_string() ? c["value"].get<std::string>()
                                                                                                 : c.value("value", Json()).dump()),
                             percent(c.value("share_baseline", Json())), percent(c.value("share_anomaly", Json())));
        }
        lines << line;
    }
    return lines;
}

} // namespace

QString doraLine(const Json &overall)
{
    auto field = [&](const char *key, const char *unit = "", double scale = 1) { // no unit after "–" (none known)
        const Json v = overall.value(key, Json());
        return v.is_number() ? QString::number(v.get<double>() * scale, 'g', 3) + QLatin1String(unit) : QStringLiteral("–");
    };
    // The change failure rate in percent, as the DORA tab shows it (exploratory test: the report said 0.33)
    return QStringLiteral("deploys/day %1 · lead time median %2 · change failure rate %3 · time to restore median %4")
        .arg(field("deploys_per_day"), field("lead_time_hours_median", " h"), field("change_failure_rate", " %", 100),
             field("time_to_restore_minutes_median", " min"));
}

// The figures, and the markers they could not count.
QString BoardReport::doraText() const
{
    QString text = doraLine(m_result.dora.value("overall", Json::object()));
    for (const std::string &warning : m_result.warnings)
        text += QStringLiteral(" (%1)").arg(QString::fromStdString(warning));
    return text;
}

BoardReport::BoardReport(const BoardResult &result, QImage picture)
    : m_result(result)
    , m_report(QString::fromStdString(result.board))
{
    m_report.addImage(QStringLiteral("board"), std::move(picture));
    m_report.setHtmlBody(htmlBody());
    m_report.setMarkdown(markdown());
}

ReportTable BoardReport::tilesTable() const
{
    ReportTable table;
    table.headers = {QStringLiteral("Tile"), QStringLiteral("State"), QStringLiteral("Value"), QStringLiteral("Expected"),
                     QStringLiteral("Normal range")};
    for (const TileResult &t : m_result.tiles)
        table.rows.push_back({QString::fromStdString(t.name), stateWord(t), value(t.value, t.unit), value(t.expected, t.unit),
                              value(t.low, t.unit) + QStringLiteral(" – ") + value(t.high, t.unit)});
    return table;
}

QString BoardReport::htmlBody() const
{
    QString h = QStringLiteral("<h1>%1</h1><p>%2 – %3</p>").arg(htmlText(m_result.board), reportTime(m_result.range.from), reportTime(m_result.range.to));
    // 680 px fills the printable width of an A4 PDF page at 96 dpi; browsers scale it with the window.
    h += QStringLiteral("<p><img src=\"%1\" width=\"680\" alt=\"board\"></p>").arg(Report::imageSource(QStringLiteral("board")));
    h += QStringLiteral("<h2>Tiles</h2>") + tilesTable().html() + QStringLiteral("<h2>Anomalies</h2>");
    bool any = false;
    for (const TileResult &t : m_result.tiles) {
        const QStringList lines = anomalyLines(t);
        if (lines.isEmpty())
            continue;
        any = true;
        h += QStringLiteral("<h3>%1</h3><ul>").arg(htmlText(t.name));
        for (const QString &line : lines)
            h += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
        h += QStringLiteral("</ul>");
    }
    if (!any)
        h += QStringLiteral("<p>None in this range.</p>");
    h += QStringLiteral("<h2>DORA</h2><p>%1</p>").arg(doraText().toHtmlEscaped());
    return h;
}

QString BoardReport::markdown() const
{
    QString md = QStringLiteral("# %1\n\n%2 – %3\n\n![board](%4)\n\n## Tiles\n\n")
                     .arg(markdownText(QString::fromStdString(m_result.board)), reportTime(m_result.range.from), reportTime(m_result.range.to),
                          Report::imageSource(QStringLiteral("board")));
    md += tilesTable().markdown() + QStringLiteral("\n## Anomalies\n\n");
    bool any = false;
    for (const TileResult &t : m_result.tiles)
        for (const QString &line : anomalyLines(t)) {
            md += QStringLiteral("- **%1**: %2\n").arg(markdownText(QString::fromStdString(t.name)), markdownText(line));
            any = true;
        }
    if (!any)
        md += QStringLiteral("None in this range.\n");
    md += QStringLiteral("\n## DORA\n\n%1\n").arg(markdownText(doraText()));
    return md;
}

} // namespace fd

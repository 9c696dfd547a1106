#include "IncidentReport.h"
#include "BoardReport.h"
#include "models/DataSource.h"
#include "models/Dora.h"
#include <algorithm>

namespace fd {

namespace {
QString pictureName(std::size_t entry) { return QStringLiteral("entry%1").arg(entry + 1); }
const QString kUnreadablePicture = QStringLiteral("its picture could not be read: no PNG, or a damaged one");

QString q(const std::string &s) { return QString::fromStdString(s); }

// A Markdown paragraph the incident's writer wrote, or a note that there is none yet.
QString orNone(const std::string &text) { return text.empty() ? QStringLiteral("_(not written yet)_") : markdownParagraphs(q(text)); }

QString durationText(TimeNs from, TimeNs to)
{
    return to > from ? formatDuration(to - from) : QString();
}

} // namespace

IncidentReport::IncidentReport(const Incident &incident, const Json &dora)
    : m_incident(incident)
    , m_dora(dora)
    , m_report(q(incident.title))
{
    for (std::size_t n = 0; n < incident.timeline.size(); ++n) {
        const std::string &image = incident.timeline[n].image;
        if (image.empty())
            continue;
        const QImage picture = QImage::fromData(QByteArray::fromBase64(QByteArray::fromStdString(image)), "PNG");
        if (picture.isNull())
            continue; // said in its entry (a damaged one had failed the report, and left half of it written)
        m_report.addImage(pictureName(n), picture);
        m_pictured.insert(n);
    }
    m_report.setHtmlBody(htmlBody());
    m_report.setMarkdown(markdown());
}

bool IncidentReport::pictureUnreadable(std::size_t entry) const
{
    return !m_incident.timeline[entry].image.empty() && !pictured(entry);
}

QString IncidentReport::headline() const
{
    const Incident &i = m_incident;
    QString line = QStringLiteral("%1 · %2").arg(q(i.severity), q(i.status));
    if (!i.service.empty())
        line += QStringLiteral(" · service %1").arg(q(i.service));
    if (!i.owner.empty())
        line += QStringLiteral(" · owner %1").arg(q(i.owner));
    if (i.start)
        line += QStringLiteral(" · started %1").arg(reportTime(i.start));
    if (i.end && i.end < i.start) // a hand-edited file: said, not shown as "after " nothing (exploratory test)
        line += QStringLiteral(" · restored %1, before its start: check the times").arg(reportTime(i.end));
    else if (i.end)
        line += QStringLiteral(" · restored %1 (after %2)").arg(reportTime(i.end), durationText(i.start, i.end));
    else
        line += QStringLiteral(" · not restored yet");
    return line;
}

QString IncidentReport::doraText() const
{
    QString text = m_dora.is_object() && !m_dora.empty() ? doraLine(m_dora) : QStringLiteral("No deploys recorded around this incident.");
    if (m_dora.is_object() && m_dora.contains("left_out"))
        for (const Json &why : m_dora["left_out"])
            text += QStringLiteral(" (%1)").arg(QString::fromStdString(why.get<std::string>()));
    return text;
}

// The changes on the timeline up to the incident's start: a deploy, flag or config marker. The incident's own
// start and end, a rollback (the remedy), notes and what changed after it began are the story, not suspects.
std::vector<const IncidentEntry *> IncidentReport::suspects() const
{
    std::vector<const IncidentEntry *> out;
    for (const IncidentEntry &e : m_incident.timeline) {
        if (m_incident.start != 0 && e.time > m_incident.start)
            continue;
        const Json marker = e.ref.value("marker", Json::object());
        const std::string kind = marker.is_object() ? marker.value("kind", std::string()) : std::string();
        if (e.kind == "marker" && (kind == "deploy" || kind == "flag" || kind == "config" || kind.empty()))
            out.push_back(&e);
    }
    return out;
}

QString IncidentReport::htmlBody() const
{
    const Incident &i = m_incident;
    const auto para = [](const std::string &text) {
        return text.empty() ? QStringLiteral("<p><i>(not written yet)</i></p>")
                            : QStringLiteral("<p>%1</p>").arg(htmlText(text).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    };
    QString h = QStringLiteral("<h1>%1</h1><p>%2</p>").arg(htmlText(i.title), headline().toHtmlEscaped());
    h += QStringLiteral("<h2>Summary</h2>") + para(i.summary);
    h += QStringLiteral("<h2>Impact</h2>") + para(i.impact);
    h += QStringLiteral("<h2>Timeline</h2><table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">"
                        "<tr><th>Time (UTC)</th><th>Kind</th><th>What</th></tr>");
    for (std::size_t n = 0; n < i.timeline.size(); ++n) {
        const IncidentEntry &e = i.timeline[n];
        QString what = htmlText(e.title);
        if (!e.text.empty() && e.kind != "event")
            what += QStringLiteral("<br><small>%1</small>").arg(htmlText(e.text).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
        if (pictured(n))
            what += QStringLiteral("<br><img src=\"%1\" width=\"560\" alt=\"%2\">").arg(Report::imageSource(pictureName(n)), htmlText(e.title));
        else if (pictureUnreadable(n))
            what += QStringLiteral("<br><i>%1</i>").arg(kUnreadablePicture);
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>").arg(reportTime(e.time), htmlText(e.kind), what);
    }
    if (i.timeline.empty())
        h += QStringLiteral("<tr><td colspan=\"3\"><i>Nothing on the timeline yet.</i></td></tr>");
    h += QStringLiteral("</table><h2>Suspects and cause</h2><ul>");
    for (const IncidentEntry *s : suspects())
        h += QStringLiteral("<li>%1</li>").arg(htmlText(s->title) + (s->text.empty() ? QString() : QStringLiteral(" — ") + htmlText(s->text)));
    if (suspects().empty())
        h += QStringLiteral("<li><i>No suspect on the timeline.</i></li>");
    h += QStringLiteral("</ul><p><b>Cause:</b> %1</p>").arg(i.cause.empty() ? QStringLiteral("<i>(not written yet)</i>") : htmlText(i.cause));
    h += QStringLiteral("<h2>DORA</h2><p>%1</p>").arg(doraText().toHtmlEscaped());
    h += QStringLiteral("<h2>Action items</h2><ul>");
    for (const std::string &a : i.actionItems)
        h += QStringLiteral("<li>%1</li>").arg(htmlText(a));
    if (i.actionItems.empty())
        h += QStringLiteral("<li><i>None yet.</i></li>");
    return h + QStringLiteral("</ul>");
}

QString IncidentReport::markdown() const
{
    const Incident &i = m_incident;
    QString md = QStringLiteral("# %1\n\n%2\n\n## Summary\n\n%3\n\n## Impact\n\n%4\n\n## Timeline\n\n")
                     .arg(markdownText(q(i.title)), markdownText(headline()), orNone(i.summary), orNone(i.impact));
    md += QStringLiteral("| Time (UTC) | Kind | What |\n|---|---|---|\n");
    for (std::size_t n = 0; n < i.timeline.size(); ++n) {
        const IncidentEntry &e = i.timeline[n];
        QString what = q(e.title) + (e.text.empty() || e.kind == "event" ? QString() : QStringLiteral(" — ") + q(e.text));
        if (pictureUnreadable(n))
            what += QStringLiteral(" (%1)").arg(kUnreadablePicture);
        md += QStringLiteral("| %1 | %2 | %3 |\n").arg(reportTime(e.time), markdownText(q(e.kind)), markdownText(what));
    }
    for (std::size_t n = 0; n < i.timeline.size(); ++n)
        if (pictured(n))
            md += QStringLiteral("\n![%1](%2)\n").arg(markdownText(q(i.timeline[n].title)),
                                                     Report::imageSource(pictureName(n)));
    md += QStringLiteral("\n## Suspects and cause\n\n");
    for (const IncidentEntry *s : suspects())
        md += QStringLiteral("- %1\n").arg(markdownText(q(s->title) + (s->text.empty() ? QString() : QStringLiteral(" — ") + q(s->text))));
    if (suspects().empty())
        md += QStringLiteral("- No suspect on the timeline.\n");
    md += QStringLiteral("\n**Cause:** %1\n\n## DORA\n\n%2\n\n## Action items\n\n").arg(orNone(i.cause), markdownText(doraText()));
    for (const std::string &a : i.actionItems)
        md += QStringLiteral("- [ ] %1\n").arg(markdownText(q(a)));
    if (i.actionItems.empty())
        md += QStringLiteral("- [ ] _(none yet)_\n");
    return md;
}

Json incidentDora(DataSource &source, const Incident &incident, const CancelTokenPtr &cancel)
{
    const TimeNs end = incident.end ? incident.end : std::max(incident.start, nowNs());
    const TimeRange range{end - 7 * kDay, end};
    std::vector<std::string> leftOut; // a colleague's source not reachable from here: said, not a failed report
    const Dora dora = computeDora(doraMarkers(source, range.from, range.to, cancel, &leftOut), {}, range);
    const Json all = doraToJson(dora);
    Json figures = !incident.service.empty() && all["by_service"].contains(incident.service)
        ? all["by_service"][incident.service] : all["overall"];
    if (!leftOut.empty())
        figures["left_out"] = leftOut;
    return figures;
}

} // namespace fd

#include "BoardReport.h"
#include "models/Error.h"
#include "widgets/ChartView.h"
#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>

namespace fd {

namespace {
QString text(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString value(double v, const std::string &unit)
{
    return std::isfinite(v) ? formatValue(v, QString::fromStdString(unit)) : QStringLiteral("–");
}

QString when(TimeNs t) { return formatRfc3339(t).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')) + QStringLiteral(" UTC"); }

QString stateWord(const TileResult &t) { return t.error.empty() ? QString::fromStdString(t.state) : QStringLiteral("error"); }

QString percent(const Json &share) { return share.is_number() ? QString::number(share.get<double>() * 100, 'f', 0) + QLatin1Char('%') : QStringLiteral("–"); }

// One line per anomaly: direction, start, end, the top suspect and the top change.
QStringList anomalyLines(const TileResult &t)
{
    QStringList lines;
    for (const Anomaly &a : t.anomalies) {
        QString line = QStringLiteral("%1 %2 from %3 %4").arg(a.direction > 0 ? QStringLiteral("up") : QStringLiteral("down"),
                                                               QString::number(a.size * 100, 'f', 0) + QLatin1Char('%'),
                                                               when(a.start),
                                                               a.open ? QStringLiteral("(ongoing)") : QStringLiteral("to ") + when(a.end));
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

QString doraLine(const Json &overall)
{
    auto field = [&](const char *key) {
        const Json v = overall.value(key, Json());
        return v.is_number() ? QString::number(v.get<double>(), 'g', 3) : QStringLiteral("–");
    };
    return QStringLiteral("deploys/day %1 · lead time median %2 h · change failure rate %3 · time to restore median %4 min")
        .arg(field("deploys_per_day"), field("lead_time_hours_median"), field("change_failure_rate"),
             field("time_to_restore_minutes_median"));
}

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

void writeText(const QString &path, const QString &content)
{
    QSaveFile file(path);
    const QByteArray bytes = content.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
}
} // namespace

QString BoardReport::htmlBody(const QString &imageSource, int imageWidth) const
{
    QString h = QStringLiteral("<h1>%1</h1><p>%2 – %3</p>").arg(text(m_result.board), when(m_result.range.from), when(m_result.range.to));
    h += QStringLiteral("<p><img src=\"%1\" width=\"%2\" alt=\"board\"></p>").arg(imageSource).arg(imageWidth);
    h += QStringLiteral("<h2>Tiles</h2><table border=\"1\" cellspacing=\"0\" cellpadding=\"4\">"
                        "<tr><th>Tile</th><th>State</th><th>Value</th><th>Expected</th><th>Normal range</th></tr>");
    for (const TileResult &t : m_result.tiles)
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5 – %6</td></tr>")
                 .arg(text(t.name), stateWord(t), value(t.value, t.unit), value(t.expected, t.unit), value(t.low, t.unit),
                      value(t.high, t.unit));
    h += QStringLiteral("</table><h2>Anomalies</h2>");
    bool any = false;
    for (const TileResult &t : m_result.tiles) {
        const QStringList lines = anomalyLines(t);
        if (lines.isEmpty())
            continue;
        any = true;
        h += QStringLiteral("<h3>%1</h3><ul>").arg(text(t.name));
        for (const QString &line : lines)
            h += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
        h += QStringLiteral("</ul>");
    }
    if (!any)
        h += QStringLiteral("<p>None in this range.</p>");
    h += QStringLiteral("<h2>DORA</h2><p>%1</p>").arg(doraLine(m_result.dora.value("overall", Json::object())).toHtmlEscaped());
    return h;
}

QString BoardReport::html() const
{
    const QString image = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(pngBytes(m_picture).toBase64());
    return QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title>"
                          "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}</style></head><body>")
               .arg(text(m_result.board))
           + htmlBody(image, 1000) + QStringLiteral("</body></html>\n");
}

QString BoardReport::markdown(const QString &pictureFile) const
{
    QString md = QStringLiteral("# %1\n\n%2 – %3\n\n![board](%4)\n\n## Tiles\n\n| Tile | State | Value | Expected | Normal range |\n"
                                "|---|---|---|---|---|\n")
                     .arg(QString::fromStdString(m_result.board), when(m_result.range.from), when(m_result.range.to), pictureFile);
    for (const TileResult &t : m_result.tiles)
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 – %6 |\n")
                  .arg(QString::fromStdString(t.name), stateWord(t), value(t.value, t.unit), value(t.expected, t.unit),
                       value(t.low, t.unit), value(t.high, t.unit));
    md += QStringLiteral("\n## Anomalies\n\n");
    bool any = false;
    for (const TileResult &t : m_result.tiles)
        for (const QString &line : anomalyLines(t)) {
            md += QStringLiteral("- **%1**: %2\n").arg(QString::fromStdString(t.name), line);
            any = true;
        }
    if (!any)
        md += QStringLiteral("None in this range.\n");
    md += QStringLiteral("\n## DORA\n\n%1\n").arg(doraLine(m_result.dora.value("overall", Json::object())));
    return md;
}

void BoardReport::writePdf(const QString &path) const
{
    QPdfWriter pdf(path);
    pdf.setTitle(QString::fromStdString(m_result.board));
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setResolution(96);
    QTextDocument doc;
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("board.png")), m_picture);
    // The picture fills the printable width of the page (A4 at 96 dpi is 794 px with margins).
    doc.setHtml(htmlBody(QStringLiteral("board.png"), 680));
    doc.print(&pdf);
}

void BoardReport::write(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) {
        writeText(path, html());
    } else if (suffix == QLatin1String("md")) {
        const QFileInfo info(path);
        const QString picture = info.completeBaseName() + QStringLiteral(".png");
        if (!m_picture.save(info.absoluteDir().filePath(picture), "PNG"))
            throw Error(QStringLiteral("cannot write %1").arg(info.absoluteDir().filePath(picture)));
        writeText(path, markdown(picture));
    } else if (suffix == QLatin1String("pdf")) {
        writePdf(path);
        if (!QFileInfo(path).size())
            throw Error(QStringLiteral("cannot write %1").arg(path));
    } else {
        throw Error(QStringLiteral("a board report is .pdf, .html or .md, not \"%1\"").arg(path));
    }
}

} // namespace fd

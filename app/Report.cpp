#include "Report.h"
#include "models/Error.h"
#include "models/Time.h"
#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QRegularExpression>
#include <QTextDocument>
#include <QUrl>
#include <algorithm>
#include <cmath>

namespace fd {

namespace {
QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QString pictureFile(const QString &baseName, const QString &name) { return baseName + QLatin1Char('-') + name + QStringLiteral(".png"); }

// A file as a Markdown link's destination: in <> when a bare one would end early (a space, a parenthesis: an
// exploratory test's "Checkout trace (slow).md" showed its link as text).
QString markdownDestination(QString file)
{
    static const QRegularExpression bare(QStringLiteral("^[A-Za-z0-9._/~+-]*$"));
    if (bare.match(file).hasMatch())
        return file;
    file.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    file.replace(QLatin1Char('<'), QStringLiteral("\\<"));
    file.replace(QLatin1Char('>'), QStringLiteral("\\>"));
    return QLatin1Char('<') + file + QLatin1Char('>');
}
} // namespace

void writeFileAtomically(const QString &path, const std::function<bool(QIODevice &)> &write)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !write(file) || !file.commit())
        throw Error(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
}

void writeTextFile(const QString &path, const QString &content)
{
    const QByteArray bytes = content.toUtf8();
    writeFileAtomically(path, [&](QIODevice &file) { return file.write(bytes) == bytes.size(); });
}

void writePng(const QImage &image, const QString &path)
{
    writeFileAtomically(path, [&](QIODevice &file) { return image.save(&file, "PNG"); });
}

QString htmlText(const std::string &s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString markdownParagraphs(QString text) { return text.replace(QLatin1Char('<'), QStringLiteral("&lt;")); }

QString markdownText(QString text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\r') || c == QLatin1Char('\n'))
            out += QLatin1Char(' ');
        else if (c == QLatin1Char('&')) // "&amp;" in a name shows as written
            out += QStringLiteral("&amp;");
        else if (c == QLatin1Char('<'))
            out += QStringLiteral("&lt;");
        else if (QStringLiteral("\\`*_[]|~").contains(c)) // emphasis, code, links, strike-through and cells are the text's
            out += QLatin1Char('\\') + c;
        else
            out += c;
    }
    // At the start of an item, "# x", "> x", "- x", "---" or "1. x" would still be a heading, a quote, a list or a rule
    // inside it; not "43.9 %" or "+0 ns", whose mark no space follows (exploratory test: they were escaped). A quote
    // needs no space, and "-" may begin a rule: those two always are.
    static const QRegularExpression kLineStart(QStringLiteral("^\\s*(\\d*)([>-]|[#+.)](?=\\s|$))"));
    if (const QRegularExpressionMatch m = kLineStart.match(out);
        m.hasMatch() && (m.capturedLength(1) > 0) == (m.captured(2) == QLatin1String(".") || m.captured(2) == QLatin1String(")")))
        out.insert(m.capturedStart(2), QLatin1Char('\\'));
    return out;
}

QString markdownCode(const QString &text)
{
    qsizetype longest = 0;
    for (qsizetype i = 0, run = 0; i < text.size(); ++i) {
        run = text[i] == QLatin1Char('`') ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const QString fence(std::max<qsizetype>(3, longest + 1), QLatin1Char('`'));
    return fence + QLatin1Char('\n') + text + QLatin1Char('\n') + fence;
}

QString ReportTable::html() const
{
    QString h = QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr>");
    for (const QString &header : headers)
        h += QStringLiteral("<th>%1</th>").arg(header.toHtmlEscaped());
    h += QStringLiteral("</tr>");
    for (const QStringList &row : rows) {
        h += QStringLiteral("<tr>");
        for (const QString &cell : row)
            h += QStringLiteral("<td>%1</td>").arg(cell.toHtmlEscaped());
        h += QStringLiteral("</tr>");
    }
    return h + QStringLiteral("</table>");
}

QString ReportTable::markdown() const
{
    QStringList cells, rule;
    for (const QString &header : headers) {
        cells << markdownText(header);
        rule << QStringLiteral("---");
    }
    QString md = QStringLiteral("| %1 |\n|%2|\n").arg(cells.join(QStringLiteral(" | ")), rule.join(QLatin1Char('|')));
    for (const QStringList &row : rows) {
        cells.clear();
        for (const QString &cell : row)
            cells << markdownText(cell);
        md += QStringLiteral("| %1 |\n").arg(cells.join(QStringLiteral(" | ")));
    }
    return md;
}

QString reportTime(qint64 timeNs)
{
    if (timeNs == 0) // none known (an incident not started), never 1970
        return QStringLiteral("–");
    return formatRfc3339(timeNs).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')) + QStringLiteral(" UTC");
}

QString Report::imageSource(const QString &name) { return QStringLiteral("fd-image:") + name; }

void Report::addImage(const QString &name, QImage image) { m_images.emplace_back(name, std::move(image)); }

QString Report::html() const
{
    QString body = m_html;
    for (const auto &[name, image] : m_images)
        body.replace(imageSource(name), QStringLiteral("data:image/png;base64,") + QString::fromLatin1(pngBytes(image).toBase64()));
    return QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title>"
                          "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                          "td,th{vertical-align:top;text-align:left}img{max-width:100%}</style></head><body>")
               .arg(m_title.toHtmlEscaped())
           + body + QStringLiteral("</body></html>\n");
}

QString Report::markdown(const QString &baseName) const
{
    QString md = m_markdown;
    for (const auto &[name, image] : m_images)
        md.replace(imageSource(name), markdownDestination(pictureFile(baseName, name)));
    return md;
}

std::unique_ptr<QTextDocument> Report::document() const
{
    auto doc = std::make_unique<QTextDocument>();
    for (const auto &[name, image] : m_images)
        doc->addResource(QTextDocument::ImageResource, QUrl(imageSource(name)), image);
    doc->setHtml(m_html);
    return doc;
}

void Report::writePdf(const QString &path) const
{
    writeFileAtomically(path, [this](QIODevice &file) {
        QPdfWriter pdf(&file);
        pdf.setTitle(m_title);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setResolution(96);
        document()->print(&pdf);
        return file.size() > 0;
    });
}

int Report::writeImage(const QString &path, int width, int height) const
{
    const std::unique_ptr<QTextDocument> doc = document();
    doc->setTextWidth(width);
    const int full = static_cast<int>(std::ceil(doc->size().height()));
    const QSize size(width, height > 0 ? height : std::clamp(full, 1, kMaxImageHeight));
    const auto draw = [&](QPaintDevice &device) {
        QPainter painter;
        if (!painter.begin(&device))
            return false;
        painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
        doc->drawContents(&painter, QRectF(QPointF(0, 0), size));
        return painter.end();
    };
    if (QFileInfo(path).suffix().toLower() == QLatin1String("svg")) {
        writeFileAtomically(path, [&](QIODevice &file) {
            QSvgGenerator svg;
            svg.setOutputDevice(&file);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setResolution(kLayoutDpi); // the document was laid out at it: QSvgGenerator's 72 would shrink its text
            svg.setTitle(m_title);
            return draw(svg);
        });
    } else {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        if (!draw(image))
            throw Error(QStringLiteral("cannot draw the report into %1 × %2 px").arg(size.width()).arg(size.height()));
        writePng(image, path);
    }
    return full;
}

bool Report::writes(const QString &path)
{
    static const QStringList kSuffixes = {QStringLiteral("html"), QStringLiteral("htm"), QStringLiteral("md"), QStringLiteral("pdf")};
    return kSuffixes.contains(QFileInfo(path).suffix().toLower());
}

void Report::write(const QString &path) const
{
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) {
        writeTextFile(path, html());
    } else if (suffix == QLatin1String("md")) {
        // the text first: a path it cannot be written to (a folder) had left its pictures behind
        writeTextFile(path, markdown(info.completeBaseName()));
        for (const auto &[name, image] : m_images)
            writePng(image, info.absoluteDir().filePath(pictureFile(info.completeBaseName(), name)));
    } else if (suffix == QLatin1String("pdf")) {
        writePdf(path);
    } else {
        throw Error(QStringLiteral("a report is .pdf, .html or .md, not \"%1\"").arg(path));
    }
}

} // namespace fd

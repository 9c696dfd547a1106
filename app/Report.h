#pragma once
#include <QImage>
#include <QIODevice>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

class QTextDocument;

namespace fd {

// A document written as self-contained HTML (pictures inlined), Markdown (pictures saved next to it)
// or PDF (QPdfWriter), chosen by the file's suffix. Bodies refer to a picture by imageSource(name).
class Report
{
public:
    explicit Report(QString title) : m_title(std::move(title)) {}

    // The image source to put in the HTML and Markdown bodies; each format replaces it.
    static QString imageSource(const QString &name);
    void addImage(const QString &name, QImage image);
    void setHtmlBody(QString html) { m_html = std::move(html); }
    void setMarkdown(QString markdown) { m_markdown = std::move(markdown); }

    QString html() const;
    // Markdown referring to the pictures as BASENAME-NAME.png.
    QString markdown(const QString &baseName) const;
    // Throws fd::Error when the file (or a picture beside it) cannot be written.
    void write(const QString &path) const;
    // Whether write() knows the path's suffix: .html, .htm, .md or .pdf.
    static bool writes(const QString &path);
    static constexpr int kMaxImageHeight = 16384;
    static constexpr int kLayoutDpi = 96; // QTextDocument's own, without a paint device
    // The document laid out `width` px wide and drawn into a .png or .svg `height` px high (0: as high as the
    // document, up to kMaxImageHeight). Returns the document's own height, which may be more than the picture holds.
    int writeImage(const QString &path, int width, int height = 0) const;

private:
    void writePdf(const QString &path) const;
    std::unique_ptr<QTextDocument> document() const;

    QString m_title;
    QString m_html;
    QString m_markdown;
    std::vector<std::pair<QString, QImage>> m_images;
};

// A table of text cells written as HTML or as Markdown (pipes and newlines escaped).
struct ReportTable {
    QStringList headers;
    std::vector<QStringList> rows;

    QString html() const;
    QString markdown() const;
};
// User text on one Markdown line or table cell, shown as written: a line break in it had started a heading or
// an item, a tag raw HTML, and *, _, [..](..), ` and | emphasis, a link, code or another cell.
QString markdownText(QString text);
// User text of paragraphs (a summary): its line breaks stay, its tags are text.
QString markdownParagraphs(QString text);
// A fenced code block that `text` cannot close: the fence is longer than any run of backticks in it.
QString markdownCode(const QString &text);

// Writes path through a QSaveFile, so it is whole or untouched; write returns false when it fails.
// Throws fd::Error.
void writeFileAtomically(const QString &path, const std::function<bool(QIODevice &)> &write);
// Text written atomically; throws fd::Error.
void writeTextFile(const QString &path, const QString &content);
// A PNG written atomically; throws fd::Error.
void writePng(const QImage &image, const QString &path);
QString htmlText(const std::string &s);
// "2026-11-20 14:05:00 UTC"
QString reportTime(qint64 timeNs);

} // namespace fd

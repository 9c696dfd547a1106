#pragma once
#include "models/BoardEvaluator.h"
#include <QImage>
#include <QString>

namespace fd {

// A board's state as a document: its picture, then per tile the value against its normal range,
// the anomalies with their suspects and what changed, and the DORA figures.
class BoardReport
{
public:
    BoardReport(const BoardResult &result, QImage picture) : m_result(result), m_picture(std::move(picture)) {}

    // Self-contained HTML: the picture is inlined, nothing external is referenced.
    QString html() const;
    // Markdown that links the picture saved next to it as `pictureFile`.
    QString markdown(const QString &pictureFile) const;
    // Writes .html, .md (plus its .png) or .pdf by the suffix of `path`; throws fd::Error.
    void write(const QString &path) const;

private:
    QString htmlBody(const QString &imageSource, int imageWidth) const;
    void writePdf(const QString &path) const;

    const BoardResult &m_result;
    QImage m_picture;
};

} // namespace fd

#pragma once
#include "Report.h"
#include "models/BoardEvaluator.h"
#include <QImage>
#include <QString>

namespace fd {

// A board's state as a document: its picture, then per tile the value against its normal range,
// the anomalies with their suspects and what changed, and the DORA figures.
class BoardReport
{
public:
    BoardReport(const BoardResult &result, QImage picture);

    const Report &report() const { return m_report; }
    void write(const QString &path) const { m_report.write(path); }

private:
    ReportTable tilesTable() const;
    QString htmlBody() const;
    QString markdown() const;
    QString doraText() const;

    const BoardResult &m_result;
    Report m_report;
};

// The DORA figures of a board result or of doraToJson() on one line.
QString doraLine(const Json &figures);

} // namespace fd

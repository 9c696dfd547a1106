#pragma once
#include "Frame.h"
#include "Json.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QStringList>

namespace fd {

// Log records of a logs rows frame as a table: Time, Severity, Service, Body, then the attribute
// columns the user picked. The fixed columns read the frame directly; attribute columns parse a
// row's JSON on first use and keep it in a bounded cache.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum FixedColumn { TimeColumn, SeverityColumn, ServiceColumn, BodyColumn, FixedColumnCount };
    enum Role {
        RecordJsonRole = Qt::UserRole + 1, // QString: every column of the row as one JSON object
        TraceIdRole,                       // QString, empty when the record has none
        SeverityRole,                      // int, OpenTelemetry severity number
        TimeRole,                          // qint64 nanoseconds since the epoch
    };

    explicit EventTableModel(QObject *parent = nullptr);

    void setFrame(FramePtr frame);
    FramePtr frame() const { return m_frame; }

    // Attribute keys shown after the fixed columns; looked up in the record attributes, then the resource.
    void setExtraColumns(const QStringList &keys);
    QStringList extraColumns() const { return m_extraColumns; }
    // Sorted keys seen in the attributes and resources of the loaded rows (at most kKeyScanRows rows are read).
    QStringList attributeKeys() const;

    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }

    // Every column of one row, times as RFC 3339 and JSON columns parsed.
    Json record(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static constexpr int kKeyScanRows = 5000;

private:
    struct ParsedRow {
        Json attributes;
        Json resource;
    };
    struct ColumnIndex {
        int time = -1, severity = -1, severityText = -1, service = -1, body = -1;
        int traceId = -1, attributes = -1, resource = -1;
    };

    const Cell *cell(int row, int column) const;
    QString text(int row, int column) const;
    int severity(int row) const;
    QString severityText(int row) const;
    QString timeText(int row) const;
    QString bodyText(int row) const;
    QString extraText(int row, const std::string &key) const;
    const ParsedRow &parsed(int row) const;
    QVariant severityColor(int row, int role, int column) const;

    FramePtr m_frame;
    ColumnIndex m_cols;
    QStringList m_extraColumns;
    std::vector<std::string> m_extraKeys;
    bool m_utc = false;
    mutable QCache<int, ParsedRow> m_parsed{4096};
    mutable QStringList m_attributeKeys;
    mutable bool m_keysValid = false;
};

} // namespace fd

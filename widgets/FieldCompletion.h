#pragma once
#include "models/DataSource.h"
#include <QHash>
#include <QObject>
#include <QStringList>
#include <optional>

namespace fd {

class JobRunner;

// Field names and values for the query bar's completion, asked of the source off the GUI thread and
// cached per source, signal and time range. The only place the query builder calls
// DataSource::fieldNames/fieldValues.
class FieldCompletion : public QObject
{
    Q_OBJECT
public:
    explicit FieldCompletion(QObject *parent = nullptr);

    void setSource(DataSourcePtr source);
    void setSignal(Signal signal);
    void setTimeRange(const TimeRange &range);

    // The cached answer, or nullopt after asking for it (namesReady/valuesReady follow).
    std::optional<QStringList> names();
    std::optional<QList<FieldValue>> values(const QString &field);
    // What a value's count covers when the source counts only part of the range ("" when all of it).
    QString valueCountNote() const;

Q_SIGNALS:
    void namesReady();
    void valuesReady(const QString &field);

private:
    void clear();

    DataSourcePtr m_source;
    Signal m_signal = Signal::Logs;
    TimeRange m_range;
    TimeRange m_filledFor; // the range the cached answers are of
    JobRunner *m_namesRunner = nullptr;
    JobRunner *m_valuesRunner = nullptr;
    std::optional<QStringList> m_names;
    bool m_namesAsked = false;
    QHash<QString, QList<FieldValue>> m_values;
    QString m_valuesAsked; // the field whose values are on their way
};

} // namespace fd

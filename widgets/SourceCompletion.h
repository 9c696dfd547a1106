#pragma once
#include "PromQlCompletionSource.h"
#include "models/DataSource.h"
#include <QObject>
#include <QPointer>
#include <vector>

namespace fd {

class PromQlEditor;

// Answers a PromQL editor's completion requests from a DataSource (fieldNames/fieldValues), each off
// the GUI thread; answers for a source or range that changed meanwhile are dropped.
class SourceCompletion : public QObject, public PromQlCompletionSource
{
    Q_OBJECT
public:
    SourceCompletion(PromQlEditor *editor, QObject *parent = nullptr);
    ~SourceCompletion() override;

    // Forgets the editor's cached names when the source or the range changes.
    void setSource(DataSourcePtr source, const TimeRange &range);

    void requestMetricNames() override;
    void requestLabelNames(const QString &metric) override;
    void requestLabelValues(const QString &label, const QString &metric) override;

private:
    // Runs `fetch` on a worker thread and hands its names to `deliver` on the GUI thread.
    void fetchNames(std::function<std::vector<std::string>(DataSource &, const CancelTokenPtr &)> fetch,
                    std::function<void(PromQlEditor *, const QStringList &)> deliver);
    void cancelAll();

    QPointer<PromQlEditor> m_editor;
    DataSourcePtr m_source;
    TimeRange m_range;
    quint64 m_generation = 0;
    std::vector<CancelTokenPtr> m_running;
};

} // namespace fd

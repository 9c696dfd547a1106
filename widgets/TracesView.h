#pragma once
#include "models/DataSource.h"
#include "models/Incident.h"
#include "models/Time.h"
#include "models/TraceTree.h"

#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QStandardItemModel;
class QTableView;

namespace fd {

class DetailsTree;
class JobRunner;
class TraceWaterfall;
class WaterfallControls;

// Recent traces of the time range in a table; the selected one as a waterfall (with its search,
// filter, collapse and zoom controls and service legend), with every field of the selected span
// beside it. Loading and laying out a trace both happen off the GUI thread.
class TracesView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kTraceLimit = 500;
    enum TraceColumn { RootNameColumn, ServiceColumn, StartColumn, DurationColumn, SpansColumn, ErrorsColumn,
                       TraceColumnCount };

    explicit TracesView(QWidget *parent = nullptr);
    ~TracesView() override;

    void setSource(DataSourcePtr source);
    // Takes effect at the next refresh().
    void setTimeRange(const TimeRange &range);
    TimeRange timeRange() const { return m_range; }
    QString currentTraceId() const { return m_traceId; }

public Q_SLOTS:
    void refresh();
    void showTrace(const QString &traceId);
    // The trace on screen; null before one is laid out.
    std::shared_ptr<const TraceTree> currentTree() const { return m_tree; }
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);
    void addToIncident(const IncidentEntry &entry);

private:
    void buildUi();
    void addShownToIncident();
    QWidget *buildToolBar();
    void showTraceList(const FramePtr &frame);
    void showTraceTree(const std::shared_ptr<const TraceTree> &tree);
    void showListError(const QString &message);
    void showTraceError(const QString &message);
    void onTraceRowChanged(const QModelIndex &current);
    void onSpanSelected(int spanIndex);
    void selectTraceRow(const QString &traceId);
    void updateBusy();

    DataSourcePtr m_source;
    TimeRange m_range;
    QString m_traceId;
    std::shared_ptr<const TraceTree> m_tree;
    JobRunner *m_listRunner = nullptr;
    JobRunner *m_traceRunner = nullptr;

    QStandardItemModel *m_traces = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_traceIdEdit = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_summary = nullptr;
    TraceWaterfall *m_waterfall = nullptr;
    WaterfallControls *m_controls = nullptr;
    DetailsTree *m_details = nullptr;
};

} // namespace fd

#pragma once
#include "models/DataSource.h"
#include "models/FollowedRange.h"
#include "models/Incident.h"
#include "models/Time.h"
#include "models/TraceQuery.h"
#include "models/TraceStatistics.h"
#include "models/TraceTree.h"
#include "SourcePicker.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QStandardItemModel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace fd {

class DetailsTree;
class FieldCompletion;
struct LoadedTrace {
    std::shared_ptr<const TraceTree> tree;
    std::vector<OperationStats> stats;
};
class JobRunner;
class TraceCompareView;
class TraceScatter;
class TraceWaterfall;
class WaterfallControls;

// A trace search (service, operation, duration, status, attribute conditions over the time range, completed
// from the source; with none, the recent traces) whose results are a table and a duration-over-time
// scatter plot, from which a trace is compared with another or with the median of similar ones; the chosen
// trace as a waterfall (with its search, filter, collapse and zoom controls and service legend), with
// every field of the selected span beside it. Searching, loading and laying out run off the GUI thread.
class TracesView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kTraceLimit = 500;
    // How many similar traces (same root service and operation, in the time range) make the median.
    static constexpr int kMedianTraces = 20;
    enum TraceColumn { RootNameColumn, ServiceColumn, StartColumn, DurationColumn, SpansColumn, ErrorsColumn,
                       ServicesColumn, TraceColumnCount };
    enum StatColumn { StatServiceColumn, StatOperationColumn, StatCountColumn, StatTotalColumn, StatSelfColumn,
                      StatAverageColumn, StatMaxColumn, StatErrorsColumn, StatColumnCount };

    explicit TracesView(QWidget *parent = nullptr);
    ~TracesView() override;

    void setSource(DataSourcePtr source);
    // The sources of spans a person can pick before the search (shown when there are several); `selected`, else
    // the first. A trace opened by id is looked up in every source, the picked one first.
    void setSources(std::vector<SourceChoice> sources, const QString &selected = {});
    SourcePicker *sourcePicker() const { return m_sourcePicker; }
    // The range of the searches from the next refresh(): this one, or (followTimeRange) the one `now` gives as each
    // search starts.
    void setTimeRange(const TimeRange &range);
    void followTimeRange(std::function<TimeRange()> now);
    TimeRange timeRange() const { return m_range.current(); }
    QString currentTraceId() const { return m_traceId; }
    // The trace on screen; null before one is laid out.
    std::shared_ptr<const TraceTree> currentTree() const { return m_tree; }
    // What the search form holds.
    TraceQuery traceQuery() const;

public Q_SLOTS:
    // Runs the search form's query over the time range (the recent traces when the form is empty).
    void refresh();
    void showTrace(const QString &traceId);
    // Compares the open trace (A) with another (B) by operation path, in the Compare tab.
    void compareWith(const QString &traceId);
    // Compares a trace with the median of up to kMedianTraces similar traces, in the Compare tab.
    void compareWithMedian(const QString &traceId);
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);
    void addToIncident(const IncidentEntry &entry);
    // "Logs of this span / trace": the Events view with this filter over this window.
    void openEvents(const Query &filter, const TimeRange &window);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void clearShown(); // the list, the scatter and the trace open
    void clearTrace(const QString &placeholder); // the trace open: its waterfall says `placeholder` meanwhile
    void buildUi();
    void addShownToIncident();
    QWidget *buildToolBar();
    QWidget *buildSearchForm();
    QWidget *buildDetailsPane();
    QWidget *buildStatisticsTable();
    void showStatistics(const std::vector<OperationStats> &stats);
    void showSpanMenu(int spanIndex, const QPoint &globalPos);
    void openLogs(bool ofSpan);
    void showTraceListMenu(const QPoint &pos);
    void showScatter(const Frame &frame);
    void showTraceList(const FramePtr &frame);
    void showTraceTree(const std::shared_ptr<const TraceTree> &tree);
    void showListError(const QString &message);
    void showTraceError(const QString &message);
    void onTraceRowChanged(const QModelIndex &current);
    void onSpanSelected(int spanIndex);
    void selectTraceRow(const QString &traceId);
    void updateBusy();

    DataSourcePtr m_source;
    FollowedRange m_range;
    QString m_traceId;
    std::shared_ptr<const TraceTree> m_tree;
    JobRunner *m_listRunner = nullptr;
    JobRunner *m_traceRunner = nullptr;
    JobRunner *m_compareRunner = nullptr;
    FieldCompletion *m_fields = nullptr; // the search form's completion: span fields and values

    QStandardItemModel *m_traces = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_traceIdEdit = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_summary = nullptr;
    SourcePicker *m_sourcePicker = nullptr;
    QLineEdit *m_searchService = nullptr;
    QLineEdit *m_searchOperation = nullptr;
    QLineEdit *m_minDuration = nullptr;
    QLineEdit *m_maxDuration = nullptr;
    QComboBox *m_searchStatus = nullptr;
    QLineEdit *m_searchAttributes = nullptr;
    TraceScatter *m_scatter = nullptr;
    QTabWidget *m_traceTabs = nullptr;
    QStandardItemModel *m_stats = nullptr;
    QTableView *m_statsTable = nullptr;
    TraceCompareView *m_compare = nullptr;
    QPushButton *m_spanLogsButton = nullptr;
    QPushButton *m_traceLogsButton = nullptr;
    TraceWaterfall *m_waterfall = nullptr;
    WaterfallControls *m_controls = nullptr;
    DetailsTree *m_details = nullptr;
};

} // namespace fd

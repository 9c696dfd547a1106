#pragma once
#include "models/DataSource.h"
#include "models/FollowedRange.h"
#include "models/Incident.h"
#include "models/Snapshot.h"
#include "SourcePicker.h"
#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QToolButton;
class QLineEdit;
class QPushButton;

namespace fd {

class ChartView;
struct MetricsResult;
class JobRunner;
class PromQlEditor;
class SourceCompletion;

// Ad hoc time series: a small query form (signal, filter, group by, aggregate, interval) and a
// chart with one line per group and the markers of the range.
class MetricsView : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsView(QWidget *parent = nullptr);

    void setSource(DataSourcePtr source);
    // The sources a person can pick (shown when there are several); `selected`, else the first, is chosen.
    void setSources(std::vector<SourceChoice> sources, const QString &selected = {});
    void selectSource(const QString &id);
    QString currentSourceId() const;
    SourcePicker *sourcePicker() const { return m_sourcePicker; }
    // The range of the runs: this one, or (followTimeRange) the one `now` gives as each run starts.
    void setTimeRange(const TimeRange &range);
    void followTimeRange(std::function<TimeRange()> now);
    // Anomalies found elsewhere (the board), shaded on the chart with the workspace's markers.
    void setAnomalies(std::vector<TimeRange> anomalies);
    // Fills the form; an interval of 0 means "auto".
    void setQuery(const Query &query);
    // The form's texts as typed (a workspace's view state keeps them), and back, without running them.
    Json formState() const;
    void restoreFormState(const Json &state);
    // The query in the form, or nullopt with the reason shown under the form.
    std::optional<Query> formQuery();
    // A saved query's kept answer instead of a live run (until the next run).
    void showSnapshot(const Query &query, const Snapshot &snapshot);
    ChartView *chart() const { return m_chart; }
    QString errorText() const;
    bool isBusy() const;

    // About 150 buckets over the range, rounded up to a readable step (1m, 5m, 15m, 1h ...).
    static DurationNs autoInterval(DurationNs rangeLength);
    // For sources that pay per point (Prometheus): about one point per pixel of the chart, in whole seconds.
    static DurationNs pixelInterval(DurationNs rangeLength, int pixels);
    // What the form compiles to on the current source ("" when it cannot be compiled).
    QString nativeQueryText() const;
    // The native-language editor (PromQL sources): on, the editor's query runs instead of the form's.
    void setRawMode(bool raw);
    bool isRawMode() const;
    PromQlEditor *promQlEditor() const { return m_promql; }

public Q_SLOTS:
    void refresh();
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);
    // The query and a picture of the chart, for the current incident.
    void addToIncident(const IncidentEntry &entry);

private:
    QWidget *buildForm();
    void applyTimeRange();
    void dropChart();
    bool isBlank() const; // nothing typed: nothing to run
    void showError(const QString &message);
    void showResult(const MetricsResult &result, const TimeRange &range);
    void updateNativeQuery();
    void updateModeWidgets();
    DurationNs chosenInterval() const;
    QWidget *buildChartOptions();

    DataSourcePtr m_source;
    std::vector<TimeRange> m_anomalies;
    SourcePicker *m_sourcePicker = nullptr;
    QLabel *m_native = nullptr;
    QToolButton *m_rawToggle = nullptr;
    PromQlEditor *m_promql = nullptr;
    SourceCompletion *m_completion = nullptr;
    QWidget *m_builder = nullptr;
    QCheckBox *m_logScale = nullptr;
    QCheckBox *m_stacked = nullptr;
    FollowedRange m_range;
    JobRunner *m_runner = nullptr;
    QComboBox *m_signal = nullptr;
    QLineEdit *m_filter = nullptr;
    QLineEdit *m_groupBy = nullptr;
    QLineEdit *m_aggregate = nullptr;
    QComboBox *m_interval = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_notes = nullptr; // what the source said beside the series
    QLabel *m_snapshotNote = nullptr;
    ChartView *m_chart = nullptr;
};

} // namespace fd

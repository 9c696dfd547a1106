#pragma once
#include "models/DataSource.h"
#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace fd {

class ChartView;
class JobRunner;

// Ad hoc time series: a small query form (signal, filter, group by, aggregate, interval) and a
// chart with one line per group and the markers of the range.
class MetricsView : public QWidget
{
    Q_OBJECT
public:
    struct SourceChoice {
        QString id;
        DataSourcePtr source;
    };

    explicit MetricsView(QWidget *parent = nullptr);

    void setSource(DataSourcePtr source);
    // The sources a person can pick (a combo shows when there are several); the first is chosen.
    void setSources(std::vector<SourceChoice> sources);
    void selectSource(const QString &id);
    QString currentSourceId() const;
    void setTimeRange(const TimeRange &range);
    // Fills the form; an interval of 0 means "auto".
    void setQuery(const Query &query);
    // The query in the form, or nullopt with the reason shown under the form.
    std::optional<Query> formQuery();
    ChartView *chart() const { return m_chart; }
    QString errorText() const;
    bool isBusy() const;

    // About 150 buckets over the range, rounded up to a readable step (1m, 5m, 15m, 1h ...).
    static DurationNs autoInterval(DurationNs rangeLength);
    // For sources that pay per point (Prometheus): about one point per pixel of the chart, in whole seconds.
    static DurationNs pixelInterval(DurationNs rangeLength, int pixels);
    // What the form compiles to on the current source ("" when it cannot be compiled).
    QString nativeQueryText() const;

public Q_SLOTS:
    void refresh();
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    QWidget *buildForm();
    void showError(const QString &message);
    void updateNativeQuery();
    DurationNs chosenInterval() const;

    DataSourcePtr m_source;
    std::vector<SourceChoice> m_sources;
    QComboBox *m_sourceBox = nullptr;
    QLabel *m_sourceLabel = nullptr;
    QLabel *m_native = nullptr;
    TimeRange m_range;
    JobRunner *m_runner = nullptr;
    QComboBox *m_signal = nullptr;
    QLineEdit *m_filter = nullptr;
    QLineEdit *m_groupBy = nullptr;
    QLineEdit *m_aggregate = nullptr;
    QComboBox *m_interval = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_error = nullptr;
    ChartView *m_chart = nullptr;
};

} // namespace fd

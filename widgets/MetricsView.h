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
    explicit MetricsView(QWidget *parent = nullptr);

    void setSource(DataSourcePtr source);
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

public Q_SLOTS:
    void refresh();
    void cancel();

Q_SIGNALS:
    void statusMessage(const QString &message);

private:
    QWidget *buildForm();
    void showError(const QString &message);

    DataSourcePtr m_source;
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

#pragma once
#include "models/BoardEvaluator.h"
#include <QWidget>

class QLabel;

namespace fd {

class ChartView;

// One mission-control tile: name, current value against its normal range, the chart with band,
// markers and anomalies, and the state as a strong coloured edge.
class TileWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TileWidget(QWidget *parent = nullptr);

    void setResult(const TileResult &result, const TimeRange &range);
    QString state() const { return m_state; }
    QString valueText() const;
    ChartView *chart() const { return m_chart; }

    static QColor stateColor(const QString &state);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void showChart(const TileResult &result, const TimeRange &range);
    static QString expectedText(const TileResult &result);
    static QString anomalyText(const TileResult &result);

    QLabel *m_name = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_expected = nullptr;
    QLabel *m_anomaly = nullptr;
    QLabel *m_error = nullptr;
    ChartView *m_chart = nullptr;
    QString m_state = QStringLiteral("no_data");
};

} // namespace fd

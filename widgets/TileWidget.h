#pragma once
#include "models/Board.h"
#include "models/BoardEvaluator.h"
#include "models/Incident.h"
#include <QWidget>

class QMenu;
#include <optional>

class QAction;
class QLabel;

namespace fd {

class ChartView;
class ElidedLabel;

// One mission-control tile: name, current value against its normal range, the chart with band,
// markers and anomalies, and the state as a strong coloured edge. Clicking a tile with anomalies asks
// for the latest one (or the one whose shaded span was clicked); the context menu exports the tile as
// a Prometheus alerting rule and opens its events.
class TileWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TileWidget(QWidget *parent = nullptr);

    void setResult(const TileResult &result, const TimeRange &range);
    // Evaluating: the badge says so, over the last result until the next setResult.
    void showLoading();
    // The evaluation ended without a result for this tile (cancelled, failed): its last result's state again.
    void hideLoading();
    bool isLoading() const { return m_loading; }
    // The tile's definition, for the alert rule and its events; without it both actions stay off.
    void setTile(const Tile &tile, const QString &boardName);
    // The result's state, or "error" when its query failed.
    QString state() const { return m_state; }
    QString valueText() const;
    ChartView *chart() const { return m_chart; }
    const TileResult &result() const { return m_result; }
    QAction *exportAlertRuleAction() const { return m_exportAlertRule; }
    QAction *openEventsAction() const { return m_openEvents; }
    // The tile's actions, plus "Add … to incident" when `pos` (this widget's coordinates) is on a marker line.
    QMenu *contextMenuAt(const QPoint &pos);

    static QColor stateColor(const QString &state);
    // The alerting rule for a tile as `result` learned it: the band's median half-width relative
    // to the expected value, and its bucket. Throws fd::Error when the tile has no PromQL.
    static std::string alertRuleYaml(const QString &boardName, const Tile &tile, const TileResult &result);
    // Writes alertRuleYaml() to `path` atomically; false with `error` set when it cannot.
    static bool writeAlertRule(const QString &path, const QString &boardName, const Tile &tile,
                               const TileResult &result, QString *error = nullptr);

public Q_SLOTS:
    // A board-wide crosshair: another tile's hoveredTime() shows here.
    void showCrosshairAt(TimeNs t);
    void hideCrosshair();
    // Asks for a .yml file and writes the alert rule there.
    void exportAlertRule();

Q_SIGNALS:
    void anomalyActivated(int anomalyIndex);
    // The tile's events in its latest anomaly's window, else in the displayed range.
    void openEvents(const Query &filter, const TimeRange &window);
    void hoveredTime(TimeNs t);
    void hoverLeft();
    // A picture of the tile, for the current incident.
    void addToIncident(const IncidentEntry &entry);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void setBadge(const QString &state);
    static QString placeholderText(const TileResult &result);
    void showChart(const TileResult &result, const TimeRange &range);
    void updateActions();
    void requestEvents();
    void requestIncidentSnapshot();
    TimeRange anomalySpan(const Anomaly &a) const;
    // The anomaly whose shaded span holds x (the chart's coordinates), else -1.
    int anomalyAtChartX(int x) const;
    static QString expectedText(const TileResult &result);
    static QString anomalyText(const TileResult &result);

    ElidedLabel *m_name = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_expected = nullptr;
    QLabel *m_anomaly = nullptr;
    QLabel *m_error = nullptr;
    ChartView *m_chart = nullptr;
    QAction *m_exportAlertRule = nullptr;
    QAction *m_openEvents = nullptr;
    QString m_state = QStringLiteral("no_data");
    bool m_loading = false;
    TileResult m_result;
    TimeRange m_range;
    std::optional<Tile> m_tile;
    QString m_boardName;
    QPoint m_pressPos;
    bool m_pressed = false;
};

} // namespace fd

#pragma once
#include "models/Telemetry.h"
#include <QChartView>
#include <optional>
#include <utility>
#include <vector>

namespace fd {

// What the crosshair shows: a vertical line at `ms` and a label (title, then one line per value).
struct CrosshairLabel {
    struct Line {
        QColor color; // invalid: no swatch
        QString text;
    };
    double ms = 0;
    QString title;
    std::vector<Line> lines;
};

// The QtCharts view plus what QtCharts cannot draw: anomaly spans, marker lines and their tooltips,
// the crosshair with its value label and the zoom rubber band. Times are ms since the epoch.
class ChartCanvas : public QChartView
{
public:
    ChartCanvas(QChart *chart, QWidget *parent);

    void setMarkers(std::vector<Marker> markers) { m_markers = std::move(markers); }
    void setAnomalies(std::vector<std::pair<double, double>> spans) { m_anomalies = std::move(spans); }
    void setXRange(double minMs, double maxMs);
    double xMinMs() const { return m_xMin; }
    double xMaxMs() const { return m_xMax; }
    void setPlaceholder(const QString &text) { m_placeholder = text; }
    const QString &placeholder() const { return m_placeholder; }
    void setShowPlaceholder(bool show) { m_showPlaceholder = show; }
    void setCompact(bool compact) { m_compact = compact; }
    void setCrosshair(std::optional<CrosshairLabel> crosshair);
    void setRubberBand(std::optional<std::pair<double, double>> band);
    void refreshOverlay();

    // The plot area in viewport coordinates, and the mapping between time and viewport x.
    QRectF plotRectInViewport() const;
    double msAtViewportX(qreal x) const;
    qreal sceneX(double ms) const;
    // The marker line near a viewport position; nullptr when none.
    const Marker *markerAt(const QPoint &viewportPos) const { return markerNear(mapToScene(viewportPos)); }
    QString toolTipAt(const QPoint &viewportPos) const;
    // The crosshair label's box: the application's base colour, nearly opaque. A compact chart's style sheet makes
    // its own base transparent, which had drawn the box black under dark text (exploratory test).
    QColor readoutBackground() const;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    QRectF plotRect() const;
    void drawAnomalies(QPainter *painter, const QRectF &plot) const;
    void drawMarkers(QPainter *painter, const QRectF &plot) const;
    void drawPlaceholder(QPainter *painter, const QRectF &plot) const;
    void drawRubberBand(QPainter *painter, const QRectF &plot) const;
    void drawCrosshair(QPainter *painter, const QRectF &plot) const;
    const Marker *markerNear(const QPointF &scenePos) const;

    std::vector<Marker> m_markers;
    std::vector<std::pair<double, double>> m_anomalies;
    std::optional<CrosshairLabel> m_crosshair;
    std::optional<std::pair<double, double>> m_rubberBand;
    double m_xMin = 0, m_xMax = 0;
    QString m_placeholder;
    bool m_showPlaceholder = false;
    bool m_compact = false;
    bool m_tipShown = false;
};

} // namespace fd

#pragma once
#include "models/FrameSeries.h"
#include "models/Telemetry.h"
#include "models/Time.h"
#include <QColor>
#include <QList>
#include <QPointF>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <optional>
#include <utility>
#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
class QCategoryAxis;
class QLineSeries;
class QScrollArea;
QT_END_NAMESPACE

namespace fd {

class ChartCanvas;
class ChartInteraction;
class ChartLegend;
struct CrosshairLabel;
struct DecimatedBand;
struct DecimatedXY;

// Flightdeck's time-series chart: a local-time axis, a value axis with SI-prefixed labels, line
// series decimated to the pixel width, an optional normal band and expected line, shaded anomaly
// spans and marker lines with tooltips. QtCharts stays behind this class so it can be swapped.
// The panel (non-compact) mode adds a clickable legend, a crosshair with every series' value, zoom
// (drag, wheel) and pan (middle or Shift+drag), log scale and stacked areas; every zoom re-decimates
// the full data over the visible window. A board can drive one crosshair across tiles through
// hoveredTime()/hoverLeft() and showCrosshairAt()/hideCrosshair().
class ChartView : public QWidget
{
    Q_OBJECT
public:
    explicit ChartView(QWidget *parent = nullptr);
    ~ChartView() override;

    // Tiles: no legend, no zoom, small fonts, tight margins, transparent background.
    void setCompact(bool compact);
    void setUnit(const QString &unit);
    // The x axis; without one the data decide. A different range drops the zoom.
    void setTimeRange(const TimeRange &range);
    void setPlaceholderText(const QString &text);
    QString placeholderText() const;
    void clear();

    // Every change redraws at once, except between beginUpdate() and endUpdate().
    void beginUpdate();
    void endUpdate();

    void setSeries(const QString &name, const std::vector<TimeNs> &xs, const std::vector<double> &ys,
                   const QColor &color);
    // Each series in a colour of its own among them (ServiceColors).
    void setSeries(const std::vector<SeriesData> &series);
    void removeSeries(const QString &name);
    void setBand(const std::vector<TimeNs> &xs, const std::vector<double> &low,
                 const std::vector<double> &high, const QColor &color);
    void setExpected(const std::vector<TimeNs> &xs, const std::vector<double> &expected, const QColor &color);
    void setAnomalies(const std::vector<TimeRange> &spans);
    void setMarkers(const std::vector<Marker> &markers);

    // Value axis in decades with SI-prefixed labels; values <= 0 are left out of the drawing.
    void setLogScale(bool on);
    bool isLogScale() const { return m_logScale; }
    // Series as stacked areas, aligned on the union of their timestamps (see SeriesStack.h).
    void setStacked(bool on);
    bool isStacked() const { return m_stacked; }
    // Hidden series keep their data; the choice is kept by name across clear() and setSeries().
    void setSeriesVisible(const QString &name, bool visible);
    bool isSeriesVisible(const QString &name) const;

    // The window shown (the zoom, else the whole range) and the whole range.
    TimeRange visibleRange() const;
    TimeRange fullRange() const;
    bool isZoomed() const { return m_zoom.has_value(); }

    std::optional<TimeNs> crosshairTime() const { return m_crosshair; }
    // The crosshair label as text: the time, then "name: value" for each visible series (the latest
    // sample at or before the crosshair in the full data), the normal range and the expected value.
    QString crosshairText() const;

    int seriesCount() const;
    QStringList seriesNames() const;
    // Points handed to QtCharts for a series, after decimation; -1 for an unknown name, 0 when hidden.
    qsizetype drawnPointCount(const QString &name) const;
    // Those points: x in ms since the epoch, y in axis units (log10 of the value in log scale; the
    // top edge of the series' area when stacked).
    QList<QPointF> drawnPoints(const QString &name) const;
    int bandSegmentCount() const;
    // The value axis' labels, bottom up ("0", "250", "500" or "1", "10", "1k" in log scale).
    QStringList valueAxisLabels() const;
    // The tooltip of the marker line near `pos` (this widget's coordinates); empty when none.
    QString markerToolTipAt(const QPoint &pos) const;
    // The marker line near `pos` (this widget's coordinates); nullopt when none.
    std::optional<Marker> markerAt(const QPoint &pos) const;
    // Where a time lands horizontally, in this widget's coordinates (for tests and overlays).
    int xForTime(TimeNs t) const;
    // The widget that takes the mouse gestures, and the legend (for tests).
    QWidget *plotSurface() const;
    ChartLegend *legend() const { return m_legend; }
    // Rows of legend shown before it scrolls; 0: all of them, as an exported picture needs.
    void setLegendRows(int rows);

    static QColor markerColor(const std::string &kind);

public Q_SLOTS:
    void setVisibleRange(const TimeRange &range);
    void resetZoom();
    void showCrosshairAt(TimeNs t);
    void hideCrosshair();
    void setCrosshairTime(std::optional<TimeNs> t);

Q_SIGNALS:
    // The mouse over the plot (not a crosshair set through the slots).
    void hoveredTime(TimeNs t);
    void hoverLeft();
    void visibleRangeChanged(const TimeRange &range);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void fitLegend();

private:
    struct Line {
        QString name;
        std::vector<double> xs; // ms since the epoch: the x axis' unit
        std::vector<double> ys;
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        qsizetype drawn = 0;
        QLineSeries *series = nullptr; // owned by the chart until the next rebuild
    };
    struct BandData {
        std::vector<double> xs, low, high;
        QColor color;
        int segments = 0;
    };
    struct YExtent;
    struct Decimated;

    static Line makeLine(const QString &name, const std::vector<TimeNs> &xs, const std::vector<double> &ys,
                         const QColor &color);
    void rebuildUnlessBatched();
    void scheduleRebuild();
    void rebuildChart();
    Decimated decimateWindow(int pixels) const;
    std::pair<YExtent, YExtent> extentOf(const Decimated &d) const;
    void addSeries(const Decimated &d);
    std::vector<DecimatedBand> decimateStacks(int pixels) const;
    void addBand(const DecimatedBand &band);
    void addArea(const DecimatedBand &band, const QColor &fill, const QPen &pen, Line *line);
    void addLine(Line &line, const DecimatedXY &d);
    double axisY(double value) const;
    void updateXAxis();
    void updateYAxis(YExtent extent);
    void updateLinearYAxis(double yMin, double yMax);
    void updateLogYAxis(double minPositive, double yMax);
    void updateLegend();
    void updateCrosshair();
    CrosshairLabel crosshairLabel(bool compact) const;
    void applyStyle();
    void applyWindow(double from, double to, bool settled);
    void onLegendClicked(const QString &name, Qt::KeyboardModifiers modifiers);
    void onHovered(double ms);
    void onLeft();
    int pixelWidth() const;
    int visibleLineCount() const;
    double fullMinMs() const;
    double fullMaxMs() const;
    double xMinMs() const;
    double xMaxMs() const;

    ChartCanvas *m_canvas = nullptr;
    ChartInteraction *m_interaction = nullptr;
    ChartLegend *m_legend = nullptr;
    QScrollArea *m_legendArea = nullptr; // holds the legend; scrolls past m_legendRows rows
    int m_legendRows = 4;
    QChart *m_chart = nullptr;
    QCategoryAxis *m_xAxis = nullptr; // milliseconds since the epoch, labelled at round times
    QCategoryAxis *m_yAxis = nullptr;
    std::vector<Line> m_lines;
    Line m_expected;
    BandData m_band;
    TimeRange m_range;
    std::optional<std::pair<double, double>> m_zoom; // ms
    std::optional<TimeNs> m_crosshair;
    QSet<QString> m_hidden;
    QString m_unit;
    bool m_compact = false;
    bool m_logScale = false;
    bool m_stacked = false;
    double m_logFloor = 0; // the axis bottom in log scale, where areas reaching 0 end
    int m_decimatedWidth = 0;
    int m_batchDepth = 0;
    QTimer m_rebuildTimer;
};

// "1.23k", "250", "0.5": a number with an SI prefix, `significant` digits.
QString formatSi(double value, int significant = 3);
// "41.2 %", "12.0 /h", "1.23 k/s", "–" for NaN.
QString formatValue(double value, const QString &unit);
// The x axis' labelled times: at a round step (1 s … 7 d) in local time, the smallest that cuts [fromMs, toMs] in at
// most `maxTicks` parts (18:00, 18:30 … 21:00 for 18:00:00–21:00:41 and 7).
std::vector<double> roundTimeTicks(double fromMs, double toMs, int maxTicks);
// Their step (niceIntervalAtLeast: 1 ms … 7 d), and the labels' format for it ("HH:mm", "ddd HH:mm" past a day …).
double roundTimeStepMs(double lengthMs, int maxTicks);
QString timeLabelFormat(double stepMs, double lengthMs);

} // namespace fd

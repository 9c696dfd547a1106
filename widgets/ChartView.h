#pragma once
#include "models/Telemetry.h"
#include "models/Time.h"
#include <QColor>
#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <vector>

QT_BEGIN_NAMESPACE
class QChart;
class QDateTimeAxis;
class QCategoryAxis;
QT_END_NAMESPACE

namespace fd {

class ChartCanvas;

// Flightdeck's time-series chart: a local-time axis, a value axis with SI-prefixed labels, line
// series decimated to the pixel width, an optional normal band and expected line, shaded anomaly
// spans and marker lines with tooltips. QtCharts stays behind this class so it can be swapped.
class ChartView : public QWidget
{
    Q_OBJECT
public:
    explicit ChartView(QWidget *parent = nullptr);
    ~ChartView() override;

    // Tiles: no legend, small fonts, tight margins, transparent background.
    void setCompact(bool compact);
    void setUnit(const QString &unit);
    // The x axis; without one the data decide.
    void setTimeRange(const TimeRange &range);
    void setPlaceholderText(const QString &text);
    void clear();

    // Every change redraws at once, except between beginUpdate() and endUpdate().
    void beginUpdate();
    void endUpdate();

    void setSeries(const QString &name, const std::vector<TimeNs> &xs, const std::vector<double> &ys,
                   const QColor &color);
    void removeSeries(const QString &name);
    void setBand(const std::vector<TimeNs> &xs, const std::vector<double> &low,
                 const std::vector<double> &high, const QColor &color);
    void setExpected(const std::vector<TimeNs> &xs, const std::vector<double> &expected, const QColor &color);
    void setAnomalies(const std::vector<TimeRange> &spans);
    void setMarkers(const std::vector<Marker> &markers);

    int seriesCount() const;
    QStringList seriesNames() const;
    // Points handed to QtCharts for a series, after decimation; -1 for an unknown name.
    qsizetype drawnPointCount(const QString &name) const;
    int bandSegmentCount() const;
    // The tooltip of the marker line near `pos` (this widget's coordinates); empty when none.
    QString markerToolTipAt(const QPoint &pos) const;
    // Where a time lands horizontally, in this widget's coordinates (for tests and overlays).
    int xForTime(TimeNs t) const;

    static QColor markerColor(const std::string &kind);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line {
        QString name;
        std::vector<double> xs; // ms since the epoch: QDateTimeAxis' unit
        std::vector<double> ys;
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        qsizetype drawn = 0;
    };
    struct BandData {
        std::vector<double> xs, low, high;
        QColor color;
        int segments = 0;
    };

    static Line makeLine(const QString &name, const std::vector<TimeNs> &xs, const std::vector<double> &ys,
                         const QColor &color);
    void rebuildUnlessBatched();
    void rebuildChart();
    void addBand(int pixels, double &yMin, double &yMax);
    void addLine(Line &line, int pixels, double &yMin, double &yMax, bool inLegend);
    void updateXAxis();
    void updateYAxis(double yMin, double yMax);
    void applyStyle();
    int pixelWidth() const;
    double xMinMs() const;
    double xMaxMs() const;

    ChartCanvas *m_canvas = nullptr;
    QChart *m_chart = nullptr;
    QDateTimeAxis *m_xAxis = nullptr;
    QCategoryAxis *m_yAxis = nullptr;
    std::vector<Line> m_lines;
    Line m_expected;
    BandData m_band;
    TimeRange m_range;
    QString m_unit;
    bool m_compact = false;
    int m_decimatedWidth = 0;
    int m_batchDepth = 0;
    QTimer m_rebuildTimer;
};

// "1.23k", "250", "0.5": a number with an SI prefix, `significant` digits.
QString formatSi(double value, int significant = 3);
// "41.2 %", "12.0 /h", "1.23 k/s", "–" for NaN.
QString formatValue(double value, const QString &unit);

} // namespace fd

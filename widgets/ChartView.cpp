#include "ChartView.h"
#include "models/Decimate.h"
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

namespace fd {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMarkerHitPixels = 4;

double toMs(TimeNs t)
{
    return static_cast<double>(t) / 1e6;
}

std::vector<double> toMs(const std::vector<TimeNs> &xs)
{
    std::vector<double> out(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i)
        out[i] = toMs(xs[i]);
    return out;
}

struct Prefix {
    double scale = 1;
    QString symbol;
};

Prefix prefixFor(double magnitude)
{
    if (magnitude >= 1e12)
        return {1e12, QStringLiteral("T")};
    if (magnitude >= 1e9)
        return {1e9, QStringLiteral("G")};
    if (magnitude >= 1e6)
        return {1e6, QStringLiteral("M")};
    if (magnitude >= 1e3)
        return {1e3, QStringLiteral("k")};
    // Rates like 0.25/s read better as decimals than as "250m".
    if (magnitude >= 1e-2 || magnitude == 0 || !std::isfinite(magnitude))
        return {};
    if (magnitude >= 1e-3)
        return {1e-3, QStringLiteral("m")};
    if (magnitude >= 1e-6)
        return {1e-6, QStringLiteral("µ")};
    return {1e-9, QStringLiteral("n")};
}

QString withSignificant(double value, int significant)
{
    if (value == 0)
        return QStringLiteral("0");
    const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value))));
    return QString::number(value, 'f', std::max(0, significant - 1 - magnitude));
}

struct Ticks {
    double first = 0;
    double step = 1;
    int count = 2;
    double last() const { return first + step * (count - 1); }
};

Ticks niceTicks(double lo, double hi, int target)
{
    if (!(hi > lo)) {
        const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
        lo -= pad;
        hi += pad;
    }
    const double raw = (hi - lo) / std::max(target, 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
    Ticks t;
    t.step = nice * magnitude;
    t.first = std::floor(lo / t.step + 1e-9) * t.step;
    const double last = std::ceil(hi / t.step - 1e-9) * t.step;
    t.count = static_cast<int>(std::lround((last - t.first) / t.step)) + 1;
    return t;
}

QString dateFormatFor(double lengthMs)
{
    if (lengthMs <= 10 * 60 * 1000.0)
        return QStringLiteral("HH:mm:ss");
    if (lengthMs <= 26 * 3600 * 1000.0)
        return QStringLiteral("HH:mm");
    if (lengthMs <= 4 * 86400 * 1000.0)
        return QStringLiteral("ddd HH:mm");
    return QStringLiteral("dd MMM");
}

QString markerToolTip(const Marker &m)
{
    QStringList lines;
    QString head = QString::fromStdString(m.kind);
    if (!m.service.empty())
        head += QStringLiteral(" · ") + QString::fromStdString(m.service);
    lines << head;
    if (!m.title.empty())
        lines << QString::fromStdString(m.title);
    if (!m.version.empty())
        lines << QStringLiteral("version ") + QString::fromStdString(m.version);
    if (!m.commit.empty())
        lines << QStringLiteral("commit ") + QString::fromStdString(m.commit).left(12);
    lines << QDateTime::fromMSecsSinceEpoch(m.time / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return lines.join(QLatin1Char('\n'));
}

// A finite point with no finite neighbour draws nothing as a line.
bool hasIsolatedPoint(const std::vector<double> &ys)
{
    for (std::size_t i = 0; i < ys.size(); ++i) {
        const bool prev = i > 0 && std::isfinite(ys[i - 1]);
        const bool next = i + 1 < ys.size() && std::isfinite(ys[i + 1]);
        if (std::isfinite(ys[i]) && !prev && !next)
            return true;
    }
    return false;
}

void hideFromLegend(QChart *chart, QAbstractSeries *series)
{
    for (QLegendMarker *marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

} // namespace

// The QtCharts view plus what QtCharts cannot draw: anomaly spans, marker lines and their tooltips.
class ChartCanvas : public QChartView
{
public:
    ChartCanvas(QChart *chart, QWidget *parent) : QChartView(chart, parent)
    {
        setRenderHint(QPainter::Antialiasing);
        setFrameShape(QFrame::NoFrame);
        setMouseTracking(true);
        viewport()->setMouseTracking(true);
    }

    void setMarkers(std::vector<Marker> markers) { m_markers = std::move(markers); }
    void setAnomalies(std::vector<std::pair<double, double>> spans) { m_anomalies = std::move(spans); }
    void setXRange(double minMs, double maxMs)
    {
        m_xMin = minMs;
        m_xMax = maxMs;
    }
    void setPlaceholder(const QString &text) { m_placeholder = text; }
    void setShowPlaceholder(bool show) { m_showPlaceholder = show; }
    void setCompact(bool compact) { m_compact = compact; }
    void refreshOverlay() { scene()->update(); }

    qreal sceneX(double ms) const
    {
        const QRectF plot = plotRect();
        if (!(m_xMax > m_xMin))
            return plot.left();
        return plot.left() + (ms - m_xMin) / (m_xMax - m_xMin) * plot.width();
    }

    QString toolTipAt(const QPoint &viewportPos) const
    {
        const Marker *m = markerNear(mapToScene(viewportPos));
        return m ? markerToolTip(*m) : QString();
    }

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override
    {
        QChartView::drawForeground(painter, rect);
        const QRectF plot = plotRect();
        if (plot.width() <= 1)
            return;
        painter->save();
        painter->setClipRect(plot);
        drawAnomalies(painter, plot);
        drawMarkers(painter, plot);
        if (m_showPlaceholder)
            drawPlaceholder(painter, plot);
        painter->restore();
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        QChartView::mouseMoveEvent(event);
        const QString tip = toolTipAt(event->position().toPoint());
        if (!tip.isEmpty()) {
            QToolTip::showText(event->globalPosition().toPoint(), tip, this);
            m_tipShown = true;
        } else if (m_tipShown) {
            QToolTip::hideText();
            m_tipShown = false;
        }
    }

private:
    QRectF plotRect() const { return chart()->mapRectToScene(chart()->plotArea()); }

    void drawAnomalies(QPainter *painter, const QRectF &plot) const
    {
        const QColor fill(224, 49, 49, 40);
        for (const auto &[from, to] : m_anomalies) {
            const qreal left = sceneX(from);
            const qreal right = std::max(sceneX(to), left + 2);
            painter->fillRect(QRectF(left, plot.top(), right - left, plot.height()), fill);
        }
    }

    void drawMarkers(QPainter *painter, const QRectF &plot) const
    {
        const qreal arrow = m_compact ? 3 : 5;
        for (const Marker &m : m_markers) {
            const qreal x = sceneX(toMs(m.time));
            if (x < plot.left() - 1 || x > plot.right() + 1)
                continue;
            const QColor color = ChartView::markerColor(m.kind);
            painter->setPen(QPen(color, m_compact ? 1.2 : 1.5));
            painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
            const QPointF tip[3] = {{x - arrow, plot.top()}, {x + arrow, plot.top()}, {x, plot.top() + arrow * 1.4}};
            painter->setBrush(color);
            painter->drawPolygon(tip, 3);
        }
    }

    void drawPlaceholder(QPainter *painter, const QRectF &plot) const
    {
        painter->setPen(palette().color(QPalette::PlaceholderText));
        painter->drawText(plot, Qt::AlignCenter, m_placeholder);
    }

    const Marker *markerNear(const QPointF &scenePos) const
    {
        const QRectF plot = plotRect().adjusted(-kMarkerHitPixels, -kMarkerHitPixels, kMarkerHitPixels, kMarkerHitPixels);
        if (!plot.contains(scenePos))
            return nullptr;
        const Marker *best = nullptr;
        qreal bestDistance = kMarkerHitPixels + 0.5;
        for (const Marker &m : m_markers) {
            const qreal distance = std::abs(sceneX(toMs(m.time)) - scenePos.x());
            if (distance <= bestDistance) {
                best = &m;
                bestDistance = distance;
            }
        }
        return best;
    }

    std::vector<Marker> m_markers;
    std::vector<std::pair<double, double>> m_anomalies; // ms
    double m_xMin = 0, m_xMax = 0;
    QString m_placeholder;
    bool m_showPlaceholder = false;
    bool m_compact = false;
    bool m_tipShown = false;
};

ChartView::ChartView(QWidget *parent) : QWidget(parent)
{
    m_chart = new QChart;
    if (palette().color(QPalette::Window).lightness() < 128)
        m_chart->setTheme(QChart::ChartThemeDark);
    m_xAxis = new QDateTimeAxis;
    m_yAxis = new QCategoryAxis;
    m_yAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->hide();

    m_canvas = new ChartCanvas(m_chart, this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_canvas);

    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(40);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &ChartView::rebuildChart);

    setPlaceholderText(tr("No data"));
    applyStyle();
    rebuildChart();
}

ChartView::~ChartView() = default;

void ChartView::setCompact(bool compact)
{
    m_compact = compact;
    applyStyle();
    rebuildUnlessBatched();
}

void ChartView::setUnit(const QString &unit)
{
    m_unit = unit;
    rebuildUnlessBatched();
}

void ChartView::setTimeRange(const TimeRange &range)
{
    m_range = range;
    rebuildUnlessBatched();
}

void ChartView::setPlaceholderText(const QString &text)
{
    m_canvas->setPlaceholder(text);
    m_canvas->refreshOverlay();
}

void ChartView::clear()
{
    m_lines.clear();
    m_expected = {};
    m_band = {};
    m_canvas->setMarkers({});
    m_canvas->setAnomalies({});
    rebuildUnlessBatched();
}

void ChartView::beginUpdate()
{
    ++m_batchDepth;
}

void ChartView::endUpdate()
{
    if (m_batchDepth > 0 && --m_batchDepth == 0)
        rebuildChart();
}

ChartView::Line ChartView::makeLine(const QString &name, const std::vector<TimeNs> &xs,
                                    const std::vector<double> &ys, const QColor &color)
{
    Line line;
    line.name = name;
    line.xs = toMs(xs);
    line.ys.assign(ys.begin(), ys.begin() + static_cast<std::ptrdiff_t>(std::min(xs.size(), ys.size())));
    line.xs.resize(line.ys.size());
    line.color = color;
    return line;
}

void ChartView::setSeries(const QString &name, const std::vector<TimeNs> &xs, const std::vector<double> &ys,
                          const QColor &color)
{
    Line line = makeLine(name, xs, ys, color);
    const auto it = std::find_if(m_lines.begin(), m_lines.end(), [&](const Line &l) { return l.name == name; });
    if (it != m_lines.end())
        *it = std::move(line);
    else
        m_lines.push_back(std::move(line));
    rebuildUnlessBatched();
}

void ChartView::removeSeries(const QString &name)
{
    std::erase_if(m_lines, [&](const Line &l) { return l.name == name; });
    rebuildUnlessBatched();
}

void ChartView::setBand(const std::vector<TimeNs> &xs, const std::vector<double> &low,
                        const std::vector<double> &high, const QColor &color)
{
    const std::size_t n = std::min({xs.size(), low.size(), high.size()});
    m_band.xs = toMs(xs);
    m_band.xs.resize(n);
    m_band.low.assign(low.begin(), low.begin() + static_cast<std::ptrdiff_t>(n));
    m_band.high.assign(high.begin(), high.begin() + static_cast<std::ptrdiff_t>(n));
    m_band.color = color;
    rebuildUnlessBatched();
}

void ChartView::setExpected(const std::vector<TimeNs> &xs, const std::vector<double> &expected, const QColor &color)
{
    m_expected = makeLine(tr("expected"), xs, expected, color);
    m_expected.style = Qt::DashLine;
    rebuildUnlessBatched();
}

void ChartView::setAnomalies(const std::vector<TimeRange> &spans)
{
    std::vector<std::pair<double, double>> ms;
    ms.reserve(spans.size());
    for (const TimeRange &s : spans)
        ms.emplace_back(toMs(s.from), toMs(s.to));
    m_canvas->setAnomalies(std::move(ms));
    m_canvas->refreshOverlay();
}

void ChartView::setMarkers(const std::vector<Marker> &markers)
{
    m_canvas->setMarkers(markers);
    m_canvas->refreshOverlay();
}

int ChartView::seriesCount() const
{
    return static_cast<int>(m_lines.size());
}

QStringList ChartView::seriesNames() const
{
    QStringList names;
    for (const Line &l : m_lines)
        names << l.name;
    return names;
}

qsizetype ChartView::drawnPointCount(const QString &name) const
{
    for (const Line &l : m_lines)
        if (l.name == name)
            return l.drawn;
    return -1;
}

int ChartView::bandSegmentCount() const
{
    return m_band.segments;
}

QString ChartView::markerToolTipAt(const QPoint &pos) const
{
    return m_canvas->toolTipAt(m_canvas->viewport()->mapFrom(this, pos));
}

int ChartView::xForTime(TimeNs t) const
{
    const QPoint inViewport = m_canvas->mapFromScene(QPointF(m_canvas->sceneX(toMs(t)), 0));
    return m_canvas->viewport()->mapTo(this, inViewport).x();
}

QColor ChartView::markerColor(const std::string &kind)
{
    if (kind == "deploy")
        return {0x2f, 0x6f, 0xeb};
    if (kind == "rollback")
        return {0xf0, 0x8c, 0x00};
    if (kind == "flag")
        return {0x8e, 0x44, 0xad};
    if (kind.starts_with("incident"))
        return {0xe0, 0x31, 0x31};
    return {0x8a, 0x8f, 0x98};
}

void ChartView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Growing a lot shows coarse lines at once (and a headless grab may come before any timer).
    if (pixelWidth() > m_decimatedWidth * 5 / 4)
        rebuildChart();
    else if (std::abs(pixelWidth() - m_decimatedWidth) > 4)
        m_rebuildTimer.start();
}

void ChartView::rebuildUnlessBatched()
{
    if (m_batchDepth == 0)
        rebuildChart();
}

void ChartView::rebuildChart()
{
    m_rebuildTimer.stop();
    m_chart->removeAllSeries();
    const int pixels = pixelWidth();
    m_decimatedWidth = pixels;
    double yMin = kInf, yMax = -kInf;
    addBand(pixels, yMin, yMax);
    if (!m_expected.xs.empty())
        addLine(m_expected, pixels, yMin, yMax, false);
    for (Line &line : m_lines)
        addLine(line, pixels, yMin, yMax, true);
    m_chart->legend()->setVisible(!m_compact && m_lines.size() > 1);
    updateXAxis();
    updateYAxis(yMin, yMax);
    m_canvas->setXRange(xMinMs(), xMaxMs());
    m_canvas->setShowPlaceholder(!(yMax >= yMin));
    m_canvas->refreshOverlay();
}

void ChartView::addBand(int pixels, double &yMin, double &yMax)
{
    m_band.segments = 0;
    if (m_band.xs.empty())
        return;
    const DecimatedBand d = decimateBand(m_band.xs, m_band.low, m_band.high, xMinMs(), xMaxMs(), pixels);
    QColor fill = m_band.color;
    fill.setAlpha(m_compact ? 60 : 50);
    std::size_t i = 0;
    // QAreaSeries bridges NaN gaps, so each finite run becomes its own area.
    while (i < d.xs.size()) {
        if (!std::isfinite(d.low[i])) {
            ++i;
            continue;
        }
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        QList<QPointF> up, down;
        for (; i < d.xs.size() && std::isfinite(d.low[i]); ++i) {
            up.append({d.xs[i], d.high[i]});
            down.append({d.xs[i], d.low[i]});
            if (d.xs[i] >= xMinMs() && d.xs[i] <= xMaxMs()) {
                yMin = std::min(yMin, d.low[i]);
                yMax = std::max(yMax, d.high[i]);
            }
        }
        upper->replace(up);
        lower->replace(down);
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area); // QAreaSeries does not own its edges
        lower->setParent(area);
        area->setName(tr("normal range"));
        area->setPen(Qt::NoPen);
        area->setBrush(fill);
        m_chart->addSeries(area);
        area->attachAxis(m_xAxis);
        area->attachAxis(m_yAxis);
        hideFromLegend(m_chart, area);
        ++m_band.segments;
    }
}

void ChartView::addLine(Line &line, int pixels, double &yMin, double &yMax, bool inLegend)
{
    const DecimatedXY d = decimateMinMax(line.xs, line.ys, xMinMs(), xMaxMs(), pixels);
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(d.xs.size()));
    for (std::size_t i = 0; i < d.xs.size(); ++i) {
        points.append({d.xs[i], d.ys[i]});
        if (std::isfinite(d.ys[i]) && d.xs[i] >= xMinMs() && d.xs[i] <= xMaxMs()) {
            yMin = std::min(yMin, d.ys[i]);
            yMax = std::max(yMax, d.ys[i]);
        }
    }
    auto *series = new QLineSeries;
    series->setName(line.name);
    QPen pen(line.color, m_compact ? 1.5 : 1.8);
    pen.setStyle(line.style);
    series->setPen(pen); // before addSeries, or the theme recolours it
    if (hasIsolatedPoint(d.ys)) {
        series->setPointsVisible(true);
        series->setMarkerSize(m_compact ? 4 : 6);
    }
    series->replace(points);
    m_chart->addSeries(series);
    series->attachAxis(m_xAxis);
    series->attachAxis(m_yAxis);
    if (!inLegend)
        hideFromLegend(m_chart, series);
    line.drawn = points.size();
}

void ChartView::updateXAxis()
{
    const double from = xMinMs(), to = xMaxMs();
    m_xAxis->setFormat(dateFormatFor(to - from));
    const int spacing = m_compact ? 90 : 120;
    m_xAxis->setTickCount(std::clamp(pixelWidth() / spacing + 1, 2, 10));
    m_xAxis->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(from)),
                      QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(to)));
}

void ChartView::updateYAxis(double yMin, double yMax)
{
    if (!(yMax >= yMin)) {
        yMin = 0;
        yMax = 1;
    }
    if (yMin >= 0 && yMin <= 0.3 * yMax)
        yMin = 0; // counts and rates read best from zero
    const int target = m_compact ? 3 : std::clamp(height() / 70, 3, 8);
    const Ticks ticks = niceTicks(yMin, yMax, target);
    const Prefix prefix = prefixFor(std::max(std::abs(ticks.first), std::abs(ticks.last())));
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(ticks.step / prefix.scale) + 1e-9)));

    for (const QString &label : m_yAxis->categoriesLabels())
        m_yAxis->remove(label);
    m_yAxis->setStartValue(ticks.first - ticks.step);
    for (int k = 0; k < ticks.count; ++k) {
        const double v = ticks.first + k * ticks.step;
        const QString label = std::abs(v) < ticks.step * 1e-6
                                  ? QStringLiteral("0")
                                  : QString::number(v / prefix.scale, 'f', decimals) + prefix.symbol;
        m_yAxis->append(label, v);
    }
    m_yAxis->setRange(ticks.first, ticks.last());
    m_yAxis->setTitleText(m_compact ? QString() : m_unit);
}

void ChartView::applyStyle()
{
    QFont font = this->font();
    if (m_compact)
        font.setPointSizeF(std::max(6.5, font.pointSizeF() - 2));
    m_xAxis->setLabelsFont(font);
    m_yAxis->setLabelsFont(font);
    m_chart->legend()->setFont(font);
    m_canvas->setCompact(m_compact);
    if (m_compact) {
        m_chart->setBackgroundVisible(false);
        m_chart->setMargins(QMargins(0, 8, 4, 0));
        m_chart->layout()->setContentsMargins(0, 0, 0, 0);
        m_canvas->setBackgroundBrush(Qt::NoBrush);
        m_canvas->setStyleSheet(QStringLiteral("background: transparent"));
    } else {
        m_chart->setBackgroundVisible(true);
        m_chart->setBackgroundRoundness(0);
        m_chart->setMargins(QMargins(4, 10, 12, 4));
        m_chart->layout()->setContentsMargins(0, 0, 0, 0);
        m_canvas->setStyleSheet(QString());
    }
}

int ChartView::pixelWidth() const
{
    return std::max(width() - (m_compact ? 40 : 70), 50);
}

double ChartView::xMinMs() const
{
    if (m_range.to > m_range.from)
        return toMs(m_range.from);
    double v = kInf;
    for (const Line &l : m_lines)
        if (!l.xs.empty())
            v = std::min(v, l.xs.front());
    return std::isfinite(v) ? v : toMs(nowNs() - kHour);
}

double ChartView::xMaxMs() const
{
    if (m_range.to > m_range.from)
        return toMs(m_range.to);
    double v = -kInf;
    for (const Line &l : m_lines)
        if (!l.xs.empty())
            v = std::max(v, l.xs.back());
    if (!std::isfinite(v))
        return toMs(nowNs());
    return v > xMinMs() ? v : xMinMs() + 60'000;
}

QString formatSi(double value, int significant)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    const Prefix p = prefixFor(std::abs(value));
    return withSignificant(value / p.scale, significant) + p.symbol;
}

QString formatValue(double value, const QString &unit)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    const bool percent = unit == QLatin1String("%");
    const Prefix p = percent && std::abs(value) < 1e3 ? Prefix{} : prefixFor(std::abs(value));
    const QString suffix = p.symbol + unit;
    const QString number = withSignificant(value / p.scale, 3);
    return suffix.isEmpty() ? number : number + QLatin1Char(' ') + suffix;
}

} // namespace fd

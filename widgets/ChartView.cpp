#include "ChartView.h"
#include "ChartCanvas.h"
#include "ChartInteraction.h"
#include "ChartLegend.h"
#include "SeriesStack.h"
#include "ServiceColors.h"
#include "models/Decimate.h"
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLineSeries>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

namespace fd {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMinWindowMs = 10;
constexpr int kResizeRebuildMs = 40;
constexpr int kGestureRebuildMs = 16; // at most one re-decimation a frame while wheeling or panning

TimeNs toNs(double ms)
{
    return static_cast<TimeNs>(std::llround(ms * 1e6));
}

std::vector<double> toMsAll(const std::vector<TimeNs> &xs)
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

// The fewest decimals (up to 9) that write every multiple of step exactly.
int decimalsFor(double step)
{
    int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    while (decimals < 9) {
        const double scaled = step * std::pow(10.0, decimals);
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled)
            break;
        ++decimals;
    }
    return decimals;
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

QString crosshairTimeText(double ms, double windowMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::floor(ms)));
    return t.toString(windowMs <= 2 * 60 * 1000.0 ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                                  : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// The latest sample at or before x in the full data; -1 before the first.
std::ptrdiff_t indexAtOrBefore(const std::vector<double> &xs, double x)
{
    return (std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()) - 1;
}

// A finite point with no finite neighbour draws nothing as a line.
bool hasIsolatedPoint(const QList<QPointF> &points)
{
    for (qsizetype i = 0; i < points.size(); ++i) {
        const bool prev = i > 0 && std::isfinite(points[i - 1].y());
        const bool next = i + 1 < points.size() && std::isfinite(points[i + 1].y());
        if (std::isfinite(points[i].y()) && !prev && !next)
            return true;
    }
    return false;
}

} // namespace

struct ChartView::YExtent {
    double min = kInf, max = -kInf, minPositive = kInf;
    void add(double y)
    {
        if (!std::isfinite(y))
            return;
        min = std::min(min, y);
        max = std::max(max, y);
        if (y > 0)
            minPositive = std::min(minPositive, y);
    }
    bool empty() const { return !(max >= min); }
};

ChartView::ChartView(QWidget *parent) : QWidget(parent)
{
    m_chart = new QChart;
    if (palette().color(QPalette::Window).lightness() < 128)
        m_chart->setTheme(QChart::ChartThemeDark);
    m_xAxis = new QCategoryAxis;
    m_xAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_xAxis->setTruncateLabels(false);
    m_yAxis = new QCategoryAxis;
    m_yAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // QtCharts sizes a category axis before its labels change and cut every "0.95" to "0...." (seen in a screenshot)
    m_yAxis->setTruncateLabels(false);
    m_chart->addAxis(m_xAxis, Qt::AlignBottom);
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    m_chart->legend()->hide(); // ChartLegend replaces it: clickable, and independent of QtCharts

    m_canvas = new ChartCanvas(m_chart, this);
    m_interaction = new ChartInteraction(m_canvas);
    m_legend = new ChartLegend(this);
    // A legend of a hundred series had grown the window past the screen (exploratory GUI test): past a few rows it
    // scrolls.
    m_legendArea = new QScrollArea(this);
    m_legendArea->setFrameShape(QFrame::NoFrame);
    m_legendArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_legendArea->setWidgetResizable(true);
    m_legendArea->setWidget(m_legend);
    m_legendArea->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_legendArea);

    connect(m_legend, &ChartLegend::entryClicked, this, &ChartView::onLegendClicked);
    connect(m_interaction, &ChartInteraction::hovered, this, &ChartView::onHovered);
    connect(m_interaction, &ChartInteraction::left, this, &ChartView::onLeft);
    connect(m_interaction, &ChartInteraction::windowRequested, this, &ChartView::applyWindow);
    connect(m_interaction, &ChartInteraction::resetRequested, this, &ChartView::resetZoom);

    m_rebuildTimer.setSingleShot(true);
    connect(&m_rebuildTimer, &QTimer::timeout, this, [this] {
        if (m_batchDepth == 0)
            rebuildChart();
    });

    setPlaceholderText(tr("No data"));
    applyStyle();
    rebuildChart();
}

ChartView::~ChartView() = default;

void ChartView::setCompact(bool compact)
{
    m_compact = compact;
    m_interaction->setZoomEnabled(!compact);
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
    const bool changed = range.from != m_range.from || range.to != m_range.to;
    m_range = range;
    if (changed && m_zoom) {
        m_zoom.reset();
        Q_EMIT visibleRangeChanged(visibleRange());
    }
    rebuildUnlessBatched();
}

void ChartView::setPlaceholderText(const QString &text)
{
    m_canvas->setPlaceholder(text);
    m_canvas->refreshOverlay();
}

QString ChartView::placeholderText() const
{
    return m_canvas->placeholder();
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
    line.xs = toMsAll(xs);
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

void ChartView::setSeries(const std::vector<SeriesData> &series)
{
    QStringList names;
    for (const SeriesData &s : series)
        names << s.name;
    const ServiceColors colors(names);
    beginUpdate();
    for (const SeriesData &s : series)
        setSeries(s.name, s.xs, s.ys, colors.color(s.name));
    endUpdate();
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
    m_band.xs = toMsAll(xs);
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

void ChartView::setLogScale(bool on)
{
    if (on == m_logScale)
        return;
    m_logScale = on;
    rebuildUnlessBatched();
}

void ChartView::setStacked(bool on)
{
    if (on == m_stacked)
        return;
    m_stacked = on;
    rebuildUnlessBatched();
}

void ChartView::setSeriesVisible(const QString &name, bool visible)
{
    if (visible == !m_hidden.contains(name))
        return;
    if (visible)
        m_hidden.remove(name);
    else
        m_hidden.insert(name);
    rebuildUnlessBatched();
}

bool ChartView::isSeriesVisible(const QString &name) const
{
    return !m_hidden.contains(name);
}

int ChartView::visibleLineCount() const
{
    return static_cast<int>(
        std::count_if(m_lines.begin(), m_lines.end(), [&](const Line &l) { return !m_hidden.contains(l.name); }));
}

void ChartView::onLegendClicked(const QString &name, Qt::KeyboardModifiers modifiers)
{
    if (std::none_of(m_lines.begin(), m_lines.end(), [&](const Line &l) { return l.name == name; }))
        return;
    const bool visible = isSeriesVisible(name);
    if (visible && visibleLineCount() == 1 && m_lines.size() > 1) {
        m_hidden.clear(); // clicking the isolated series again brings the others back
    } else if (modifiers & Qt::ShiftModifier) {
        m_hidden.clear();
        for (const Line &l : m_lines)
            if (l.name != name)
                m_hidden.insert(l.name);
    } else if (visible) {
        m_hidden.insert(name);
    } else {
        m_hidden.remove(name);
    }
    rebuildUnlessBatched();
}

TimeRange ChartView::fullRange() const
{
    if (m_range.to > m_range.from)
        return m_range;
    return {toNs(fullMinMs()), toNs(fullMaxMs())};
}

TimeRange ChartView::visibleRange() const
{
    if (!m_zoom)
        return fullRange();
    return {toNs(m_zoom->first), toNs(m_zoom->second)};
}

void ChartView::setVisibleRange(const TimeRange &range)
{
    if (range.to <= range.from)
        resetZoom();
    else
        applyWindow(toMs(range.from), toMs(range.to), true);
}

void ChartView::resetZoom()
{
    if (!m_zoom)
        return;
    m_zoom.reset();
    Q_EMIT visibleRangeChanged(visibleRange());
    rebuildUnlessBatched();
}

void ChartView::applyWindow(double from, double to, bool settled)
{
    const double fullFrom = fullMinMs(), fullTo = fullMaxMs();
    const double span = std::max(to - from, kMinWindowMs);
    if (to - from < kMinWindowMs)
        from = (from + to - span) / 2;
    // A window as wide as the whole range is no zoom; a narrower one is kept inside it.
    std::optional<std::pair<double, double>> zoom;
    if (span < fullTo - fullFrom) {
        const double start = std::clamp(from, fullFrom, fullTo - span);
        zoom = std::make_pair(start, start + span);
    }
    if (zoom != m_zoom) {
        m_zoom = zoom;
        Q_EMIT visibleRangeChanged(visibleRange());
    } else if (!settled || !m_rebuildTimer.isActive()) {
        return;
    }
    if (settled) {
        rebuildUnlessBatched();
        return;
    }
    // Axes and overlays follow at once; the lines are re-decimated on the next tick.
    updateXAxis();
    m_canvas->setXRange(xMinMs(), xMaxMs());
    updateCrosshair();
    scheduleRebuild();
}

void ChartView::showCrosshairAt(TimeNs t)
{
    m_crosshair = t;
    updateCrosshair();
}

void ChartView::hideCrosshair()
{
    m_crosshair.reset();
    updateCrosshair();
}

void ChartView::setCrosshairTime(std::optional<TimeNs> t)
{
    if (t)
        showCrosshairAt(*t);
    else
        hideCrosshair();
}

void ChartView::onHovered(double ms)
{
    const TimeNs t = toNs(ms);
    showCrosshairAt(t);
    Q_EMIT hoveredTime(t);
}

void ChartView::onLeft()
{
    hideCrosshair();
    Q_EMIT hoverLeft();
}

CrosshairLabel ChartView::crosshairLabel(bool compact) const
{
    CrosshairLabel c;
    c.ms = toMs(*m_crosshair);
    const int visible = visibleLineCount();
    double total = 0;
    std::optional<double> sampleMs; // the newest sample shown: its time heads the label, not the cursor's
    for (const Line &l : m_lines) {
        if (m_hidden.contains(l.name))
            continue;
        const std::ptrdiff_t i = indexAtOrBefore(l.xs, c.ms);
        if (i >= 0)
            sampleMs = std::max(sampleMs.value_or(l.xs[static_cast<std::size_t>(i)]), l.xs[static_cast<std::size_t>(i)]);
        const double v = i >= 0 ? l.ys[static_cast<std::size_t>(i)] : kNaN;
        if (std::isfinite(v))
            total += v;
        const QString value = formatValue(v, m_unit);
        c.lines.push_back({l.color, compact && visible == 1 ? value : l.name + QStringLiteral(": ") + value});
    }
    if (m_stacked && visible > 1)
        c.lines.push_back({QColor(), tr("total: %1").arg(formatValue(total, m_unit))});
    if (compact)
        return c;
    // The bucket's time: the cursor's had headed its values (16:44:06 over the 16:30 bucket, exploratory test)
    c.title = crosshairTimeText(sampleMs.value_or(c.ms), xMaxMs() - xMinMs());
    if (const std::ptrdiff_t i = indexAtOrBefore(m_band.xs, c.ms); i >= 0) {
        const auto k = static_cast<std::size_t>(i);
        c.lines.push_back({m_band.color, tr("normal range: %1 – %2")
                                             .arg(formatValue(m_band.low[k], m_unit), formatValue(m_band.high[k], m_unit))});
    }
    if (const std::ptrdiff_t i = indexAtOrBefore(m_expected.xs, c.ms); i >= 0)
        c.lines.push_back({m_expected.color,
                           tr("expected: %1").arg(formatValue(m_expected.ys[static_cast<std::size_t>(i)], m_unit))});
    return c;
}

QString ChartView::crosshairText() const
{
    if (!m_crosshair)
        return {};
    const CrosshairLabel c = crosshairLabel(false);
    QStringList lines{c.title};
    for (const CrosshairLabel::Line &l : c.lines)
        lines << l.text;
    return lines.join(QLatin1Char('\n'));
}

void ChartView::updateCrosshair()
{
    if (m_crosshair)
        m_canvas->setCrosshair(crosshairLabel(m_compact));
    else
        m_canvas->setCrosshair(std::nullopt);
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

QList<QPointF> ChartView::drawnPoints(const QString &name) const
{
    for (const Line &l : m_lines)
        if (l.name == name && l.series)
            return l.series->points();
    return {};
}

int ChartView::bandSegmentCount() const
{
    return m_band.segments;
}

QStringList ChartView::valueAxisLabels() const
{
    return m_yAxis->categoriesLabels();
}

QString ChartView::markerToolTipAt(const QPoint &pos) const
{
    return m_canvas->toolTipAt(m_canvas->viewport()->mapFrom(this, pos));
}

std::optional<Marker> ChartView::markerAt(const QPoint &pos) const
{
    const Marker *m = m_canvas->markerAt(m_canvas->viewport()->mapFrom(this, pos));
    return m ? std::optional<Marker>(*m) : std::nullopt;
}

int ChartView::xForTime(TimeNs t) const
{
    const QPoint inViewport = m_canvas->mapFromScene(QPointF(m_canvas->sceneX(toMs(t)), 0));
    return m_canvas->viewport()->mapTo(this, inViewport).x();
}

QWidget *ChartView::plotSurface() const
{
    return m_canvas->viewport();
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

void ChartView::setLegendRows(int rows)
{
    m_legendRows = rows;
    fitLegend();
}

void ChartView::fitLegend()
{
    const int full = m_legend->heightForWidth(m_legendArea->width());
    m_legendArea->setFixedHeight(m_legendRows > 0 ? std::min(full, m_legend->heightOfRows(m_legendRows)) : full);
}

void ChartView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitLegend();
    // Growing a lot shows coarse lines at once (and a headless grab may come before any timer).
    if (pixelWidth() > m_decimatedWidth * 5 / 4)
        rebuildChart();
    else if (std::abs(pixelWidth() - m_decimatedWidth) > 4)
        m_rebuildTimer.start(kResizeRebuildMs);
}

void ChartView::rebuildUnlessBatched()
{
    if (m_batchDepth == 0)
        rebuildChart();
}

void ChartView::scheduleRebuild()
{
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start(kGestureRebuildMs);
}

// What one rebuild hands to QtCharts, decimated over the window, before the axis transform.
struct ChartView::Decimated {
    DecimatedBand band;
    DecimatedXY expected;
    std::vector<DecimatedXY> lines;    // per line; empty when hidden or stacked
    std::vector<DecimatedBand> stacks; // per visible line when stacked
};

void ChartView::rebuildChart()
{
    m_rebuildTimer.stop();
    m_chart->removeAllSeries();
    const int pixels = pixelWidth();
    m_decimatedWidth = pixels;
    const Decimated d = decimateWindow(pixels);
    // The value axis fits what is inside the window; points just outside count only when nothing is.
    const auto [inside, any] = extentOf(d);
    updateYAxis(inside.empty() ? any : inside);
    addSeries(d);
    updateLegend();
    updateXAxis();
    m_canvas->setXRange(xMinMs(), xMaxMs());
    m_canvas->setShowPlaceholder(inside.empty() && any.empty());
    updateCrosshair();
    m_canvas->refreshOverlay();
}

ChartView::Decimated ChartView::decimateWindow(int pixels) const
{
    const double from = xMinMs(), to = xMaxMs();
    Decimated d;
    if (!m_band.xs.empty())
        d.band = decimateBand(m_band.xs, m_band.low, m_band.high, from, to, pixels);
    if (!m_expected.xs.empty())
        d.expected = decimateMinMax(m_expected.xs, m_expected.ys, from, to, pixels);
    d.lines.resize(m_lines.size());
    if (m_stacked) {
        d.stacks = decimateStacks(pixels);
        return d;
    }
    for (std::size_t k = 0; k < m_lines.size(); ++k)
        if (!m_hidden.contains(m_lines[k].name))
            d.lines[k] = decimateMinMax(m_lines[k].xs, m_lines[k].ys, from, to, pixels);
    return d;
}

std::pair<ChartView::YExtent, ChartView::YExtent> ChartView::extentOf(const Decimated &d) const
{
    const double from = xMinMs(), to = xMaxMs();
    YExtent inside, any;
    auto note = [&](const std::vector<double> &xs, const std::vector<double> &ys) {
        for (std::size_t i = 0; i < xs.size(); ++i) {
            any.add(ys[i]);
            if (xs[i] >= from && xs[i] <= to)
                inside.add(ys[i]);
        }
    };
    note(d.band.xs, d.band.low);
    note(d.band.xs, d.band.high);
    note(d.expected.xs, d.expected.ys);
    for (const DecimatedXY &line : d.lines)
        note(line.xs, line.ys);
    for (const DecimatedBand &stack : d.stacks) {
        note(stack.xs, stack.low);
        note(stack.xs, stack.high);
    }
    return {inside, any};
}

void ChartView::addSeries(const Decimated &d)
{
    m_expected.series = nullptr;
    m_expected.drawn = 0;
    for (Line &l : m_lines) {
        l.series = nullptr;
        l.drawn = 0;
    }
    addBand(d.band);
    if (!d.expected.xs.empty())
        addLine(m_expected, d.expected);
    std::size_t stackIndex = 0;
    for (std::size_t k = 0; k < m_lines.size(); ++k) {
        Line &line = m_lines[k];
        if (m_hidden.contains(line.name))
            continue;
        if (!m_stacked) {
            addLine(line, d.lines[k]);
            continue;
        }
        QColor fill = line.color;
        fill.setAlpha(150);
        addArea(d.stacks[stackIndex++], fill, QPen(line.color, m_compact ? 1.0 : 1.2), &line);
    }
}

std::vector<DecimatedBand> ChartView::decimateStacks(int pixels) const
{
    std::vector<SeriesStack::Input> inputs;
    for (const Line &l : m_lines)
        if (!m_hidden.contains(l.name))
            inputs.push_back({l.xs, l.ys});
    const double from = xMinMs(), to = xMaxMs();
    const SeriesStack stack = SeriesStack::build(inputs, from, to);
    const std::vector<double> zeros(stack.xs.size(), 0.0);
    std::vector<DecimatedBand> out;
    out.reserve(stack.tops.size());
    for (std::size_t k = 0; k < stack.tops.size(); ++k)
        out.push_back(decimateBand(stack.xs, k == 0 ? zeros : stack.tops[k - 1], stack.tops[k], from, to, pixels));
    return out;
}

double ChartView::axisY(double value) const
{
    if (!m_logScale)
        return value;
    return value > 0 ? std::log10(value) : kNaN;
}

void ChartView::addBand(const DecimatedBand &band)
{
    QColor fill = m_band.color;
    fill.setAlpha(m_compact ? 60 : 50);
    addArea(band, fill, Qt::NoPen, nullptr);
}

void ChartView::addArea(const DecimatedBand &band, const QColor &fill, const QPen &pen, Line *line)
{
    if (!line)
        m_band.segments = 0;
    // In log scale an area edge at or below 0 rests on the axis bottom.
    auto edge = [&](double v) {
        const double y = axisY(v);
        return std::isnan(y) && m_logScale ? m_logFloor : y;
    };
    std::size_t i = 0;
    // QAreaSeries bridges NaN gaps, so each finite run becomes its own area.
    while (i < band.xs.size()) {
        if (!std::isfinite(band.low[i])) {
            ++i;
            continue;
        }
        auto *upper = new QLineSeries;
        auto *lower = new QLineSeries;
        QList<QPointF> up, down;
        for (; i < band.xs.size() && std::isfinite(band.low[i]); ++i) {
            up.append({band.xs[i], edge(band.high[i])});
            down.append({band.xs[i], edge(band.low[i])});
        }
        upper->replace(up);
        lower->replace(down);
        auto *area = new QAreaSeries(upper, lower);
        upper->setParent(area); // QAreaSeries does not own its edges
        lower->setParent(area);
        area->setName(line ? line->name : tr("normal range"));
        area->setPen(pen);
        area->setBrush(fill);
        m_chart->addSeries(area);
        area->attachAxis(m_xAxis);
        area->attachAxis(m_yAxis);
        if (line) {
            if (!line->series)
                line->series = upper;
            line->drawn += up.size();
        } else {
            ++m_band.segments;
        }
    }
}

void ChartView::addLine(Line &line, const DecimatedXY &d)
{
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(d.xs.size()));
    for (std::size_t i = 0; i < d.xs.size(); ++i) {
        const double y = axisY(d.ys[i]);
        if (m_logScale && std::isnan(y) && std::isfinite(d.ys[i]))
            continue; // a value <= 0 has no place on a log axis
        if (std::isnan(y) && (points.isEmpty() || std::isnan(points.back().y())))
            continue; // a break needs a line before it
        points.append({d.xs[i], y});
    }
    if (!points.isEmpty() && std::isnan(points.back().y()))
        points.removeLast();
    auto *series = new QLineSeries;
    series->setName(line.name);
    QPen pen(line.color, m_compact ? 1.5 : 1.8);
    pen.setStyle(line.style);
    series->setPen(pen); // before addSeries, or the theme recolours it
    if (hasIsolatedPoint(points)) {
        series->setPointsVisible(true);
        series->setMarkerSize(m_compact ? 4 : 6);
    }
    series->replace(points);
    m_chart->addSeries(series);
    series->attachAxis(m_xAxis);
    series->attachAxis(m_yAxis);
    line.series = series;
    line.drawn = points.size();
}

void ChartView::updateLegend()
{
    std::vector<ChartLegend::Entry> entries;
    entries.reserve(m_lines.size());
    for (const Line &l : m_lines)
        entries.push_back({l.name, l.color, !m_hidden.contains(l.name)});
    m_legend->setEntries(std::move(entries));
    // A single series too, as in Grafana: a PromQL series's labels had been nowhere to read (exploratory test).
    m_legendArea->setVisible(!m_compact && !m_lines.empty());
    fitLegend();
}

void ChartView::updateXAxis()
{
    const double from = std::floor(xMinMs()), to = std::ceil(xMaxMs());
    const int maxTicks = std::clamp(pixelWidth() / (m_compact ? 90 : 120) + 1, 2, 10);
    const double step = roundTimeStepMs(to - from, maxTicks);
    const QString format = timeLabelFormat(step, to - from);
    QStringList labels;
    const std::vector<double> ticks = roundTimeTicks(from, to, maxTicks);
    for (const double t : ticks) {
        QString label = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(t)).toString(format);
        while (labels.contains(label)) // a category axis takes each label once
            label += QChar(0x200B);
        labels << label;
    }
    // Panning moves the range at every mouse move, the ticks less often: the categories are rebuilt when they change.
    // They start a step before the first tick, out of view, not at the range's start, which every move changes.
    const double start = ticks.empty() ? from : ticks.front() - step;
    if (labels != m_xAxis->categoriesLabels() || m_xAxis->startValue() != start) {
        for (const QString &label : m_xAxis->categoriesLabels())
            m_xAxis->remove(label);
        m_xAxis->setStartValue(start);
        for (std::size_t k = 0; k < ticks.size(); ++k)
            m_xAxis->append(labels[static_cast<qsizetype>(k)], ticks[k]);
    }
    m_xAxis->setRange(from, to);
}

void ChartView::updateYAxis(YExtent extent)
{
    for (const QString &label : m_yAxis->categoriesLabels())
        m_yAxis->remove(label);
    if (m_logScale)
        updateLogYAxis(extent.minPositive, extent.max);
    else
        updateLinearYAxis(extent.min, extent.max);
    m_yAxis->setTitleText(m_compact ? QString() : m_unit);
}

void ChartView::updateLinearYAxis(double yMin, double yMax)
{
    if (!(yMax >= yMin)) {
        yMin = 0;
        yMax = 1;
    }
    if (yMax - yMin <= std::abs(yMax) * 1e-9) { // a flat line (up = 1): from zero to it, not ticks of its rounding
        yMin = std::min(yMin, 0.0);
        yMax = yMax > 0 ? yMax : yMax < 0 ? 0.0 : 1.0;
    }
    if (yMin >= 0 && yMin <= 0.3 * yMax)
        yMin = 0; // counts and rates read best from zero
    const int target = m_compact ? 3 : std::clamp(height() / 70, 3, 8);
    const Ticks ticks = niceTicks(yMin, yMax, target);
    // Below 10,000 the values read whole ("250", "1750"); above, in k, M … with the decimals the step needs (ticks
    // every 250 had read 0.3k, 0.5k, 0.8k: exploratory GUI test).
    const double largest = std::max(std::abs(ticks.first), std::abs(ticks.last()));
    const Prefix prefix = largest < 1e4 && largest >= 1 ? Prefix{} : prefixFor(largest);
    const int decimals = decimalsFor(ticks.step / prefix.scale);

    m_yAxis->setStartValue(ticks.first - ticks.step);
    for (int k = 0; k < ticks.count; ++k) {
        const double v = ticks.first + k * ticks.step;
        const QString label = std::abs(v) < ticks.step * 1e-6
                                  ? QStringLiteral("0")
                                  : QString::number(v / prefix.scale, 'f', decimals) + prefix.symbol;
        m_yAxis->append(label, v);
    }
    m_yAxis->setRange(ticks.first, ticks.last());
}

// The axis runs in log10 of the value over whole decades, labelled "1", "10", "1k" ... (and 2 and 5
// times each decade when only one or two are shown).
void ChartView::updateLogYAxis(double minPositive, double yMax)
{
    if (!(yMax > 0) || !std::isfinite(minPositive)) {
        minPositive = 1;
        yMax = 10;
    }
    const int lo = static_cast<int>(std::floor(std::log10(minPositive) + 1e-9));
    int hi = static_cast<int>(std::ceil(std::log10(yMax) - 1e-9));
    if (hi <= lo)
        hi = lo + 1;
    const int decades = hi - lo;
    const int maxLabels = m_compact ? 4 : std::clamp(height() / 45, 4, 10);
    const int every = std::max(1, (decades + maxLabels - 1) / maxLabels);
    std::vector<std::pair<double, QString>> ticks;
    for (int k = lo; k <= hi; ++k) {
        if ((k - lo) % every == 0)
            ticks.emplace_back(k, formatSi(std::pow(10.0, k), 1));
        if (decades <= 2 && k < hi)
            for (const double m : {2.0, 5.0})
                ticks.emplace_back(k + std::log10(m), formatSi(m * std::pow(10.0, k), 1));
    }
    std::sort(ticks.begin(), ticks.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    m_yAxis->setStartValue(lo - 1);
    for (const auto &[at, label] : ticks)
        m_yAxis->append(label, at);
    m_yAxis->setRange(lo, hi);
    m_logFloor = lo;
}

void ChartView::applyStyle()
{
    QFont font = this->font();
    if (m_compact)
        font.setPointSizeF(std::max(6.5, font.pointSizeF() - 2));
    m_xAxis->setLabelsFont(font);
    m_yAxis->setLabelsFont(font);
    m_legend->setFont(font);
    fitLegend();
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

double ChartView::fullMinMs() const
{
    if (m_range.to > m_range.from)
        return toMs(m_range.from);
    double v = kInf;
    for (const Line &l : m_lines)
        if (!l.xs.empty())
            v = std::min(v, l.xs.front());
    return std::isfinite(v) ? v : toMs(nowNs() - kHour);
}

double ChartView::fullMaxMs() const
{
    if (m_range.to > m_range.from)
        return toMs(m_range.to);
    double v = -kInf;
    for (const Line &l : m_lines)
        if (!l.xs.empty())
            v = std::max(v, l.xs.back());
    if (!std::isfinite(v))
        return toMs(nowNs());
    return v > fullMinMs() ? v : fullMinMs() + 60'000;
}

double ChartView::xMinMs() const
{
    return m_zoom ? m_zoom->first : fullMinMs();
}

double ChartView::xMaxMs() const
{
    return m_zoom ? m_zoom->second : fullMaxMs();
}

QString formatSi(double value, int significant)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    const Prefix p = prefixFor(std::abs(value));
    return withSignificant(value / p.scale, significant) + p.symbol;
}

double roundTimeStepMs(double lengthMs, int maxTicks)
{
    return static_cast<double>(niceIntervalAtLeast(static_cast<DurationNs>(std::ceil(lengthMs * 1e6 / std::max(1, maxTicks)))))
           / 1e6;
}

// Grafana's way, where equal parts of the range had fallen at 20:57, 01:45 … or 36 minutes apart (exploratory test).
// Each tick is aligned in its own local time, so that the hours after a change of summer time stay round.
std::vector<double> roundTimeTicks(double fromMs, double toMs, int maxTicks)
{
    std::vector<double> ticks;
    if (!(toMs > fromMs) || maxTicks < 1)
        return ticks;
    const double step = roundTimeStepMs(toMs - fromMs, maxTicks);
    const auto offsetAt = [](double ms) { return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms)).offsetFromUtc() * 1000.0; };
    double offset = offsetAt(fromMs);
    for (double wall = std::ceil((fromMs + offset) / step) * step; ticks.size() < 64; wall += step) {
        offset = offsetAt(wall - offset);
        const double t = wall - offset;
        if (t > toMs)
            break;
        if (t >= fromMs && (ticks.empty() || t > ticks.back()))
            ticks.push_back(t);
    }
    return ticks;
}

QString timeLabelFormat(double stepMs, double lengthMs)
{
    if (stepMs < 1000)
        return QStringLiteral("HH:mm:ss.zzz");
    if (stepMs < 60'000)
        return QStringLiteral("HH:mm:ss");
    if (stepMs < 86'400'000)
        return lengthMs > 86'400'000 ? QStringLiteral("ddd HH:mm") : QStringLiteral("HH:mm");
    return QStringLiteral("dd MMM");
}

QString formatValue(double value, const QString &unit)
{
    if (!std::isfinite(value))
        return QStringLiteral("–");
    const bool percent = unit == QLatin1String("%");
    const bool wholeUnder10k = value == std::trunc(value) && std::abs(value) < 1e4; // a count of 1504 read "1.50 k"
    const Prefix p = (percent && std::abs(value) < 1e3) || wholeUnder10k ? Prefix{} : prefixFor(std::abs(value));
    const QString suffix = p.symbol + unit;
    const double scaled = value / p.scale;
    // A whole number reads whole: counts had read "33.0" (exploratory test)
    const QString number = scaled == std::trunc(scaled) ? QString::number(scaled, 'f', 0) : withSignificant(scaled, 3);
    return suffix.isEmpty() ? number : number + QLatin1Char(' ') + suffix;
}

} // namespace fd

#include "widgets/ChartLegend.h"
#include "widgets/ChartView.h"
#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QScrollArea>
#include <QTest>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

using namespace fd;

namespace {

const TimeNs kStart = 1'763'650'000LL * kSecond;

struct Data {
    std::vector<TimeNs> xs;
    std::vector<double> ys;
};

// One sample a minute over an hour: y = a + b * i.
Data minuteSeries(double a, double b, DurationNs offset = 0)
{
    Data d;
    for (int i = 0; i < 60; ++i) {
        d.xs.push_back(kStart + offset + i * kMinute);
        d.ys.push_back(a + b * i);
    }
    return d;
}

// 1M samples over a day, flat around 1 with one single-sample spike.
Data bigSeries(std::size_t spikeAt, double spike)
{
    const std::size_t n = 1'000'000;
    Data d;
    d.xs.resize(n);
    d.ys.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        d.xs[i] = kStart + static_cast<TimeNs>(i) * (kDay / static_cast<TimeNs>(n));
        d.ys[i] = 1.0 + 0.1 * std::sin(static_cast<double>(i) / 5000.0);
    }
    d.ys[spikeAt] = spike;
    return d;
}

double ms(TimeNs t)
{
    return static_cast<double>(t) / 1e6;
}

// A point on the plot at time t, in the gesture surface's coordinates.
QPoint at(const ChartView &chart, TimeNs t)
{
    return chart.plotSurface()->mapFrom(&chart, QPoint(chart.xForTime(t), chart.height() / 3));
}

// How much time one horizontal pixel covers at the current zoom.
double nsPerPixel(const ChartView &chart)
{
    const TimeRange r = chart.visibleRange();
    return static_cast<double>(r.length()) / (chart.xForTime(r.to) - chart.xForTime(r.from));
}

// A move with no button held (QTest::mouseMove would only move the cursor, which offscreen may not report).
void hover(QWidget *surface, QPoint pos)
{
    QMouseEvent event(QEvent::MouseMove, QPointF(pos), QPointF(surface->mapToGlobal(pos)), Qt::NoButton,
                      Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(surface, &event);
}

void drag(QWidget *surface, Qt::MouseButton button, Qt::KeyboardModifiers modifiers, QPoint from, QPoint to)
{
    QTest::mousePress(surface, button, modifiers, from);
    const int steps = 4;
    for (int k = 1; k <= steps; ++k)
        QTest::mouseMove(surface, from + (to - from) * k / steps);
    QTest::mouseRelease(surface, button, modifiers, to);
}

void wheel(QWidget *surface, QPoint pos, int angle)
{
    QWheelEvent event(QPointF(pos), QPointF(surface->mapToGlobal(pos)), QPoint(), QPoint(0, angle), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(surface, &event);
}

void clickLegend(ChartView &chart, const QString &name, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    const QRect r = chart.legend()->entryRect(name);
    QVERIFY2(r.isValid(), qPrintable(name));
    QTest::mouseClick(chart.legend(), Qt::LeftButton, modifiers, r.center());
}

bool hasPoint(const QList<QPointF> &points, double x, double y)
{
    return std::any_of(points.begin(), points.end(), [&](const QPointF &p) { return p.x() == x && p.y() == y; });
}

int pointsInside(const QList<QPointF> &points, TimeRange r)
{
    return static_cast<int>(std::count_if(points.begin(), points.end(), [&](const QPointF &p) {
        return p.x() >= ms(r.from) && p.x() <= ms(r.to);
    }));
}

// Three series a, b, c on the same minutes, in a shown 1000x500 panel.
void fillThree(ChartView &chart)
{
    const Data a = minuteSeries(10, 1.5), b = minuteSeries(1000, 1), c = minuteSeries(0.5, 0.25);
    chart.setSeries(QStringLiteral("a"), a.xs, a.ys, QColor(0x1d, 0x4e, 0x9e));
    chart.setSeries(QStringLiteral("b"), b.xs, b.ys, QColor(0xd9, 0x48, 0x1c));
    chart.setSeries(QStringLiteral("c"), c.xs, c.ys, QColor(0x2c, 0x9c, 0x4a));
}

void showChart(ChartView &chart, QSize size = {1000, 500})
{
    chart.resize(size);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
}

} // namespace

class TestChartView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Exploratory test: a single PromQL series had no legend, so its labels were nowhere to read.
    void aSingleSeriesHasALegend()
    {
        ChartView chart;
        const Data up = minuteSeries(1, 0);
        chart.setSeries(QStringLiteral("{instance=\"localhost:9090\", job=\"prometheus\"}"), up.xs, up.ys, Qt::blue);
        showChart(chart);
        QVERIFY(chart.legend()->isVisible());
        chart.clear();
        QVERIFY(!chart.legend()->isVisible());
    }

    void legendTogglesAndIsolates()
    {
        ChartView chart;
        fillThree(chart);
        showChart(chart);
        QVERIFY(chart.legend()->isVisible());
        const qsizetype bPoints = chart.drawnPointCount(QStringLiteral("b"));
        QCOMPARE(bPoints, qsizetype(60));

        clickLegend(chart, QStringLiteral("b"));
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("b")));
        QCOMPARE(chart.drawnPointCount(QStringLiteral("b")), qsizetype(0));
        QVERIFY(chart.isSeriesVisible(QStringLiteral("a")));
        QCOMPARE(chart.seriesCount(), 3); // hidden, not removed
        clickLegend(chart, QStringLiteral("b"));
        QVERIFY(chart.isSeriesVisible(QStringLiteral("b")));
        QCOMPARE(chart.drawnPointCount(QStringLiteral("b")), bPoints);

        clickLegend(chart, QStringLiteral("c"), Qt::ShiftModifier);
        QVERIFY(chart.isSeriesVisible(QStringLiteral("c")));
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("a")));
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("b")));
        QCOMPARE(chart.drawnPointCount(QStringLiteral("a")), qsizetype(0));
        // Shift-clicking another entry isolates that one instead.
        clickLegend(chart, QStringLiteral("a"), Qt::ShiftModifier);
        QVERIFY(chart.isSeriesVisible(QStringLiteral("a")));
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("c")));
        // Clicking the isolated entry again restores all.
        clickLegend(chart, QStringLiteral("a"), Qt::ShiftModifier);
        for (const char *name : {"a", "b", "c"})
            QVERIFY2(chart.isSeriesVisible(QLatin1String(name)), name);
        clickLegend(chart, QStringLiteral("b"), Qt::ShiftModifier);
        clickLegend(chart, QStringLiteral("b"));
        for (const char *name : {"a", "b", "c"})
            QVERIFY2(chart.isSeriesVisible(QLatin1String(name)), name);
        QCOMPARE(chart.drawnPointCount(QStringLiteral("b")), bPoints);

        // The choice survives a refresh that sets the same series again.
        clickLegend(chart, QStringLiteral("a"));
        chart.beginUpdate();
        chart.clear();
        fillThree(chart);
        chart.endUpdate();
        QVERIFY(!chart.isSeriesVisible(QStringLiteral("a")));
        chart.showCrosshairAt(kStart + 5 * kMinute);
        QVERIFY(chart.crosshairText().contains(QStringLiteral("b: ")));
        QVERIFY(!chart.crosshairText().contains(QStringLiteral("a: ")));
    }

    void crosshairListsEveryValue()
    {
        ChartView chart;
        fillThree(chart);
        const Data band = minuteSeries(5, 0);
        chart.setBand(band.xs, std::vector<double>(60, 8.0), std::vector<double>(60, 80.0), Qt::gray);
        chart.setExpected(band.xs, std::vector<double>(60, 42.0), Qt::darkGray);
        showChart(chart);
        QSignalSpy hovered(&chart, &ChartView::hoveredTime);
        QSignalSpy left(&chart, &ChartView::hoverLeft);

        // Between two samples: each series shows the sample at or before the cursor (index 30).
        const TimeNs t = kStart + 30 * kMinute + 20 * kSecond;
        chart.showCrosshairAt(t);
        QCOMPARE(chart.crosshairTime(), std::optional<TimeNs>(t));
        const QString text = chart.crosshairText();
        QVERIFY2(text.contains(QStringLiteral("a: ") + formatValue(10 + 1.5 * 30, QString())), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("b: ") + formatValue(1030, QString())), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("c: ") + formatValue(0.5 + 0.25 * 30, QString())), qPrintable(text));
        QVERIFY2(text.contains(formatValue(8, QString())) && text.contains(formatValue(80, QString())), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("expected: 42")), qPrintable(text));
        // Headed by the time of the samples shown, not the cursor's (exploratory test: 16:44:06 over the 16:30 bucket)
        const QString sampleTime = QDateTime::fromMSecsSinceEpoch((kStart + 30 * kMinute) / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        QVERIFY2(text.startsWith(sampleTime), qPrintable(text + QStringLiteral(" / ") + sampleTime));
        QCOMPARE(hovered.count(), 0); // the slot does not echo back to a shared board

        // The mouse: the hovered time is reported and drives the same label.
        hovered.clear();
        hover(chart.plotSurface(), at(chart, kStart + 45 * kMinute + 30 * kSecond));
        QVERIFY(hovered.count() >= 1);
        const TimeNs h = hovered.last().at(0).value<TimeNs>();
        QVERIFY(std::abs(h - (kStart + 45 * kMinute + 30 * kSecond)) < 2 * nsPerPixel(chart));
        const int index = static_cast<int>((h - kStart) / kMinute);
        QVERIFY2(chart.crosshairText().contains(QStringLiteral("a: ") + formatValue(10 + 1.5 * index, QString())),
                 qPrintable(chart.crosshairText()));

        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(chart.plotSurface(), &leave);
        QCOMPARE(left.count(), 1);
        QVERIFY(!chart.crosshairTime());
        QVERIFY(chart.crosshairText().isEmpty());
    }

    void timeTicksFallOnRoundTimes()
    {
        // Exploratory test: equal parts of the range put ticks at 20:57, 01:45 …, or 36 minutes apart.
        const auto local = [](const char *text) {
            return double(QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toMSecsSinceEpoch());
        };
        const auto labels = [](const std::vector<double> &ticks) {
            QStringList out;
            for (const double t : ticks)
                out << QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(QStringLiteral("HH:mm"));
            return out;
        };
        QCOMPARE(labels(roundTimeTicks(local("2026-12-06T18:00:00"), local("2026-12-06T21:00:41"), 7)),
                 (QStringList{QStringLiteral("18:00"), QStringLiteral("18:30"), QStringLiteral("19:00"), QStringLiteral("19:30"), QStringLiteral("20:00"), QStringLiteral("20:30"), QStringLiteral("21:00")}));
        QCOMPARE(labels(roundTimeTicks(local("2026-12-05T20:57:13"), local("2026-12-06T20:57:13"), 5)),
                 (QStringList{QStringLiteral("00:00"), QStringLiteral("06:00"), QStringLiteral("12:00"), QStringLiteral("18:00")}));
        QCOMPARE(labels(roundTimeTicks(local("2026-12-06T10:00:01"), local("2026-12-06T10:04:00"), 4)),
                 (QStringList{QStringLiteral("10:01"), QStringLiteral("10:02"), QStringLiteral("10:03"), QStringLiteral("10:04")}));
        QVERIFY(roundTimeTicks(5, 5, 4).empty());
        // Review: a zoom under a second had no label at all; labels follow the step, not the range
        const double t0 = local("2026-12-06T10:00:00");
        QCOMPARE(roundTimeTicks(t0 + 3, t0 + 303, 4).size(), std::size_t(3)); // 100 ms apart
        QCOMPARE(timeLabelFormat(roundTimeStepMs(300, 4), 300), QStringLiteral("HH:mm:ss.zzz"));
        QCOMPARE(timeLabelFormat(roundTimeStepMs(3 * 3'600'000.0, 7), 3 * 3'600'000.0), QStringLiteral("HH:mm"));
        QCOMPARE(timeLabelFormat(roundTimeStepMs(2 * 86'400'000.0, 9), 2 * 86'400'000.0), QStringLiteral("ddd HH:mm"));
        QCOMPARE(timeLabelFormat(roundTimeStepMs(30 * 86'400'000.0, 5), 30 * 86'400'000.0), QStringLiteral("dd MMM"));
    }

    void valuesReadWholeWhenWhole()
    {
        // Exploratory test: a count of 33 read "33.0" on hover.
        QCOMPARE(formatValue(33, QString()), QStringLiteral("33"));
        QCOMPARE(formatValue(-7, QStringLiteral("ms")), QStringLiteral("-7 ms"));
        // Counts under 10,000 read whole: 1504 read "1.50 k" (exploratory GUI test).
        QCOMPARE(formatValue(1504, QString()), QStringLiteral("1504"));
        QCOMPARE(formatValue(20000, QString()), QStringLiteral("20 k"));
        QCOMPARE(formatValue(33.5, QString()), QStringLiteral("33.5"));
        QCOMPARE(formatValue(1030.5, QString()), QStringLiteral("1.03 k"));
        QCOMPARE(formatValue(0.25, QStringLiteral("%")), QStringLiteral("0.250 %"));
    }

    void crosshairReadsFullData()
    {
        const std::size_t n = 1'000'000;
        Data d = bigSeries(0, 1.0);
        for (std::size_t i = 0; i < n; ++i)
            d.ys[i] = static_cast<double>(i % 997);
        ChartView chart;
        chart.setSeries(QStringLiteral("big"), d.xs, d.ys, Qt::darkGreen);
        showChart(chart);
        const std::size_t k = 500'123;
        const QList<QPointF> drawn = chart.drawnPoints(QStringLiteral("big"));
        QVERIFY(drawn.size() > 100);
        QVERIFY(!std::any_of(drawn.begin(), drawn.end(), [&](const QPointF &p) { return p.x() == ms(d.xs[k]); }));
        // Times are kept as double ms (sub-microsecond resolution in this era): step 1 ms off the sample.
        chart.showCrosshairAt(d.xs[k] + kSecond / 1000);
        QVERIFY2(chart.crosshairText().contains(QStringLiteral("big: ") + formatValue(static_cast<double>(k % 997), QString())),
                 qPrintable(chart.crosshairText()));
        chart.showCrosshairAt(d.xs[k] - kSecond / 1000);
        QVERIFY2(chart.crosshairText().contains(QStringLiteral("big: ") + formatValue(static_cast<double>((k - 1) % 997), QString())),
                 qPrintable(chart.crosshairText()));
    }

    void dragZoomRedecimatesFromFullData()
    {
        const std::size_t spike = 612'345;
        const Data d = bigSeries(spike, 1e6);
        ChartView chart;
        chart.setSeries(QStringLiteral("big"), d.xs, d.ys, Qt::darkGreen);
        showChart(chart);
        QSignalSpy changed(&chart, &ChartView::visibleRangeChanged);
        const TimeRange full = chart.visibleRange();
        QCOMPARE(full.from, d.xs.front());
        QCOMPARE(full.to, d.xs.back());
        const TimeRange window{d.xs[600'000], d.xs[640'000]};
        const int before = pointsInside(chart.drawnPoints(QStringLiteral("big")), window);
        const double tolerance = 2 * nsPerPixel(chart);

        drag(chart.plotSurface(), Qt::LeftButton, Qt::NoModifier, at(chart, window.from), at(chart, window.to));
        QVERIFY(chart.isZoomed());
        QVERIFY(changed.count() >= 1);
        const TimeRange shown = chart.visibleRange();
        QCOMPARE(changed.last().at(0).value<TimeRange>().from, shown.from);
        QVERIFY2(std::abs(shown.from - window.from) < tolerance, qPrintable(formatRfc3339(shown.from)));
        QVERIFY2(std::abs(shown.to - window.to) < tolerance, qPrintable(formatRfc3339(shown.to)));

        const QList<QPointF> points = chart.drawnPoints(QStringLiteral("big"));
        const qsizetype drawn = chart.drawnPointCount(QStringLiteral("big"));
        QCOMPARE(drawn, points.size());
        QVERIFY2(drawn <= 4 * chart.plotSurface()->width(), qPrintable(QString::number(drawn)));
        QVERIFY2(pointsInside(points, shown) > 10 * before, qPrintable(QStringLiteral("%1 vs %2").arg(pointsInside(points, shown)).arg(before)));
        QVERIFY(hasPoint(points, ms(d.xs[spike]), 1e6));

        // A click without a drag does not zoom.
        const TimeRange kept = chart.visibleRange();
        QTest::mouseClick(chart.plotSurface(), Qt::LeftButton, {}, at(chart, window.from + window.length() / 2));
        QCOMPARE(chart.visibleRange().from, kept.from);
        QCOMPARE(chart.visibleRange().to, kept.to);
    }

    void wheelZoomsAroundCursor()
    {
        const std::size_t spike = 300'000;
        const Data d = bigSeries(spike, -500);
        ChartView chart;
        chart.setSeries(QStringLiteral("big"), d.xs, d.ys, Qt::darkGreen);
        showChart(chart);
        const TimeRange full = chart.visibleRange();
        const TimeNs cursor = d.xs[spike];
        const QPoint pos = at(chart, cursor);
        const double fraction = static_cast<double>(cursor - full.from) / static_cast<double>(full.length());

        for (int i = 0; i < 10; ++i)
            wheel(chart.plotSurface(), pos, 120);
        TimeRange r = chart.visibleRange();
        const double expectedLength = static_cast<double>(full.length()) * std::pow(0.8, 10);
        QVERIFY(std::abs(static_cast<double>(r.length()) - expectedLength) < expectedLength * 0.01);
        const double cursorFraction = static_cast<double>(cursor - r.from) / static_cast<double>(r.length());
        QVERIFY2(std::abs(cursorFraction - fraction) < 0.02, qPrintable(QString::number(cursorFraction)));
        // The lines catch up within a frame or two, with the spike still there.
        QTRY_VERIFY(pointsInside(chart.drawnPoints(QStringLiteral("big")), r) > chart.plotSurface()->width());
        QVERIFY(hasPoint(chart.drawnPoints(QStringLiteral("big")), ms(d.xs[spike]), -500));
        QVERIFY(chart.drawnPointCount(QStringLiteral("big")) <= 4 * chart.plotSurface()->width());

        wheel(chart.plotSurface(), pos, -120);
        QVERIFY(chart.visibleRange().length() > r.length());
        for (int i = 0; i < 30; ++i)
            wheel(chart.plotSurface(), pos, -120);
        QVERIFY(!chart.isZoomed());
        QCOMPARE(chart.visibleRange().from, full.from);
        QCOMPARE(chart.visibleRange().to, full.to);
    }

    void panAndReset()
    {
        ChartView chart;
        fillThree(chart);
        showChart(chart);
        QSignalSpy changed(&chart, &ChartView::visibleRangeChanged);
        const TimeRange full = chart.visibleRange();
        const TimeRange window{kStart + 20 * kMinute, kStart + 30 * kMinute};
        chart.setVisibleRange(window);
        QCOMPARE(chart.visibleRange().from, window.from);
        QCOMPARE(changed.count(), 1);
        const double perPixel = nsPerPixel(chart);
        const QPoint mid = at(chart, kStart + 25 * kMinute);

        // Middle-button drag to the left shows later times.
        drag(chart.plotSurface(), Qt::MiddleButton, Qt::NoModifier, mid, mid - QPoint(200, 0));
        TimeRange r = chart.visibleRange();
        QVERIFY2(std::abs(static_cast<double>(r.from - window.from) - 200 * perPixel) < 2 * perPixel,
                 qPrintable(formatRfc3339(r.from)));
        QVERIFY(std::abs(r.length() - window.length()) < 1000);

        // Shift + left drag to the right shows earlier times, and stops at the start of the data.
        const TimeRange beforeShift = r;
        drag(chart.plotSurface(), Qt::LeftButton, Qt::ShiftModifier, mid, mid + QPoint(100, 0));
        r = chart.visibleRange();
        QVERIFY2(std::abs(static_cast<double>(beforeShift.from - r.from) - 100 * perPixel) < 2 * perPixel,
                 qPrintable(formatRfc3339(r.from)));
        for (int i = 0; i < 4; ++i)
            drag(chart.plotSurface(), Qt::MiddleButton, Qt::NoModifier, mid - QPoint(300, 0), mid + QPoint(400, 0));
        QCOMPARE(chart.visibleRange().from, full.from);
        QVERIFY(std::abs(chart.visibleRange().length() - window.length()) < 1000);
        // Drawn points follow the window (one neighbour outside each edge).
        QVERIFY(chart.drawnPointCount(QStringLiteral("a")) <= 12);

        // Double-click and resetZoom() go back to the whole range.
        changed.clear();
        QTest::mouseDClick(chart.plotSurface(), Qt::LeftButton, {}, mid);
        QVERIFY(!chart.isZoomed());
        QCOMPARE(chart.visibleRange().from, full.from);
        QCOMPARE(chart.visibleRange().to, full.to);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(chart.drawnPointCount(QStringLiteral("a")), qsizetype(60));
        chart.setVisibleRange(window);
        QVERIFY(chart.isZoomed());
        chart.resetZoom();
        QVERIFY(!chart.isZoomed());
        QCOMPARE(changed.last().at(0).value<TimeRange>().to, full.to);
    }

    void logScaleDropsNonPositive()
    {
        ChartView chart;
        chart.setUnit(QStringLiteral("/s"));
        std::vector<TimeNs> xs;
        for (int i = 0; i < 9; ++i)
            xs.push_back(kStart + i * kMinute);
        const std::vector<double> ys = {-5, 0, 1, 10, 100, 0, 2500, -1, 50};
        chart.setSeries(QStringLiteral("rate"), xs, ys, Qt::blue);
        chart.setSeries(QStringLiteral("zeros"), xs, std::vector<double>(9, 0.0), Qt::red);
        showChart(chart);
        chart.setLogScale(true);
        QVERIFY(chart.isLogScale());
        const QList<QPointF> points = chart.drawnPoints(QStringLiteral("rate"));
        QCOMPARE(points.size(), 5);
        for (const QPointF &p : points) {
            const auto i = static_cast<std::size_t>(std::lround((p.x() - ms(kStart)) / 60'000));
            QVERIFY(ys[i] > 0);
            QCOMPARE(p.y(), std::log10(ys[i]));
        }
        QCOMPARE(chart.drawnPointCount(QStringLiteral("zeros")), qsizetype(0));
        const QStringList labels = chart.valueAxisLabels();
        for (const char *label : {"1", "10", "100", "1k", "10k"})
            QVERIFY2(labels.contains(QLatin1String(label)), qPrintable(labels.join(QLatin1Char(' '))));
        QVERIFY(chart.grab().toImage().width() > 0);

        // Only non-positive values, NaN, stacked: still no crash and nothing drawn below the axis.
        chart.setSeries(QStringLiteral("rate"), xs, {-1, -2, 0, NAN, 0, -3, 0, 0, -9}, Qt::blue);
        QCOMPARE(chart.drawnPointCount(QStringLiteral("rate")), qsizetype(0));
        chart.setStacked(true);
        QVERIFY(chart.grab().toImage().width() > 0);
        chart.setStacked(false);
        chart.setLogScale(false);
        QCOMPARE(chart.drawnPointCount(QStringLiteral("rate")), qsizetype(9)); // the NaN stays as a break
        QVERIFY(chart.valueAxisLabels().contains(QStringLiteral("0")));
    }

    // A hundred series had grown the window past the screen with their legend (exploratory GUI test): it scrolls.
    void aLongLegendScrolls()
    {
        ChartView chart;
        const std::vector<TimeNs> xs = {kStart, kStart + kMinute};
        chart.beginUpdate();
        for (int i = 0; i < 100; ++i)
            chart.setSeries(QStringLiteral("/products/%1").arg(i), xs, {double(i), double(i + 1)}, Qt::blue);
        chart.endUpdate();
        chart.resize(800, 500);
        showChart(chart);
        auto *area = chart.findChild<QScrollArea *>();
        QVERIFY(area && area->isVisible());
        QVERIFY2(area->height() <= 4 * (chart.legend()->fontMetrics().height() + 6) + 3, qPrintable(QString::number(area->height())));
        QVERIFY(chart.legend()->height() > area->height()); // the rest scrolls into view
        QVERIFY(chart.height() <= 500);
        chart.grab().save(QStringLiteral(FD_BINARY_DIR "/tst_chartview_long_legend.png"));
        chart.setLegendRows(0); // an exported picture shows every entry (review)
        QCOMPARE(area->height(), chart.legend()->heightForWidth(area->width()));
    }

    // Ticks every 250 had read 0.3k, 0.5k, 0.8k (exploratory GUI test): each label says its tick's value.
    void axisLabelsSayTheirTicksExactly()
    {
        ChartView chart;
        const std::vector<TimeNs> xs = {kStart, kStart + kMinute, kStart + 2 * kMinute};
        chart.setSeries(QStringLiteral("count"), xs, {0, 900, 1740}, Qt::blue);
        showChart(chart);
        QStringList labels = chart.valueAxisLabels();
        QVERIFY2(labels.contains(QStringLiteral("250")) || labels.contains(QStringLiteral("500")), qPrintable(labels.join(u' ')));
        for (const QString &label : labels)
            QVERIFY2(!label.contains(QLatin1Char('.')) && !label.contains(QLatin1Char('k')), qPrintable(labels.join(u' ')));
        chart.setSeries(QStringLiteral("count"), xs, {0, 9000, 17400}, Qt::blue);
        labels = chart.valueAxisLabels();
        QVERIFY2(labels.contains(QStringLiteral("2.5k")) || labels.contains(QStringLiteral("5k")), qPrintable(labels.join(u' ')));
        for (const QString &label : labels) // one value each: none rounded onto another
            QCOMPARE(labels.count(label), qsizetype(1));
    }

    // Seen in a screenshot: Prometheus' up (1 all along) had its axis zoomed into rounding, each label "1.…".
    void aFlatLineReadsFromZero()
    {
        ChartView chart;
        const std::vector<TimeNs> xs = {kStart, kStart + kMinute, kStart + 2 * kMinute};
        for (const double flat : {1.0, -3.0, 0.0, 1e12}) {
            chart.setSeries(QStringLiteral("up"), xs, std::vector<double>(3, flat), Qt::blue);
            showChart(chart);
            const QStringList labels = chart.valueAxisLabels();
            QVERIFY2(labels.contains(QStringLiteral("0")), qPrintable(labels.join(QLatin1Char(' '))));
            for (const QString &label : labels)
                QVERIFY2(label.size() <= 4, qPrintable(labels.join(QLatin1Char(' '))));
        }
    }

    void stackedTopIsTheSum()
    {
        ChartView chart;
        const Data a = minuteSeries(10, 1), b = minuteSeries(100, 2);
        const Data c = minuteSeries(1000, 0, 30 * kSecond); // between a's and b's samples
        chart.setSeries(QStringLiteral("a"), a.xs, a.ys, Qt::blue);
        chart.setSeries(QStringLiteral("b"), b.xs, b.ys, Qt::red);
        chart.setSeries(QStringLiteral("c"), c.xs, c.ys, Qt::darkGreen);
        showChart(chart);
        chart.setStacked(true);
        QVERIFY(chart.isStacked());

        auto valueAt = [](const Data &d, double x) {
            const auto it = std::upper_bound(d.xs.begin(), d.xs.end(), static_cast<TimeNs>(std::llround(x * 1e6)));
            if (it == d.xs.begin() || x > ms(d.xs.back()))
                return 0.0;
            return d.ys[static_cast<std::size_t>(it - d.xs.begin() - 1)];
        };
        const QList<QPointF> top = chart.drawnPoints(QStringLiteral("c"));
        QCOMPARE(top.size(), qsizetype(120)); // the union of the two time grids
        for (const QPointF &p : top)
            QCOMPARE(p.y(), valueAt(a, p.x()) + valueAt(b, p.x()) + valueAt(c, p.x()));
        const QList<QPointF> middle = chart.drawnPoints(QStringLiteral("b"));
        for (const QPointF &p : middle)
            QCOMPARE(p.y(), valueAt(a, p.x()) + valueAt(b, p.x()));
        QVERIFY(hasPoint(top, ms(kStart + 10 * kMinute + 30 * kSecond), 20 + 120 + 1000));

        chart.showCrosshairAt(kStart + 10 * kMinute + 45 * kSecond);
        QVERIFY2(chart.crosshairText().contains(QStringLiteral("total: ") + formatValue(1140, QString())),
                 qPrintable(chart.crosshairText()));

        // Hiding a series takes it out of the stack.
        chart.setSeriesVisible(QStringLiteral("b"), false);
        const QList<QPointF> without = chart.drawnPoints(QStringLiteral("c"));
        QVERIFY(hasPoint(without, ms(kStart + 10 * kMinute + 30 * kSecond), 20 + 1000));
    }

    void compactFollowsSharedCrosshair()
    {
        ChartView tile;
        tile.setCompact(true);
        const Data a = minuteSeries(10, 1.5);
        tile.setSeries(QStringLiteral("a"), a.xs, a.ys, Qt::blue);
        showChart(tile, {360, 160});
        QSignalSpy hovered(&tile, &ChartView::hoveredTime);
        const QImage plain = tile.grab().toImage();
        tile.setCrosshairTime(kStart + 20 * kMinute);
        QVERIFY(tile.crosshairText().contains(formatValue(40, QString())));
        const QImage withCrosshair = tile.grab().toImage();
        QVERIFY(plain != withCrosshair);
        tile.setCrosshairTime(std::nullopt);
        QVERIFY(!tile.crosshairTime());
        QVERIFY(tile.grab().toImage() == plain);

        // A tile hovers (so a board can share it) but does not zoom.
        hover(tile.plotSurface(), at(tile, kStart + 30 * kMinute));
        QVERIFY(hovered.count() >= 1);
        drag(tile.plotSurface(), Qt::LeftButton, Qt::NoModifier, at(tile, kStart + 10 * kMinute),
             at(tile, kStart + 40 * kMinute));
        QVERIFY(!tile.isZoomed());
    }

    void boardSharesOneCrosshair()
    {
        ChartView left, right;
        const Data a = minuteSeries(10, 1), b = minuteSeries(5, 2);
        left.setSeries(QStringLiteral("a"), a.xs, a.ys, Qt::blue);
        right.setSeries(QStringLiteral("b"), b.xs, b.ys, Qt::red);
        right.setCompact(true);
        connect(&left, &ChartView::hoveredTime, &right, &ChartView::showCrosshairAt);
        connect(&left, &ChartView::hoverLeft, &right, &ChartView::hideCrosshair);
        showChart(left, {600, 300});
        right.resize(300, 150);
        hover(left.plotSurface(), at(left, kStart + 15 * kMinute + 10 * kSecond));
        QVERIFY(right.crosshairTime());
        QCOMPARE(right.crosshairTime(), left.crosshairTime());
        QVERIFY(right.crosshairText().contains(formatValue(5 + 2 * 15, QString())));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(left.plotSurface(), &leave);
        QVERIFY(!right.crosshairTime());
    }

    void screenshotPanel()
    {
        ChartView chart;
        chart.setUnit(QStringLiteral("/s"));
        std::vector<TimeNs> xs;
        std::vector<double> a, b, c;
        for (int i = 0; i < 24 * 60; ++i) {
            xs.push_back(kStart + i * kMinute);
            const double s = std::sin(i / 90.0);
            a.push_back(1200 + 300 * s + 40 * std::sin(i * 1.3));
            b.push_back(800 - 200 * s + 25 * std::cos(i * 0.7));
            c.push_back(300 + 60 * std::sin(i / 20.0) + (i == 700 ? 900 : 0));
        }
        chart.setSeries(QStringLiteral("checkout"), xs, a, QColor(0x1d, 0x4e, 0x9e));
        chart.setSeries(QStringLiteral("auth"), xs, b, QColor(0xd9, 0x48, 0x1c));
        chart.setSeries(QStringLiteral("search"), xs, c, QColor(0x2c, 0x9c, 0x4a));
        Marker deploy;
        deploy.time = kStart + 690 * kMinute;
        deploy.kind = "deploy";
        deploy.service = "search";
        chart.setMarkers({deploy});
        showChart(chart, {1200, 600});
        drag(chart.plotSurface(), Qt::LeftButton, Qt::NoModifier, at(chart, kStart + 600 * kMinute),
             at(chart, kStart + 800 * kMinute));
        QVERIFY(chart.isZoomed());
        hover(chart.plotSurface(), at(chart, kStart + 700 * kMinute + 20 * kSecond));
        QVERIFY(chart.crosshairTime());
        QCOMPARE(chart.crosshairText().count(QLatin1Char('\n')), 3);
        QTest::qWait(50);
        const QImage image = chart.grab().toImage();
        QVERIFY(image.save(QStringLiteral(FD_BINARY_DIR "/tst_chartview_panel.png")));
        chart.setStacked(true);
        chart.grab().save(QStringLiteral(FD_BINARY_DIR "/tst_chartview_stacked.png"));
        chart.setStacked(false);
        chart.setLogScale(true);
        chart.grab().save(QStringLiteral(FD_BINARY_DIR "/tst_chartview_log.png"));
    }
};

QTEST_MAIN(TestChartView)
#include "tst_chartview.moc"

// Chart figures: (a) a 1M-point Prometheus query_range answer parsed and decimated to 1500 px,
// (b) ChartView drawing 1M and 10M points (setSeries + a forced paint) plus zoomed pan frames,
// against (c) the same points fed undecimated to a plain QChart/QLineSeries. Prints figures; not a
// pass/fail test. The undecimated runs go to a child process so they can be capped at 60 s.
#include "connectors/prometheus/PromResponse.h"
#include "models/Decimate.h"
#include "widgets/ChartView.h"
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QProcess>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace fd;

namespace {

constexpr int kWidth = 1500, kHeight = 600;
constexpr int kCapSeconds = 60;
const TimeNs kStart = 1'763'650'000LL * kSecond;

struct Series {
    std::vector<TimeNs> xs;
    std::vector<double> ys;
};

double msSince(const QElapsedTimer &t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// A noisy daily curve with a few single-sample spikes, one sample per `step`.
Series makeSeries(std::size_t n, DurationNs step)
{
    Series s;
    s.xs.resize(n);
    s.ys.resize(n);
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0, 3);
    for (std::size_t i = 0; i < n; ++i) {
        s.xs[i] = kStart + static_cast<TimeNs>(i) * step;
        s.ys[i] = 100 + 40 * std::sin(static_cast<double>(i) * 6.283 / static_cast<double>(n)) + noise(rng);
    }
    for (std::size_t i = n / 7; i < n; i += n / 7)
        s.ys[i] = 900;
    return s;
}

std::string promAnswer(int seriesCount, std::size_t perSeries)
{
    std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
    body.reserve(static_cast<std::size_t>(seriesCount) * perSeries * 28 + 1024);
    char buf[96];
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> value(0, 2000);
    for (int s = 0; s < seriesCount; ++s) {
        if (s > 0)
            body += ',';
        body += R"({"metric":{"__name__":"http_requests_per_second","instance":"host-)" + std::to_string(s)
                + R"(:9100","job":"api"},"values":[)";
        for (std::size_t i = 0; i < perSeries; ++i) {
            const double t = 1'763'650'000.0 + static_cast<double>(i) * 0.25;
            const int len = std::snprintf(buf, sizeof buf, "%s[%.3f,\"%.6g\"]", i ? "," : "", t, value(rng));
            body.append(buf, static_cast<std::size_t>(len));
        }
        body += "]}";
    }
    body += "]}}";
    return body;
}

void benchProm()
{
    const int seriesCount = 4;
    const std::size_t perSeries = 250'000;
    const std::string body = promAnswer(seriesCount, perSeries);
    std::printf("(a) Prometheus query_range answer: %d series x %zu points = %zu points, %.1f MB of JSON\n",
                seriesCount, perSeries, seriesCount * perSeries, body.size() / 1e6);
    QElapsedTimer t;
    t.start();
    const Json data = promData(body);
    const double parseMs = msSince(t);
    t.restart();
    const Frame frame = promFrame(data, 100);
    const double frameMs = msSince(t);
    t.restart();
    // The frame has rows grouped by series: split on the instance label.
    const int instance = frame.columnIndex("instance");
    const int valueColumn = frame.columnIndex("value");
    std::vector<std::vector<double>> xs(1), ys(1);
    std::string current;
    for (std::size_t r = 0; r < frame.rowCount(); ++r) {
        const std::string &label = std::get<std::string>(frame.cell(r, static_cast<std::size_t>(instance)));
        if (r > 0 && label != current) {
            xs.emplace_back();
            ys.emplace_back();
        }
        current = label;
        xs.back().push_back(static_cast<double>(std::get<std::int64_t>(frame.cell(r, 0))) / 1e6);
        ys.back().push_back(cellToDouble(frame.cell(r, static_cast<std::size_t>(valueColumn))));
    }
    const double splitMs = msSince(t);
    t.restart();
    std::size_t kept = 0;
    for (std::size_t s = 0; s < xs.size(); ++s)
        kept += decimateMinMax(xs[s], ys[s], xs[s].front(), xs[s].back(), kWidth).xs.size();
    const double decimateMs = msSince(t);
    std::printf("    promData (JSON parse)      %8.1f ms\n", parseMs);
    std::printf("    promFrame (to a frame)     %8.1f ms  (%zu rows)\n", frameMs, frame.rowCount());
    std::printf("    frame -> %zu series        %8.1f ms\n", xs.size(), splitMs);
    std::printf("    decimate to %d px        %8.1f ms  (%zu points kept)\n", kWidth, decimateMs, kept);
    std::printf("    total                      %8.1f ms\n\n", parseMs + frameMs + splitMs + decimateMs);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct ChartFigures {
    double setSeries = 0, paint = 0, pan = 0, fullRedecimate = 0;
};

ChartFigures benchChartView(std::size_t n)
{
    const Series s = makeSeries(n, kDay / static_cast<TimeNs>(n));
    ChartView view;
    view.resize(kWidth, kHeight);
    view.setUnit(QStringLiteral("/s"));
    view.grab(); // fonts and the scene are set up once
    std::vector<double> set, paint;
    for (int run = 0; run < 3; ++run) {
        view.clear();
        QElapsedTimer t;
        t.start();
        view.setSeries(QStringLiteral("requests"), s.xs, s.ys, QColor(0x1d, 0x4e, 0x9e));
        set.push_back(msSince(t));
        t.restart();
        const QImage image = view.grab().toImage();
        paint.push_back(msSince(t));
        if (run == 0 && n == 1'000'000)
            image.save(QStringLiteral("bench_chart_1M.png"));
    }
    ChartFigures f;
    f.setSeries = median(set);
    f.paint = median(paint);

    // Zoomed to a tenth of the day, panned by 1 % per frame: re-decimate the window + paint.
    const TimeRange full = view.fullRange();
    const DurationNs window = full.length() / 10, step = full.length() / 100;
    std::vector<double> pan;
    for (int k = 0; k < 20; ++k) {
        QElapsedTimer t;
        t.start();
        view.setVisibleRange({full.from + 2 * window + k * step, full.from + 3 * window + k * step});
        view.grab();
        pan.push_back(msSince(t));
    }
    f.pan = median(pan);
    std::vector<double> reset;
    for (int k = 0; k < 3; ++k) {
        view.setVisibleRange({full.from + window, full.from + 2 * window});
        QElapsedTimer t;
        t.start();
        view.resetZoom();
        view.grab();
        reset.push_back(msSince(t));
    }
    f.fullRedecimate = median(reset);
    return f;
}

// Child mode: the same points straight into a QLineSeries.
int rawChild(std::size_t n)
{
    const Series s = makeSeries(n, kDay / static_cast<TimeNs>(n));
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(n));
    for (std::size_t i = 0; i < n; ++i)
        points.append({static_cast<double>(s.xs[i]) / 1e6, s.ys[i]});
    auto *chart = new QChart;
    auto *x = new QDateTimeAxis;
    auto *y = new QValueAxis;
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->legend()->hide();
    auto *series = new QLineSeries;
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    x->setRange(QDateTime::fromMSecsSinceEpoch(s.xs.front() / 1'000'000),
                QDateTime::fromMSecsSinceEpoch(s.xs.back() / 1'000'000));
    y->setRange(0, 1000);
    QChartView view(chart);
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(kWidth, kHeight);
    view.grab();
    QElapsedTimer t;
    t.start();
    series->replace(points);
    const double replaceMs = msSince(t);
    t.restart();
    view.grab();
    const double paintMs = msSince(t);
    std::printf("%.1f %.1f\n", replaceMs, paintMs);
    std::fflush(stdout);
    return 0;
}

struct RawFigures {
    bool capped = false;
    double replace = 0, paint = 0;
};

RawFigures runRaw(const QString &self, std::size_t n)
{
    QProcess child;
    child.start(self, {QStringLiteral("--raw"), QString::number(n)});
    RawFigures f;
    // Generating 10M points takes a few seconds of the child's time before the clock starts.
    if (!child.waitForFinished((kCapSeconds + 15) * 1000)) {
        child.kill();
        child.waitForFinished(5000);
        f.capped = true;
        return f;
    }
    const QList<QByteArray> parts = child.readAllStandardOutput().trimmed().split(' ');
    if (parts.size() == 2) {
        f.replace = parts[0].toDouble();
        f.paint = parts[1].toDouble();
    }
    f.capped = f.replace + f.paint > kCapSeconds * 1000.0;
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() == 3 && args[1] == QLatin1String("--raw"))
        return rawChild(args[2].toULongLong());

    benchProm();

    std::printf("(b) ChartView %dx%d, one series over a day (median of runs)\n", kWidth, kHeight);
    std::printf("    %-5s %12s %12s %12s %14s %16s\n", "points", "setSeries", "paint", "total", "pan frame",
                "zoom-out frame");
    std::vector<std::pair<std::size_t, ChartFigures>> ours;
    for (const std::size_t n : {std::size_t(1'000'000), std::size_t(10'000'000)}) {
        const ChartFigures f = benchChartView(n);
        ours.emplace_back(n, f);
        std::printf("    %-5s %9.1f ms %9.1f ms %9.1f ms %11.1f ms %13.1f ms\n", n == 1'000'000 ? "1M" : "10M",
                    f.setSeries, f.paint, f.setSeries + f.paint, f.pan, f.fullRedecimate);
    }
    {
        const Series s = makeSeries(10'000'000, kDay / 10'000'000);
        std::vector<double> xs(s.xs.size());
        for (std::size_t i = 0; i < xs.size(); ++i)
            xs[i] = static_cast<double>(s.xs[i]) / 1e6;
        QElapsedTimer t;
        t.start();
        const DecimatedXY d = decimateMinMax(xs, s.ys, xs.front(), xs.back(), kWidth - 70);
        std::printf("    (decimateMinMax alone, 10M -> %zu points: %.1f ms)\n", d.xs.size(), msSince(t));
    }
    {
        // setSeries copies x and y (10M: 160 MB); fresh pages cost what the machine's page faults cost.
        QElapsedTimer t;
        t.start();
        std::vector<double> a(10'000'000), b(10'000'000);
        std::printf("    (for reference: touching 160 MB of fresh memory here takes %.1f ms)\n\n", msSince(t) + a[1] + b[1]);
    }

    std::printf("(c) plain QChart + QLineSeries::replace(), undecimated, same size (child process, cap %d s)\n",
                kCapSeconds);
    for (const auto &[n, f] : ours) {
        const RawFigures raw = runRaw(QCoreApplication::applicationFilePath(), n);
        const char *label = n == 1'000'000 ? "1M" : "10M";
        if (raw.capped && raw.replace == 0) {
            std::printf("    %-5s did not finish within the cap (> %d s): killed\n", label, kCapSeconds);
            continue;
        }
        const double total = raw.replace + raw.paint;
        std::printf("    %-5s replace %9.1f ms, paint %9.1f ms, total %9.1f ms%s  ->  %.0fx ChartView's total\n",
                    label, raw.replace, raw.paint, total, raw.capped ? " (over the cap)" : "",
                    total / (f.setSeries + f.paint));
    }
    return 0;
}

#include "TileWidget.h"
#include "ErrorLabel.h"
#include "ChartView.h"
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <cmath>

namespace fd {
namespace {

constexpr int kEdgeWidth = 6;

QString stateBadge(const QString &state)
{
    if (state == QLatin1String("no_data"))
        return QObject::tr("NO DATA");
    return state.toUpper();
}

QString localTime(TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(QStringLiteral("ddd HH:mm"));
}

QString percentText(const Json &share)
{
    return share.is_number() ? QString::number(std::lround(share.get<double>() * 100)) + QLatin1Char('%') : QStringLiteral("?");
}

// "service.version = 2.14.0 (0% → 97%)": the value whose share moved most in the anomaly.
QString changeText(const Json &change)
{
    const Json value = change.value("value", Json());
    return QObject::tr("changed: %1 = %2 (%3 → %4)")
        .arg(QString::fromStdString(change.value("field", std::string())),
             QString::fromStdString(value.is_string() ? value.get<std::string>() : value.dump()),
             percentText(change.value("share_baseline", Json())), percentText(change.value("share_anomaly", Json())));
}

QFont scaledFont(const QFont &base, double factor, bool bold)
{
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * factor);
    f.setBold(bold);
    return f;
}

} // namespace

TileWidget::TileWidget(QWidget *parent) : QWidget(parent)
{
    m_name = new QLabel(this);
    m_name->setFont(scaledFont(font(), 1.1, true));
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_badge = new QLabel(this);
    m_badge->setAlignment(Qt::AlignCenter);
    m_value = new QLabel(this);
    m_value->setFont(scaledFont(font(), 2.2, true));
    m_expected = new QLabel(this);
    m_anomaly = new QLabel(this);
    m_anomaly->setWordWrap(true);
    m_error = makeErrorLabel(this);
    m_chart = new ChartView(this);
    m_chart->setCompact(true);
    m_chart->setMinimumHeight(120);

    auto *header = new QHBoxLayout;
    header->addWidget(m_name, 1);
    header->addWidget(m_badge);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(kEdgeWidth + 8, 8, 8, 6);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_value);
    layout->addWidget(m_expected);
    layout->addWidget(m_anomaly);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_error);
    setMinimumHeight(260);
    setMaximumHeight(380);
    setResult({}, {});
}

QColor TileWidget::stateColor(const QString &state)
{
    if (state == QLatin1String("ok"))
        return {0x2e, 0x9d, 0x4f};
    if (state == QLatin1String("warn"))
        return {0xe0, 0x9a, 0x00};
    if (state == QLatin1String("bad"))
        return {0xd6, 0x36, 0x36};
    return {0x8a, 0x8f, 0x98};
}

QString TileWidget::valueText() const
{
    return m_value->text();
}

void TileWidget::setResult(const TileResult &result, const TimeRange &range)
{
    m_state = QString::fromStdString(result.state);
    const QColor color = stateColor(m_state);
    m_name->setText(QString::fromStdString(result.name));
    m_badge->setText(stateBadge(m_state));
    m_badge->setStyleSheet(QStringLiteral("color: white; font-weight: bold; padding: 1px 6px; border-radius: 3px; "
                                          "background: %1")
                               .arg(color.name()));
    m_value->setText(formatValue(result.value, QString::fromStdString(result.unit)));
    m_expected->setText(expectedText(result));
    m_expected->setVisible(!m_expected->text().isEmpty());
    m_anomaly->setText(anomalyText(result));
    m_anomaly->setVisible(!m_anomaly->text().isEmpty());
    m_error->setText(QString::fromStdString(result.error));
    m_error->setVisible(!result.error.empty());
    setToolTip(m_anomaly->text());
    showChart(result, range);
    update();
}

void TileWidget::showChart(const TileResult &result, const TimeRange &range)
{
    const BucketSeries &s = result.series;
    std::vector<TimeNs> xs(s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
        xs[i] = s.timeAt(i);
    std::vector<TimeRange> anomalies;
    for (const Anomaly &a : result.anomalies)
        anomalies.push_back({a.start, a.open ? std::max(range.to, a.start) : a.end});

    m_chart->beginUpdate();
    m_chart->clear();
    m_chart->setUnit(QString::fromStdString(result.unit));
    m_chart->setTimeRange(range);
    m_chart->setPlaceholderText(result.error.empty() ? tr("No data") : tr("Failed"));
    if (!result.band.low.empty())
        m_chart->setBand(xs, result.band.low, result.band.high, QColor(0x5b, 0x8d, 0xd6));
    if (!result.band.expected.empty())
        m_chart->setExpected(xs, result.band.expected, QColor(0x7a, 0x7f, 0x88));
    if (!s.values.empty())
        m_chart->setSeries(QString::fromStdString(result.name), xs, s.values, QColor(0x1d, 0x4e, 0x9e));
    m_chart->setAnomalies(anomalies);
    m_chart->setMarkers(result.markers);
    m_chart->endUpdate();
}

QString TileWidget::expectedText(const TileResult &result)
{
    if (!std::isfinite(result.expected))
        return {};
    const QString unit = QString::fromStdString(result.unit);
    QString text = tr("expected %1").arg(formatValue(result.expected, unit));
    if (std::isfinite(result.low) && std::isfinite(result.high))
        text += QStringLiteral(" (band %1–%2)").arg(formatValue(result.low, {}), formatValue(result.high, {}));
    return text;
}

// The latest anomaly and its best suspect: what the on-call engineer asks first.
QString TileWidget::anomalyText(const TileResult &result)
{
    if (result.anomalies.empty())
        return {};
    const Anomaly &a = result.anomalies.back();
    const QString direction = a.direction < 0 ? tr("down") : tr("up");
    QString text = a.open ? tr("anomaly since %1, %2 %3%").arg(localTime(a.start), direction)
                          : tr("anomaly %1 – %2, %3 %4%").arg(localTime(a.start), localTime(a.end), direction);
    text = text.arg(std::lround(std::abs(a.size) * 100));
    if (!a.suspects.empty()) {
        const Marker &m = a.suspects.front().marker;
        const auto minutes = (a.start - m.time) / kMinute;
        text += QLatin1Char('\n')
                + tr("suspect: %1 %2 %3 (%4 min before)")
                      .arg(QString::fromStdString(m.kind), QString::fromStdString(m.service),
                           QString::fromStdString(m.version.empty() ? m.title : m.version))
                      .arg(minutes);
    }
    if (!a.whatChanged.empty())
        text += QLatin1Char('\n') + changeText(a.whatChanged.front());
    return text;
}

void TileWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = stateColor(m_state);
    QColor tint = color;
    tint.setAlpha(m_state == QLatin1String("ok") ? 18 : 34);
    QColor border = color;
    border.setAlpha(110);
    const QRectF box = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.setPen(QPen(border, 1));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(box, 4, 4);
    painter.setBrush(tint);
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(0, 0, kEdgeWidth, height()), 3, 3);
}

} // namespace fd

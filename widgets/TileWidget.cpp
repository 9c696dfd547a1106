#include "TileWidget.h"
#include "IncidentEntries.h"
#include "ElidedLabel.h"
#include "ErrorLabel.h"
#include "ChartView.h"
#include "SavePathDialog.h"
#include "models/AlertRule.h"
#include "models/Error.h"
#include "models/TileEvents.h"
#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QContextMenuEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace fd {
namespace {

constexpr int kEdgeWidth = 6;

QString stateBadge(const QString &state)
{
    if (state == QLatin1String("no_data"))
        return QObject::tr("NO DATA");
    if (state == QLatin1String("loading"))
        return QObject::tr("LOADING…");
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

// The tile's number format: fixed decimals when the tile asks for them, else ChartView's default.
QString tileNumber(double value, const QString &unit, int decimals)
{
    if (decimals < 0 || !std::isfinite(value))
        return formatValue(value, unit);
    const QString number = QString::number(value, 'f', decimals);
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

// "Login success" -> "login-success.rules.yml".
QString ruleFileName(const std::string &tileName)
{
    return fileNameFor(QString::fromStdString(tileName), QStringLiteral("tile")) + QStringLiteral(".rules.yml");
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
    m_name = new ElidedLabel(this); // plain text: AutoText had read "<b>" in a name as markup
    m_name->setFont(scaledFont(font(), 1.1, true));
    m_badge = new QLabel(this);
    m_badge->setTextFormat(Qt::PlainText);
    m_badge->setAlignment(Qt::AlignCenter);
    m_value = new QLabel(this);
    m_value->setTextFormat(Qt::PlainText);
    m_value->setFont(scaledFont(font(), 2.2, true));
    m_expected = new QLabel(this);
    m_expected->setTextFormat(Qt::PlainText);
    m_anomaly = new QLabel(this);
    m_anomaly->setTextFormat(Qt::PlainText);
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

    m_openEvents = new QAction(tr("Open events in window"), this);
    m_exportAlertRule = new QAction(tr("Export alert rule…"), this);
    addAction(m_openEvents);
    addAction(m_exportAlertRule);
    auto *addToIncident = new QAction(tr("Add chart to incident"), this);
    addAction(addToIncident);
    connect(addToIncident, &QAction::triggered, this, &TileWidget::requestIncidentSnapshot);
    setContextMenuPolicy(Qt::DefaultContextMenu);
    connect(m_openEvents, &QAction::triggered, this, &TileWidget::requestEvents);
    connect(m_exportAlertRule, &QAction::triggered, this, &TileWidget::exportAlertRule);
    connect(m_chart, &ChartView::hoveredTime, this, &TileWidget::hoveredTime);
    connect(m_chart, &ChartView::hoverLeft, this, &TileWidget::hoverLeft);
    m_chart->plotSurface()->installEventFilter(this);
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
    if (state == QLatin1String("error"))
        return {0x4a, 0x4f, 0x58};
    return {0x8a, 0x8f, 0x98};
}

void TileWidget::setBadge(const QString &state)
{
    m_badge->setText(stateBadge(state));
    m_badge->setStyleSheet(QStringLiteral("color: white; font-weight: bold; padding: 1px 6px; border-radius: 3px; "
                                          "background: %1")
                               .arg(stateColor(state).name()));
}

void TileWidget::showLoading()
{
    m_loading = true;
    setBadge(QStringLiteral("loading")); // the edge keeps the last result's colour: no flash at every refresh
    m_chart->setPlaceholderText(tr("Loading…")); // shown only when the tile has no chart of its last result
}

void TileWidget::hideLoading()
{
    m_loading = false;
    setBadge(m_state);
    m_chart->setPlaceholderText(placeholderText(m_result));
}

QString TileWidget::placeholderText(const TileResult &result)
{
    return result.error.empty() ? tr("No data") : tr("Failed");
}

QString TileWidget::valueText() const
{
    return m_value->text();
}

void TileWidget::setResult(const TileResult &result, const TimeRange &range)
{
    m_result = result;
    m_range = range;
    const Qt::CursorShape cursor = result.anomalies.empty() ? Qt::ArrowCursor : Qt::PointingHandCursor;
    setCursor(cursor);
    m_chart->plotSurface()->setCursor(cursor);
    m_loading = false;
    // A query that failed is no "no data" (exploratory test: a dead Prometheus's tile read NO DATA)
    m_state = result.error.empty() ? QString::fromStdString(result.state) : QStringLiteral("error");
    setBadge(m_state);
    m_name->setFullText(QString::fromStdString(result.name));
    m_value->setText(tileNumber(result.value, QString::fromStdString(result.unit), result.decimals));
    m_expected->setText(expectedText(result));
    m_expected->setVisible(!m_expected->text().isEmpty());
    m_anomaly->setText(anomalyText(result));
    m_anomaly->setVisible(!m_anomaly->text().isEmpty());
    m_error->setText(QString::fromStdString(result.error));
    m_error->setVisible(!result.error.empty());
    setToolTip(result.anomalies.empty() ? m_anomaly->text()
                                        : m_anomaly->text() + QLatin1Char('\n') + tr("Click for the suspects and what changed."));
    showChart(result, range);
    updateActions();
    update();
}

void TileWidget::setTile(const Tile &tile, const QString &boardName)
{
    m_tile = tile;
    m_boardName = boardName;
    updateActions();
}

void TileWidget::updateActions()
{
    const bool promQl = m_tile && !tilePromQl(*m_tile).empty();
    m_exportAlertRule->setEnabled(promQl);
    m_exportAlertRule->setToolTip(promQl ? tr("A Prometheus alerting rule for this tile's normal range")
                                         : tr("Only a tile whose queries are PromQL becomes an alert rule"));
    const bool events = m_tile && (m_tile->kind == "ratio" ? m_tile->denominator : m_tile->query).raw.empty();
    m_openEvents->setEnabled(events);
}

void TileWidget::showCrosshairAt(TimeNs t)
{
    m_chart->showCrosshairAt(t);
}

void TileWidget::hideCrosshair()
{
    m_chart->hideCrosshair();
}

TimeRange TileWidget::anomalySpan(const Anomaly &a) const
{
    return {a.start, a.open ? std::max(m_range.to, a.start) : a.end};
}

void TileWidget::requestIncidentSnapshot()
{
    const QString name = QString::fromStdString(m_result.name);
    const TimeNs time = m_result.anomalies.empty() ? m_range.to : m_result.anomalies.back().start;
    Q_EMIT addToIncident(snapshotEntry(*this, tr("%1: %2 (expected %3)").arg(name, valueText(), expectedText(m_result)), time,
                                       {{"tile", m_result.name}, {"board", m_boardName.toStdString()}}));
}

QMenu *TileWidget::contextMenuAt(const QPoint &pos)
{
    auto *menu = new QMenu(this);
    menu->addActions(actions());
    if (const std::optional<Marker> marker = m_chart->markerAt(m_chart->mapFrom(this, pos))) {
        menu->addSeparator();
        menu->addAction(tr("Add %1 \"%2\" to incident").arg(QString::fromStdString(marker->kind), QString::fromStdString(marker->title)),
                        this, [this, m = *marker] { Q_EMIT addToIncident(markerEntry(m)); });
    }
    return menu;
}

void TileWidget::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = contextMenuAt(event->pos());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

void TileWidget::requestEvents()
{
    if (!m_tile)
        return;
    TimeRange window = m_range;
    if (!m_result.anomalies.empty())
        window = anomalySpan(m_result.anomalies.back());
    Q_EMIT openEvents(tileEventsQuery(*m_tile), window);
}

std::string TileWidget::alertRuleYaml(const QString &boardName, const Tile &tile, const TileResult &result)
{
    std::vector<double> widths;
    const Band &b = result.band;
    for (std::size_t i = 0; i < b.expected.size() && i < b.low.size() && i < b.high.size(); ++i)
        if (std::isfinite(b.expected[i]) && std::isfinite(b.low[i]) && std::isfinite(b.high[i]) && b.expected[i] != 0)
            widths.push_back((b.high[i] - b.low[i]) / 2 / std::abs(b.expected[i]));
    // No learned band: prometheusAlertRule falls back to its default width.
    const double width = widths.empty() ? NAN : median(widths);
    const DurationNs bucket = result.series.step > 0 ? result.series.step : defaultBucket(tile);
    return prometheusAlertRule(boardName.toStdString(), tile, width, bucket);
}

bool TileWidget::writeAlertRule(const QString &path, const QString &boardName, const Tile &tile,
                                const TileResult &result, QString *error)
{
    try {
        const std::string yaml = alertRuleYaml(boardName, tile, result);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Text)
            || file.write(yaml.data(), static_cast<qint64>(yaml.size())) != static_cast<qint64>(yaml.size())
            || !file.commit()) {
            if (error)
                *error = tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
            return false;
        }
        return true;
    } catch (const Error &e) {
        if (error)
            *error = e.message();
        return false;
    }
}

void TileWidget::exportAlertRule()
{
    if (!m_tile || tilePromQl(*m_tile).empty())
        return;
    const QString path = askSavePath(this, tr("Export alert rule"), QDir::home().filePath(ruleFileName(m_tile->name)),
                                     tr("Prometheus rule files (*.yml *.yaml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!writeAlertRule(path, m_boardName, *m_tile, m_result, &error))
        QMessageBox::warning(this, tr("Export alert rule"), error);
}

int TileWidget::anomalyAtChartX(int x) const
{
    for (std::size_t i = m_result.anomalies.size(); i-- > 0;) {
        const TimeRange span = anomalySpan(m_result.anomalies[i]);
        const int x0 = m_chart->xForTime(span.from), x1 = m_chart->xForTime(span.to);
        if (x >= std::min(x0, x1) - 2 && x <= std::max(x0, x1) + 2)
            return static_cast<int>(i);
    }
    return -1;
}

void TileWidget::mousePressEvent(QMouseEvent *event)
{
    m_pressed = event->button() == Qt::LeftButton && !m_result.anomalies.empty();
    m_pressPos = event->position().toPoint();
    if (!m_pressed)
        QWidget::mousePressEvent(event);
}

void TileWidget::mouseReleaseEvent(QMouseEvent *event)
{
    const bool click = m_pressed && event->button() == Qt::LeftButton
                       && (event->position().toPoint() - m_pressPos).manhattanLength() < QApplication::startDragDistance();
    m_pressed = false;
    if (!click) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    Q_EMIT anomalyActivated(static_cast<int>(m_result.anomalies.size()) - 1);
}

// The chart takes its own mouse events: a click on a shaded span picks that anomaly.
bool TileWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_chart->plotSurface() || m_result.anomalies.empty())
        return QWidget::eventFilter(watched, event);
    if (event->type() != QEvent::MouseButtonPress && event->type() != QEvent::MouseButtonRelease)
        return QWidget::eventFilter(watched, event);
    auto *mouse = static_cast<QMouseEvent *>(event);
    if (mouse->button() != Qt::LeftButton)
        return QWidget::eventFilter(watched, event);
    const QPoint pos = m_chart->plotSurface()->mapTo(this, mouse->position().toPoint());
    if (event->type() == QEvent::MouseButtonPress) {
        m_pressed = true;
        m_pressPos = pos;
        return true;
    }
    const bool click = m_pressed && (pos - m_pressPos).manhattanLength() < QApplication::startDragDistance();
    m_pressed = false;
    if (click) {
        const int index = anomalyAtChartX(m_chart->plotSurface()->mapTo(m_chart, mouse->position().toPoint()).x());
        Q_EMIT anomalyActivated(index >= 0 ? index : static_cast<int>(m_result.anomalies.size()) - 1);
    }
    return true;
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
    m_chart->setPlaceholderText(placeholderText(result));
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
    QString text = tr("expected %1").arg(tileNumber(result.expected, unit, result.decimals));
    if (std::isfinite(result.low) && std::isfinite(result.high))
        text += QStringLiteral(" (band %1–%2)").arg(tileNumber(result.low, {}, result.decimals),
                                                     tileNumber(result.high, {}, result.decimals));
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
        const Suspect &top = *std::max_element(a.suspects.begin(), a.suspects.end(),
                                               [](const Suspect &x, const Suspect &y) { return x.score < y.score; });
        const Marker &m = top.marker;
        // the ranking's own "deploy 12 min before start" / "… after start (same bucket)", without the kind again
        QString when = top.reasons.empty() ? QString() : QString::fromStdString(top.reasons.front());
        if (when.startsWith(QString::fromStdString(m.kind) + QLatin1Char(' ')))
            when = when.mid(static_cast<int>(m.kind.size()) + 1);
        text += QLatin1Char('\n')
                + tr("suspect: %1 %2 %3 (%4)")
                      .arg(QString::fromStdString(m.kind), QString::fromStdString(m.service),
                           QString::fromStdString(m.version.empty() ? m.title : m.version), when);
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

#include "MetricsView.h"
#include "ResultNotes.h"
#include "IncidentEntries.h"
#include "models/FrameSeries.h"
#include "ErrorLabel.h"
#include "ChartView.h"
#include "JobRunner.h"
#include "PromQlEditor.h"
#include "SourceCompletion.h"
#include <QCheckBox>
#include <QComboBox>
#include <QToolButton>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

namespace fd {

// A query's series and the markers of its range, made off the GUI thread.
struct MetricsResult {
    std::vector<SeriesData> series;
    std::vector<Marker> markers;
    std::size_t rows = 0;
    bool truncated = false;
    std::vector<std::string> notes;
    std::string statistics;
};
namespace {

constexpr int kTargetBuckets = 150;
constexpr int kRowLimit = 200'000;

using MetricsResultPtr = std::shared_ptr<const MetricsResult>;

// The chart's series of a frame: a query's, or a snapshot's (whose notes are what the source said when it was
// taken). Off the GUI thread: a million rows take a quarter of a second.
std::shared_ptr<MetricsResult> metricsResult(const Frame &frame, const Query &q, const TimeRange &range)
{
    auto result = std::make_shared<MetricsResult>();
    result->rows = frame.rowCount();
    result->truncated = frame.truncated;
    result->notes = frame.notes;
    result->statistics = frame.statistics;
    result->series = seriesFromFrame(frame, q, range, &result->notes);
    return result;
}

MetricsResultPtr runMetricsQuery(DataSource &source, const Query &q, const TimeRange &range,
                                 const CancelTokenPtr &cancel)
{
    const std::shared_ptr<MetricsResult> result = metricsResult(source.query(q, range, cancel), q, range);
    throwIfCancelled(cancel);
    std::vector<std::string> leftOut; // another source's markers that cannot be read spoil no chart (review)
    result->markers = source.markersLeavingOut(range, cancel, leftOut);
    result->notes.insert(result->notes.end(), leftOut.begin(), leftOut.end());
    return result;
}

QStringList splitFields(const QString &text)
{
    QStringList fields;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (const QString f = part.trimmed(); !f.isEmpty())
            fields << f;
    return fields;
}

} // namespace

MetricsView::MetricsView(QWidget *parent) : QWidget(parent), m_runner(new JobRunner(this))
{
    m_chart = new ChartView(this);
    m_chart->setPlaceholderText(tr("Run a query to see its series"));
    m_error = makeErrorLabel(this);
    m_notes = makeNotesLabel(this);
    m_snapshotNote = new QLabel(this);
    m_snapshotNote->setTextFormat(Qt::PlainText);
    m_snapshotNote->setObjectName(QStringLiteral("snapshotNote"));
    m_snapshotNote->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildForm());
    layout->addWidget(m_error);
    layout->addWidget(m_notes);
    layout->addWidget(m_snapshotNote);
    // by the chart, on a row of their own: beside the form's they had made the tab 844 px at its narrowest
    layout->addWidget(buildChartOptions());
    layout->addWidget(m_chart, 1);

    connect(m_runner, &JobRunner::busyChanged, this, [this](bool busy) {
        m_cancel->setEnabled(busy);
        m_run->setEnabled(!busy);
    });
}

QWidget *MetricsView::buildForm()
{
    auto *form = new QWidget(this);
    m_signal = new QComboBox(form);
    m_signal->setObjectName(QStringLiteral("signal"));
    m_signal->addItems({QStringLiteral("metrics"), QStringLiteral("logs"), QStringLiteral("spans")});
    m_filter = new QLineEdit(form);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(tr("name = http.server.request.count and service.name = auth"));
    m_filter->setClearButtonEnabled(true);
    m_groupBy = new QLineEdit(form);
    m_groupBy->setObjectName(QStringLiteral("groupBy"));
    m_groupBy->setPlaceholderText(tr("fields, comma separated"));
    m_aggregate = new QLineEdit(form);
    m_aggregate->setObjectName(QStringLiteral("aggregate"));
    m_aggregate->setPlaceholderText(tr("count, rate, avg(f), p95(f) …"));
    m_interval = new QComboBox(form);
    m_interval->setObjectName(QStringLiteral("interval"));
    m_interval->setEditable(true);
    m_interval->addItems({QStringLiteral("auto"), QStringLiteral("10s"), QStringLiteral("1m"), QStringLiteral("5m"),
                          QStringLiteral("15m"), QStringLiteral("1h"), QStringLiteral("6h"), QStringLiteral("1d")});
    m_run = new QPushButton(tr("Run"), form);
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), form);
    m_cancel->setEnabled(false);

    m_sourcePicker = new SourcePicker(form);
    m_native = new QLabel(form);
    m_native->setTextFormat(Qt::PlainText);
    m_native->setObjectName(QStringLiteral("nativeQuery"));
    m_native->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_native->setWordWrap(true);
    m_native->setStyleSheet(QStringLiteral("color: palette(mid); font-family: monospace"));

    m_rawToggle = new QToolButton(form);
    m_rawToggle->setObjectName(QStringLiteral("rawToggle"));
    m_rawToggle->setCheckable(true);
    m_rawToggle->setToolTip(tr("Write the query in the source's own language instead of the form"));
    m_rawToggle->hide();
    m_promql = new PromQlEditor(form);
    m_promql->setObjectName(QStringLiteral("promql"));
    m_promql->setPlaceholderText(tr("PromQL, e.g. sum by (job) (rate(http_requests_total[5m]))  —  Enter runs, Ctrl+Space completes"));
    m_promql->hide();
    m_completion = new SourceCompletion(m_promql, this);

    auto *row0 = new QHBoxLayout;
    row0->addWidget(m_sourcePicker);
    row0->addWidget(m_rawToggle);
    row0->addStretch(1);
    row0->addWidget(new QLabel(tr("interval"), form));
    row0->addWidget(m_interval);
    row0->addWidget(m_run);
    row0->addWidget(m_cancel);
    m_builder = new QWidget(form);
    auto *row1 = new QHBoxLayout;
    row1->addWidget(m_signal);
    row1->addWidget(new QLabel(tr("where"), m_builder));
    row1->addWidget(m_filter, 1);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(new QLabel(tr("group by"), m_builder));
    row2->addWidget(m_groupBy, 2);
    row2->addWidget(new QLabel(tr("aggregate"), m_builder));
    row2->addWidget(m_aggregate, 1);
    auto *builderLayout = new QVBoxLayout(m_builder);
    builderLayout->setContentsMargins(0, 0, 0, 0);
    builderLayout->addLayout(row1);
    builderLayout->addLayout(row2);
    auto *layout = new QVBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row0);
    layout->addWidget(m_builder);
    layout->addWidget(m_promql);
    layout->addWidget(m_native);

    connect(m_run, &QPushButton::clicked, this, &MetricsView::refresh);
    connect(m_rawToggle, &QToolButton::toggled, this, &MetricsView::setRawMode);
    connect(m_promql, &PromQlEditor::runRequested, this, &MetricsView::refresh);
    connect(m_promql, &PromQlEditor::cancelRequested, this, &MetricsView::cancel);
    connect(m_cancel, &QPushButton::clicked, this, &MetricsView::cancel);
    for (QLineEdit *edit : {m_filter, m_groupBy, m_aggregate}) {
        connect(edit, &QLineEdit::returnPressed, this, &MetricsView::refresh);
        connect(edit, &QLineEdit::textChanged, this, &MetricsView::updateNativeQuery);
    }
    connect(m_signal, &QComboBox::currentTextChanged, this, &MetricsView::updateNativeQuery);
    connect(m_interval, &QComboBox::currentTextChanged, this, &MetricsView::updateNativeQuery);
    connect(m_sourcePicker, &SourcePicker::sourceChanged, this, &MetricsView::setSource);
    connect(m_sourcePicker, &SourcePicker::picked, this, [this] {
        if (!isBlank())
            refresh(); // as the other views do
    });
    return form;
}

namespace {
// The PromQL history of a source, kept across sessions (QSettings: the user's config folder).
QString historyKey(const DataSourcePtr &source)
{
    return QStringLiteral("promqlHistory/") + QString::fromStdString(source ? source->id() : std::string());
}
} // namespace

void MetricsView::setSource(DataSourcePtr source)
{
    if (source != m_source) { // another source's series are not shown under this one's name (exploratory test)
        m_runner->cancel();
        m_chart->clear();
        m_chart->setPlaceholderText(tr("Run a query to see its series"));
        showNotes(m_notes, {});
        m_error->hide();
    }
    m_source = std::move(source);
    m_completion->setSource(m_source, m_range.current());
    m_promql->setHistory(QSettings().value(historyKey(m_source)).toStringList());
    updateModeWidgets();
    updateNativeQuery();
}

QWidget *MetricsView::buildChartOptions()
{
    auto *options = new QWidget(this);
    m_logScale = new QCheckBox(tr("log"), options);
    m_logScale->setObjectName(QStringLiteral("logScale"));
    m_logScale->setToolTip(tr("Logarithmic value axis"));
    m_stacked = new QCheckBox(tr("stacked"), options);
    m_stacked->setObjectName(QStringLiteral("stacked"));
    m_stacked->setToolTip(tr("Draw the series as stacked areas"));
    auto *reset = new QToolButton(options);
    reset->setText(tr("Reset zoom"));
    reset->setToolTip(tr("Back to the whole range (or double-click the chart); drag to zoom, Shift+drag to pan"));
    auto *incident = new QToolButton(options);
    incident->setText(tr("Add to incident"));
    incident->setToolTip(tr("Add this query and a picture of the chart to the current incident"));
    auto *layout = new QHBoxLayout(options);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_logScale);
    layout->addWidget(m_stacked);
    layout->addStretch(1);
    layout->addWidget(reset);
    layout->addWidget(incident);
    connect(incident, &QToolButton::clicked, this, [this] {
        if (const std::optional<Query> q = formQuery()) {
            const QString text = isRawMode() ? QString::fromStdString(q->raw) : m_native->text();
            Q_EMIT addToIncident(queryEntry(*q, m_range.current(), text, *m_chart));
        }
    });
    connect(m_logScale, &QCheckBox::toggled, m_chart, &ChartView::setLogScale);
    connect(m_stacked, &QCheckBox::toggled, m_chart, &ChartView::setStacked);
    connect(reset, &QToolButton::clicked, m_chart, &ChartView::resetZoom);
    return options;
}

void MetricsView::setRawMode(bool raw)
{
    m_rawToggle->setChecked(raw);
    updateModeWidgets();
    if (raw && m_promql->query().trimmed().isEmpty() && m_source) {
        // Start from what the form says, so switching to PromQL never loses the question.
        const QString native = m_native->text();
        const qsizetype colon = native.indexOf(QStringLiteral(": "));
        if (colon > 0)
            m_promql->setPlainText(native.mid(colon + 2));
    }
    if (raw)
        m_promql->setFocus();
}

void MetricsView::setAnomalies(std::vector<TimeRange> anomalies)
{
    m_anomalies = std::move(anomalies);
    m_chart->setAnomalies(m_anomalies);
}

bool MetricsView::isRawMode() const
{
    return m_rawToggle->isChecked() && !m_rawToggle->isHidden();
}

void MetricsView::updateModeWidgets()
{
    const std::string language = m_source ? m_source->capabilities().language : std::string();
    const bool promql = language == "PromQL";
    m_rawToggle->setText(QString::fromStdString(language.empty() ? std::string("raw") : language));
    m_rawToggle->setVisible(promql);
    const bool raw = promql && m_rawToggle->isChecked();
    m_builder->setVisible(!raw);
    m_promql->setVisible(raw);
    m_native->setVisible(!raw);
}

void MetricsView::setSources(std::vector<SourceChoice> sources, const QString &selected)
{
    m_sourcePicker->setChoices(std::move(sources), selected);
    setSource(m_sourcePicker->current());
}

void MetricsView::selectSource(const QString &id)
{
    m_sourcePicker->select(id);
}

QString MetricsView::currentSourceId() const
{
    return m_source ? QString::fromStdString(m_source->id()) : QString();
}

QString MetricsView::nativeQueryText() const
{
    return m_native->text();
}

void MetricsView::updateNativeQuery()
{
    if (!m_source || isBlank()) {
        m_native->clear();
        return;
    }
    try {
        Query q;
        q.signal = signalFromName(m_signal->currentText().toStdString()).value_or(Signal::Metrics);
        q.where = parseWhereList(m_filter->text().toStdString());
        for (const QString &f : splitFields(m_groupBy->text()))
            q.groupBy.push_back(f.toStdString());
        if (!m_aggregate->text().trimmed().isEmpty())
            q.agg = parseAggregate(m_aggregate->text().toStdString());
        q.interval = chosenInterval();
        const std::string text = m_source->compile(q, m_range.current());
        const QString language = QString::fromStdString(m_source->capabilities().language);
        m_native->setText(text.empty() ? QString() : language + QStringLiteral(": ") + QString::fromStdString(text));
    } catch (const std::exception &) {
        m_native->clear(); // the form is being typed; Run reports what is wrong
    }
}

void MetricsView::setTimeRange(const TimeRange &range)
{
    m_range.fix(range);
    applyTimeRange();
}

void MetricsView::followTimeRange(std::function<TimeRange()> now)
{
    m_range.follow(std::move(now));
    applyTimeRange();
}

void MetricsView::applyTimeRange()
{
    m_completion->setSource(m_source, m_range.current());
    updateNativeQuery(); // time bounds are part of the native query
}

void MetricsView::setQuery(const Query &query)
{
    // A saved PromQL query opens as PromQL, on its own source (it had opened as an empty form on the first source)
    if (!query.source.empty())
        selectSource(QString::fromStdString(query.source));
    if (!query.raw.empty())
        m_promql->setPlainText(QString::fromStdString(query.raw));
    setRawMode(!query.raw.empty());
    m_signal->setCurrentText(QString::fromStdString(signalName(query.signal)));
    m_filter->setText(QString::fromStdString(whereListToText(query.where)));
    QStringList groups;
    for (const std::string &g : query.groupBy)
        groups << QString::fromStdString(g);
    m_groupBy->setText(groups.join(QStringLiteral(", ")));
    m_aggregate->setText(QString::fromStdString(query.agg.text()));
    m_interval->setCurrentText(query.interval > 0 ? formatDuration(query.interval) : QStringLiteral("auto"));
}

std::optional<Query> MetricsView::formQuery()
{
    Query q;
    q.source = m_sourcePicker->queryId();
    if (isRawMode()) {
        QSettings().setValue(historyKey(m_source), m_promql->history().mid(0, 500));
        q.signal = Signal::Metrics;
        q.raw = m_promql->query().trimmed().toStdString();
        q.interval = chosenInterval();
        q.limit = kRowLimit;
        if (q.raw.empty() || q.interval <= 0) {
            showError(q.raw.empty() ? tr("Write a PromQL query first") : tr("invalid interval \"%1\"").arg(m_interval->currentText()));
            return std::nullopt;
        }
        m_error->hide();
        return q;
    }
    try {
        q.signal = signalFromName(m_signal->currentText().toStdString()).value_or(Signal::Metrics);
        q.where = parseWhereList(m_filter->text().toStdString());
        for (const QString &f : splitFields(m_groupBy->text()))
            q.groupBy.push_back(f.toStdString());
        if (m_aggregate->text().trimmed().isEmpty())
            throw Error(tr("a chart needs an aggregate, e.g. count or rate"));
        q.agg = parseAggregate(m_aggregate->text().toStdString());
        q.interval = chosenInterval();
        if (q.interval <= 0)
            throw Error(tr("invalid interval \"%1\": use auto, 30s, 5m, 1h …").arg(m_interval->currentText()));
    } catch (const Error &e) {
        showError(e.message());
        return std::nullopt;
    }
    q.limit = kRowLimit;
    m_error->hide();
    return q;
}

QString MetricsView::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

bool MetricsView::isBusy() const
{
    return m_runner->busy();
}

DurationNs MetricsView::autoInterval(DurationNs rangeLength)
{
    return niceInterval(rangeLength, kTargetBuckets);
}

DurationNs MetricsView::pixelInterval(DurationNs rangeLength, int pixels)
{
    const DurationNs step = rangeLength / std::max(pixels, 1);
    return std::max<DurationNs>(kSecond, (step + kSecond - 1) / kSecond * kSecond);
}

// 0 for text that is no duration.
DurationNs MetricsView::chosenInterval() const
{
    const QString interval = m_interval->currentText().trimmed();
    if (interval.isEmpty() || interval == QLatin1String("auto")) {
        if (m_source && m_source->capabilities().stepPerPixel)
            return pixelInterval(m_range.current().length(), m_chart->width());
        return autoInterval(m_range.current().length());
    }
    const auto d = parseDuration(interval);
    return d && *d > 0 ? *d : 0;
}

void MetricsView::refresh()
{
    if (!m_source) {
        showError(tr("No data source"));
        return;
    }
    m_range.renew(); // exploratory test: Run had kept "last hour" the hour before the window opened
    applyTimeRange();
    if (isBlank()) { // a workspace's first look (the demo's metric had been asked of every source)
        m_chart->clear();
        m_chart->setPlaceholderText(tr("Write a query above: a metric (name = …, Ctrl+Space lists them) and an "
                                       "aggregate such as rate, then Run"));
        return;
    }
    const std::optional<Query> q = formQuery();
    if (!q) {
        dropChart();
        return;
    }
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const TimeRange range = m_range.current();
    Q_EMIT statusMessage(isRawMode() ? tr("Running PromQL query…") : tr("Running %1 query…").arg(m_signal->currentText()));
    m_runner->run<MetricsResultPtr>(
        [source = m_source, query = *q, range](const CancelTokenPtr &cancel) {
            return MetricsResultPtr(runMetricsQuery(*source, query, range, cancel));
        },
        [this, range, timer](const MetricsResultPtr &result) {
            showResult(*result, range);
            QString status = tr("%1 series from %2 rows in %3 ms")
                                 .arg(result->series.size())
                                 .arg(result->rows)
                                 .arg(timer->elapsed());
            if (result->truncated)
                status += tr(" (truncated)");
            if (!result->statistics.empty())
                status += QStringLiteral(" · ") + QString::fromStdString(result->statistics);
            Q_EMIT statusMessage(status);
        },
        [this](const QString &message) {
            dropChart();
            showError(message);
            if (isRawMode())
                m_promql->showError(message);
        });
}

void MetricsView::showResult(const MetricsResult &result, const TimeRange &range)
{
    m_snapshotNote->hide();
    showNotes(m_notes, result.notes);
    m_chart->beginUpdate();
    m_chart->clear();
    // exploratory test: a run that matched nothing had kept "Run a query to see its series"
    m_chart->setPlaceholderText(tr("No data: the query matched no series in this range"));
    m_chart->setTimeRange(range);
    const bool rate = !isRawMode() && m_aggregate->text().trimmed() == QLatin1String("rate");
    m_chart->setUnit(rate ? QStringLiteral("/s") : QString());
    m_chart->setSeries(result.series);
    m_chart->setMarkers(result.markers);
    m_chart->setAnomalies(m_anomalies);
    m_chart->endUpdate();
}

void MetricsView::showSnapshot(const Query &query, const Snapshot &snapshot)
{
    m_runner->cancel();
    setQuery(query);
    m_range.fix(snapshot.range);
    m_error->hide();
    m_runner->run<MetricsResultPtr>(
        [frame = snapshot.frame, query, range = snapshot.range](const CancelTokenPtr &) -> MetricsResultPtr {
            return metricsResult(*frame, query, range);
        },
        [this, snapshot](const MetricsResultPtr &result) {
            showResult(*result, snapshot.range);
            m_snapshotNote->setText(tr("Snapshot: %1 · Run runs it live").arg(snapshotSummary(snapshot)));
            m_snapshotNote->show();
            Q_EMIT statusMessage(m_snapshotNote->text());
        },
        [this](const QString &message) { showError(message); });
}

void MetricsView::cancel()
{
    if (!m_runner->busy())
        return;
    m_runner->cancel();
    Q_EMIT statusMessage(tr("Query cancelled"));
}

bool MetricsView::isBlank() const
{
    if (isRawMode())
        return m_promql->query().trimmed().isEmpty();
    return m_filter->text().trimmed().isEmpty() && m_groupBy->text().trimmed().isEmpty()
           && m_aggregate->text().trimmed().isEmpty();
}

Json MetricsView::formState() const
{
    return {{"signal", m_signal->currentText().toStdString()}, {"where", m_filter->text().toStdString()},
            {"group_by", m_groupBy->text().toStdString()}, {"aggregate", m_aggregate->text().toStdString()},
            {"interval", m_interval->currentText().toStdString()}, {"promql", m_promql->query().toStdString()},
            {"raw", isRawMode()}};
}

void MetricsView::restoreFormState(const Json &state)
{
    const auto text = [&state](const char *key, const char *otherwise = "") {
        const auto it = state.find(key);
        return QString::fromStdString(it != state.end() && it->is_string() ? it->get<std::string>() : otherwise);
    };
    m_signal->setCurrentText(text("signal", "metrics"));
    m_filter->setText(text("where"));
    m_groupBy->setText(text("group_by"));
    m_aggregate->setText(text("aggregate"));
    m_interval->setCurrentText(text("interval", "auto"));
    m_promql->setPlainText(text("promql"));
    const auto raw = state.find("raw");
    setRawMode(raw != state.end() && raw->is_boolean() && raw->get<bool>());
}

// The chart of the query before is no answer to the one asked.
void MetricsView::dropChart()
{
    m_chart->clear();
    m_chart->setPlaceholderText(tr("No chart: see the message above"));
    m_snapshotNote->hide();
}

void MetricsView::showError(const QString &message)
{
    showNotes(m_notes, {});
    m_error->setText(message);
    m_error->show();
    Q_EMIT statusMessage(message);
}

} // namespace fd

#include "TracesView.h"
#include "StatusColors.h"
#include "IncidentEntries.h"
#include "ErrorLabel.h"

#include "DetailsTree.h"
#include "FieldCompletion.h"
#include "JobRunner.h"
#include "LineEditCompletion.h"
#include "ServiceColors.h"
#include "TraceCompareView.h"
#include "TraceScatter.h"
#include "models/TraceFinder.h"
#include "TraceWaterfall.h"
#include "WaterfallControls.h"

#include <cmath>
#include <QComboBox>
#include <QMenu>
#include <QMouseEvent>
#include <QPixmap>
#include <QTabWidget>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

namespace {

constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kTraceIdRole = Qt::UserRole + 2;

// The columns of DataSource::recentTraces, looked up once per frame.
struct TraceListColumns {
    int traceId, time, service, name, duration, spans, errors, services;
    explicit TraceListColumns(const Frame &f)
        : traceId(f.columnIndex("trace_id"))
        , time(f.columnIndex("time"))
        , service(f.columnIndex("root_service"))
        , name(f.columnIndex("root_name"))
        , duration(f.columnIndex("duration_ms"))
        , spans(f.columnIndex("spans"))
        , errors(f.columnIndex("errors"))
        , services(f.columnIndex("services"))
    {
    }
};

const Cell &cellAt(const Frame &f, std::size_t row, int column)
{
    static const Cell empty;
    return column < 0 ? empty : f.cell(row, static_cast<std::size_t>(column));
}

QStandardItem *makeItem(const QString &text, const QVariant &sortValue)
{
    auto *item = new QStandardItem(text);
    item->setData(sortValue, kSortRole);
    item->setEditable(false);
    return item;
}

// Milliseconds with two decimals, and under a millisecond in µs or ns (exploratory test: 5 µs read "0.01 ms"); 0 as
// "0.00 ms", which a source counting whole milliseconds (Tempo) gives for any trace under one.
QString traceDurationText(DurationNs d)
{
    if (d != 0 && d > -kMillisecond && d < kMillisecond)
        return formatElapsed(d);
    return QStringLiteral("%1 ms").arg(static_cast<double>(d) / 1e6, 0, 'f', 2);
}

QIcon serviceSwatch(const QColor &color)
{
    QPixmap pixmap(10, 10);
    pixmap.fill(color);
    return QIcon(pixmap);
}

QString formatStart(TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

TracesView::TracesView(QWidget *parent)
    : QWidget(parent)
    , m_listRunner(new JobRunner(this))
    , m_traceRunner(new JobRunner(this))
    , m_compareRunner(new JobRunner(this))
    , m_fields(new FieldCompletion(this))
    , m_traces(new QStandardItemModel(this))
    , m_stats(new QStandardItemModel(this))
{
    const TimeNs now = nowNs();
    m_range.fix({now - kHour, now});
    m_fields->setSignal(Signal::Spans);
    m_fields->setTimeRange(m_range.current());
    buildUi();
    connect(m_listRunner, &JobRunner::busyChanged, this, &TracesView::updateBusy);
    connect(m_traceRunner, &JobRunner::busyChanged, this, &TracesView::updateBusy);
    connect(m_compareRunner, &JobRunner::busyChanged, this, &TracesView::updateBusy);
}

TracesView::~TracesView()
{
    // A runner cancels its job when it dies, after this object's members; it must not call back.
    m_listRunner->disconnect(this);
    m_traceRunner->disconnect(this);
    m_compareRunner->disconnect(this);
}

void TracesView::buildUi()
{
    m_traces->setHorizontalHeaderLabels(
        {tr("Root span"), tr("Service"), tr("Start"), tr("Duration"), tr("Spans"), tr("Errors"), tr("Services")});
    m_traces->setSortRole(kSortRole);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("traceTable"));
    m_table->setModel(m_traces);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // At most kTraceLimit rows, so measuring them is cheap.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(RootNameColumn, QHeaderView::Stretch);
    // The two share what is left (exploratory test: a fixed 180 px of services left the root span 55 px)
    m_table->horizontalHeader()->setSectionResizeMode(ServicesColumn, QHeaderView::Stretch);
    m_table->sortByColumn(StartColumn, Qt::DescendingOrder);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracesView::onTraceRowChanged);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &TracesView::showTraceListMenu);
    m_table->viewport()->installEventFilter(this);

    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setObjectName(QStringLiteral("traceSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true); // on one line it had set the tab's narrowest width past a narrow window's

    m_waterfall = new TraceWaterfall(this);
    m_waterfall->setObjectName(QStringLiteral("waterfall"));
    connect(m_waterfall, &TraceWaterfall::spanSelected, this, &TracesView::onSpanSelected);
    m_controls = new WaterfallControls(m_waterfall, this);
    m_controls->setObjectName(QStringLiteral("waterfallControls"));

    m_details = new DetailsTree(this);
    m_details->setObjectName(QStringLiteral("spanDetails"));
    m_details->showPlaceholder(tr("Select a span to see all of its fields."));
    connect(m_details, &DetailsTree::traceActivated, this, &TracesView::showTrace);

    connect(m_waterfall, &TraceWaterfall::spanContextMenuRequested, this, &TracesView::showSpanMenu);

    auto *waterfallPage = new QWidget(this);
    auto *waterfallLayout = new QVBoxLayout(waterfallPage);
    waterfallLayout->setContentsMargins(0, 0, 0, 0);
    waterfallLayout->addWidget(m_controls);
    waterfallLayout->addWidget(m_waterfall, 1);
    m_traceTabs = new QTabWidget(this);
    m_traceTabs->setObjectName(QStringLiteral("traceTabs"));
    m_traceTabs->setDocumentMode(true);
    m_traceTabs->addTab(waterfallPage, tr("Waterfall"));
    m_traceTabs->addTab(buildStatisticsTable(), tr("Statistics"));
    m_compare = new TraceCompareView(this);
    m_compare->setObjectName(QStringLiteral("traceCompare"));
    m_traceTabs->addTab(m_compare, tr("Compare"));

    auto *traceSplitter = new QSplitter(Qt::Horizontal, this);
    traceSplitter->addWidget(m_traceTabs);
    traceSplitter->addWidget(buildDetailsPane());
    traceSplitter->setStretchFactor(0, 3);
    traceSplitter->setStretchFactor(1, 1);
    traceSplitter->setSizes({700, 300});

    auto *tracePane = new QWidget(this);
    auto *traceLayout = new QVBoxLayout(tracePane);
    traceLayout->setContentsMargins(0, 0, 0, 0);
    traceLayout->addWidget(m_summary);
    traceLayout->addWidget(traceSplitter, 1);

    m_scatter = new TraceScatter(this);
    m_scatter->setObjectName(QStringLiteral("traceScatter"));
    connect(m_scatter, &TraceScatter::traceClicked, this, &TracesView::showTrace);
    auto *resultSplitter = new QSplitter(Qt::Horizontal, this);
    resultSplitter->addWidget(m_table);
    resultSplitter->addWidget(m_scatter);
    resultSplitter->setStretchFactor(0, 3);
    resultSplitter->setStretchFactor(1, 2);
    resultSplitter->setSizes({600, 400});

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(resultSplitter);
    splitter->addWidget(tracePane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({250, 500});

    m_error = makeErrorLabel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildToolBar());
    layout->addWidget(buildSearchForm());
    layout->addWidget(m_error);
    layout->addWidget(splitter, 1);
}

QWidget *TracesView::buildToolBar()
{
    auto *bar = new QWidget(this);
    m_traceIdEdit = new QLineEdit(bar);
    m_traceIdEdit->setObjectName(QStringLiteral("traceIdEdit"));
    m_traceIdEdit->setPlaceholderText(tr("Open a trace by id…"));
    m_traceIdEdit->setClearButtonEnabled(true);
    connect(m_traceIdEdit, &QLineEdit::returnPressed, this, [this] { showTrace(m_traceIdEdit->text()); });

    auto *incidentButton = new QPushButton(tr("Add to incident"), bar);
    incidentButton->setToolTip(tr("Add the selected span, or the trace with a picture of the waterfall, to the current incident"));
    connect(incidentButton, &QPushButton::clicked, this, &TracesView::addShownToIncident);

    auto *refreshButton = new QPushButton(tr("Refresh"), bar);
    refreshButton->setObjectName(QStringLiteral("refreshButton"));
    connect(refreshButton, &QPushButton::clicked, this, &TracesView::refresh);

    m_busy = new QProgressBar(bar);
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(80);
    m_busy->hide();

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_traceIdEdit, 1);
    layout->addWidget(incidentButton);
    layout->addWidget(refreshButton);
    layout->addWidget(m_busy);
    return bar;
}

QWidget *TracesView::buildDetailsPane()
{
    auto *pane = new QWidget(this);
    m_spanLogsButton = new QPushButton(tr("Span's logs"), pane);
    m_spanLogsButton->setObjectName(QStringLiteral("spanLogsButton"));
    m_spanLogsButton->setToolTip(tr("Open the Events view filtered by this trace and span id"));
    m_spanLogsButton->setEnabled(false);
    connect(m_spanLogsButton, &QPushButton::clicked, this, [this] { openLogs(true); });
    m_traceLogsButton = new QPushButton(tr("Trace's logs"), pane);
    m_traceLogsButton->setObjectName(QStringLiteral("traceLogsButton"));
    m_traceLogsButton->setToolTip(tr("Open the Events view filtered by this trace id"));
    m_traceLogsButton->setEnabled(false);
    connect(m_traceLogsButton, &QPushButton::clicked, this, [this] { openLogs(false); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_spanLogsButton);
    buttons->addWidget(m_traceLogsButton);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_details, 1);
    return pane;
}

QWidget *TracesView::buildStatisticsTable()
{
    m_stats->setHorizontalHeaderLabels({tr("Service"), tr("Operation"), tr("Count"), tr("Total"), tr("Self"),
                                        tr("Average"), tr("Max"), tr("Errors")});
    m_stats->setSortRole(kSortRole);
    m_statsTable = new QTableView(this);
    m_statsTable->setObjectName(QStringLiteral("traceStatistics"));
    m_statsTable->setModel(m_stats);
    m_statsTable->setSortingEnabled(true);
    m_statsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_statsTable->setShowGrid(false);
    m_statsTable->setWordWrap(false);
    m_statsTable->verticalHeader()->hide();
    m_statsTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_statsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_statsTable->horizontalHeader()->setSectionResizeMode(StatOperationColumn, QHeaderView::Stretch);
    m_statsTable->sortByColumn(StatSelfColumn, Qt::DescendingOrder);
    m_statsTable->setToolTip(tr("Self: the time a span ran with none of its children running"));
    return m_statsTable;
}

QWidget *TracesView::buildSearchForm()
{
    auto *form = new QWidget(this);
    const auto edit = [form, this](const char *name, const QString &placeholder, int width) {
        auto *e = new QLineEdit(form);
        e->setObjectName(QString::fromLatin1(name));
        e->setPlaceholderText(placeholder);
        e->setClearButtonEnabled(true);
        if (width > 0)
            e->setMaximumWidth(width);
        connect(e, &QLineEdit::returnPressed, this, &TracesView::refresh);
        return e;
    };
    m_searchService = edit("searchService", tr("Service"), 160);
    m_searchOperation = edit("searchOperation", tr("Operation"), 200);
    m_minDuration = edit("searchMinDuration", tr("≥ duration"), 100);
    m_minDuration->setToolTip(tr("Only spans at least this long: 250 (ms), 250ms, 1.5s"));
    m_maxDuration = edit("searchMaxDuration", tr("≤ duration"), 100);
    m_maxDuration->setToolTip(tr("Only spans at most this long: 250 (ms), 250ms, 1.5s"));
    m_searchStatus = new QComboBox(form);
    m_searchStatus->setObjectName(QStringLiteral("searchStatus"));
    m_searchStatus->addItems({tr("Any status"), tr("Error"), tr("OK")});
    m_searchAttributes = edit("searchAttributes", tr("Attributes, e.g. http.route = /checkout and retry > 0"), 0);
    auto *find = new QPushButton(tr("Find traces"), form);
    find->setObjectName(QStringLiteral("findTracesButton"));
    find->setToolTip(tr("Traces with a span in the time range that meets every condition; with none, the recent traces"));
    connect(find, &QPushButton::clicked, this, &TracesView::refresh);

    m_sourcePicker = new SourcePicker(form);
    connect(m_sourcePicker, &SourcePicker::sourceChanged, this, &TracesView::setSource);
    connect(m_sourcePicker, &SourcePicker::picked, this, &TracesView::refresh);

    auto *layout = new QHBoxLayout(form);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : std::initializer_list<QWidget *>{m_sourcePicker, m_searchService, m_searchOperation, m_minDuration, m_maxDuration,
                                                       m_searchStatus})
        layout->addWidget(w);
    layout->addWidget(m_searchAttributes, 1);
    layout->addWidget(find);
    new LineEditCompletion(m_searchService, m_fields, QStringLiteral("service.name"));
    new LineEditCompletion(m_searchOperation, m_fields, QStringLiteral("name"));
    new LineEditCompletion(m_searchAttributes, m_fields);
    return form;
}

TraceQuery TracesView::traceQuery() const
{
    TraceQuery q;
    q.service = m_searchService->text();
    q.operation = m_searchOperation->text();
    q.minDuration = m_minDuration->text();
    q.maxDuration = m_maxDuration->text();
    q.status = static_cast<TraceQuery::Status>(m_searchStatus->currentIndex());
    q.attributes = m_searchAttributes->text();
    return q;
}

void TracesView::setSource(DataSourcePtr source)
{
    m_listRunner->cancel();
    m_traceRunner->cancel();
    m_compareRunner->cancel();
    if (source != m_source) // another source's traces are not shown under this one's name (exploratory test)
        clearShown();
    m_source = std::move(source);
    m_fields->setSource(m_source);
}

void TracesView::clearShown()
{
    m_traces->removeRows(0, m_traces->rowCount());
    m_scatter->setPoints({}, m_range.current());
    m_traceId.clear();
    clearTrace(tr("Pick a trace in the list, or open one by id."));
    m_summary->clear();
}

void TracesView::clearTrace(const QString &placeholder)
{
    m_error->hide();
    m_tree.reset();
    m_waterfall->setTree(nullptr);
    m_waterfall->setPlaceholderText(placeholder);
    m_stats->removeRows(0, m_stats->rowCount());
    m_spanLogsButton->setEnabled(false);
    m_traceLogsButton->setEnabled(false);
    m_details->showPlaceholder(tr("Select a span to see all of its fields."));
}

void TracesView::setSources(std::vector<SourceChoice> sources, const QString &selected)
{
    m_sourcePicker->setChoices(std::move(sources), selected);
    setSource(m_sourcePicker->current());
}

void TracesView::cancel()
{
    if (!m_listRunner->busy() && !m_traceRunner->busy() && !m_compareRunner->busy())
        return;
    // what was loading says it stopped, where "Loading trace …" had stayed for good (review)
    if (m_traceRunner->busy())
        m_waterfall->setPlaceholderText(tr("Loading trace %1 was cancelled: open it again to load it.").arg(m_traceId));
    if (m_compareRunner->busy())
        m_compare->setPlaceholder(tr("The comparison was cancelled."));
    m_listRunner->cancel();
    m_traceRunner->cancel();
    m_compareRunner->cancel();
    Q_EMIT statusMessage(tr("Trace query cancelled."));
}

void TracesView::setTimeRange(const TimeRange &range)
{
    m_range.fix(range);
    m_fields->setTimeRange(range);
}

void TracesView::followTimeRange(std::function<TimeRange()> now)
{
    m_range.follow(std::move(now));
    m_fields->setTimeRange(m_range.current());
}

void TracesView::refresh()
{
    if (!m_source) {
        showListError(tr("No data source."));
        return;
    }
    std::vector<Condition> where;
    try {
        where = traceQuery().conditions();
    } catch (const std::exception &e) {
        showListError(QString::fromUtf8(e.what()));
        return;
    }
    m_error->hide();
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range.renew();
    m_fields->setTimeRange(range);
    m_listRunner->run<FramePtr>(
        [source, range, where](const CancelTokenPtr &cancel) -> FramePtr {
            return std::make_shared<const Frame>(where.empty() ? source->recentTraces(range, kTraceLimit, cancel)
                                                               : findTraces(*source, where, range, kTraceLimit, cancel));
        },
        [this](const FramePtr &frame) { showTraceList(frame); },
        [this](const QString &message) { showListError(message); });
    Q_EMIT statusMessage(where.empty() ? tr("Loading traces…") : tr("Finding traces…"));
}

void TracesView::showTrace(const QString &traceId)
{
    const QString id = traceId.trimmed();
    if (id.isEmpty())
        return;
    m_traceId = id;
    selectTraceRow(id);
    m_scatter->setCurrentTrace(id);
    if (!m_source) {
        showTraceError(tr("No data source."));
        return;
    }
    clearTrace(tr("Loading trace %1…").arg(id));
    m_summary->setText(tr("Trace %1").arg(id));

    const DataSourcePtr source = m_source;
    const std::string stdId = id.toStdString();
    using Loaded = std::shared_ptr<const LoadedTrace>;
    m_traceRunner->run<Loaded>(
        [source, stdId](const CancelTokenPtr &cancel) -> Loaded {
            std::vector<Span> spans = source->trace(stdId, cancel);
            throwIfCancelled(cancel);
            auto tree = std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
            throwIfCancelled(cancel);
            return std::make_shared<const LoadedTrace>(LoadedTrace{tree, traceStatistics(*tree)});
        },
        [this](const Loaded &loaded) {
            showTraceTree(loaded->tree);
            showStatistics(loaded->stats);
        },
        [this](const QString &message) { showTraceError(message); });
}

void TracesView::showTraceList(const FramePtr &frame)
{
    const TraceListColumns cols(*frame);
    const QIcon errorIcon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
    QColor errorTint = kErrorColor;
    errorTint.setAlpha(40);

    m_table->setSortingEnabled(false);
    m_traces->removeRows(0, m_traces->rowCount());
    for (std::size_t r = 0; r < frame->rowCount(); ++r) {
        const auto cell = [&](int column) -> const Cell & { return cellAt(*frame, r, column); };
        const TimeNs start = cellToInt(cell(cols.time));
        const double durationMs = cellToDouble(cell(cols.duration));
        const qint64 spans = cellToInt(cell(cols.spans));
        const qint64 errors = cellToInt(cell(cols.errors));
        const QString traceId = QString::fromStdString(cellToString(cell(cols.traceId)));
        const QString name = QString::fromStdString(cellToString(cell(cols.name)));
        const QString service = QString::fromStdString(cellToString(cell(cols.service)));
        const QString services = QString::fromStdString(cellToString(cell(cols.services)));

        QList<QStandardItem *> items{
            makeItem(name, name),
            makeItem(service, service),
            makeItem(formatStart(start), QVariant::fromValue<qint64>(start)),
            makeItem(std::isfinite(durationMs) ? traceDurationText(std::llround(durationMs * 1e6))
                                               : tr("unknown"),
                     durationMs),
            makeItem(QString::number(spans), spans),
            makeItem(QString::number(errors), errors),
            makeItem(services, services),
        };
        items[RootNameColumn]->setData(traceId, kTraceIdRole);
        items[RootNameColumn]->setToolTip(tr("trace %1").arg(traceId));
        if (errors > 0) {
            items[RootNameColumn]->setIcon(errorIcon);
            items[ErrorsColumn]->setForeground(kErrorColor);
            for (QStandardItem *item : items)
                item->setBackground(errorTint);
        }
        m_traces->appendRow(items);
    }
    m_table->setSortingEnabled(true);
    m_table->setColumnHidden(ServicesColumn, cols.services < 0); // recentTraces() does not list them
    showScatter(*frame);
    if (!m_traceId.isEmpty())
        selectTraceRow(m_traceId);
    else if (m_traces->rowCount() > 0)
        m_table->selectRow(0); // the newest trace, so that the waterfall is not empty
    Q_EMIT statusMessage(tr("%n trace(s)", nullptr, static_cast<int>(frame->rowCount())));
}

void TracesView::showScatter(const Frame &frame)
{
    const TraceListColumns cols(frame);
    std::vector<TraceScatter::Point> points;
    points.reserve(frame.rowCount());
    for (std::size_t r = 0; r < frame.rowCount(); ++r) {
        const auto cell = [&](int column) -> const Cell & { return cellAt(frame, r, column); };
        points.push_back({QString::fromStdString(cellToString(cell(cols.traceId))), cellToInt(cell(cols.time)),
                          cellToDouble(cell(cols.duration)), cellToInt(cell(cols.errors)) > 0,
                          QString::fromStdString(cellToString(cell(cols.service))) + QStringLiteral(" • ")
                              + QString::fromStdString(cellToString(cell(cols.name))),
                          cellToInt(cell(cols.spans))});
    }
    m_scatter->setPoints(std::move(points), m_range.current());
    m_scatter->setCurrentTrace(m_traceId);
}

void TracesView::showTraceTree(const std::shared_ptr<const TraceTree> &tree)
{
    m_tree = tree;
    m_waterfall->setTree(tree);
    if (tree->spanCount == 0) {
        m_waterfall->setPlaceholderText(tr("Trace %1 was not found in this source.").arg(m_traceId));
        m_summary->setText(tr("Trace %1: not found").arg(m_traceId));
        Q_EMIT statusMessage(tr("Trace %1 not found").arg(m_traceId));
        return;
    }
    const Span *root = tree->root();
    QString summary = tr("Trace %1 · %2 • %3 · %4 · %5 spans · %6 services")
                          .arg(m_traceId, QString::fromStdString(root->service), QString::fromStdString(root->name))
                          .arg(traceDurationText(spanBetween(tree->start, tree->end)))
                          .arg(tree->spanCount)
                          .arg(tree->services.size());
    if (tree->errorCount > 0)
        summary += tr(" · %n error(s)", nullptr, tree->errorCount);
    if (!tree->orphans.empty())
        summary += tr(" · %n span(s) missing a parent", nullptr, static_cast<int>(tree->orphans.size()));
    if (!tree->cycles.empty())
        summary += tr(" · %n loop(s) of parents", nullptr, static_cast<int>(tree->cycles.size()));
    if (tree->skewCount > 0)
        summary += tr(" · ⚠ %n span(s) start before their parent (clock skew?)", nullptr, tree->skewCount);
    if (tree->repeatedSpans > 0)
        summary += tr(" · %n span(s) arrived more than once, shown once", nullptr, static_cast<int>(tree->repeatedSpans));
    m_summary->setText(summary);
    m_traceLogsButton->setEnabled(true);
    m_waterfall->setSelectedSpan(static_cast<int>(tree->rows.front().span));
    Q_EMIT statusMessage(summary);
}

void TracesView::showListError(const QString &message)
{
    m_error->setText(tr("Traces: %1").arg(message));
    m_error->show();
    Q_EMIT statusMessage(m_error->text());
}

void TracesView::showTraceError(const QString &message)
{
    m_waterfall->setPlaceholderText(tr("Could not load trace %1: %2").arg(m_traceId, message));
    m_error->setText(tr("Trace %1: %2").arg(m_traceId, message));
    m_error->show();
    Q_EMIT statusMessage(m_error->text());
}

void TracesView::onTraceRowChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QString id = m_traces->index(current.row(), RootNameColumn).data(kTraceIdRole).toString();
    if (!id.isEmpty() && id != m_traceId)
        showTrace(id);
}

void TracesView::onSpanSelected(int spanIndex)
{
    if (!m_tree || spanIndex < 0 || spanIndex >= static_cast<int>(m_tree->spanIndexCount()))
        return;
    const Span &span = m_tree->span(static_cast<std::size_t>(spanIndex));
    m_spanLogsButton->setEnabled(!m_tree->isPlaceholder(static_cast<std::size_t>(spanIndex)));
    if (m_tree->isPlaceholder(static_cast<std::size_t>(spanIndex)))
        m_details->showPlaceholder(tr("Span %1 never arrived.").arg(QString::fromStdString(span.spanId)));
    else
        m_details->showSpan(span);
}

void TracesView::selectTraceRow(const QString &traceId)
{
    const QModelIndexList hits =
        m_traces->match(m_traces->index(0, RootNameColumn), kTraceIdRole, traceId, 1, Qt::MatchExactly);
    if (hits.isEmpty()) { // a trace not in the list: the row of the one before had stayed marked (exploratory GUI test)
        m_table->selectionModel()->clear();
        return;
    }
    m_table->selectionModel()->setCurrentIndex(
        hits.front(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(hits.front());
}

void TracesView::updateBusy()
{
    m_busy->setVisible(m_listRunner->busy() || m_traceRunner->busy() || m_compareRunner->busy());
}

} // namespace fd

namespace fd {

void TracesView::addShownToIncident()
{
    if (!m_tree || m_tree->spans.empty()) {
        Q_EMIT statusMessage(tr("Open a trace first"));
        return;
    }
    const int span = m_waterfall->selectedSpan();
    const bool rootSelected = span < 0 || m_tree->isPlaceholder(static_cast<std::size_t>(span))
        || m_tree->root() == &m_tree->span(static_cast<std::size_t>(span));
    Q_EMIT addToIncident(rootSelected ? traceEntry(*m_tree, *m_waterfall)
                                      : spanEntry(m_tree->span(static_cast<std::size_t>(span))));
}

} // namespace fd

namespace fd {

void TracesView::showStatistics(const std::vector<OperationStats> &stats)
{
    m_statsTable->setSortingEnabled(false);
    m_stats->removeRows(0, m_stats->rowCount());
    for (const OperationStats &op : stats) {
        const QString service = QString::fromStdString(op.service);
        const QString name = QString::fromStdString(op.name);
        const auto duration = [](DurationNs d) {
            return makeItem(traceDurationText(d), QVariant::fromValue<qint64>(d));
        };
        QList<QStandardItem *> items{makeItem(service, service), makeItem(name, name),
                                     makeItem(QString::number(op.count), QVariant::fromValue<qint64>(op.count)),
                                     duration(op.total), duration(op.self), duration(op.average()), duration(op.max),
                                     makeItem(QString::number(op.errors), QVariant::fromValue<qint64>(op.errors))};
        for (int c = StatCountColumn; c < StatColumnCount; ++c)
            items[c]->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        items[StatServiceColumn]->setIcon(serviceSwatch(m_waterfall->serviceColors().color(service))); // its tree
        if (op.errors > 0)
            items[StatErrorsColumn]->setForeground(kErrorColor);
        m_stats->appendRow(items);
    }
    m_statsTable->setSortingEnabled(true);
}

void TracesView::showSpanMenu(int spanIndex, const QPoint &globalPos)
{
    if (!m_tree || spanIndex < 0)
        return;
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("spanMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *spanLogs = menu->addAction(tr("Logs of this span"), this, [this] { openLogs(true); });
    spanLogs->setEnabled(!m_tree->isPlaceholder(static_cast<std::size_t>(spanIndex)));
    menu->addAction(tr("Logs of this trace"), this, [this] { openLogs(false); });
    menu->popup(globalPos);
}

void TracesView::openLogs(bool ofSpan)
{
    if (!m_tree || m_tree->spanCount == 0)
        return;
    Query filter;
    filter.signal = Signal::Logs;
    filter.where.push_back({"trace_id", Op::Eq, m_traceId.toStdString()});
    if (ofSpan) {
        const int span = m_waterfall->selectedSpan();
        if (span < 0 || m_tree->isPlaceholder(static_cast<std::size_t>(span)))
            return;
        filter.where.push_back({"span_id", Op::Eq, m_tree->span(static_cast<std::size_t>(span)).spanId});
    }
    // A little around the trace: a log line can be written just before its span starts or after it ends.
    Q_EMIT openEvents(filter, TimeRange{saturatedAdd(m_tree->start, -kMinute), saturatedAdd(m_tree->end, kMinute)});
}

} // namespace fd

namespace fd {

// A right-click leaves the open trace open: it had opened the row clicked, so that "Compare with the open trace"
// compared that trace with itself and could never be chosen (exploratory test). The menu still comes.
bool TracesView::eventFilter(QObject *watched, QEvent *event)
{
    const bool mouseButton = event->type() == QEvent::MouseButtonPress || event->type() == QEvent::MouseButtonRelease
                             || event->type() == QEvent::MouseButtonDblClick;
    if (watched == m_table->viewport() && mouseButton && static_cast<QMouseEvent *>(event)->button() == Qt::RightButton)
        return true;
    return QWidget::eventFilter(watched, event);
}

void TracesView::showTraceListMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    const QString id = m_traces->index(index.row(), RootNameColumn).data(kTraceIdRole).toString();
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("traceListMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *compare = menu->addAction(tr("Compare with the open trace"), this, [this, id] { compareWith(id); });
    compare->setEnabled(m_tree && m_tree->spanCount > 0 && id != m_traceId);
    menu->addAction(tr("Compare with the median of similar traces"), this, [this, id] { compareWithMedian(id); });
    menu->popup(m_table->viewport()->mapToGlobal(pos));
}

void TracesView::compareWith(const QString &traceId)
{
    if (!m_tree || m_tree->spanCount == 0 || !m_source) {
        Q_EMIT statusMessage(tr("Open a trace first: it is the baseline (A) of the comparison"));
        return;
    }
    const QString idA = m_traceId, idB = traceId.trimmed();
    const DataSourcePtr source = m_source;
    const std::shared_ptr<const TraceTree> a = m_tree;
    m_compare->setPlaceholder(tr("Comparing %1 with %2…").arg(idA, idB));
    m_traceTabs->setCurrentWidget(m_compare);
    using Diff = std::shared_ptr<const std::vector<PathDiff>>;
    m_compareRunner->run<Diff>(
        [source, a, idB](const CancelTokenPtr &cancel) -> Diff {
            std::vector<Span> spans = source->trace(idB.toStdString(), cancel);
            if (spans.empty())
                throw Error("trace " + idB.toStdString() + " was not found");
            throwIfCancelled(cancel);
            const TraceTree b = TraceTree::build(std::move(spans));
            return std::make_shared<const std::vector<PathDiff>>(compareTraces(*a, b));
        },
        [this, idA, idB](const Diff &diff) { m_compare->setComparison(idA, idB, *diff); },
        [this, idB](const QString &message) { m_compare->setPlaceholder(tr("Could not compare with %1: %2").arg(idB, message)); });
}

void TracesView::compareWithMedian(const QString &traceId)
{
    const QString id = traceId.trimmed();
    if (id.isEmpty() || !m_source)
        return;
    if (id != m_traceId)
        showTrace(id); // its waterfall beside the comparison
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range.current();
    m_compare->setPlaceholder(tr("Comparing %1 with the median of similar traces…").arg(id));
    m_traceTabs->setCurrentWidget(m_compare);
    using Result = std::shared_ptr<const MedianComparison>;
    m_compareRunner->run<Result>(
        [source, range, id](const CancelTokenPtr &cancel) -> Result {
            return std::make_shared<const MedianComparison>(
                compareWithSimilar(*source, id.toStdString(), range, kMedianTraces, cancel));
        },
        [this, id](const Result &result) { m_compare->setMedianComparison(id, *result); },
        [this, id](const QString &message) { m_compare->setPlaceholder(tr("Could not compare %1: %2").arg(id, message)); });
}

} // namespace fd

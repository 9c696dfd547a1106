#include "TracesView.h"
#include "IncidentEntries.h"
#include "ErrorLabel.h"

#include "DetailsTree.h"
#include "JobRunner.h"
#include "TraceWaterfall.h"
#include "WaterfallControls.h"

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
const QColor kErrorColor(0xd3, 0x2f, 0x2f);

// The columns of DataSource::recentTraces, looked up once per frame.
struct TraceListColumns {
    int traceId, time, service, name, duration, spans, errors;
    explicit TraceListColumns(const Frame &f)
        : traceId(f.columnIndex("trace_id"))
        , time(f.columnIndex("time"))
        , service(f.columnIndex("root_service"))
        , name(f.columnIndex("root_name"))
        , duration(f.columnIndex("duration_ms"))
        , spans(f.columnIndex("spans"))
        , errors(f.columnIndex("errors"))
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

QString formatStart(TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace

TracesView::TracesView(QWidget *parent)
    : QWidget(parent)
    , m_listRunner(new JobRunner(this))
    , m_traceRunner(new JobRunner(this))
    , m_traces(new QStandardItemModel(this))
{
    const TimeNs now = nowNs();
    m_range = {now - kHour, now};
    buildUi();
    connect(m_listRunner, &JobRunner::busyChanged, this, &TracesView::updateBusy);
    connect(m_traceRunner, &JobRunner::busyChanged, this, &TracesView::updateBusy);
}

TracesView::~TracesView()
{
    // A runner cancels its job when it dies, after this object's members; it must not call back.
    m_listRunner->disconnect(this);
    m_traceRunner->disconnect(this);
}

void TracesView::buildUi()
{
    m_traces->setHorizontalHeaderLabels(
        {tr("Root span"), tr("Service"), tr("Start"), tr("Duration"), tr("Spans"), tr("Errors")});
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
    m_table->sortByColumn(StartColumn, Qt::DescendingOrder);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TracesView::onTraceRowChanged);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("traceSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_waterfall = new TraceWaterfall(this);
    m_waterfall->setObjectName(QStringLiteral("waterfall"));
    connect(m_waterfall, &TraceWaterfall::spanSelected, this, &TracesView::onSpanSelected);
    m_controls = new WaterfallControls(m_waterfall, this);
    m_controls->setObjectName(QStringLiteral("waterfallControls"));

    m_details = new DetailsTree(this);
    m_details->setObjectName(QStringLiteral("spanDetails"));
    m_details->showPlaceholder(tr("Select a span to see all of its fields."));
    connect(m_details, &DetailsTree::traceActivated, this, &TracesView::showTrace);

    auto *traceSplitter = new QSplitter(Qt::Horizontal, this);
    traceSplitter->addWidget(m_waterfall);
    traceSplitter->addWidget(m_details);
    traceSplitter->setStretchFactor(0, 3);
    traceSplitter->setStretchFactor(1, 1);
    traceSplitter->setSizes({700, 300});

    auto *tracePane = new QWidget(this);
    auto *traceLayout = new QVBoxLayout(tracePane);
    traceLayout->setContentsMargins(0, 0, 0, 0);
    traceLayout->addWidget(m_summary);
    traceLayout->addWidget(m_controls);
    traceLayout->addWidget(traceSplitter, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(tracePane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({250, 500});

    m_error = makeErrorLabel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildToolBar());
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

void TracesView::setSource(DataSourcePtr source)
{
    m_listRunner->cancel();
    m_traceRunner->cancel();
    m_source = std::move(source);
}

void TracesView::cancel()
{
    if (!m_listRunner->busy() && !m_traceRunner->busy())
        return;
    m_listRunner->cancel();
    m_traceRunner->cancel();
    Q_EMIT statusMessage(tr("Trace query cancelled."));
}

void TracesView::setTimeRange(const TimeRange &range)
{
    m_range = range;
}

void TracesView::refresh()
{
    if (!m_source) {
        showListError(tr("No data source."));
        return;
    }
    m_error->hide();
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range;
    m_listRunner->run<FramePtr>(
        [source, range](const CancelTokenPtr &cancel) -> FramePtr {
            return std::make_shared<const Frame>(source->recentTraces(range, kTraceLimit, cancel));
        },
        [this](const FramePtr &frame) { showTraceList(frame); },
        [this](const QString &message) { showListError(message); });
    Q_EMIT statusMessage(tr("Loading traces…"));
}

void TracesView::showTrace(const QString &traceId)
{
    const QString id = traceId.trimmed();
    if (id.isEmpty())
        return;
    m_traceId = id;
    selectTraceRow(id);
    if (!m_source) {
        showTraceError(tr("No data source."));
        return;
    }
    m_error->hide();
    m_tree.reset();
    m_waterfall->setTree(nullptr);
    m_waterfall->setPlaceholderText(tr("Loading trace %1…").arg(id));
    m_details->showPlaceholder(tr("Select a span to see all of its fields."));
    m_summary->setText(tr("Trace %1").arg(id));

    const DataSourcePtr source = m_source;
    const std::string stdId = id.toStdString();
    using TreePtr = std::shared_ptr<const TraceTree>;
    m_traceRunner->run<TreePtr>(
        [source, stdId](const CancelTokenPtr &cancel) -> TreePtr {
            std::vector<Span> spans = source->trace(stdId);
            if (cancel->isCancelled())
                throw Cancelled();
            return std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
        },
        [this](const TreePtr &tree) { showTraceTree(tree); },
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

        QList<QStandardItem *> items{
            makeItem(name, name),
            makeItem(service, service),
            makeItem(formatStart(start), QVariant::fromValue<qint64>(start)),
            makeItem(QStringLiteral("%1 ms").arg(durationMs, 0, 'f', 2), durationMs),
            makeItem(QString::number(spans), spans),
            makeItem(QString::number(errors), errors),
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
    if (!m_traceId.isEmpty())
        selectTraceRow(m_traceId);
    else if (m_traces->rowCount() > 0)
        m_table->selectRow(0); // the newest trace, so that the waterfall is not empty
    Q_EMIT statusMessage(tr("%n trace(s)", nullptr, static_cast<int>(frame->rowCount())));
}

void TracesView::showTraceTree(const std::shared_ptr<const TraceTree> &tree)
{
    m_tree = tree;
    m_waterfall->setTree(tree);
    if (tree->spans.empty()) {
        m_waterfall->setPlaceholderText(tr("Trace %1 was not found in this source.").arg(m_traceId));
        m_summary->setText(tr("Trace %1: not found").arg(m_traceId));
        Q_EMIT statusMessage(tr("Trace %1 not found").arg(m_traceId));
        return;
    }
    const Span *root = tree->root();
    const double ms = static_cast<double>(tree->end - tree->start) / 1e6;
    QString summary = tr("Trace %1 · %2 • %3 · %4 ms · %5 spans · %6 services")
                          .arg(m_traceId, QString::fromStdString(root->service), QString::fromStdString(root->name))
                          .arg(ms, 0, 'f', 2)
                          .arg(tree->spans.size())
                          .arg(tree->services.size());
    if (tree->errorCount > 0)
        summary += tr(" · %n error(s)", nullptr, tree->errorCount);
    if (!tree->orphans.empty())
        summary += tr(" · %n span(s) missing a parent", nullptr, static_cast<int>(tree->orphans.size()));
    m_summary->setText(summary);
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
    if (!m_tree || spanIndex < 0 || spanIndex >= static_cast<int>(m_tree->spans.size()))
        return;
    m_details->showSpan(m_tree->spans[static_cast<std::size_t>(spanIndex)]);
}

void TracesView::selectTraceRow(const QString &traceId)
{
    const QModelIndexList hits =
        m_traces->match(m_traces->index(0, RootNameColumn), kTraceIdRole, traceId, 1, Qt::MatchExactly);
    if (hits.isEmpty())
        return;
    m_table->selectionModel()->setCurrentIndex(
        hits.front(), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(hits.front());
}

void TracesView::updateBusy()
{
    m_busy->setVisible(m_listRunner->busy() || m_traceRunner->busy());
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
    const bool rootSelected = span < 0 || m_tree->root() == &m_tree->spans[static_cast<std::size_t>(span)];
    Q_EMIT addToIncident(rootSelected ? traceEntry(*m_tree, *m_waterfall)
                                      : spanEntry(m_tree->spans[static_cast<std::size_t>(span)]));
}

} // namespace fd

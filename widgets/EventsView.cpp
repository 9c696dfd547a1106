#include "EventsView.h"
#include "ResultNotes.h"
#include "EventTableLook.h"
#include "DetailsTree.h"
#include "ErrorLabel.h"
#include "EventContextDialog.h"
#include "FieldCompletion.h"
#include "FieldSidebar.h"
#include "FrameExport.h"
#include "IncidentEntries.h"
#include "JobRunner.h"
#include "LineEditCompletion.h"
#include "SearchHighlightDelegate.h"
#include "VolumeHistogram.h"

#include "models/EventTableModel.h"
#include "models/FieldColumns.h"
#include "models/FrameFileWriter.h"
#include "models/Query.h"
#include "models/TimePager.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace fd {

EventsView::EventsView(QWidget *parent)
    : QWidget(parent)
    , m_histogramRunner(new JobRunner(this))
    , m_copyRunner(new JobRunner(this))
    , m_keysRunner(new JobRunner(this))
    , m_export(new FrameExport(this))
    , m_fields(new FieldCompletion(this))
    , m_model(new EventTableModel(this))
{
    const TimeNs now = nowNs();
    m_fields->setSignal(Signal::Logs);
    setTimeRange({now - kHour, now});
    buildUi();
    connect(m_model, &EventTableModel::loadingChanged, this, &EventsView::setBusy);
    connect(m_model, &EventTableModel::countChanged, this, &EventsView::showCount);
    connect(m_model, &EventTableModel::loadFailed, this, &EventsView::showQueryFailure);
    connect(m_model, &EventTableModel::orderShown, this, [this](int column, Qt::SortOrder order) {
        const QSignalBlocker quiet(m_table->horizontalHeader()); // the order is shown already: no sort again
        m_table->horizontalHeader()->setSortIndicator(column, order);
        m_table->horizontalHeader()->viewport()->update();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] { ++m_rowsGeneration; });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        ++m_rowsGeneration;
        m_details->showPlaceholder(tr("Select a record to see all of its fields."));
        if (m_summaryPending && m_model->frame())
            summarizeFields();
    });
    connect(m_model, &EventTableModel::newerRowsInserted, this, &EventsView::keepScrollOnInsert);
    m_tailTimer = new QTimer(this);
    m_tailTimer->setInterval(kTailIntervalMs);
    connect(m_tailTimer, &QTimer::timeout, this, &EventsView::pollTail);
    m_tailSummaryTimer = new QTimer(this);
    m_tailSummaryTimer->setSingleShot(true);
    m_tailSummaryTimer->setInterval(kTailSummaryIntervalMs);
    connect(m_tailSummaryTimer, &QTimer::timeout, this, &EventsView::summarizeTail);
    connect(m_model, &EventTableModel::newerRowsInserted, this, &EventsView::scheduleTailSummary);
}

EventsView::~EventsView()
{
    // The model's runners cancel their jobs when they die, after this object's members; no call back.
    m_model->disconnect(this);
}

void EventsView::buildUi()
{
    m_error = makeErrorLabel(this);
    m_notes = makeNotesLabel(this);
    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);
    m_count->setObjectName(QStringLiteral("countLabel"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_model);
    styleEventTable(m_table);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Per pixel, so that rows inserted above keep the visible ones exactly in place.
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_highlight = new SearchHighlightDelegate(m_table);
    m_table->setItemDelegateForColumn(EventTableModel::BodyColumn, m_highlight);
    m_table->horizontalHeader()->setSortIndicator(EventTableModel::TimeColumn, Qt::DescendingOrder);
    m_table->setSortingEnabled(true);
    const EventColumnWidths widths = eventColumnWidths(m_table->fontMetrics());
    const auto header = [this](int column) { return m_model->headerData(column, Qt::Horizontal).toString(); };
    m_columnWidths.insert(header(EventTableModel::TimeColumn), widths.time);
    m_columnWidths.insert(header(EventTableModel::SeverityColumn), widths.severity);
    m_columnWidths.insert(header(EventTableModel::ServiceColumn), widths.service);
    restoreColumnWidths();
    // A model reset gives every section the default width; keep what the user (or we) chose.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &EventsView::saveColumnWidths);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventsView::restoreColumnWidths);
    connect(m_model, &QAbstractItemModel::columnsAboutToBeRemoved, this, &EventsView::saveColumnWidths);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &EventsView::restoreColumnWidths);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventsView::showDetails);
    connect(m_table, &QAbstractItemView::doubleClicked, this, &EventsView::openRowTrace);
    buildTableActions();

    m_details = new DetailsTree(this);
    m_details->setObjectName(QStringLiteral("eventDetails"));
    m_details->setEventActions(true);
    m_details->showPlaceholder(tr("Select a record to see all of its fields."));
    connect(m_details, &DetailsTree::traceActivated, this, &EventsView::openTrace);
    connect(m_details, &DetailsTree::conditionRequested, this, &EventsView::addCondition);
    connect(m_details, &DetailsTree::groupByRequested, this, &EventsView::groupBy);
    connect(m_details, &DetailsTree::contextRequested, this, &EventsView::showContext);

    m_sidebar = new FieldSidebar(this);
    connect(m_sidebar, &FieldSidebar::conditionRequested, this, &EventsView::addCondition);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_sidebar);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({280, 620, 300});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildQueryBar());
    layout->addWidget(m_error);
    layout->addWidget(m_notes);
    m_histogram = new VolumeHistogram(this);
    connect(m_histogram, &VolumeHistogram::rangeSelected, this, &EventsView::zoomTo);
    layout->addWidget(m_histogram);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_count);
}

QWidget *EventsView::buildQueryBar()
{
    auto *bar = new QWidget(this);
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Search the body…"));
    m_search->setClearButtonEnabled(true);
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("service.name = auth and severity >= WARN"));
    m_filter->setClearButtonEnabled(true);
    new LineEditCompletion(m_filter, m_fields); // field names, operators, values with their counts, "and"
    connect(m_search, &QLineEdit::returnPressed, this, &EventsView::refresh);
    connect(m_filter, &QLineEdit::returnPressed, this, &EventsView::refresh);
    // A stale parse error should not linger while the user fixes the text.
    connect(m_filter, &QLineEdit::textEdited, m_error, &QWidget::hide);

    m_sourcePicker = new SourcePicker(bar);
    connect(m_sourcePicker, &SourcePicker::sourceChanged, this, &EventsView::setSource);
    connect(m_sourcePicker, &SourcePicker::picked, this, &EventsView::refresh);
    m_run = new QPushButton(tr("Run"), bar);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_cancel = new QPushButton(tr("Cancel"), bar);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    connect(m_run, &QPushButton::clicked, this, &EventsView::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &EventsView::cancel);

    m_busy = new QProgressBar(bar);
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(80);
    m_busy->hide();

    m_columnsMenu = new QMenu(bar);
    connect(m_columnsMenu, &QMenu::aboutToShow, this, [this] { fillColumnsMenu(); });
    connect(m_fields, &FieldCompletion::namesReady, this, [this] {
        if (m_columnsMenu->isVisible())
            fillColumnsMenu(false);
    });
    m_columnsButton = new QToolButton(bar);
    m_columnsButton->setObjectName(QStringLiteral("columnsButton"));
    m_columnsButton->setText(tr("Columns"));
    m_columnsButton->setPopupMode(QToolButton::InstantPopup);
    m_columnsButton->setMenu(m_columnsMenu);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_sourcePicker);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_filter, 2);
    layout->addWidget(m_run);
    layout->addWidget(m_cancel);
    layout->addWidget(m_busy);
    layout->addWidget(m_columnsButton);
    m_tailButton = new QToolButton(bar);
    m_tailButton->setObjectName(QStringLiteral("tailButton"));
    m_tailButton->setText(tr("Tail"));
    m_tailButton->setCheckable(true);
    m_tailButton->setToolTip(tr("Every second, add on top the events that arrived since"));
    connect(m_tailButton, &QToolButton::toggled, this, &EventsView::setTailing);
    m_pauseButton = new QToolButton(bar);
    m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
    m_pauseButton->setText(tr("Pause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setEnabled(false);
    m_pauseButton->setToolTip(tr("Hold the rows in view still: the rows that arrive meanwhile come when the tail resumes"));
    connect(m_pauseButton, &QToolButton::toggled, this, &EventsView::setTailPaused);
    layout->addWidget(m_tailButton);
    layout->addWidget(m_pauseButton);
    auto *exportButton = new QPushButton(tr("Export…"), bar);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setToolTip(tr("Save the result, or the rows loaded, as CSV or JSON lines"));
    connect(exportButton, &QPushButton::clicked, this, &EventsView::chooseExport);
    connect(m_export, &FrameExport::busyChanged, exportButton, [exportButton](bool busy) { exportButton->setEnabled(!busy); });
    connect(m_export, &FrameExport::failed, this, &EventsView::showError);
    connect(m_export, &FrameExport::finished, this, [this](const QString &message, bool ok) {
        Q_EMIT statusMessage(message);
        Q_EMIT exportFinished(message, ok);
    });
    layout->addWidget(exportButton);
    return bar;
}

void EventsView::setSource(DataSourcePtr source)
{
    m_model->cancel();
    // Another workspace's rows, volume and counts go at once: they had stayed until this source's first page came
    // (exploratory test)
    m_model->setFrame(nullptr);
    showNoResult(QString());
    m_error->hide();
    m_source = std::move(source);
    m_fields->setSource(m_source);
}

void EventsView::setSources(std::vector<SourceChoice> sources, const QString &selected)
{
    m_sourcePicker->setChoices(std::move(sources), selected);
    setSource(m_sourcePicker->current());
}

bool EventsView::selectSource(const QString &id)
{
    return m_sourcePicker->select(id);
}

void EventsView::setTimeRange(const TimeRange &range)
{
    m_range.fix(range);
    applyTimeRange();
}

void EventsView::followTimeRange(std::function<TimeRange()> now)
{
    m_range.follow(std::move(now));
    applyTimeRange();
}

void EventsView::applyTimeRange()
{
    m_fields->setTimeRange(m_range.current());
}

QString EventsView::filterText() const
{
    return m_filter->text();
}

void EventsView::setFilterText(const QString &text)
{
    m_filter->setText(text);
    refresh();
}

void EventsView::restoreTexts(const QString &filter, const QString &search)
{
    m_filter->setText(filter);
    m_search->setText(search);
}

QString EventsView::searchText() const
{
    return m_search->text();
}

void EventsView::setSearchText(const QString &text)
{
    m_search->setText(text);
}

std::optional<Query> EventsView::currentQuery()
{
    Query q;
    q.signal = Signal::Logs;
    q.source = m_sourcePicker->queryId();
    q.search = m_search->text().trimmed().toStdString();
    q.limit = kRowLimit;
    try {
        q.where = parseWhereList(m_filter->text().trimmed().toStdString());
    } catch (const Error &e) {
        showError(tr("Filter: %1").arg(e.message()));
        return std::nullopt;
    }
    return q;
}

void EventsView::refresh()
{
    m_range.renew(); // exploratory test: Run had searched the 24 hours before the workspace opened
    applyTimeRange();
    const std::optional<Query> current = currentQuery();
    if (!current)
        return;
    const Query q = *current;
    if (!m_source) {
        showError(tr("No data source."));
        return;
    }
    m_error->hide();
    m_shownQuery = q;
    m_highlight->setTerm(QString::fromStdString(q.search));
    m_sidebar->cancel();
    m_keysRunner->cancel(); // the keys of the result before would choose this one's fields (review)
    m_summaryPending = true;
    m_tailSummaryTimer->stop(); // it would count the rows of the query before, over this one's range
    m_snapshotText.clear();
    m_model->start(m_source, q, m_range.current());
    refreshHistogram(q);
    Q_EMIT statusMessage(tr("Querying events…"));
}

void EventsView::refreshHistogram(const Query &rows)
{
    Query q = rows;
    q.groupBy = {"severity"};
    q.agg = parseAggregate("count");
    q.interval = niceInterval(m_range.current().length(), 120);
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range.current();
    m_histogramRunner->run<std::shared_ptr<const SeverityHistogram>>(
        [source, q, range](const CancelTokenPtr &cancel) {
            return std::make_shared<const SeverityHistogram>(
                SeverityHistogram::fromFrame(source->query(q, range, cancel), range, q.interval));
        },
        [this, range](const std::shared_ptr<const SeverityHistogram> &h) { m_histogram->setHistogram(*h, range); },
        [this](const QString &message) { m_histogram->clear(tr("volume failed: %1").arg(message)); });
}

void EventsView::zoomTo(const TimeRange &range)
{
    if (!m_source || !currentQuery())
        return; // nothing would run here: the other views would move alone
    setTimeRange(range);
    refresh();
    Q_EMIT rangeZoomed(range);
    Q_EMIT statusMessage(tr("Zoomed to %1 – %2").arg(VolumeHistogram::timeText(range.from), VolumeHistogram::timeText(range.to)));
}

// The rows, and the field counts and the volume that are counted beside them (over the whole result, they
// can take far longer than the first page).
void EventsView::cancel()
{
    if (m_copyRunner->busy()) {
        m_copyRunner->cancel();
        Q_EMIT statusMessage(tr("Copy cancelled: the clipboard is as it was."));
    }
    const bool counting = m_summaryPending || m_sidebar->isBusy() || m_histogramRunner->busy();
    if (!m_model->isLoading() && !counting)
        return;
    m_model->cancel();
    if (!m_model->frame()) {
        showNoResult(tr("The query was cancelled."));
    } else {
        if (m_summaryPending || m_sidebar->isBusy()) { // counts that arrived stay
            m_summaryPending = false;
            m_keysRunner->cancel();
            m_sidebar->cancel();
            m_sidebar->showMessage(tr("Counts cancelled: Refresh counts again."));
        }
        if (m_histogramRunner->busy()) {
            m_histogramRunner->cancel();
            m_histogram->clear(tr("volume cancelled: Refresh counts it again"));
        }
    }
    Q_EMIT statusMessage(tr("Query cancelled."));
}

void EventsView::showCount()
{
    QString text = m_snapshotText.isEmpty() ? m_model->countText() : m_snapshotText;
    if (isTailing() && !m_model->canTail()) // it had said "tailing" (exploratory test)
        text += QStringLiteral(" · ") + tr("tail waits while sorted: sort by time, newest first, to follow it");
    else if (isTailing())
        text += m_pauseButton->isChecked() ? QStringLiteral(" · ") + tr("tail paused")
                                           : QStringLiteral(" · ") + tr("tailing");
    const FramePtr first = m_model->frame();
    showNotes(m_notes, first ? first->notes : std::vector<std::string>());
    if (first && !first->statistics.empty())
        text += QStringLiteral(" · ") + QString::fromStdString(first->statistics);
    if (m_model->isSorting() || m_model->isSorted() || m_model->isSortedByField() || m_model->isOldestFirst())
        text += QStringLiteral(" · ") + tr("sorted: %1").arg(m_model->sortText());
    m_count->setText(text);
    Q_EMIT statusMessage(tr("Events: %1").arg(text));
}

void EventsView::showQueryFailure(const QString &message)
{
    if (!m_model->frame())
        showNoResult(tr("The query failed."));
    showError(message);
}

// A query without a first page leaves nothing of the result before it: no field counts, no volume.
void EventsView::showNoResult(const QString &why)
{
    m_summaryPending = false;
    m_keysRunner->cancel();
    m_sidebar->cancel();
    if (why.isEmpty())
        m_sidebar->clear();
    else
        m_sidebar->showMessage(why);
    m_histogramRunner->cancel();
    m_histogram->clear();
}

void EventsView::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    Q_EMIT statusMessage(message);
}

void EventsView::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_cancel->setEnabled(busy);
}

void EventsView::showDetails(const QModelIndex &current)
{
    if (!current.isValid()) {
        m_details->showPlaceholder(tr("Select a record to see all of its fields."));
        return;
    }
    m_details->showRecord(m_model->record(current.row()));
}

void EventsView::openRowTrace(const QModelIndex &index)
{
    const QString traceId = index.data(EventTableModel::TraceIdRole).toString();
    if (!traceId.isEmpty())
        Q_EMIT openTrace(traceId);
}

void EventsView::fillColumnsMenu(bool readKeys)
{
    m_columnsMenu->clear();
    const QStringList chosen = m_model->extraColumns();
    const FramePtr shown = m_model->frame();
    // A column already (time, body, Service, which is the resource's service.name): offered unchecked beside it, it
    // read as not shown (exploratory test)
    const auto isColumn = [&shown](const std::string &key) {
        return shown && (shown->columnIndex(key) >= 0 || (key == "service.name" && shown->columnIndex("service") >= 0));
    };
    QStringList keys;
    for (const KeyUse &k : m_keyUse)
        if (!isColumn(k.key))
            keys.append(QString::fromStdString(k.key));
    keys.sort();
    for (const QString &k : chosen) {
        if (!keys.contains(k))
            keys.append(k);
    }
    const bool stale = m_keysGeneration != m_rowsGeneration;
    if (stale) { // the keys counted before, if any, and the menu grows when the count comes
        m_columnsMenu->addAction(tr("Reading the loaded rows' attributes…"))->setEnabled(false);
        if (readKeys && !m_keysRunner->busy())
            readAttributeKeys({});
    } else if (keys.isEmpty()) {
        m_columnsMenu->addAction(tr("No attributes in the loaded rows"))->setEnabled(false);
        return;
    }
    const auto addKey = [this, &chosen](const QString &key) {
        QAction *action = m_columnsMenu->addAction(key);
        action->setCheckable(true);
        action->setChecked(chosen.contains(key));
        connect(action, &QAction::toggled, this, [this, key](bool on) { toggleExtraColumn(key, on); });
    };
    for (const QString &key : std::as_const(keys))
        addKey(key);
    // The source's other fields, which the loaded rows lack (exploratory GUI test: sorted by severity, the loaded
    // rows had none of event.name or user.id to offer).
    QStringList others;
    for (const QString &name : m_fields->names().value_or(QStringList()))
        if (!keys.contains(name) && !isColumn(name.toStdString()))
            others << name;
    if (!others.isEmpty()) {
        // a heading as an item, not a section: a menu is as wide as its items, and cut a section's text short
        m_columnsMenu->addSeparator();
        m_columnsMenu->addAction(tr("Other fields of the source:"))->setEnabled(false);
        for (const QString &name : std::as_const(others))
            addKey(name);
    }
}

void EventsView::toggleExtraColumn(const QString &key, bool on)
{
    QStringList columns = m_model->extraColumns();
    if (on && !columns.contains(key))
        columns.append(key);
    else if (!on)
        columns.removeAll(key);
    m_model->setExtraColumns(columns);
}

void EventsView::saveColumnWidths()
{
    // The last section stretches; its width says nothing about what the user wants.
    for (int c = 0; c + 1 < m_model->columnCount(); ++c)
        m_columnWidths.insert(m_model->headerData(c, Qt::Horizontal).toString(), m_table->columnWidth(c));
}

void EventsView::restoreColumnWidths()
{
    for (int c = 0; c + 1 < m_model->columnCount(); ++c) {
        const auto it = m_columnWidths.constFind(m_model->headerData(c, Qt::Horizontal).toString());
        if (it != m_columnWidths.cend())
            m_table->setColumnWidth(c, *it);
    }
}

void EventsView::addCondition(const QString &condition)
{
    const QString current = m_filter->text().trimmed();
    setFilterText(current.isEmpty() ? condition : current + QStringLiteral(" and ") + condition);
}

void EventsView::showSnapshot(const Query &query, const Snapshot &snapshot)
{
    m_model->cancel();
    m_histogramRunner->cancel();
    m_sidebar->cancel();
    m_keysRunner->cancel();
    m_summaryPending = false;
    m_sidebar->showMessage(tr("A snapshot keeps rows, not field counts: Refresh counts them live."));
    m_filter->setText(QString::fromStdString(whereListToText(query.where)));
    m_search->setText(QString::fromStdString(query.search));
    setTimeRange(snapshot.range);
    m_error->hide();
    m_highlight->setTerm(QString::fromStdString(query.search));
    // said instead of the count, also once a large snapshot's rows come (review: they read "20001 loaded of 20001")
    m_snapshotText = tr("Snapshot: %1 · Refresh runs it live").arg(snapshotSummary(snapshot));
    m_model->setFrame(snapshot.frame);
    // counted off the GUI thread, as the table's page is made for a large snapshot (review)
    m_histogram->clear();
    m_histogramRunner->run<std::shared_ptr<const SeverityHistogram>>(
        [frame = snapshot.frame, range = snapshot.range](const CancelTokenPtr &) {
            return std::make_shared<const SeverityHistogram>(
                SeverityHistogram::fromRows(*frame, range, niceInterval(range.length(), 120)));
        },
        [this, range = snapshot.range](const std::shared_ptr<const SeverityHistogram> &h) { m_histogram->setHistogram(*h, range); },
        [this](const QString &message) { m_histogram->clear(tr("volume failed: %1").arg(message)); });
    m_count->setText(m_snapshotText);
}

void EventsView::chooseExport()
{
    const QString path = FrameExport::choosePath(this, tr("Export events"), QStringLiteral("events.jsonl"));
    if (path.isEmpty())
        return;
    const qint64 total = m_model->totalCount(), loaded = m_model->rowCount(); // total: -1 until counted
    if (!m_source || (total >= 0 && total <= loaded)) {
        exportRows(path);
        return;
    }
    const QString text = total < 0 ? tr("%L1 rows are loaded; the result may hold more (not counted yet).").arg(loaded)
                                   : tr("The result has %L1 rows; %L2 are loaded.").arg(total).arg(loaded);
    QMessageBox ask(QMessageBox::Question, tr("Export events"), text, QMessageBox::Cancel, this);
    const bool capped = !exportsEveryRow();
    const QString allText = capped && (total < 0 || total > kExportLimit) ? tr("Up to %L1").arg(kExportLimit)
                            : total < 0                                   ? tr("All")
                                                                          : tr("All %L1").arg(total);
    QPushButton *all = ask.addButton(allText, QMessageBox::AcceptRole);
    QPushButton *shown = ask.addButton(tr("The %L1 loaded").arg(loaded), QMessageBox::ActionRole);
    ask.setDefaultButton(all);
    ask.exec();
    if (ask.clickedButton() == all)
        exportResult(path);
    else if (ask.clickedButton() == shown)
        exportRows(path);
}

namespace {
// The writer of an export's pages, adding the fields made columns (withFieldColumns) when there are any.
std::function<void(const Frame &)> addingFieldColumns(const std::function<void(const Frame &)> &page,
    const std::vector<std::string> &keys, const CancelTokenPtr &cancel)
{
    if (keys.empty())
        return page;
    return [&page, &keys, cancel](const Frame &f) { page(withFieldColumns(f, keys, cancel)); };
}
} // namespace

void EventsView::exportResult(const QString &path)
{
    if (!m_source || !m_model->frame()) {
        showError(tr("Nothing to export yet: run a query first."));
        Q_EMIT exportFinished(tr("Nothing to export"), false);
        return;
    }
    Query q = m_shownQuery;
    q.countTotal = false;
    q.arrivedUpTo = m_model->arrivalMark(); // the rows counted, not those stored since
    q.oldestFirst = m_model->query().oldestFirst; // in the order shown
    q.sortField = m_model->query().sortField;
    q.sortByAttribute = m_model->query().sortByAttribute;
    q.sortDescending = m_model->query().sortDescending;
    // In time order, by time from any source: on the store too, twice as fast as its one statement over every
    // row (BENCHMARKS.md), and holding no snapshot for the whole export. Else the store's pages, else a cap.
    const bool byTime = inTimeOrder(q);
    q.limit = byTime ? kExportPageRows : m_source->capabilitiesFor(q).pagedRows ? 0 : kExportLimit; // 0: every row
    const qint64 total = m_model->totalCount();
    FrameExport::PagedRows rows;
    const TimeRange range = rangeWithTailedRows(); // the table's rows, those the tail brought since the recount too
    const std::vector<std::string> keys = fieldColumnsFor(path);
    if (byTime)
        rows = [source = m_source, q, range, keys](const CancelTokenPtr &cancel, const std::function<void(const Frame &)> &page) {
            pageRowsByTime(*source, q, range, q.limit, cancel, addingFieldColumns(page, keys, cancel));
            return false;
        };
    else
        rows = [source = m_source, q, range, keys](const CancelTokenPtr &cancel, const std::function<void(const Frame &)> &page) {
            return source->queryPages(q, range, cancel, addingFieldColumns(page, keys, cancel));
        };
    m_export->startPaged(path, std::move(rows), !exportsEveryRow() && total >= 0 ? std::min<qint64>(total, q.limit) : total);
}

TimeRange EventsView::rangeWithTailedRows() const
{
    const std::optional<TimeNs> newest = m_model->newestTailedTime();
    return newest && *newest >= m_range.current().to ? TimeRange { m_range.current().from, saturatedAdd(*newest, 1) } : m_range.current();
}

bool EventsView::exportsEveryRow() const
{
    const Query &shown = m_model->query();
    return m_source && (m_source->capabilitiesFor(shown).pagedRows || inTimeOrder(shown));
}

bool EventsView::inTimeOrder(const Query &q)
{
    return q.raw.empty() && q.sortField.empty();
}

void EventsView::exportRows(const QString &path)
{
    if (!m_model->frame()) {
        showError(tr("Nothing to export yet: run a query first."));
        Q_EMIT exportFinished(tr("Nothing to export"), false);
        return;
    }
    m_export->start(path, [rows = m_model->loadedRows(), keys = fieldColumnsFor(path)](const CancelTokenPtr &cancel) {
        return std::make_shared<const Frame>(withFieldColumns(rows.frame(cancel), keys, cancel));
    });
}

std::vector<std::string> EventsView::fieldColumnsFor(const QString &path) const
{
    return isCsvPath(path) ? m_model->extraKeys() : std::vector<std::string>();
}

} // namespace fd

namespace fd {

void EventsView::buildTableActions()
{
    auto *addToIncident = new QAction(tr("Add event to incident"), m_table);
    addToIncident->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    addToIncident->setShortcutContext(Qt::WidgetShortcut);
    connect(addToIncident, &QAction::triggered, this, [this] {
        if (m_table->currentIndex().isValid())
            Q_EMIT this->addToIncident(eventEntry(m_model->record(m_table->currentIndex().row())));
    });
    auto *copyJson = new QAction(tr("Copy rows as JSON"), m_table);
    copyJson->setObjectName(QStringLiteral("copyJsonAction"));
    copyJson->setShortcut(QKeySequence::Copy);
    copyJson->setShortcutContext(Qt::WidgetShortcut);
    connect(copyJson, &QAction::triggered, this, [this] { copySelectedRows(false); });
    auto *copyCsv = new QAction(tr("Copy rows as CSV"), m_table);
    copyCsv->setObjectName(QStringLiteral("copyCsvAction"));
    copyCsv->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    copyCsv->setShortcutContext(Qt::WidgetShortcut);
    connect(copyCsv, &QAction::triggered, this, [this] { copySelectedRows(true); });
    auto *context = new QAction(tr("Show context"), m_table);
    connect(context, &QAction::triggered, this, &EventsView::showContext);
    m_table->addActions({copyJson, copyCsv, addToIncident, context});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
}

namespace {
// A select-all of a few thousand rows is copied at once; more are written off the GUI thread (100,000 rows as
// JSON take seconds) and reach the clipboard when done.
constexpr qsizetype kCopyHereRows = 2000;

// As CSV with the fields made columns (withFieldColumns), as an export to CSV writes them.
std::string rowsText(const LoadedRows &rows, bool csv, const std::vector<std::string> &keys, const CancelTokenPtr &cancel = {})
{
    const Frame frame = rows.frame(cancel);
    throwIfCancelled(cancel);
    return csv ? frameToCsv(withFieldColumns(frame, keys, cancel), CsvReader::Spreadsheet)
               : frameToJson(frame)["rows"].dump(-1, ' ', false, Json::error_handler_t::replace);
}
} // namespace

QList<int> EventsView::selectedRowNumbers() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows.append(i.row());
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows.append(m_table->currentIndex().row());
    return rows;
}

void EventsView::copySelectedRows(bool csv)
{
    if (m_model->rowCount() == 0)
        return;
    const QList<int> rows = selectedRowNumbers(); // none: every loaded row
    const qsizetype n = rows.isEmpty() ? m_model->rowCount() : rows.size();
    const QString format = csv ? QStringLiteral("CSV") : QStringLiteral("JSON");
    using TextPtr = std::shared_ptr<const QString>; // made in the worker: 100 MB of rows take a while to convert
    const auto copied = [this, n, format](const TextPtr &text) {
        QApplication::clipboard()->setText(*text);
        Q_EMIT statusMessage(tr("Copied %1 row(s) as %2").arg(n).arg(format));
    };
    if (n <= kCopyHereRows) {
        copied(std::make_shared<const QString>(QString::fromStdString(rowsText(m_model->loadedRows(rows), csv, m_model->extraKeys()))));
        return;
    }
    m_copyRunner->run<TextPtr>(
        [loaded = m_model->loadedRows(rows), csv, keys = m_model->extraKeys()](const CancelTokenPtr &cancel) {
            return std::make_shared<const QString>(QString::fromStdString(rowsText(loaded, csv, keys, cancel)));
        },
        copied, [this](const QString &message) { Q_EMIT statusMessage(tr("Copying the rows failed: %1").arg(message)); });
    Q_EMIT statusMessage(tr("Copying %1 rows as %2…").arg(n).arg(format));
}

// A recount (update) keeps the fields shown: finding the frequent keys parses thousands of loaded rows, which
// every 5 s of a tail made the table stutter.
void EventsView::summarizeFields(bool update)
{
    if (update && !m_sidebarFields.empty()) {
        m_summaryPending = false;
        m_sidebar->summarize(m_source, m_shownQuery, m_range.current(), m_sidebarFields, true);
        return;
    }
    const auto summarize = [this, update] {
        m_summaryPending = false;
        m_sidebarFields = {"service.name", "severity"};
        for (const KeyUse &k : m_keyUse)
            if (static_cast<int>(m_sidebarFields.size()) < kSidebarFields
                && std::find(m_sidebarFields.begin(), m_sidebarFields.end(), k.key) == m_sidebarFields.end())
                m_sidebarFields.push_back(k.key);
        m_sidebar->summarize(m_source, m_shownQuery, m_range.current(), m_sidebarFields, update);
    };
    if (m_keysGeneration == m_rowsGeneration)
        return summarize();
    m_summaryPending = true; // until the keys are counted: a cancel stops both
    readAttributeKeys(summarize);
}

void EventsView::readAttributeKeys(std::function<void()> then)
{
    using Keys = std::shared_ptr<const std::vector<KeyUse>>;
    m_keysRunner->run<Keys>(
        [job = m_model->keyUseJob()](const CancelTokenPtr &cancel) { return std::make_shared<const std::vector<KeyUse>>(job(cancel)); },
        [this, then, generation = m_rowsGeneration](const Keys &keys) {
            m_keyUse = *keys;
            m_keysGeneration = generation; // rows a tail brought meanwhile leave the keys stale
            if (m_columnsMenu->isVisible())
                fillColumnsMenu(false);
            if (then)
                then();
        },
        [this, summarizing = bool(then)](const QString &message) {
            if (summarizing && m_summaryPending) {
                m_summaryPending = false;
                m_sidebar->showMessage(tr("Reading the rows' attributes failed: %1").arg(message));
            }
            Q_EMIT statusMessage(tr("Reading the rows' attributes failed: %1").arg(message));
        });
}

void EventsView::setTailSummaryInterval(int ms)
{
    m_tailSummaryTimer->setInterval(ms);
}

// Rows the tail brings count in the histogram and the sidebar too: at most once an interval, since each
// recount reads the whole result again.
void EventsView::scheduleTailSummary()
{
    if (isTailing() && !m_tailSummaryTimer->isActive())
        m_tailSummaryTimer->start();
}

// The range grows to hold the rows that arrived (to the newest's time, not further: an old range that
// grew to now would squash the histogram); the table keeps its rows and its place.
void EventsView::summarizeTail()
{
    if (!isTailing() || !m_source || !m_model->frame())
        return;
    if (m_pauseButton->isChecked()) { // paused, the view stands still: the recount waits for the resume
        m_tailSummaryTimer->start();
        return;
    }
    m_range.stretch(rangeWithTailedRows()); // a followed range is still followed at the next run (review)
    applyTimeRange();
    refreshHistogram(m_shownQuery);
    summarizeFields(true);
}

void EventsView::groupBy(const QString &field)
{
    Query q = m_shownQuery;
    q.groupBy = {field.toStdString()};
    // The events that have the field: a "(missing)" line of every other event had flattened the field's values on a
    // linear axis (exploratory GUI test).
    q.where.push_back(Condition{field.toStdString(), Op::Exists, Json(), false});
    q.agg = Aggregate{Aggregate::Kind::Count, {}, 0};
    q.interval = niceInterval(m_range.current().length(), 100);
    Q_EMIT openQuery(q);
    Q_EMIT statusMessage(tr("Counting events by %1").arg(field));
}

void EventsView::showContext()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_source)
        return;
    if (!m_context)
        m_context = new EventContextDialog(this);
    m_context->load(m_source, m_shownQuery, m_model->record(current.row()));
    m_context->show();
    m_context->raise();
}

bool EventsView::isTailing() const
{
    return m_tailTimer->isActive();
}

void EventsView::setTailing(bool on)
{
    if (m_tailButton->isChecked() != on)
        m_tailButton->setChecked(on); // comes back here through toggled
    m_pauseButton->setEnabled(on);
    if (!on) {
        m_tailTimer->stop();
        m_model->endTail();
        m_pauseButton->setChecked(false);
    } else if (!m_tailTimer->isActive()) {
        m_tailTimer->start();
        pollTail();
    }
    showCount();
}

void EventsView::setTailPaused(bool paused)
{
    if (m_pauseButton->isChecked() != paused)
        m_pauseButton->setChecked(paused);
    if (!paused) {
        m_table->scrollToTop();
        if (isTailing()) // not when the tail stopping unpauses it
            pollTail();
    }
    showCount();
}

// Paused, nothing is fetched: rows inserted above a table that fits in view had still shown (exploratory test).
void EventsView::pollTail()
{
    if (!m_pauseButton->isChecked())
        m_model->fetchNewer();
}

// Rows inserted above the visible ones push them down: follow the top only while at the top and not paused (rows of
// a fetch under way when Pause was pressed still come, review), else move the scroll bar by the inserted height so
// the rows in view stay where they are.
void EventsView::keepScrollOnInsert(int count)
{
    QScrollBar *bar = m_table->verticalScrollBar();
    const int before = bar->value();
    if (before == 0 && !m_pauseButton->isChecked()) {
        m_table->scrollToTop();
        return;
    }
    m_table->doItemsLayout(); // the scroll range must include the new rows before moving within it
    bar->setValue(before + count * m_table->verticalHeader()->defaultSectionSize());
}

} // namespace fd

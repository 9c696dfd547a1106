#include "EventsView.h"
#include "ErrorLabel.h"
#include "VolumeHistogram.h"

#include "DetailsTree.h"
#include "JobRunner.h"
#include "models/EventTableModel.h"
#include "IncidentEntries.h"
#include <QAction>
#include "models/Query.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace fd {

EventsView::EventsView(QWidget *parent)
    : QWidget(parent)
    , m_runner(new JobRunner(this))
    , m_histogramRunner(new JobRunner(this))
    , m_model(new EventTableModel(this))
{
    const TimeNs now = nowNs();
    m_range = {now - kHour, now};
    buildUi();
    connect(m_runner, &JobRunner::busyChanged, this, &EventsView::setBusy);
}

EventsView::~EventsView()
{
    // The runner cancels its job when it dies, after this object's members; it must not call back.
    m_runner->disconnect(this);
}

void EventsView::buildUi()
{
    m_error = makeErrorLabel(this);
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("countLabel"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights and no ResizeToContents: the table must not measure rows it does not show.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const auto header = [this](int column) { return m_model->headerData(column, Qt::Horizontal).toString(); };
    m_columnWidths.insert(header(EventTableModel::TimeColumn), digit * 25);
    m_columnWidths.insert(header(EventTableModel::SeverityColumn), digit * 9);
    m_columnWidths.insert(header(EventTableModel::ServiceColumn), digit * 14);
    restoreColumnWidths();
    // A model reset gives every section the default width; keep what the user (or we) chose.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &EventsView::saveColumnWidths);
    connect(m_model, &QAbstractItemModel::modelReset, this, &EventsView::restoreColumnWidths);
    connect(m_model, &QAbstractItemModel::columnsAboutToBeRemoved, this, &EventsView::saveColumnWidths);
    connect(m_model, &QAbstractItemModel::columnsInserted, this, &EventsView::restoreColumnWidths);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &EventsView::showDetails);
    connect(m_table, &QAbstractItemView::doubleClicked, this, &EventsView::openRowTrace);
    auto *addToIncident = new QAction(tr("Add event to incident"), m_table);
    addToIncident->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_table->addAction(addToIncident);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(addToIncident, &QAction::triggered, this, [this] {
        if (m_table->currentIndex().isValid())
            Q_EMIT this->addToIncident(eventEntry(m_model->record(m_table->currentIndex().row())));
    });

    m_details = new DetailsTree(this);
    m_details->setObjectName(QStringLiteral("eventDetails"));
    m_details->showPlaceholder(tr("Select a record to see all of its fields."));
    connect(m_details, &DetailsTree::traceActivated, this, &EventsView::openTrace);
    connect(m_details, &DetailsTree::conditionRequested, this, &EventsView::addCondition);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 300});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildQueryBar());
    layout->addWidget(m_error);
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
    connect(m_search, &QLineEdit::returnPressed, this, &EventsView::refresh);
    connect(m_filter, &QLineEdit::returnPressed, this, &EventsView::refresh);
    // A stale parse error should not linger while the user fixes the text.
    connect(m_filter, &QLineEdit::textEdited, m_error, &QWidget::hide);

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
    connect(m_columnsMenu, &QMenu::aboutToShow, this, &EventsView::fillColumnsMenu);
    m_columnsButton = new QToolButton(bar);
    m_columnsButton->setObjectName(QStringLiteral("columnsButton"));
    m_columnsButton->setText(tr("Columns"));
    m_columnsButton->setPopupMode(QToolButton::InstantPopup);
    m_columnsButton->setMenu(m_columnsMenu);

    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_filter, 2);
    layout->addWidget(m_run);
    layout->addWidget(m_cancel);
    layout->addWidget(m_busy);
    layout->addWidget(m_columnsButton);
    auto *exportButton = new QPushButton(tr("Export…"), bar);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setToolTip(tr("Save the rows shown as CSV or JSON lines"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export events"), QStringLiteral("events.jsonl"),
                                                          tr("JSON lines (*.jsonl);;CSV (*.csv)"));
        if (!path.isEmpty())
            exportRows(path);
    });
    layout->addWidget(exportButton);
    return bar;
}

void EventsView::setSource(DataSourcePtr source)
{
    m_runner->cancel();
    m_source = std::move(source);
}

void EventsView::setTimeRange(const TimeRange &range)
{
    m_range = range;
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

void EventsView::setSearchText(const QString &text)
{
    m_search->setText(text);
}

std::optional<Query> EventsView::currentQuery()
{
    Query q;
    q.signal = Signal::Logs;
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
    const std::optional<Query> current = currentQuery();
    if (!current)
        return;
    const Query q = *current;
    if (!m_source) {
        showError(tr("No data source."));
        return;
    }
    m_error->hide();
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range;
    m_runner->run<FramePtr>(
        [source, q, range](const CancelTokenPtr &cancel) -> FramePtr {
            return std::make_shared<const Frame>(source->query(q, range, cancel));
        },
        [this](const FramePtr &frame) { showResult(frame); },
        [this](const QString &message) { showError(message); });
    refreshHistogram(q);
    Q_EMIT statusMessage(tr("Querying events…"));
}

void EventsView::refreshHistogram(const Query &rows)
{
    Query q = rows;
    q.groupBy = {"severity"};
    q.agg = parseAggregate("count");
    q.interval = niceInterval(m_range.length(), 120);
    const DataSourcePtr source = m_source;
    const TimeRange range = m_range;
    m_histogramRunner->run<std::shared_ptr<const SeverityHistogram>>(
        [source, q, range](const CancelTokenPtr &cancel) {
            return std::make_shared<const SeverityHistogram>(
                SeverityHistogram::fromFrame(source->query(q, range, cancel), range, q.interval));
        },
        [this, range](const std::shared_ptr<const SeverityHistogram> &h) { m_histogram->setHistogram(*h, range); },
        [](const QString &) {}); // the table's own query reports the error
}

void EventsView::zoomTo(const TimeRange &range)
{
    m_range = range;
    refresh();
    Q_EMIT statusMessage(tr("Zoomed to %1 – %2").arg(formatRfc3339(range.from).left(19), formatRfc3339(range.to).left(19)));
}

void EventsView::cancel()
{
    if (!m_runner->busy())
        return;
    m_runner->cancel();
    Q_EMIT statusMessage(tr("Query cancelled."));
}

void EventsView::showResult(const FramePtr &frame)
{
    m_model->setFrame(frame);
    m_details->showPlaceholder(tr("Select a record to see all of its fields."));
    const auto shown = static_cast<qint64>(frame->rowCount());
    const qint64 total = std::max<qint64>(frame->total, shown);
    QString text;
    if (total > shown)
        text = tr("showing %1 of %2").arg(shown).arg(total);
    else if (frame->truncated)
        text = tr("showing the newest %1 (more match)").arg(shown);
    else
        text = tr("showing %1 of %1").arg(shown);
    for (const std::string &note : frame->notes)
        text += QStringLiteral(" · ") + QString::fromStdString(note);
    m_count->setText(text);
    Q_EMIT statusMessage(tr("Events: %1").arg(text));
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

void EventsView::fillColumnsMenu()
{
    m_columnsMenu->clear();
    const QStringList chosen = m_model->extraColumns();
    QStringList keys = m_model->attributeKeys();
    for (const QString &k : chosen) {
        if (!keys.contains(k))
            keys.append(k);
    }
    if (keys.isEmpty()) {
        m_columnsMenu->addAction(tr("No attributes in the loaded rows"))->setEnabled(false);
        return;
    }
    for (const QString &key : std::as_const(keys)) {
        QAction *action = m_columnsMenu->addAction(key);
        action->setCheckable(true);
        action->setChecked(chosen.contains(key));
        connect(action, &QAction::toggled, this, [this, key](bool on) { toggleExtraColumn(key, on); });
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
    m_runner->cancel();
    m_histogramRunner->cancel();
    m_filter->setText(QString::fromStdString(whereListToText(query.where)));
    m_search->setText(QString::fromStdString(query.search));
    m_range = snapshot.range;
    m_error->hide();
    showResult(snapshot.frame);
    m_histogram->setHistogram(SeverityHistogram::fromRows(*snapshot.frame, snapshot.range, niceInterval(snapshot.range.length(), 120)),
                              snapshot.range);
    m_count->setText(tr("Snapshot: %1 · Refresh runs it live").arg(snapshotSummary(snapshot)));
}

bool EventsView::exportRows(const QString &path)
{
    if (!m_model->frame()) {
        showError(tr("Nothing to export yet: run a query first."));
        return false;
    }
    try {
        writeFrameFile(*m_model->frame(), path);
    } catch (const Error &e) {
        showError(e.message());
        return false;
    }
    Q_EMIT statusMessage(tr("Exported %1 rows to %2").arg(m_model->rowCount()).arg(path));
    return true;
}

} // namespace fd

#include "ExploreView.h"
#include "ElidedLabel.h"
#include "models/SerialWriter.h"
#include "ResultNotes.h"
#include "ErrorLabel.h"
#include "FieldCompletion.h"
#include "FrameExport.h"
#include "models/FrameSeries.h"
#include "JobRunner.h"
#include "PromQlEditor.h"
#include "QueryBar.h"
#include "QueryResultView.h"
#include "models/QuerySentence.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace fd {

namespace {
// Rows as wide as the list, so long queries end in "…" (the tooltip has the whole text).
class NarrowDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        return { 1, QStyledItemDelegate::sizeHint(option, index).height() };
    }
};
} // namespace

ExploreView::ExploreView(QWidget *parent)
    : QWidget(parent)
    , m_runner(new JobRunner(this))
    , m_historyFile(new SerialWriter(this))
    , m_fields(new FieldCompletion(this))
    , m_history(new QueryHistoryModel(this))
    , m_export(new FrameExport(this))
{
    setObjectName(QStringLiteral("exploreView"));
    buildUi();
    m_compileTimer.setSingleShot(true);
    m_compileTimer.setInterval(150);
    connect(&m_compileTimer, &QTimer::timeout, this, &ExploreView::updateNative);
    m_historyFilterTimer.setSingleShot(true);
    m_historyFilterTimer.setInterval(150);
    connect(&m_historyFilterTimer, &QTimer::timeout, this, [this] { m_history->setFilter(m_historySearch->text()); });
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        m_status->setFullText(tr("Running… %1 s").arg(double(m_elapsed.elapsed()) / 1000.0, 0, 'f', 1));
    });
    connect(m_runner, &JobRunner::busyChanged, this, &ExploreView::setBusy);
}

ExploreView::~ExploreView() = default;

void ExploreView::buildUi()
{
    // Made in the order Tab goes: the source, the sentence, Run, Cancel, the native query, then the result's buttons
    m_sourcePicker = new SourcePicker(this);
    connect(m_sourcePicker, &SourcePicker::sourceChanged, this, &ExploreView::setSource);
    connect(m_sourcePicker, &SourcePicker::picked, this, [this] {
        if (!m_bar->text().trimmed().isEmpty() || isRawMode())
            run();
    });
    m_bar = new QueryBar(this);
    m_bar->setFieldCompletion(m_fields);
    m_runButton = new QPushButton(tr("Run"), this);
    m_runButton->setToolTip(tr("Run the query (Enter)"));
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setToolTip(tr("Stop the running query (Esc)"));
    m_cancelButton->setEnabled(false);
    auto *barRow = new QHBoxLayout;
    barRow->addWidget(m_sourcePicker, 0, Qt::AlignTop);
    barRow->addWidget(m_bar, 1);
    barRow->addWidget(m_runButton);
    barRow->addWidget(m_cancelButton);

    m_nativeLabel = new QLabel(tr("Native query"), this);
    m_nativeLabel->setContentsMargins(0, 5, 0, 0); // level with the editor's first line
    m_native = new PromQlEditor(this);
    m_native->setObjectName(QStringLiteral("nativeQuery"));
    m_native->setReadOnly(true);
    m_native->setPlaceholderText(tr("The query the source runs appears here"));
    m_rawButton = new QToolButton(this);
    m_rawButton->setObjectName(QStringLiteral("rawModeButton"));
    m_rawButton->setText(tr("Edit raw"));
    m_rawButton->setCheckable(true);
    m_rawButton->setToolTip(tr("Edit the native query itself; the sentence is put aside until you switch back"));
    auto *nativeRow = new QHBoxLayout;
    nativeRow->addWidget(m_nativeLabel, 0, Qt::AlignTop);
    nativeRow->addWidget(m_native, 1);
    nativeRow->addWidget(m_rawButton, 0, Qt::AlignTop);

    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(80);
    m_busy->hide();
    m_status = new ElidedLabel(this); // a long status had set the tab's narrowest width (exploratory test)
    m_status->setObjectName(QStringLiteral("queryStatus"));
    auto *save = new QPushButton(tr("Save as…"), this);
    save->setObjectName(QStringLiteral("saveQueryButton"));
    save->setToolTip(tr("Keep this query in the workspace's saved queries"));
    m_exportButton = new QPushButton(tr("Export…"), this);
    m_exportButton->setObjectName(QStringLiteral("exportResultButton"));
    m_exportButton->setToolTip(tr("Save the result as CSV or JSON lines"));
    m_exportButton->setEnabled(false);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_busy);
    // by the result they act on, and off the sentence's row, which had left the sentence 75 px of a narrow window
    statusRow->addWidget(save);
    statusRow->addWidget(m_exportButton);
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("queryError"));
    m_notes = makeNotesLabel(this);

    m_results = new QueryResultView(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_results);
    splitter->addWidget(buildHistoryPanel());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 800, 300 });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(barRow);
    layout->addLayout(nativeRow);
    layout->addLayout(statusRow);
    layout->addWidget(m_error);
    layout->addWidget(m_notes);
    layout->addWidget(splitter, 1);

    connect(m_bar, &QueryBar::runRequested, this, &ExploreView::run);
    connect(m_bar, &QueryBar::cancelRequested, this, &ExploreView::cancel);
    connect(m_bar, &QueryBar::historyStep, this, &ExploreView::stepHistory);
    connect(m_bar, &QueryBar::errorChanged, this, &ExploreView::setErrorText);
    connect(m_bar, &QPlainTextEdit::textChanged, &m_compileTimer, qOverload<>(&QTimer::start));
    connect(m_native, &PromQlEditor::runRequested, this, &ExploreView::run);
    connect(m_native, &PromQlEditor::cancelRequested, this, &ExploreView::cancel);
    connect(m_runButton, &QPushButton::clicked, this, &ExploreView::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &ExploreView::cancel);
    connect(save, &QPushButton::clicked, this, &ExploreView::saveRequested);
    connect(m_exportButton, &QPushButton::clicked, this, [this] {
        if (const QString path = FrameExport::choosePath(this, tr("Export result"), QStringLiteral("result.jsonl")); !path.isEmpty())
            exportResult(path);
    });
    connect(m_export, &FrameExport::busyChanged, this, &ExploreView::updateExportButton);
    connect(m_export, &FrameExport::failed, this, &ExploreView::setErrorText);
    connect(m_export, &FrameExport::finished, this, &ExploreView::statusMessage);
    connect(m_rawButton, &QToolButton::toggled, this, &ExploreView::setRawMode);
    auto *focus = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this, this, &ExploreView::focusBar);
    focus->setContext(Qt::WidgetWithChildrenShortcut);
}

QWidget *ExploreView::buildHistoryPanel()
{
    auto *panel = new QWidget(this);
    m_historySearch = new QLineEdit(panel);
    m_historySearch->setObjectName(QStringLiteral("historySearch"));
    m_historySearch->setPlaceholderText(tr("Search the history"));
    m_historySearch->setClearButtonEnabled(true);
    m_historyList = new QListView(panel);
    m_historyList->setObjectName(QStringLiteral("historyList"));
    m_historyList->setModel(m_history);
    m_historyList->setUniformItemSizes(true); // unlimited history: no per-row size work
    m_historyList->setTextElideMode(Qt::ElideRight);
    m_historyList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_historyList->setItemDelegate(new NarrowDelegate(m_historyList));
    m_historyList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("History"), panel));
    layout->addWidget(m_historySearch);
    layout->addWidget(m_historyList, 1);
    connect(m_historySearch, &QLineEdit::textChanged, &m_historyFilterTimer, qOverload<>(&QTimer::start));
    connect(m_historyList, &QListView::activated, this, &ExploreView::restore);
    return panel;
}

void ExploreView::setSource(DataSourcePtr source)
{
    cancel();
    m_lastRun.reset(); // another workspace's query is not run on this one's source by a refresh (review)
    // Nor is its answer shown as this source's (exploratory test: it stayed, under the new source's name)
    clearShown();
    m_source = std::move(source);
    m_fields->setSource(m_source);
    showLanguage(m_source ? m_source->capabilities() : SourceCapabilities());
    updateNative();
}

void ExploreView::setSources(std::vector<SourceChoice> sources, const QString &selected)
{
    m_sourcePicker->setChoices(std::move(sources), selected);
    setSource(m_sourcePicker->current());
}

void ExploreView::showLanguage(const SourceCapabilities &capabilities)
{
    const QString language = QString::fromStdString(capabilities.language);
    m_native->setLanguage(language.isEmpty() ? QStringLiteral("SQL") : language);
    m_nativeLabel->setText(language.isEmpty() ? tr("Native query") : language);
}

void ExploreView::setTimeRange(const TimeRange &range)
{
    m_range.fix(range);
    applyTimeRange();
}

void ExploreView::followTimeRange(std::function<TimeRange()> now)
{
    m_range.follow(std::move(now));
    applyTimeRange();
}

void ExploreView::applyTimeRange()
{
    m_fields->setTimeRange(m_range.current());
    m_compileTimer.start(); // time bounds are part of the native query
}

// Every read and write of the history file goes through m_historyFile, one after another off the GUI thread: a
// read sees the runs appended before it, and a rewrite on "save as" is never overtaken by an earlier append.
void ExploreView::setHistoryFile(const QString &path)
{
    const quint64 generation = ++m_historyGeneration;
    m_historyPath = path;
    m_history->setEntries({});
    m_historyIndex = -1;
    if (path.isEmpty())
        return;
    struct Loaded {
        std::vector<QueryHistoryEntry> entries;
        int bad = 0;
    };
    auto loaded = std::make_shared<Loaded>();
    m_historyFile->enqueue([path, loaded] { loaded->entries = loadQueryHistory(path, &loaded->bad); },
        [this, path, loaded, generation](const QString &error) {
            if (generation != m_historyGeneration)
                return; // another history since
            if (!error.isEmpty()) {
                Q_EMIT statusMessage(tr("Cannot read the query history: %1").arg(error));
                return;
            }
            historyRead(loaded->entries);
            if (loaded->bad > 0)
                Q_EMIT statusMessage(tr("Unreadable lines in the query history %1 were skipped: %2").arg(path).arg(loaded->bad));
        });
}

void ExploreView::keepHistoryAt(const QString &path)
{
    // A workspace saved over another keeps that one's history too: both, in time order. The file left is read
    // again, after every write asked before, so a history not read yet (or saved as again meanwhile) is whole.
    const QString previous = m_historyPath;
    const quint64 generation = ++m_historyGeneration;
    m_historyPath = path;
    auto merged = std::make_shared<std::vector<QueryHistoryEntry>>();
    m_historyFile->enqueue(
        [path, previous, merged, entries = m_history->entries()] {
            const bool another = !previous.isEmpty() && previous != path;
            *merged = mergeQueryHistories(loadQueryHistory(path),
                                          another ? mergeQueryHistories(loadQueryHistory(previous), entries) : entries);
            writeQueryHistory(path, *merged);
        },
        [this, merged, generation](const QString &error) {
            if (!error.isEmpty())
                Q_EMIT statusMessage(error);
            else if (generation == m_historyGeneration)
                historyRead(*merged);
        });
}

// Runs made while the file was read are in the model and perhaps in the file: in both, kept once.
void ExploreView::historyRead(const std::vector<QueryHistoryEntry> &entries)
{
    m_history->setEntries(mergeQueryHistories(entries, m_history->entries()));
    m_historyIndex = -1; // Up starts again from the newest
    Q_EMIT historyLoaded();
}

bool ExploreView::isRawMode() const
{
    return m_rawButton->isChecked();
}

std::optional<Query> ExploreView::currentQuery()
{
    if (!isRawMode()) {
        std::optional<Query> q = m_bar->query();
        if (q)
            q->source = m_sourcePicker->queryId();
        return q;
    }
    Query q;
    try {
        q = parseQuerySentence(m_bar->text()); // the signal (and limit) the raw query was written for
    } catch (const Error &) {
    }
    q.source = m_sourcePicker->queryId();
    q.raw = m_native->toPlainText().trimmed().toStdString();
    if (q.raw.empty()) {
        setErrorText(tr("The raw query is empty."));
        return std::nullopt;
    }
    return q;
}

void ExploreView::setQuery(const Query &q)
{
    m_sourcePicker->select(QString::fromStdString(q.source)); // none: "any, by signal", where there is a choice
    if (q.raw.empty()) {
        setRawMode(false);
        m_bar->setText(querySentence(q));
        return;
    }
    Query sentence = q;
    sentence.raw.clear();
    m_bar->setText(querySentence(sentence));
    setRawMode(true);
    m_native->setPlainText(QString::fromStdString(q.raw));
}

void ExploreView::showSnapshot(const Query &query, const Snapshot &snapshot)
{
    m_runner->cancel();
    setQuery(query);
    setErrorText(QString());
    m_runner->run<QueryResultView::PreparedPtr>(
        [frame = snapshot.frame, query, range = snapshot.range](const CancelTokenPtr &) {
            return QueryResultView::prepare(frame, query, range);
        },
        [this, snapshot](const QueryResultView::PreparedPtr &result) {
            showResult(*result, snapshot.range);
            m_status->setFullText(tr("Snapshot: %1 · Run runs it live").arg(snapshotSummary(snapshot)));
            Q_EMIT statusMessage(m_status->fullText());
        },
        [this](const QString &message) { showFailure(message); });
}

void ExploreView::clearShown()
{
    m_shown.reset();
    updateExportButton();
    m_results->clear();
    m_status->setFullText(QString());
    showNotes(m_notes, {});
}

void ExploreView::setRawMode(bool raw)
{
    if (m_rawButton->isChecked() != raw) {
        m_rawButton->setChecked(raw); // comes back here through toggled()
        return;
    }
    const bool leavingRaw = !raw && !m_native->isReadOnly();
    m_native->setReadOnly(!raw);
    m_bar->setEnabled(!raw);
    m_rawButton->setText(raw ? tr("Back to the sentence") : tr("Edit raw"));
    if (raw) {
        m_native->setFocus();
        m_native->moveCursor(QTextCursor::End);
        return;
    }
    // The raw query's answer is not the sentence's: it had stayed, and Export wrote it (exploratory test); and Refresh
    // would run it again (review). The sentence's own answer stays.
    if (leavingRaw && m_lastRun && !m_lastRun->raw.empty()) {
        cancel();
        clearShown();
        m_lastRun.reset();
    }
    updateNative();
}

void ExploreView::focusBar()
{
    if (isRawMode()) {
        m_native->setFocus();
        return;
    }
    m_bar->setFocus();
    m_bar->selectAll();
}

// The native query for the sentence as it stands; nothing while the sentence is unfinished.
void ExploreView::updateNative()
{
    if (isRawMode())
        return;
    QString text;
    QString note;
    try {
        const Query q = parseQuerySentence(m_bar->text());
        m_fields->setSignal(q.signal);
        if (m_source) {
            showLanguage(m_source->capabilitiesFor(q)); // the router may send this signal to another source
            text = QString::fromStdString(m_source->compile(q, m_range.current()));
        }
    } catch (const std::exception &e) {
        note = m_bar->text().trimmed().isEmpty() ? QString() : QString::fromUtf8(e.what());
    }
    m_native->setPlainText(text);
    m_native->setPlaceholderText(note.isEmpty() ? tr("The query the source runs appears here") : note);
}

void ExploreView::run()
{
    if (!m_source)
        return;
    m_range.renew(); // exploratory test: "last 24 hours" had stayed the 24 hours before the workspace opened
    applyTimeRange();
    const std::optional<Query> q = currentQuery();
    if (!q)
        return;
    setErrorText(QString());
    m_native->clearError();
    if (!isRawMode())
        updateNative();
    record(*q, isRawMode() ? QString::fromStdString(q->raw) : m_bar->text().trimmed());
    m_historyIndex = -1;
    runQuery(*q);
}

// The query last run, again (whatever the bar holds meanwhile), over the range as it is now.
void ExploreView::refresh()
{
    if (!m_source || !m_lastRun)
        return;
    m_range.renew();
    applyTimeRange();
    runQuery(*m_lastRun);
}

void ExploreView::runQuery(const Query &asked)
{
    m_lastRun = asked;
    Query query = asked;
    // SQL's own LIMIT says how many rows it wants, up to the table's cap (exploratory GUI test: LIMIT 5000 gave
    // 1000 rows, and the way out named was the greyed sentence's "limit N").
    if (!query.raw.empty() && m_source->capabilities().language == "SQL")
        query.limit = std::max(query.limit, kRawSqlRowLimit);
    if (!m_shown) // a failure's or a cancel's words do not stay over the run that follows
        m_results->showMessage(tr("Running…"));
    Q_EMIT statusMessage(tr("Running the query…")); // the status bar had kept the run before's "failed" (exploratory test)
    const TimeRange range = m_range.current();
    m_elapsed.start();
    m_runner->run<QueryResultView::PreparedPtr>(
        [source = m_source, query, range](const CancelTokenPtr &cancel) {
            Frame frame = source->query(query, range, cancel);
            completeTimeSeries(frame, query, range);
            return QueryResultView::prepare(std::make_shared<const Frame>(std::move(frame)), query, range);
        },
        [this, query, range](const QueryResultView::PreparedPtr &result) {
            showResult(*result, range);
            const FramePtr &frame = result->frame;
            const qint64 ms = m_elapsed.elapsed();
            const qsizetype rows = qsizetype(frame->rowCount());
            QString status = (rows == 1 ? tr("1 row in %1 ms").arg(ms) : tr("%1 rows in %2 ms").arg(rows).arg(ms));
            if (frame->truncated) // a time series was cut by its limit of series or by the source: its note says which
                status += query.interval > 0 && query.raw.empty() ? tr(" — cut, see the note below")
                     : query.raw.empty() ? tr(" — cut at the limit of %1; raise it with \"limit N\"").arg(query.limit)
                                         : tr(" — cut at %L1 rows; a LIMIT in the query asks for fewer").arg(query.limit);
            if (!frame->statistics.empty())
                status += QStringLiteral(" · ") + QString::fromStdString(frame->statistics);
            m_status->setFullText(status);
            Q_EMIT statusMessage(tr("Query: %1").arg(status)); // a "Query cancelled" of before had stayed there
            std::vector<std::string> notes = frame->notes;
            notes.insert(notes.end(), m_results->chartNotes().begin(), m_results->chartNotes().end());
            showNotes(m_notes, notes);
            Q_EMIT finished(true);
        },
        [this](const QString &message) { showFailure(message); });
}

void ExploreView::showResult(const QueryResultView::Prepared &result, const TimeRange &range)
{
    m_results->showPrepared(result, range);
    m_shown = result.frame;
    updateExportButton();
}

void ExploreView::showFailure(const QString &message)
{
    m_shown.reset(); // the result view now shows the failure
    updateExportButton();
    setErrorText(message);
    m_status->setFullText(tr("Failed after %1 ms").arg(m_elapsed.elapsed()));
    Q_EMIT statusMessage(tr("Query: failed after %1 ms").arg(m_elapsed.elapsed())); // the last success's had stayed
    m_results->showMessage(tr("The query failed: see the message above."));
    if (!m_native->toPlainText().isEmpty())
        m_native->showError(message); // the position the source names is in what it ran
    Q_EMIT finished(false);
}

void ExploreView::exportResult(const QString &path)
{
    if (m_shown)
        m_export->start(path, [frame = m_shown](const CancelTokenPtr &) { return frame; });
}

void ExploreView::cancel()
{
    m_bar->closeCompletions(); // values still on their way open no list after Esc (review)
    if (!m_runner->busy())
        return;
    m_runner->cancel();
    m_status->setFullText(tr("Cancelled after %1 ms").arg(m_elapsed.elapsed()));
    Q_EMIT statusMessage(tr("Query cancelled"));
    if (!m_shown)
        m_results->showMessage(tr("Cancelled."));
}

void ExploreView::setBusy(bool busy)
{
    m_busy->setVisible(busy);
    m_cancelButton->setEnabled(busy);
    updateExportButton();
    if (busy) {
        m_status->setFullText(tr("Running…"));
        showNotes(m_notes, {});
        m_progressTimer.start();
    } else {
        m_progressTimer.stop();
    }
}

void ExploreView::updateExportButton()
{
    // While a query runs, its result is about to replace the one shown; after a cancel, the one shown stays.
    m_exportButton->setEnabled(m_shown && !m_runner->busy() && !m_export->isBusy());
}

void ExploreView::record(const Query &q, const QString &text)
{
    QueryHistoryEntry entry{ nowNs(), q, text.toStdString() };
    if (!m_historyPath.isEmpty())
        m_historyFile->enqueue([path = m_historyPath, entry] { appendQueryHistory(path, entry); },
                               [this](const QString &error) {
                                   if (!error.isEmpty())
                                       Q_EMIT statusMessage(error);
                               });
    m_history->append(std::move(entry));
}

// Up/Down in the bar: older and newer sentences of the (searched) history, then back to what was typed.
void ExploreView::stepHistory(int step)
{
    int next = m_historyIndex;
    do {
        next += step;
    } while (next >= 0 && next < m_history->rowCount() && !m_history->entry(next).query.raw.empty());
    if (next < -1 || next >= m_history->rowCount())
        return;
    if (m_historyIndex == -1)
        m_draft = m_bar->text();
    m_historyIndex = next;
    m_bar->setText(next == -1 ? m_draft : QString::fromStdString(m_history->entry(next).text));
}

void ExploreView::restore(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const QueryHistoryEntry &e = m_history->entry(index.row());
    // the source it ran on ("": any, by signal); one the workspace no longer has is named, not silently replaced
    const QString ranOn = QString::fromStdString(e.query.source);
    const bool gone = !m_sourcePicker->select(ranOn) && !ranOn.isEmpty(); // "": one source, which it ran on
    if (e.query.raw.empty()) {
        setRawMode(false);
        m_bar->setText(QString::fromStdString(e.text));
    } else {
        setQuery(e.query);
    }
    setErrorText(gone ? tr("This query ran on the source \"%1\", which this workspace no longer has: Enter runs it on "
                           "\"%2\"")
                            .arg(ranOn, m_sourcePicker->currentName())
                      : QString());
    focusBar();
}

void ExploreView::setErrorText(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

QString ExploreView::statusText() const
{
    return m_status->fullText();
}

QString ExploreView::errorText() const
{
    return m_error->text();
}

} // namespace fd

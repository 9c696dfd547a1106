#include "MainWindow.h"
#include "SourceFactory.h"
#include "models/JobThreads.h"
#include "BoardReport.h"
#include "IncidentReport.h"
#include "models/FrameSeries.h"
#include "TraceReport.h"
#include "WidgetExport.h"
#include "WorkspaceRecovery.h"
#include "models/SerialWriter.h"
#include "connectors/import/FileImporter.h"
#include "connectors/otlp/OtlpReceiver.h"
#include "connectors/secrets/SystemSecretStore.h"
#include "connectors/store/Store.h"
#include "models/DoraTrend.h"
#include "models/Error.h"
#include "models/PinnedSource.h"
#include "models/SecretExposure.h"
#include "widgets/DoraView.h"
#include "widgets/ElidedLabel.h"
#include "widgets/EventsView.h"
#include "widgets/ExportImageDialog.h"
#include "widgets/ExploreView.h"
#include "widgets/QueryBar.h"
#include "widgets/IncidentsView.h"
#include "widgets/SavedQueriesView.h"
#include "widgets/SavePathDialog.h"
#include "widgets/VariablesBar.h"
#include "widgets/SourcesDialog.h"
#include "widgets/JobRunner.h"
#include "widgets/MetricsView.h"
#include "widgets/MissionBoardView.h"
#include "widgets/TimeRangePicker.h"
#include "widgets/TracesView.h"
#include <QAction>
#include <QApplication>
#include <QThread>
#include <QSystemTrayIcon>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QMimeData>
#include <QProgressDialog>
#include <QPushButton>
#include <QtConcurrent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QClipboard>
#include <QDockWidget>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

namespace fd {

namespace {
// Esc closes an open completion list or menu before it cancels anything: the window's Esc (Cancel, which stops every
// query) had taken the key from under the list, which stayed open (exploratory test). An accepted override hands
// the key to the focus widget, and so to its list.
class PopupTakesEscape : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape
            && QApplication::activePopupWidget()) {
            event->accept();
            return true;
        }
        return QObject::eventFilter(watched, event);
    }
};
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Flightdeck"));
    setAcceptDrops(true);
    resize(1400, 900);
    m_writer = new SerialWriter(this);
    buildUi();
    buildMenus();
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateReceiverStatus);
    m_statusTimer.start(1000);
    m_autosaveTimer.setSingleShot(true);
    m_autosaveTimer.setInterval(2000);
    connect(&m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosave);
}

MainWindow::~MainWindow()
{
    // The import runs on jobThreads(), which main() waits for as it ends: without this the process would outlive
    // its window until a file of gigabytes was read.
    if (m_importCancel)
        m_importCancel->cancel();
    m_writer->waitForDone(); // its callbacks would reach a window being destroyed
}

void MainWindow::buildUi()
{
    auto *toolbar = addToolBar(QStringLiteral("Time"));
    toolbar->setObjectName(QStringLiteral("timeToolbar"));
    toolbar->setMovable(false);
    m_picker = new TimeRangePicker(this);
    toolbar->addWidget(m_picker);
    auto *refreshAction = toolbar->addAction(QStringLiteral("Refresh"), this, &MainWindow::refresh);
    refreshAction->setShortcut(QKeySequence::Refresh);
    refreshAction->setToolTip(QStringLiteral("Run every view again over the chosen time range (F5)"));
    auto *cancelAction = toolbar->addAction(QStringLiteral("Cancel"), this, &MainWindow::cancel);
    cancelAction->setShortcut(Qt::Key_Escape);
    qApp->installEventFilter(new PopupTakesEscape(this));
    cancelAction->setToolTip(QStringLiteral("Stop every running query (Esc)"));
    connect(m_picker, &TimeRangePicker::rangeChanged, this, [this] {
        m_zoomedFrom.clear(); // a range picked by hand: nothing to zoom back to
        refresh();
    });
    m_watchAction = toolbar->addAction(QStringLiteral("Watch"));
    m_watchAction->setCheckable(true);
    m_watchAction->setToolTip(QStringLiteral("Evaluate the board every %1 s and notify when a tile leaves its normal range").arg(m_watchSeconds));
    connect(m_watchAction, &QAction::toggled, this, [this](bool on) { setWatching(on); });
    connect(&m_watchTimer, &QTimer::timeout, this, &MainWindow::watchTick);
    m_variables = new VariablesBar(this);
    toolbar->addWidget(m_variables);
    connect(m_variables, &VariablesBar::variablesChanged, this, [this](const Variables &vars) {
        Json json = Json::object();
        for (const auto &[name, value] : vars)
            json[name] = value;
        m_workspace.view["variables"] = json;
        m_router->setVariables(vars);
        markEdited();
        refresh();
    });

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_board = new MissionBoardView(this);
    m_events = new EventsView(this);
    m_traces = new TracesView(this);
    m_metrics = new MetricsView(this);
    m_tabs->addTab(m_board, QStringLiteral("Mission control"));
    m_tabs->addTab(m_events, QStringLiteral("Events"));
    m_explore = new ExploreView(this);
    m_tabs->addTab(m_explore, QStringLiteral("Query"));
    connect(m_explore, &ExploreView::saveRequested, this, &MainWindow::saveCurrentQuery);
    // Ctrl+K from anywhere; with the focus inside the Query view its own shortcut answers (two would be
    // ambiguous, and neither would).
    auto *queryAction = addAction(QStringLiteral("Query"), QKeySequence(Qt::CTRL | Qt::Key_K), this, [this] {
        m_tabs->setCurrentWidget(m_explore);
        m_explore->focusBar();
    });
    connect(qApp, &QApplication::focusChanged, queryAction, [this, queryAction](QWidget *, QWidget *now) {
        queryAction->setEnabled(!(now && (now == m_explore || m_explore->isAncestorOf(now))));
    });
    m_tabs->addTab(m_traces, QStringLiteral("Traces"));
    m_tabs->addTab(m_metrics, QStringLiteral("Metrics"));
    m_dora = new DoraView(this);
    m_tabs->addTab(m_dora, QStringLiteral("DORA"));
    m_doraRunner = new JobRunner(this);
    m_incidents = new IncidentsView(this);
    m_snapshotRunner = new JobRunner(this);
    m_snapshotRunner->setObjectName(QStringLiteral("snapshot"));
    m_openRunner = new JobRunner(this);
    m_openRunner->setObjectName(QStringLiteral("open"));
    m_tabs->addTab(m_incidents, QStringLiteral("Incidents"));
    connectIncidents();
    connect(m_board, &MissionBoardView::evaluated, this, &MainWindow::showBoardFindings);
    connect(m_board, &MissionBoardView::openEvents, this, &MainWindow::showEvents);
    connect(m_traces, &TracesView::openEvents, this, &MainWindow::showEvents);
    setCentralWidget(m_tabs);
    buildSavedQueries();

    connect(m_events, &EventsView::openTrace, this, [this](const QString &id) {
        m_tabs->setCurrentWidget(m_traces);
        m_traces->showTrace(id);
    });
    connect(m_events, &EventsView::openQuery, this, &MainWindow::openQuery);
    connect(m_events, &EventsView::rangeZoomed, this, [this](const TimeRange &range) { zoomAllTo(range, m_events); });
    const auto trackStatus = [this](auto *view) {
        connect(view, &std::remove_pointer_t<decltype(view)>::statusMessage, this,
                [this, view](const QString &message) { showTabStatus(view, message); });
    };
    trackStatus(m_board);
    trackStatus(m_events);
    trackStatus(m_explore);
    trackStatus(m_traces);
    trackStatus(m_metrics);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        statusBar()->showMessage(tabStatusText(m_tabs->currentWidget()));
        showSourceLabel();
    });
    for (const ViewPicker &v : viewPickers()) {
        connect(v.picker, &SourcePicker::sourceChanged, this, &MainWindow::showSourceLabel);
        connect(v.picker, &SourcePicker::picked, this, [this, view = v.view] {
            if (m_goneSourceNotes.erase(view) && m_tabs->currentWidget() == view)
                statusBar()->showMessage(tabStatusText(view));
        });
    }
    connect(m_board, &MissionBoardView::boardsEdited, this, [this](std::vector<Board> boards) { storeBoards(std::move(boards)); });

    // Cut short to its room (resizeEvent), the rest in its tooltip: a long path had covered the status messages of a
    // narrow window
    m_sourceLabel = new ElidedLabel(this);
    m_sourceLabel->setObjectName(QStringLiteral("sourceStatus"));
    m_sourceLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    m_receiverLabel = new QLabel(QStringLiteral("receiver off"), this);
    m_receiverLabel->setObjectName(QStringLiteral("receiverStatus"));
    m_receiverLabel->setTextFormat(Qt::RichText);
    connect(m_receiverLabel, &QLabel::linkActivated, this, [this] { openLocalData(); });
    statusBar()->addPermanentWidget(m_sourceLabel);
    statusBar()->addPermanentWidget(m_receiverLabel);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(QStringLiteral("&Open workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
    QMenu *recent = file->addMenu(QStringLiteral("Open &recent"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] { fillRecentMenu(recent); });
    file->addAction(QStringLiteral("&Save workspace"), QKeySequence::Save, this, [this] { save(); });
    file->addAction(QStringLiteral("Save workspace &as…"), QKeySequence::SaveAs, this, [this] { saveWorkspaceAs(); });
    file->addAction(QStringLiteral("Open &local data (receiver, imports)"), this, &MainWindow::openLocalData);
    file->addAction(QStringLiteral("&Import files…"), this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, QStringLiteral("Import JSON lines or OTLP/JSON"),
                                                                QString(), QStringLiteral("Telemetry (*.json *.jsonl *.ndjson);;All files (*)"));
        if (!paths.isEmpty())
            importFiles(paths);
    });
    file->addAction(QStringLiteral("S&ources…"), this, &MainWindow::editSources);
    file->addAction(QStringLiteral("Save &query as…"), this, &MainWindow::saveCurrentQuery);
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(QStringLiteral("&Refresh"), this, &MainWindow::refresh);
    view->addAction(QStringLiteral("&Zoom back"), QKeySequence(Qt::CTRL | Qt::Key_Z), this, &MainWindow::zoomBack);
    view->addSeparator();
    view->addAction(findChild<QDockWidget *>(QStringLiteral("savedQueriesDock"))->toggleViewAction());
    view->addAction(QStringLiteral("&Export view as image…"), this, &MainWindow::exportCurrentView);
    view->addAction(QStringLiteral("Export &report…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, &MainWindow::exportReport);
    view->addAction(QStringLiteral("Export whole &trace as image…"), this, &MainWindow::exportWholeTrace);
    view->addAction(QStringLiteral("&Copy view to clipboard"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C), this,
                    &MainWindow::copyCurrentView);
}

// A workspace file read and checked, its recovered edits beside it, each with its sources' router.
struct MainWindow::LoadedWorkspace {
    struct Variant {
        Workspace workspace;
        std::shared_ptr<SourceRouter> router;
        QString unavailable; // the default source's error: still opened, its snapshots, boards and incidents readable
    };
    Variant saved;
    std::optional<Variant> recovered; // unsaved edits of a session that crashed
};

std::shared_ptr<MainWindow::LoadedWorkspace> MainWindow::loadWorkspaceForOpening(const QString &path,
                                                                                   const CancelTokenPtr &cancel)
{
    const auto variant = [](Workspace w) {
        LoadedWorkspace::Variant v{std::move(w), nullptr, {}};
        v.router = makeSourceRouter(v.workspace, primarySourceId(v.workspace));
        try {
            v.router->source(v.router->defaultId());
        } catch (const std::exception &e) {
            v.unavailable = QString::fromUtf8(e.what());
        }
        return v;
    };
    auto loaded = std::make_shared<LoadedWorkspace>();
    loaded->saved = variant(loadWorkspace(path));
    throwIfCancelled(cancel);
    if (auto edits = WorkspaceRecovery::pending(path))
        loaded->recovered = variant(std::move(*edits));
    return loaded;
}

bool MainWindow::adoptWorkspace(const QString &path, LoadedWorkspace &loaded)
{
    ++m_opened;
    bool recovered = false;
    if (loaded.recovered) {
        recovered = m_recoveryPrompt ? m_recoveryPrompt(path)
                                     : QMessageBox::question(this, QStringLiteral("Recover unsaved changes?"),
                                                             QStringLiteral("%1 has changes that were not saved when Flightdeck "
                                                                            "last closed. Recover them?").arg(path))
                                           == QMessageBox::Yes;
        if (!recovered)
            WorkspaceRecovery::discard(path);
    }
    LoadedWorkspace::Variant &chosen = recovered ? *loaded.recovered : loaded.saved;
    m_workspace = std::move(chosen.workspace);
    m_router = std::move(chosen.router);
    addRecentWorkspace(path);
    applyWorkspace();
    if (!chosen.unavailable.isEmpty())
        statusBar()->showMessage(QStringLiteral("Source unavailable: %1").arg(chosen.unavailable));
    if (recovered) {
        markEdited();
        statusBar()->showMessage(QStringLiteral("Recovered the unsaved changes of %1; save to keep them").arg(path));
    }
    return true;
}

bool MainWindow::openWorkspace(const QString &path)
{
    m_openRunner->cancel(); // this one is newer
    ++m_openRequest;
    m_opening = true; // also while the recovery question is up (review: the demo's rewrite had opened over it)
    m_openingPath = path;
    m_writer->waitForDone(); // a save or recovery copy of this file still being written
    try {
        const bool opened = adoptWorkspace(path, *loadWorkspaceForOpening(path));
        m_opening = false;
        return opened;
    } catch (const std::exception &e) {
        m_opening = false;
        statusBar()->showMessage(QString::fromUtf8(e.what()));
        QMessageBox::warning(this, QStringLiteral("Cannot open workspace"), QString::fromUtf8(e.what()));
        return false;
    }
}

void MainWindow::openWorkspaceInBackground(const QString &path)
{
    statusBar()->showMessage(QStringLiteral("Opening %1… (Esc cancels)").arg(path));
    const quint64 request = ++m_openRequest;
    m_opening = true;
    m_openingPath = path;
    m_openRunner->run<std::shared_ptr<LoadedWorkspace>>(
        [path, saving = m_writer->lastWrite()](const CancelTokenPtr &cancel) {
            // after a save or recovery copy of this file still being written; not by the future's wait, which would
            // run a write still queued here, beside the writer's
            while (!saving.isFinished()) {
                throwIfCancelled(cancel);
                QThread::msleep(10);
            }
            return loadWorkspaceForOpening(path, cancel);
        },
        [this, path, request, edits = m_edits, wasModified = isWindowModified()](const std::shared_ptr<LoadedWorkspace> &loaded) {
            // edits since the request, or a save of them still being written (review: a failed one was lost)
            adoptWhenFree(path, loaded, request, [this, edits, wasModified] { return m_edits != edits || (!wasModified && isWindowModified()) || m_writer->busy(); });
        },
        [this, path, request](const QString &message) {
            if (request != m_openRequest)
                return;
            m_opening = false;
            statusBar()->showMessage(QStringLiteral("Did not open %1: %2").arg(path, message));
            if (message != QLatin1String("cancelled"))
                QMessageBox::warning(this, QStringLiteral("Cannot open workspace"), message);
        });
}

void MainWindow::adoptWhenFree(const QString &path, const std::shared_ptr<LoadedWorkspace> &loaded, quint64 request,
                               const std::function<bool()> &editedMeanwhile)
{
    if (request != m_openRequest)
        return; // cancelled, or another open asked for since
    // review: a dialog's result (Sources, a tile, "Saving …") would have landed in this workspace, not the one it edits
    if (QApplication::activeModalWidget()) {
        QTimer::singleShot(200, this, [this, path, loaded, request, editedMeanwhile] { adoptWhenFree(path, loaded, request, editedMeanwhile); });
        return;
    }
    // edits made while it was read: saved or discarded as the person says, never dropped unasked (review)
    if (editedMeanwhile() && !confirmDiscard()) {
        if (request == m_openRequest) {
            m_opening = false;
            statusBar()->showMessage(QStringLiteral("Did not open %1: the workspace open has unsaved changes").arg(path));
        }
        return;
    }
    if (request != m_openRequest)
        return; // asked again while the question was up
    adoptWorkspace(path, *loaded);
    m_opening = false;
}

void MainWindow::applyWorkspace()
{
    // what the workspace before still computes is its own: a snapshot had landed in a query of the same name here
    m_snapshotRunner->cancel();
    m_doraRunner->cancel();
    m_dora->setTrend({});
    m_zoomedFrom.clear();
    m_tabStatus.clear(); // the workspace before's messages (review)
    statusBar()->clearMessage();
    if (!m_router)
        m_router = makeSourceRouter(m_workspace, primarySourceId(m_workspace));
    m_source = m_router;
    setWindowTitle(QStringLiteral("Flightdeck — %1[*]").arg(m_workspace.filePath));
    setWindowModified(false);
    if (m_workspace.view.contains("time_range")) {
        const Json &r = m_workspace.view["time_range"];
        m_picker->setRange(QString::fromStdString(r.value("from", std::string("now-24h"))),
                           QString::fromStdString(r.value("to", std::string("now"))));
    }
    QStringList sourceIds;
    for (const SourceConfig &s : m_workspace.sources)
        sourceIds << QString::fromStdString(s.id);
    m_board->setSourceIds(sourceIds);
    m_board->setBoards(m_workspace.boards, 0);
    m_board->setSource(m_source);
    m_explore->setHistoryFile(m_workspace.filePath.isEmpty() ? QString() : queryHistoryPath(m_workspace.filePath));
    setViewSources();
    showSourceLabel();
    m_incidents->setIncidents(m_workspace.incidents);
    m_saved->setQueries(m_workspace.queries);
    m_variables->setVariables(variablesFromJson(m_workspace.view));
    restoreViewState();
    QStringList notes; // each said: one message after another had left the last alone (review)
    for (const std::string &note : m_workspace.migrationNotes)
        notes << QString::fromStdString(note);
    if (!notes.isEmpty())
        statusBar()->showMessage(QStringLiteral("Workspace opened with changes: %1").arg(notes.join(QStringLiteral("; "))));
    refresh();
}

// The board's anomalies shaded on the Metrics chart, and DORA over this period and the one before it.
void MainWindow::setWatching(bool on, int seconds)
{
    if (seconds > 0)
        m_watchSeconds = seconds;
    m_watchAction->setChecked(on);
    if (on)
        m_watchTimer.start(m_watchSeconds * 1000);
    else
        m_watchTimer.stop();
    statusBar()->showMessage(on ? QStringLiteral("Watching: the board is evaluated every %1 s").arg(m_watchSeconds)
                                : QStringLiteral("Watching stopped"));
}

// A tile that turns bad since the last evaluation is news: a desktop notification (the status bar and
// a taskbar alert where there is no system tray).
void MainWindow::notifyLeftRange(const BoardResultPtr &result)
{
    std::map<std::string, std::string> states;
    for (const TileResult &t : result->tiles) {
        states[t.name] = t.state;
        const auto before = m_tileStates.find(t.name);
        if (t.state != "bad" || (before != m_tileStates.end() && before->second == "bad") || !m_watchTimer.isActive())
            continue;
        const QString title = QStringLiteral("%1 left its normal range").arg(QString::fromStdString(t.name));
        const QString text = QStringLiteral("now %1").arg(QString::number(t.value, 'g', 4));
        Q_EMIT tileLeftRange(QString::fromStdString(t.name));
        if (QSystemTrayIcon::isSystemTrayAvailable()) {
            if (!m_tray) {
                m_tray = new QSystemTrayIcon(windowIcon(), this);
                m_tray->show();
            }
            m_tray->showMessage(title, text, QSystemTrayIcon::Warning);
        }
        statusBar()->showMessage(title + QStringLiteral(" — ") + text);
        QApplication::alert(this);
    }
    m_tileStates = std::move(states);
}

void MainWindow::showBoardFindings(const BoardResultPtr &result)
{
    notifyLeftRange(result);
    std::vector<TimeRange> spans;
    for (const TileResult &t : result->tiles)
        for (const Anomaly &a : t.anomalies)
            spans.push_back({ a.start, a.end });
    const std::vector<AnomalyWindow> anomalies = anomalyWindows(result->tiles);
    m_metrics->setAnomalies(spans);
    const TimeRange range = pastPart(result->range); // as the board's own DORA: the future has no deploys yet
    const int current = m_board->currentBoard();
    const std::optional<Board> board = current >= 0 && current < static_cast<int>(m_workspace.boards.size())
        ? std::optional<Board>(m_workspace.boards[static_cast<std::size_t>(current)]) : std::nullopt;
    // The previous period's failure rate needs that period's anomalies too: the board evaluated there.
    m_doraRunner->run<DoraTrend>(
        [source = m_source, range, board, anomalies](const CancelTokenPtr &cancel) {
            const TimeRange previous = previousPeriod(range);
            std::vector<AnomalyWindow> all = anomalies;
            if (board)
                for (const AnomalyWindow &a : anomalyWindows(evaluateBoard(*board, previous, *source, cancel).tiles))
                    all.push_back(a);
            std::vector<std::string> leftOut;
            DoraTrend trend = computeDoraTrend(doraMarkers(*source, previous.from, range.to, cancel, &leftOut), all, range);
            trend.leftOut = std::move(leftOut); // the tab says so too: its figures had looked whole (exploratory test)
            return trend;
        },
        [this](const DoraTrend &trend) { m_dora->setTrend(trend); },
        [this](const QString &message) {
            m_dora->setNotUpdated(message);
            statusBar()->showMessage(QStringLiteral("DORA: %1").arg(message));
        });
    m_dora->setUpdating(range);
}

std::string MainWindow::primarySourceId(const Workspace &w)
{
    for (const SourceConfig &s : w.sources)
        if (s.type == "store")
            return s.id;
    return {};
}

std::array<MainWindow::ViewPicker, 4> MainWindow::viewPickers() const
{
    return {{{"events", m_events, m_events->sourcePicker()},
             {"query", m_explore, m_explore->sourcePicker()},
             {"traces", m_traces, m_traces->sourcePicker()},
             {"metrics", m_metrics, m_metrics->sourcePicker()}}};
}

QString MainWindow::signalSourceId(Signal signal) const
{
    try {
        return QString::fromStdString(m_router->sourceForSignal(signal)->id());
    } catch (const std::exception &) {
        return {}; // the source cannot be made: the run says why
    }
}

QString MainWindow::routedSourceId(const Query &q) const
{
    return q.source.empty() && m_router ? signalSourceId(q.signal) : QString::fromStdString(q.source);
}

void MainWindow::showSourceLabel()
{
    if (!m_router)
        return;
    std::string picked;
    for (const ViewPicker &v : viewPickers())
        if (v.view == m_tabs->currentWidget())
            picked = v.picker->currentId().toStdString();
    const SourceConfig *source = m_workspace.source(picked.empty() ? m_router->defaultId() : picked);
    if (!source)
        return m_sourceLabel->setFullText(QString());
    const QString where = source->type == "store" ? m_workspace.storePath(*source) : QString::fromStdString(urlWithoutUserInfo(source->url));
    m_sourceLabel->setFullText(QStringLiteral("source %1: %2").arg(QString::fromStdString(source->id), where));
}

std::vector<SourceChoice> MainWindow::sourceChoices(std::optional<Signal> holding, bool anyFirst)
{
    std::vector<SourceChoice> choices;
    if (anyFirst && m_router->ids().size() > 1)
        choices.push_back({ QString(), m_router });
    for (const std::string &id : m_router->ids()) {
        try {
            const SourceCapabilities can = m_router->source(id)->capabilities();
            const bool holds = holding ? (*holding == Signal::Logs && can.logs) || (*holding == Signal::Spans && can.spans)
                                             || (*holding == Signal::Metrics && can.metrics)
                                       : can.logs || can.spans || can.metrics; // not a source of markers only (review)
            if (holds)
                choices.push_back({ QString::fromStdString(id), std::make_shared<PinnedSource>(m_router, id) });
        } catch (const std::exception &e) {
            statusBar()->showMessage(QString::fromUtf8(e.what()));
        }
    }
    return choices;
}

namespace {
// The string at `path` in a workspace's view state, or "".
QString viewText(const Json &view, std::initializer_list<const char *> path)
{
    const Json *at = &view;
    for (const char *key : path) {
        const auto it = at->find(key);
        if (it == at->end())
            return QString();
        at = &*it;
    }
    return at->is_string() ? QString::fromStdString(at->get<std::string>()) : QString();
}
} // namespace

void MainWindow::setViewSources()
{
    const auto picked = [this](const char *view, std::optional<Signal> signal) {
        const QString kept = viewText(m_workspace.view, {view, "source"});
        return kept.isEmpty() && signal ? signalSourceId(*signal) : kept; // "": the first that holds it
    };
    m_events->setSources(sourceChoices(Signal::Logs), picked("events", Signal::Logs));
    m_explore->setSources(sourceChoices(std::nullopt, true), picked("query", std::nullopt));
    m_traces->setSources(sourceChoices(Signal::Spans), picked("traces", Signal::Spans));
    // Every source: the form charts logs and spans too (a group-by from Events on Loki opens here, on Loki).
    m_metrics->setSources(sourceChoices(std::nullopt), picked("metrics", Signal::Metrics));
    // A pick the workspace kept whose source is no longer there: said beside the view's messages, which had soon
    // replaced a note in the status bar (exploratory test; before that, nothing was said).
    m_goneSourceNotes.clear();
    for (const ViewPicker &v : viewPickers()) {
        v.picker->setNamesSource(m_router->ids().size() > 1);
        if (const QString kept = viewText(m_workspace.view, {v.key, "source"});
            !kept.isEmpty() && v.picker->currentId() != kept)
            m_goneSourceNotes[v.view] = QStringLiteral("the source picked before, \"%1\", is no longer in the "
                                                       "workspace: reading \"%2\"")
                                            .arg(kept, v.picker->currentName());
    }
    if (m_goneSourceNotes.count(m_tabs->currentWidget()))
        statusBar()->showMessage(tabStatusText(m_tabs->currentWidget()));
}

void MainWindow::refresh()
{
    if (m_source)
        showRange(m_picker->resolve(nowNs()));
}

void MainWindow::showRange(const TimeRange &range, QWidget *showing)
{
    m_board->setTimeRange(range);
    // The views a person runs again by hand read the picker's range as each run starts (it is `range` now).
    const auto picked = [this] { return m_picker->resolve(nowNs()); };
    m_events->followTimeRange(picked);
    m_explore->followTimeRange(picked);
    m_traces->followTimeRange(picked);
    m_metrics->followTimeRange(picked);
    if (showing != m_board)
        m_board->refresh();
    if (showing != m_explore)
        m_explore->refresh(); // exploratory test: Refresh had left the Query tab's answer of the range before
    if (showing != m_events)
        m_events->refresh();
    if (showing != m_traces)
        m_traces->refresh();
    if (showing != m_metrics)
        m_metrics->refresh();
}

void MainWindow::zoomAllTo(const TimeRange &range, QWidget *zoomed)
{
    m_zoomedFrom.emplace_back(m_picker->fromText(), m_picker->toText());
    setPickerQuietly(formatRfc3339(range.from), formatRfc3339(range.to));
    showRange(range, zoomed);
}

void MainWindow::zoomBack()
{
    if (m_zoomedFrom.empty()) {
        statusBar()->showMessage(QStringLiteral("No zoom to go back from"));
        return;
    }
    const auto [from, to] = m_zoomedFrom.back();
    m_zoomedFrom.pop_back();
    setPickerQuietly(from, to);
    refresh();
}

void MainWindow::setPickerQuietly(const QString &from, const QString &to)
{
    // Its rangeChanged would run the views again and end the zooms (a range the person picks does); callers run them.
    const QSignalBlocker quiet(m_picker);
    m_picker->setRange(from, to);
}

void MainWindow::watchTick()
{
    if (m_board->isBusy()) {
        statusBar()->showMessage(QStringLiteral("Watching: the last evaluation is still running"));
        return;
    }
    // The board alone, and DORA after it: the other views' queries had been cancelled and run again every tick, a
    // PromQL query longer than the tick never finishing, and the event table losing its place (review).
    if (m_source) {
        m_board->setTimeRange(m_picker->resolve(nowNs()));
        m_board->refresh();
    }
}

void MainWindow::cancel()
{
    m_board->cancel();
    m_events->cancel();
    m_explore->cancel();
    m_traces->cancel();
    m_metrics->cancel();
    QStringList background;
    const auto stop = [&background](JobRunner *runner, const QString &what) {
        if (runner->busy())
            background << what;
        runner->cancel();
    };
    if (m_doraRunner->busy())
        m_dora->setNotUpdated(QStringLiteral("cancelled"));
    stop(m_doraRunner, QStringLiteral("the DORA figures"));
    stop(m_snapshotRunner, QStringLiteral("the snapshot"));
    if (m_opening)
        background << QStringLiteral("opening the workspace");
    m_openRunner->cancel();
    ++m_openRequest; // an open read already and waiting for a dialog to close is dropped too
    m_opening = false;
    for (JobRunner *exporting : findChildren<JobRunner *>(QStringLiteral("export"), Qt::FindDirectChildrenOnly))
        stop(exporting, QStringLiteral("an export"));
    background.removeDuplicates();
    if (!background.isEmpty())
        statusBar()->showMessage(QStringLiteral("Cancelled %1").arg(background.join(QStringLiteral(", "))));
}

void MainWindow::startReceiver(const std::string &host, std::uint16_t port)
{
    try {
        auto receiver = std::make_unique<OtlpReceiver>(Store::defaultStorePath());
        receiver->start(host, port);
        m_receiver = std::move(receiver);
        updateReceiverStatus();
    } catch (const std::exception &e) {
        m_receiverLabel->setText(QStringLiteral("⚠ receiver off"));
        m_receiverLabel->setStyleSheet(QStringLiteral("color: #b45309; font-weight: bold"));
        m_receiverLabel->setToolTip(QString::fromUtf8(e.what()));
        statusBar()->showMessage(QStringLiteral("OTLP receiver not started: %1").arg(QString::fromUtf8(e.what())));
    }
}

void MainWindow::updateReceiverStatus()
{
    if (!m_receiver)
        return;
    const ReceiverStats &s = m_receiver->stats();
    QString text = QStringLiteral("OTLP %1 · %2 spans · %3 logs · %4 points")
                       .arg(QString::fromStdString(m_receiver->address()))
                       .arg(s.spans.load()).arg(s.logs.load()).arg(s.metricPoints.load())
                       .toHtmlEscaped();
    // What arrives goes into the local data, which another workspace does not show (exploratory GUI test: a tail
    // of the demo waited for records counted here, with no word of where they were).
    const SourceConfig *source = m_workspace.source(primarySourceId(m_workspace));
    const bool showsLocal = source && source->type == "store"
        && QFileInfo(m_workspace.storePath(*source)).absoluteFilePath() == QFileInfo(Store::defaultStorePath()).absoluteFilePath();
    if (!showsLocal && s.spans.load() + s.logs.load() + s.metricPoints.load() > 0)
        text += QStringLiteral(" · <a href=\"local\">in local data: open it</a>");
    m_receiverLabel->setText(text);
    m_receiverLabel->setToolTip(QStringLiteral("OTLP/HTTP receiver writing into %1 (File > Open local data shows it)\n"
                                               "%2 requests answered 503 (busy, or the store could not write: senders retry them)")
                                    .arg(Store::defaultStorePath())
                                    .arg(s.throttled.load()));
}

void MainWindow::showBusyMessage(const QString &message) { statusBar()->showMessage(message); }

void MainWindow::setCurrentTab(int index) { m_tabs->setCurrentIndex(index); }

// A tab's message shows while it is current: another tab's message would describe what is not on screen.
void MainWindow::showTabStatus(const QWidget *view, const QString &message)
{
    m_tabStatus[view] = message;
    if (m_tabs->currentWidget() == view)
        statusBar()->showMessage(tabStatusText(view));
}

QString MainWindow::tabStatusText(const QWidget *view) const
{
    const auto message = m_tabStatus.find(view);
    const auto note = m_goneSourceNotes.find(view);
    QStringList parts;
    if (message != m_tabStatus.end() && !message->second.isEmpty())
        parts << message->second;
    if (note != m_goneSourceNotes.end())
        parts << note->second;
    return parts.join(QStringLiteral(" · "));
}

namespace {
// The workspace of the default store, beside it: one store source, nothing else until the person adds it.
QString localDataWorkspace()
{
    const QFileInfo store(Store::defaultStorePath());
    const QString path = store.dir().filePath(QStringLiteral("local.flightdeck.json"));
    if (!QDir().mkpath(store.absolutePath()))
        throw Error(QStringLiteral("cannot create %1").arg(store.absolutePath()));
    if (!store.exists())
        Store(store.filePath()); // the receiver may never have run, or its data was removed: an empty store
    if (QFileInfo::exists(path))
        return path;
    Workspace w;
    w.sources.push_back({"local", "store", store.fileName().toStdString(), {}, {}, Json::object()});
    saveWorkspace(w, path);
    return path;
}
} // namespace

bool MainWindow::openLocalData()
{
    if (!confirmDiscard())
        return false;
    QString path;
    try {
        path = localDataWorkspace();
    } catch (const std::exception &e) {
        QMessageBox::warning(this, QStringLiteral("Cannot open the local data"), QString::fromUtf8(e.what()));
        return false;
    }
    if (!openWorkspace(path))
        return false;
    m_tabs->setCurrentWidget(m_events);
    return true;
}

void MainWindow::chooseWorkspace()
{
    if (!confirmDiscard())
        return;
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open workspace"), QString(),
                                                      QStringLiteral("Flightdeck workspaces (*.flightdeck.json *.json)"));
    if (!path.isEmpty())
        openWorkspaceInBackground(path);
}

void MainWindow::saveWorkspaceAs(SaveWait wait)
{
    const QString path = askSavePath(this, QStringLiteral("Save workspace"), m_workspace.filePath,
                                     QStringLiteral("Flightdeck workspaces (*.flightdeck.json *.json)"));
    if (!path.isEmpty())
        writeWorkspace(path, wait);
}

bool MainWindow::save(SaveWait wait)
{
    if (m_workspace.filePath.isEmpty()) {
        saveWorkspaceAs(wait);
        return !isWindowModified();
    }
    return writeWorkspace(m_workspace.filePath, wait);
}

Workspace MainWindow::workspaceToSave(const QString &path) const
{
    Workspace copy = m_workspace;
    // A relative store path means "next to the workspace file": keep it pointing at the same store.
    for (SourceConfig &source : copy.sources)
        if (source.type == "store")
            source.path = QFileInfo(path).absoluteDir().relativeFilePath(m_workspace.storePath(source)).toStdString();
    // Zoomed in, the workspace keeps the range the zooms started from (a drag while looking is no setting).
    const auto [from, to] = m_zoomedFrom.empty() ? std::pair(m_picker->fromText(), m_picker->toText()) : m_zoomedFrom.front();
    copy.view["time_range"] = {{"from", from.toStdString()}, {"to", to.toStdString()}};
    // The rest of the view state DESIGN.md names, so a workspace reopens where it was left (exploratory GUI test).
    copy.view["tab"] = tabKey(m_tabs->currentIndex()).toStdString();
    copy.view["events"] = {{"filter", m_events->filterText().toStdString()}, {"search", m_events->searchText().toStdString()}};
    copy.view["query"] = {{"sentence", m_explore->bar()->text().toStdString()}};
    copy.view.erase("traces");
    copy.view["metrics"] = {{"form", m_metrics->formState()}};
    for (const ViewPicker &v : viewPickers())
        if (const std::string id = v.picker->queryId(); !id.empty())
            copy.view[v.key]["source"] = id;
    return copy;
}

// The view state's name of the tab at index: its title in lower case without its accelerator, e.g. "mission control".
QString MainWindow::tabKey(int index) const
{
    return m_tabs->tabText(index).remove(QLatin1Char('&')).toLower();
}

void MainWindow::restoreViewState()
{
    const auto text = [this](std::initializer_list<const char *> path) { return viewText(m_workspace.view, path); };
    m_events->restoreTexts(text({"events", "filter"}), text({"events", "search"})); // applyWorkspace runs them
    m_explore->bar()->setText(text({"query", "sentence"}));
    const auto object = [](const Json &j, const char *key) {
        const auto it = j.find(key);
        return it != j.end() && it->is_object() ? *it : Json::object();
    };
    m_metrics->restoreFormState(object(object(m_workspace.view, "metrics"), "form"));
    const QString tab = text({"tab"});
    for (int i = 0; i < m_tabs->count(); ++i)
        if (tabKey(i) == tab)
            m_tabs->setCurrentIndex(i);
}

bool MainWindow::writeWorkspace(const QString &path, SaveWait wait)
{
    m_autosaveTimer.stop();
    Workspace copy;
    try {
        copy = workspaceToSave(path);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, QStringLiteral("Cannot save workspace"), QString::fromUtf8(e.what()));
        return false;
    }
    const QString oldPath = m_workspace.filePath;
    const auto write = [copy, path, oldPath] {
        saveWorkspace(copy, path);
        WorkspaceRecovery::discard(path);
        WorkspaceRecovery::discard(oldPath);
    };
    m_lastSave = wait == SaveWait::Yes
                     ? m_writer->enqueue(write)
                     : m_writer->enqueue(write, [this, path, opened = m_opened](const QString &error) { savedOrNot(path, opened, error); });
    // The window is the saved workspace from now on, as the file will be; a failure marks it unsaved again.
    addRecentWorkspace(path);
    if (path != oldPath) // saved as: the query history goes on beside the new file
        m_explore->keepHistoryAt(queryHistoryPath(path));
    m_workspace = copy;
    m_workspace.filePath = path;
    setWindowTitle(QStringLiteral("Flightdeck — %1[*]").arg(path));
    setWindowModified(false);
    statusBar()->showMessage(QStringLiteral("Saving %1…").arg(path));
    if (wait == SaveWait::No)
        return true;
    waitForWrites();
    return savedOrNot(path, m_opened, m_lastSave->result());
}

bool MainWindow::savedOrNot(const QString &path, quint64 opened, const QString &error)
{
    if (error.isEmpty()) {
        statusBar()->showMessage(QStringLiteral("Saved %1").arg(path));
        Q_EMIT workspaceSaved(path);
        return true;
    }
    if (opened == m_opened && path == m_workspace.filePath) // still this workspace: its edits are not saved
        setWindowModified(true);
    statusBar()->showMessage(QStringLiteral("Not saved: %1").arg(error));
    QMessageBox::warning(this, QStringLiteral("Cannot save workspace"), QStringLiteral("%1: %2").arg(path, error));
    return false;
}

void MainWindow::storeBoards(std::vector<Board> boards)
{
    m_workspace.boards = std::move(boards);
    markEdited();
}

void MainWindow::waitForWrites()
{
    // a watcher and an event loop, not the future's wait, which would run a queued write here beside the writer's
    QFutureWatcher<QString> watcher;
    QEventLoop loop;
    connect(&watcher, &QFutureWatcher<QString>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(m_writer->lastWrite());
    if (watcher.isFinished())
        return;
    QProgressDialog saving(QStringLiteral("Saving %1…").arg(m_workspace.filePath), QString(), 0, 0, this);
    saving.setWindowModality(Qt::WindowModal);
    saving.setMinimumDuration(0);
    saving.show();
    loop.exec(QEventLoop::ExcludeUserInputEvents);
}

bool MainWindow::confirmDiscard()
{
    if (m_writer->busy()) { // a save still writing: whether it failed decides whether there is anything to save
        waitForWrites();
        if (m_lastSave && !m_lastSave->result().isEmpty())
            setWindowModified(true);
    }
    if (!isWindowModified())
        return true;
    const auto answer = QMessageBox::question(this, QStringLiteral("Unsaved changes"),
                                              QStringLiteral("The workspace has unsaved changes. Save them?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard) {
        m_autosaveTimer.stop();
        const QString path = m_workspace.filePath;
        m_writer->enqueue([path] { WorkspaceRecovery::discard(path); }); // after any recovery copy being written
        return true;
    }
    return answer == QMessageBox::Save && save(SaveWait::Yes);
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    m_sourceLabel->setMaximumWidth(std::max(320, width() / 3));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (confirmDiscard())
        event->accept();
    else
        event->ignore();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    openDroppedFiles(files);
    event->acceptProposedAction();
}

void MainWindow::openDroppedFiles(const QStringList &files)
{
    if (files.size() == 1 && files.first().endsWith(QLatin1String(".flightdeck.json"))) {
        if (confirmDiscard())
            openWorkspaceInBackground(files.first());
    } else if (!files.isEmpty()) {
        importFiles(files);
    }
}

namespace {
// What the import thread reports; the GUI polls it on a timer so progress never floods the event loop.
struct ImportProgress {
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{1};
    CancelTokenPtr cancel = makeCancelToken();
};

struct ImportOutcome {
    QString summary;
    QStringList skipped; // imported before (unchanged, or grown inside its last line): nothing stored
    QString skippedText; // what the store says of the first of them
    QStringList problems; // each bad line or file, as flightdeck import prints them (the first 200)
    bool attention = true; // something was left out, failed or cancelled: a warning, not a note
};
constexpr qsizetype kReportedProblems = 200;

QString importSummary(std::int64_t records, std::int64_t bad, std::int64_t rejected, const DroppedIds &idsDropped,
                      const std::string &firstProblem)
{
    QString message = QStringLiteral("Imported %1 records; %2 bad lines skipped").arg(records).arg(bad);
    if (rejected > 0)
        message += QStringLiteral(", %1 records rejected").arg(rejected);
    if (idsDropped.any())
        message += QStringLiteral(", ") + QString::fromStdString(idsDropped.text());
    if (!firstProblem.empty()) // all of them: flightdeck import prints each
        message += QStringLiteral(" (first: %1)").arg(QString::fromStdString(firstProblem));
    return message;
}
} // namespace

void MainWindow::importFiles(const QStringList &paths, bool again)
{
    const SourceConfig *source = m_workspace.source(primarySourceId(m_workspace));
    if (!source || source->type != "store") {
        QMessageBox::warning(this, QStringLiteral("Cannot import"), QStringLiteral("Open a workspace whose source is an embedded store first."));
        return;
    }
    const QString storePath = m_workspace.storePath(*source);
    if (QFileInfo(storePath).absoluteFilePath() == QFileInfo(Store::demoStorePath()).absoluteFilePath()) {
        const auto answer = QMessageBox::question(
            this, QStringLiteral("Import into your local data?"),
            QStringLiteral("The demo's store is written again with fresh demo data every hour, so records imported "
                           "there would be lost. Import into your local data instead (the default store, where the "
                           "receiver writes too) and open it?"));
        if (answer == QMessageBox::Yes && openLocalData())
            importFiles(paths, again);
        return;
    }
    auto progress = std::make_shared<ImportProgress>();
    m_importCancel = progress->cancel;
    auto *dialog = new QProgressDialog(QStringLiteral("Importing %1 file(s)…").arg(paths.size()), QStringLiteral("Cancel"), 0, 1000, this);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setMinimumDuration(300);
    connect(dialog, &QProgressDialog::canceled, this, [progress] { progress->cancel->cancel(); });
    auto *timer = new QTimer(dialog);
    connect(timer, &QTimer::timeout, dialog, [dialog, progress] {
        dialog->setValue(static_cast<int>(1000 * progress->done.load() / std::max<qint64>(1, progress->total.load())));
    });
    timer->start(100);
    auto *watcher = new QFutureWatcher<ImportOutcome>(this);
    connect(watcher, &QFutureWatcher<ImportOutcome>::finished, this, [this, watcher, dialog] {
        watcher->deleteLater();
        dialog->close();
        dialog->deleteLater();
        refresh();
        const ImportOutcome outcome = watcher->result();
        statusBar()->showMessage(outcome.summary);
        // The views' own messages replace it within a second as they run again (exploratory GUI test: a failed
        // import said nothing anyone could read): the outcome stays open in a box of its own.
        if (outcome.attention || outcome.skipped.isEmpty())
            showImportReport(outcome.summary, outcome.problems, outcome.attention);
        Q_EMIT importFinished(outcome.summary);
        if (!outcome.skipped.isEmpty()) // the person may mean it: a second copy, on request
            offerImportAgain(outcome.skipped, outcome.skippedText);
    });
    watcher->setFuture(QtConcurrent::run(jobThreads(), [paths, storePath, progress, again]() -> ImportOutcome {
        ImportOutcome outcome;
        try {
            Store store(storePath);
            FileImporter importer(store);
            importer.setImportAgain(again);
            std::int64_t records = 0, bad = 0, rejected = 0, changed = 0;
            DroppedIds idsDropped;
            std::string firstProblem;
            for (int i = 0; i < paths.size(); ++i) {
                const ImportReport r = importer.import(paths[i], ImportFormat::Auto, progress->cancel, [&](qint64 done, qint64 total) {
                    progress->done = (i * total + done) / paths.size();
                    progress->total = total;
                });
                if (r.skipped) {
                    if (outcome.skipped.isEmpty())
                        outcome.skippedText = importedBeforeText(r);
                    outcome.skipped << paths[i];
                }
                changed += r.changedSince ? 1 : 0;
                records += r.records;
                bad += r.badLines;
                rejected += r.rejectedRecords;
                idsDropped += r.idsDropped;
                if (firstProblem.empty() && !r.problems.empty())
                    firstProblem = r.problems.front();
                for (const std::string &problem : r.problems)
                    if (outcome.problems.size() < kReportedProblems)
                        outcome.problems << QString::fromStdString(problem);
            }
            outcome.attention = bad > 0 || rejected > 0 || idsDropped.any() || (records == 0 && outcome.skipped.isEmpty());
            outcome.summary = importSummary(records, bad, rejected, idsDropped, firstProblem);
            if (!outcome.skipped.isEmpty())
                outcome.summary += QStringLiteral("; %1 file(s) imported before, skipped").arg(outcome.skipped.size());
            if (changed > 0)
                outcome.summary += QStringLiteral("; %1 file(s) imported before and changed since, read whole again beside "
                                                  "that import's records").arg(changed);
        } catch (const Cancelled &e) { // "cancelled: what was stored, and whether importing again reads on"
            outcome = { QStringLiteral("Import %1").arg(e.message()), {}, {}, outcome.problems };
        } catch (const std::exception &e) {
            outcome = { QStringLiteral("Import failed: %1").arg(QString::fromUtf8(e.what())), {}, {}, outcome.problems };
        }
        return outcome;
    }));
}

void MainWindow::showImportReport(const QString &summary, const QStringList &problems, bool attention)
{
    if (!m_importReport) {
        m_importReport = new QMessageBox(this);
        m_importReport->setObjectName(QStringLiteral("importReport"));
        m_importReport->setWindowTitle(QStringLiteral("Import"));
        m_importReport->setWindowModality(Qt::NonModal);
        m_importReport->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_importReport->setIcon(attention ? QMessageBox::Warning : QMessageBox::Information);
    m_importReport->setText(summary);
    QString details = problems.join(QLatin1Char('\n'));
    if (problems.size() >= kReportedProblems)
        details += QStringLiteral("\n… flightdeck import FILE --store PATH prints every one");
    m_importReport->setDetailedText(details);
    m_importReport->show();
    m_importReport->raise();
}

void MainWindow::offerImportAgain(const QStringList &paths, const QString &firstText)
{
    QString text = QStringLiteral("%1: %2.").arg(QFileInfo(paths.first()).fileName(), firstText);
    if (paths.size() > 1)
        text += QStringLiteral("\n%1 more file(s) were imported before too.").arg(paths.size() - 1);
    QMessageBox ask(QMessageBox::Question, QStringLiteral("Imported before"), text, QMessageBox::NoButton, this);
    ask.setInformativeText(QStringLiteral("Import again? Every record would be stored a second time."));
    QPushButton *again = ask.addButton(QStringLiteral("Import again"), QMessageBox::AcceptRole);
    ask.setDefaultButton(ask.addButton(QStringLiteral("Keep one copy"), QMessageBox::RejectRole));
    ask.exec();
    if (ask.clickedButton() == again)
        importFiles(paths, true);
}

void MainWindow::connectIncidents()
{
    connect(m_incidents, &IncidentsView::incidentsEdited, this, &MainWindow::storeIncidents);
    connect(m_incidents, &IncidentsView::openEntry, this, &MainWindow::openIncidentEntry);
    connect(m_incidents, &IncidentsView::exportRequested, this, &MainWindow::exportIncident);
    connect(m_board, &MissionBoardView::createIncident, this, [this](const Incident &incident) {
        m_incidents->addIncident(incident);
        m_tabs->setCurrentWidget(m_incidents);
    });
    connect(m_board, &MissionBoardView::addToIncident, this, &MainWindow::addToIncident);
    connect(m_events, &EventsView::addToIncident, this, &MainWindow::addToIncident);
    connect(m_traces, &TracesView::addToIncident, this, &MainWindow::addToIncident);
    connect(m_metrics, &MetricsView::addToIncident, this, &MainWindow::addToIncident);
    connect(m_dora, &DoraView::addToIncident, this, &MainWindow::addToIncident);
}

void MainWindow::storeIncidents()
{
    m_workspace.incidents = m_incidents->incidents();
    if (m_router)
        m_router->setWorkspaceMarkers(incidentMarkers(m_workspace.incidents));
    markEdited();
}

void MainWindow::addToIncident(const IncidentEntry &entry)
{
    int index = m_incidents->currentIndex();
    if (index < 0) {
        Incident incident;
        incident.title = "Incident";
        incident.start = entry.time;
        index = m_incidents->addIncident(std::move(incident));
    }
    m_incidents->addEntry(index, entry);
    statusBar()->showMessage(QStringLiteral("Added \"%1\" to incident \"%2\" (Incidents tab)")
                                 .arg(QString::fromStdString(entry.title).left(80),
                                      QString::fromStdString(m_incidents->incidents()[static_cast<std::size_t>(index)].title)));
}

void MainWindow::openIncidentEntry(const IncidentEntry &entry)
{
    try {
        openReference(entry.ref);
    } catch (const std::exception &e) { // a hand-edited workspace may hold any JSON here
        statusBar()->showMessage(QStringLiteral("Cannot open this entry: %1").arg(QString::fromUtf8(e.what())));
    }
}

void MainWindow::openReference(const Json &ref)
{
    const std::string traceId = jsonField<std::string>(ref, "trace_id", {});
    if (!traceId.empty()) {
        m_tabs->setCurrentWidget(m_traces);
        m_traces->showTrace(QString::fromStdString(traceId));
    } else if (ref.contains("query")) {
        m_metrics->setQuery(queryFromJson(ref["query"]));
        m_tabs->setCurrentWidget(m_metrics);
        m_metrics->refresh();
    } else if (ref.contains("tile")) {
        m_tabs->setCurrentWidget(m_board);
    } else if (ref.contains("marker")) {
        const Marker marker = markerFromJson(jsonObjectField(ref, "marker"), nowNs());
        m_dora->setServiceFilter(QString::fromStdString(marker.service));
        m_tabs->setCurrentWidget(m_dora);
        // A marker outside the range shown is brought into it, as long a range around it (exploratory test: DORA
        // listed no deploy of the service, the range being the last day's); Back goes to the range before.
        const TimeRange shown = m_picker->resolve(nowNs());
        if (marker.time < shown.from || marker.time >= shown.to)
            zoomAllTo({ saturatedAdd(marker.time, -shown.length() / 2), saturatedAdd(marker.time, shown.length() / 2) }, nullptr);
    } else {
        statusBar()->showMessage(QStringLiteral("This entry refers to nothing that can be opened"));
    }
}

void MainWindow::exportIncident(int index)
{
    if (index < 0 || index >= static_cast<int>(m_workspace.incidents.size()))
        return;
    const Incident incident = m_workspace.incidents[static_cast<std::size_t>(index)];
    // Named after the incident (exploratory test: the name was empty)
    const QString suggested = QDir::home().filePath(fileNameFor(QString::fromStdString(incident.title), QStringLiteral("incident"))
                                                    + QStringLiteral(".md"));
    const QString path = askSavePath(this, QStringLiteral("Export incident report"), suggested,
                                     QStringLiteral("Markdown postmortem (*.md);;HTML (*.html);;PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    writeInBackground(path, [source = m_source, incident, path](const CancelTokenPtr &cancel) {
        IncidentReport(incident, incidentDora(*source, incident, cancel)).write(path);
    });
}

void MainWindow::writeInBackground(const QString &path, std::function<void(const CancelTokenPtr &)> write)
{
    statusBar()->showMessage(QStringLiteral("Writing %1…").arg(path));
    auto *runner = new JobRunner(this); // its own: an export started next must not cancel this one
    runner->setObjectName(QStringLiteral("export"));
    connect(runner, &JobRunner::busyChanged, runner, [runner](bool busy) {
        if (!busy)
            runner->deleteLater(); // after its answer, which runs first
    });
    runner->run<bool>(
        [write = std::move(write)](const CancelTokenPtr &cancel) {
            throwIfCancelled(cancel); // cancelled before it began: no file
            write(cancel);
            return true;
        },
        [this, path](const bool &) {
            statusBar()->showMessage(QStringLiteral("Wrote %1").arg(path));
            Q_EMIT fileWritten(path);
        },
        [this](const QString &message) {
            statusBar()->clearMessage();
            QMessageBox::warning(this, QStringLiteral("Cannot export"), message);
        });
}

void MainWindow::markEdited()
{
    ++m_edits;
    setWindowModified(true);
    m_autosaveTimer.start();
}

void MainWindow::autosave()
{
    if (!isWindowModified() || m_workspace.filePath.isEmpty())
        return;
    if (m_writer->busy()) { // one copy at a time: the next after this one
        m_autosaveTimer.start();
        return;
    }
    try {
        const Workspace copy = workspaceToSave(m_workspace.filePath);
        const QString path = m_workspace.filePath;
        m_writer->enqueue([copy, path] { WorkspaceRecovery::write(copy, path); }, [this](const QString &error) {
            if (!error.isEmpty())
                statusBar()->showMessage(QStringLiteral("Could not keep a recovery copy: %1").arg(error));
        });
    } catch (const std::exception &e) {
        statusBar()->showMessage(QStringLiteral("Could not keep a recovery copy: %1").arg(QString::fromUtf8(e.what())));
    }
}

QStringList MainWindow::recentWorkspaces()
{
    return QSettings().value(QStringLiteral("recentWorkspaces")).toStringList();
}

void MainWindow::addRecentWorkspace(const QString &path)
{
    QStringList recent = recentWorkspaces();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    QSettings().setValue(QStringLiteral("recentWorkspaces"), recent.mid(0, 10));
}

void MainWindow::fillRecentMenu(QMenu *menu)
{
    menu->clear();
    for (const QString &path : recentWorkspaces()) {
        QAction *open = menu->addAction(path, this, [this, path] {
            if (confirmDiscard())
                openWorkspaceInBackground(path);
        });
        open->setEnabled(QFileInfo::exists(path));
    }
    if (menu->isEmpty())
        menu->addAction(QStringLiteral("No recent workspace"))->setEnabled(false);
}

void MainWindow::exportReport()
{
    if (m_tabs->currentWidget() == m_incidents) {
        exportIncident(m_incidents->currentIndex());
        return;
    }
    if (!canWriteReport()) {
        statusBar()->showMessage(QStringLiteral("Reports come from Mission control (an evaluated board), Traces (an open trace) "
                                                "and Incidents"));
        return;
    }
    const QString path = askSavePath(this, QStringLiteral("Export report"), QString(),
                                     QStringLiteral("PDF (*.pdf);;HTML (*.html);;Markdown (*.md)"));
    if (!path.isEmpty())
        writeReport(path);
}

bool MainWindow::canWriteReport() const
{
    return (m_tabs->currentWidget() == m_board && m_board->result()) || (m_tabs->currentWidget() == m_traces && m_traces->currentTree());
}

bool MainWindow::writeReport(const QString &path)
{
    // The pictures are taken here (widgets live on the GUI thread); the document is written in the background.
    const int board = m_board->currentBoard();
    if (m_tabs->currentWidget() == m_board && m_board->result() && board >= 0 && board < int(m_board->boards().size())) {
        // Every tile, without the tab's buttons (exploratory test: a grab of the tab had them, and cut the last tiles)
        const BoardResultPtr result = m_board->result();
        writeInBackground(path, [result, picture = boardImage(m_board->boards()[std::size_t(board)], result), path](const CancelTokenPtr &) {
            BoardReport(*result, picture).write(path);
        });
        return true;
    }
    if (const auto tree = m_traces->currentTree(); m_tabs->currentWidget() == m_traces && tree) {
        writeInBackground(path, [tree, picture = traceImage(tree, 1400), path](const CancelTokenPtr &) {
            TraceReport(*tree, picture).write(path);
        });
        return true;
    }
    return false;
}

void MainWindow::exportCurrentView()
{
    const QString path = askSavePath(this, QStringLiteral("Export view as image"), QString(),
                                     QStringLiteral("PNG image (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    QWidget &view = *m_tabs->currentWidget();
    ExportImageDialog size(view.size(), path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive), this);
    if (size.exec() != QDialog::Accepted)
        return;
    if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) { // a PNG of 8192² takes seconds to encode
        writeInBackground(path, [image = widgetImage(view, size.imageSize(), size.scale()), path](const CancelTokenPtr &) {
            writePng(image, path);
        });
        return;
    }
    try {
        saveWidgetImage(view, path, size.imageSize(), size.scale());
        statusBar()->showMessage(QStringLiteral("Wrote %1").arg(path));
    } catch (const std::exception &e) {
        QMessageBox::warning(this, QStringLiteral("Cannot export"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::exportWholeTrace()
{
    if (!m_traces->currentTree()) {
        statusBar()->showMessage(QStringLiteral("Open a trace in the Traces tab first."));
        return;
    }
    const QString path = askSavePath(this, QStringLiteral("Export whole trace as image"), QString(),
                                     QStringLiteral("PNG image (*.png);;SVG drawing (*.svg)"));
    if (!path.isEmpty())
        writeWholeTrace(path);
}

bool MainWindow::writeWholeTrace(const QString &path)
{
    const auto tree = m_traces->currentTree();
    if (!tree)
        return false;
    if (path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive)) {
        writeInBackground(path, [image = wholeTraceImage(tree), path](const CancelTokenPtr &) { writePng(image, path); });
        return true;
    }
    try {
        writeTraceImage(tree, path);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, QStringLiteral("Cannot export"), QString::fromUtf8(e.what()));
        return false;
    }
    statusBar()->showMessage(QStringLiteral("Wrote %1").arg(path));
    Q_EMIT fileWritten(path);
    return true;
}

void MainWindow::copyCurrentView()
{
    QGuiApplication::clipboard()->setPixmap(m_tabs->currentWidget()->grab());
    statusBar()->showMessage(QStringLiteral("Copied a picture of the %1 view").arg(m_tabs->tabText(m_tabs->currentIndex())));
}

void MainWindow::editSources()
{
    const Workspace workspace = m_workspace;
    auto secrets = makeSystemSecretStore();
    SourcesDialog dialog(m_workspace.sources, secrets,
                         [workspace, secrets](const SourceConfig &s, const CancelTokenPtr &cancel) {
                             return probeSource(s, workspace, cancel, secrets);
                         },
                         this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Workspace edited = m_workspace;
    edited.view = workspaceToSave(m_workspace.filePath).view; // the picks and texts as they are, not as last saved
    edited.sources = dialog.sources();
    try {
        auto router = makeSourceRouter(edited, primarySourceId(edited));
        m_workspace = std::move(edited);
        m_router = std::move(router);
    } catch (const std::exception &e) {
        QMessageBox::warning(this, QStringLiteral("Sources"), QString::fromUtf8(e.what()));
        return;
    }
    applyWorkspace();
    markEdited();
}

void MainWindow::buildSavedQueries()
{
    m_saved = new SavedQueriesView(this);
    auto *dock = new QDockWidget(QStringLiteral("Saved queries"), this);
    dock->setObjectName(QStringLiteral("savedQueriesDock"));
    dock->setWidget(m_saved);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {220}, Qt::Horizontal);
    connect(m_saved, &SavedQueriesView::openQuery, this, &MainWindow::openSavedQuery);
    connect(m_saved, &SavedQueriesView::snapshotRequested, this, &MainWindow::keepSnapshot);
    connect(m_saved, &SavedQueriesView::queriesEdited, this, [this](const std::vector<SavedQuery> &queries) {
        m_workspace.queries = queries;
        markEdited();
    });
}

void MainWindow::showEvents(const Query &filter, const TimeRange &window)
{
    m_tabs->setCurrentWidget(m_events);
    m_events->setTimeRange(window);
    m_events->selectSource(routedSourceId(filter)); // a tile's query names none: the source the board read
    m_events->setSearchText(QString::fromStdString(filter.search));
    m_events->setFilterText(QString::fromStdString(whereListToText(filter.where)));
    m_events->refresh();
}

namespace {
// A query saved from the Query tab opens there again, as does raw SQL saved before the tab was recorded: the
// Metrics tab had run the greyed sentence beside it instead (exploratory GUI test).
bool opensInQueryTab(const SavedQuery &saved)
{
    return saved.view == "query" || (saved.view.empty() && !saved.query.raw.empty() && saved.query.signal != Signal::Metrics);
}

// Log records without an aggregate open as rows in the Events view; everything else as a chart.
bool opensAsEvents(const Query &query)
{
    return query.signal == Signal::Logs && query.agg.kind == Aggregate::Kind::None && query.raw.empty();
}

Query chartQuery(Query query)
{
    if (query.agg.kind == Aggregate::Kind::None && query.signal != Signal::Metrics)
        query.agg.kind = Aggregate::Kind::Count; // matching spans over time
    return query;
}
} // namespace

void MainWindow::openQuery(const Query &query)
{
    if (opensAsEvents(query)) {
        showEvents(query, m_picker->resolve(nowNs()));
        return;
    }
    Query chart = chartQuery(query);
    chart.source = routedSourceId(chart).toStdString();
    m_metrics->setQuery(chart);
    m_tabs->setCurrentWidget(m_metrics);
    m_metrics->refresh();
}

void MainWindow::openSavedQuery(const SavedQuery &saved)
{
    // It would have run on whatever the view had picked, under the saved query's name (exploratory test)
    if (const std::string &named = saved.query.source; !saved.snapshot && !named.empty() && !m_workspace.source(named)) {
        statusBar()->showMessage(QStringLiteral("The saved query \"%1\" reads the source \"%2\", which this workspace "
                                                "does not have: add it (File > Sources…) to run the query")
                                     .arg(QString::fromStdString(saved.name), QString::fromStdString(named)));
        return;
    }
    if (opensInQueryTab(saved)) {
        m_explore->setQuery(saved.query);
        m_tabs->setCurrentWidget(m_explore);
        if (saved.snapshot) // the Metrics tab had shown a raw SQL query's snapshot as a chart of its sentence (review)
            m_explore->showSnapshot(saved.query, *saved.snapshot);
        else
            m_explore->run();
    } else if (!saved.snapshot) {
        openQuery(saved.query);
    } else if (opensAsEvents(saved.query)) {
        m_events->showSnapshot(saved.query, *saved.snapshot);
        m_tabs->setCurrentWidget(m_events);
    } else {
        m_metrics->showSnapshot(chartQuery(saved.query), *saved.snapshot);
        m_tabs->setCurrentWidget(m_metrics);
    }
}

void MainWindow::keepSnapshot(int index)
{
    if (index < 0 || index >= static_cast<int>(m_workspace.queries.size()) || !m_source)
        return;
    const SavedQuery saved = m_workspace.queries[static_cast<std::size_t>(index)];
    const TimeRange range = m_picker->resolve(nowNs());
    const bool queryTab = opensInQueryTab(saved);
    Query query = opensAsEvents(saved.query) || queryTab ? saved.query : chartQuery(saved.query);
    if (queryTab && !query.raw.empty())
        query.limit = std::max(query.limit, ExploreView::kRawSqlRowLimit); // as the Query tab runs it
    if (opensAsEvents(query) && query.limit <= 0)
        query.limit = EventsView::kRowLimit;
    if (!opensAsEvents(query) && !queryTab && query.interval <= 0 && query.raw.empty()) // the Query tab runs it as it is
        query.interval = MetricsView::autoInterval(range.length());
    statusBar()->showMessage(QStringLiteral("Running \"%1\" for its snapshot…").arg(QString::fromStdString(saved.name)));
    m_snapshotRunner->run<FramePtr>(
        [source = m_source, query, range](const CancelTokenPtr &cancel) {
            Frame frame = source->query(query, range, cancel);
            completeTimeSeries(frame, query, range); // as the query view shows it
            return FramePtr(std::make_shared<const Frame>(std::move(frame)));
        },
        [this, saved, range](const FramePtr &frame) {
            for (SavedQuery &q : m_workspace.queries) {
                if (q.name == saved.name && q.folder == saved.folder) {
                    q.snapshot = Snapshot{nowNs(), range, frame};
                    statusBar()->showMessage(QStringLiteral("Kept a snapshot of \"%1\": %2")
                                                 .arg(QString::fromStdString(q.name), snapshotSummary(*q.snapshot)));
                }
            }
            m_saved->setQueries(m_workspace.queries);
            markEdited();
        },
        [this](const QString &message) { QMessageBox::warning(this, QStringLiteral("Cannot keep a snapshot"), message); });
}

void MainWindow::saveCurrentQuery()
{
    std::optional<Query> query;
    std::string view;
    if (m_tabs->currentWidget() == m_events) {
        query = m_events->currentQuery();
        view = "events";
    } else if (m_tabs->currentWidget() == m_explore) {
        query = m_explore->currentQuery();
        view = "query";
    } else if (m_tabs->currentWidget() == m_metrics) {
        query = m_metrics->formQuery();
        view = "metrics";
    }
    if (!query) {
        statusBar()->showMessage(QStringLiteral("Open the Events, Query or Metrics view with a valid query to save it"));
        return;
    }
    bool ok = false;
    const QString path = QInputDialog::getText(this, QStringLiteral("Save query as"),
                                               QStringLiteral("Name (a folder before a slash, e.g. auth/Login errors):"),
                                               QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || path.isEmpty())
        return;
    SavedQuery saved;
    saved.query = *query;
    saved.view = view;
    if (!setSavedQueryPath(saved, path)) {
        statusBar()->showMessage(QStringLiteral("A saved query needs a name after its folder, e.g. auth/Login errors"));
        return;
    }
    const auto sameName = [&](const SavedQuery &q) { return q.name == saved.name && q.folder == saved.folder; };
    if (std::any_of(m_workspace.queries.begin(), m_workspace.queries.end(), sameName)
        && QMessageBox::question(this, QStringLiteral("Save query as"),
                                 QStringLiteral("A saved query \"%1\" exists. Replace it?").arg(path))
               != QMessageBox::Yes)
        return;
    std::erase_if(m_workspace.queries, sameName);
    m_workspace.queries.push_back(std::move(saved));
    m_saved->setQueries(m_workspace.queries);
    markEdited();
    statusBar()->showMessage(QStringLiteral("Saved query \"%1\"").arg(path));
}

} // namespace fd

#pragma once
#include <array>
#include "models/BoardEvaluator.h"
#include "models/DataSource.h"
#include "models/SourceRouter.h"
#include "models/Workspace.h"
#include "widgets/MetricsView.h"
#include <QFuture>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <map>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QSystemTrayIcon;
class QTabWidget;

namespace fd {

class DoraView;
class ElidedLabel;
class EventsView;
class ExploreView;
class IncidentsView;
class SavedQueriesView;
class VariablesBar;
class JobRunner;
class SerialWriter;
class MissionBoardView;
class OtlpReceiver;
class TimeRangePicker;
class TracesView;

// The main window: a time-range picker and refresh over four views of the workspace's first source,
// and the OTLP receiver's address and live counts in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the error in the window and keeps the current workspace when the file is bad.
    bool openWorkspace(const QString &path);
    // As openWorkspace, but the file is read and checked off the GUI thread (after the saves under way), the
    // window usable meanwhile, and Esc cancels it: a workspace with snapshots can be hundreds of MB.
    void openWorkspaceInBackground(const QString &path);
    // From the request until the workspace is open, dropped or cancelled.
    bool isOpening() const { return m_opening; }
    const QString &openingPath() const { return m_openingPath; } // the last one asked for
    // The open workspace's file; empty before one is opened or saved.
    QString workspacePath() const { return m_workspace.filePath; }
    // Opens the workspace of the default store, where the receiver, `serve` and imports write (written beside
    // the store the first time), on its Events tab.
    bool openLocalData();
    // Starts the receiver writing into the default store; a failure becomes a status-bar warning.
    void startReceiver(const std::string &host, std::uint16_t port);
    void showBusyMessage(const QString &message);
    void setCurrentTab(int index);
    // Asked when a workspace being opened has unsaved edits from a session that crashed; true recovers
    // them. The default asks with a message box.
    void setRecoveryPrompt(std::function<bool(const QString &path)> prompt) { m_recoveryPrompt = std::move(prompt); }
    static QStringList recentWorkspaces();
    // Starts writing a report (.pdf, .html, .md) of the board or the trace on screen; false when neither is
    // there. fileWritten() says when it is written; a failure is said in a message box.
    bool writeReport(const QString &path);
    // The open trace's whole waterfall as a .png (written in the background, as a report) or .svg; false when
    // no trace is open.
    bool writeWholeTrace(const QString &path);
    // Streams files into the current store off the GUI thread, with a progress dialog and Cancel.
    // again: files imported before are read whole again (FileImporter::setImportAgain); without it, unchanged
    // ones are skipped, and the person asked whether to import them again.
    void importFiles(const QStringList &paths, bool again = false);
    // One workspace file opens (after asking about unsaved edits); anything else is imported.
    void openDroppedFiles(const QStringList &files);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

public Q_SLOTS:
    void refresh();
    void cancel();

    // Re-evaluates the board every `seconds` (60 by default) and notifies when a tile turns bad.
    void setWatching(bool on, int seconds = 0);
    // One tick of watching: the board evaluated again up to now (and DORA after it), unless it is still evaluating
    // (that would cancel it, and with an evaluation longer than the interval no board would ever come back).
    void watchTick();
    // Back to the range before the last zoom of the Events histogram.
    void zoomBack();

Q_SIGNALS:
    void importFinished(const QString &summary);
    void workspaceSaved(const QString &path); // written: saving runs on a thread of its own
    void fileWritten(const QString &path);    // an export written in the background
    void tileLeftRange(const QString &tile);

private:
    void offerImportAgain(const QStringList &paths, const QString &firstText);
    void showImportReport(const QString &summary, const QStringList &problems, bool attention);
    void buildUi();
    void buildMenus();
    void applyWorkspace();
    void updateReceiverStatus();
    // Saving writes on m_writer's thread; the close path waits for the file, the menus do not.
    enum class SaveWait { No, Yes };
    void saveWorkspaceAs(SaveWait wait = SaveWait::No);
    void chooseWorkspace();
    // Board edits live in m_workspace (the title shows *) until Save writes the file.
    void storeBoards(std::vector<Board> boards);
    // An edit not saved yet: the title shows *, and a recovery copy follows within seconds.
    void markEdited();
    void autosave();
    Workspace workspaceToSave(const QString &path) const;
    static void addRecentWorkspace(const QString &path);
    void fillRecentMenu(QMenu *menu);
    void exportCurrentView();
    void exportReport();
    void exportWholeTrace();
    bool canWriteReport() const;
    void copyCurrentView();
    void editSources();
    void buildSavedQueries();
    // Rows of logs in the Events view; anything else as a chart in the Metrics view.
    void openQuery(const Query &query);
    // Every view over `range`; `showing` (a view already on it) is not run again.
    void showRange(const TimeRange &range, QWidget *showing = nullptr);
    // A zoom in one view is the toolbar's range for all, as an absolute range; zoomBack() undoes it.
    void zoomAllTo(const TimeRange &range, QWidget *zoomed);
    void setPickerQuietly(const QString &from, const QString &to);
    // Its snapshot when it has one, else a live run.
    void openSavedQuery(const SavedQuery &saved);
    void keepSnapshot(int index);
    void showEvents(const Query &filter, const TimeRange &window);
    void saveCurrentQuery();
    bool save(SaveWait wait = SaveWait::No);
    // Starts writing the workspace to `path`; with SaveWait::Yes, true once it is written.
    bool writeWorkspace(const QString &path, SaveWait wait);
    // Says how the save to `path` (of the workspace opened `opened`-th) ended; false when it failed.
    bool savedOrNot(const QString &path, quint64 opened, const QString &error);
    // Asks about unsaved edits; false: the user cancelled.
    bool confirmDiscard();
    // Waits for the writes asked so far with the window painted and a "Saving…" dialog up, taking no input
    // meanwhile: a workspace with large snapshots takes seconds to write, and closing or opening needs its outcome.
    void waitForWrites();
    // The source of the board, events and traces: the first embedded store, else the first source.
    static std::string primarySourceId(const Workspace &w);
    // The workspace's sources a view can pick, each pinned (see PinnedSource): those that hold `holding`, else all,
    // with anyFirst "any, by signal" (the router itself) before them when there are several.
    std::vector<SourceChoice> sourceChoices(std::optional<Signal> holding, bool anyFirst = false);
    // A view's source picks: as the workspace left them, else the source the router gives the view's signal.
    void setViewSources();
    // The status bar's "source ID: where": the source the current tab reads, else the workspace's default.
    void showSourceLabel();
    // The source a query runs on: the one it names, else the one the workspace sends its signal to (signalSourceId).
    QString routedSourceId(const Query &q) const;
    QString signalSourceId(Signal signal) const;
    // The views that pick a source: their key in the workspace's view state, the view and its picker.
    struct ViewPicker {
        const char *key;
        const QWidget *view;
        SourcePicker *picker;
    };
    std::array<ViewPicker, 4> viewPickers() const;
    void showBoardFindings(const BoardResultPtr &result);
    void showTabStatus(const QWidget *view, const QString &message);
    QString tabStatusText(const QWidget *view) const; // its last message, and its pick's note
    QString tabKey(int index) const;
    void restoreViewState(); // the tab, the Events filter and search, the Query bar: as the workspace left them
    void notifyLeftRange(const BoardResultPtr &result);
    void connectIncidents();
    void storeIncidents();
    // Adds to the incident chosen in the Incidents tab (a new one when there is none).
    void addToIncident(const IncidentEntry &entry);
    void openIncidentEntry(const IncidentEntry &entry);
    // Shows what an entry's ref names: a trace, a query, a tile or a marker.
    void openReference(const Json &ref);
    void exportIncident(int index);
    // Runs `write` off the GUI thread, beside any other export: the status bar says when it is done, a message
    // box why not; Cancel (Esc) stops exports that have not begun writing.
    void writeInBackground(const QString &path, std::function<void(const CancelTokenPtr &)> write);

    Workspace m_workspace;
    std::shared_ptr<SourceRouter> m_router;
    DataSourcePtr m_source;
    TimeRangePicker *m_picker = nullptr;
    std::vector<std::pair<QString, QString>> m_zoomedFrom; // the picker's texts before each zoom, newest last
    QTabWidget *m_tabs = nullptr;
    MissionBoardView *m_board = nullptr;
    EventsView *m_events = nullptr;
    ExploreView *m_explore = nullptr;
    TracesView *m_traces = nullptr;
    MetricsView *m_metrics = nullptr;
    DoraView *m_dora = nullptr;
    IncidentsView *m_incidents = nullptr;
    SavedQueriesView *m_saved = nullptr;
    VariablesBar *m_variables = nullptr;
    struct LoadedWorkspace;
    // On any thread; cancel is looked at between the file and its recovery copy.
    static std::shared_ptr<LoadedWorkspace> loadWorkspaceForOpening(const QString &path, const CancelTokenPtr &cancel = {});
    bool adoptWorkspace(const QString &path, LoadedWorkspace &loaded);
    // A workspace read in the background becomes the window's once no dialog works on the one open, and the edits
    // made meanwhile are saved or discarded as the person says; dropped when another request came since.
    void adoptWhenFree(const QString &path, const std::shared_ptr<LoadedWorkspace> &loaded, quint64 request,
                       const std::function<bool()> &editedMeanwhile);
    quint64 m_openRequest = 0;
    bool m_opening = false;
    QString m_openingPath;
    quint64 m_edits = 0; // markEdited calls
    JobRunner *m_openRunner = nullptr;
    JobRunner *m_snapshotRunner = nullptr; // its own: a new job cancels its runner's last one
    JobRunner *m_doraRunner = nullptr;
    SerialWriter *m_writer = nullptr;
    std::optional<QFuture<QString>> m_lastSave; // its error message, empty when written
    quint64 m_opened = 0; // workspaces opened: a save's answer about another one changes nothing here
    CancelTokenPtr m_importCancel; // the last import's
    QPointer<QMessageBox> m_importReport; // the last import's outcome, open until closed
    QAction *m_watchAction = nullptr;
    QTimer m_watchTimer;
    int m_watchSeconds = 60;
    std::map<std::string, std::string> m_tileStates; // tile -> state at the last evaluation
    QSystemTrayIcon *m_tray = nullptr;
    ElidedLabel *m_sourceLabel = nullptr;
    std::map<const QWidget *, QString> m_tabStatus; // each tab's last status message, shown when it is current
    // A view's source kept by the workspace and gone from it, said beside its every message until the person picks
    std::map<const QWidget *, QString> m_goneSourceNotes;
    QLabel *m_receiverLabel = nullptr;
    std::unique_ptr<OtlpReceiver> m_receiver;
    QTimer m_statusTimer;
    QTimer m_autosaveTimer;
    std::function<bool(const QString &)> m_recoveryPrompt;
};

} // namespace fd

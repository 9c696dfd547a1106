#pragma once
#include "QueryResultView.h"
#include "SourcePicker.h"
#include "models/Snapshot.h"
#include "models/DataSource.h"
#include "models/FollowedRange.h"
#include "models/QueryHistory.h"
#include <functional>
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;
class QListView;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace fd {

class ElidedLabel;
class FieldCompletion;
class JobRunner;
class SerialWriter;
class FrameExport;
class PromQlEditor;
class QueryBar;

// The Query tab: a question typed as a sentence (QueryBar), the native query it compiles to (editable
// as a raw query), the answer as a table, chart or big number, and every query run, searchable.
class ExploreView : public QWidget
{
    Q_OBJECT
public:
    explicit ExploreView(QWidget *parent = nullptr);
    ~ExploreView() override;

    void setSource(DataSourcePtr source);
    // The sources a person can pick before the sentence (shown when there are several); `selected`, else the first.
    void setSources(std::vector<SourceChoice> sources, const QString &selected = {});
    SourcePicker *sourcePicker() const { return m_sourcePicker; }
    // The range of the runs: this one, or (followTimeRange) the one `now` gives as each run starts, so that a
    // range relative to now ("last 24 hours") moves on with the clock.
    void setTimeRange(const TimeRange &range);
    void followTimeRange(std::function<TimeRange()> now);
    // Runs the query last run again, over the range as it is now (not recorded in the history again).
    void refresh();
    // Loads the history kept there and appends every run to it; empty: kept in memory only.
    void setHistoryFile(const QString &path);
    // The workspace was saved under a new path: the history so far joins the one there (of a workspace saved
    // over) and goes on there.
    void keepHistoryAt(const QString &path);
    // The query the bar (or the raw editor) holds; nullopt with the error shown when it is wrong.
    static constexpr int kRawSqlRowLimit = 100'000; // rows of a raw SQL query the table holds at most
    std::optional<Query> currentQuery();
    // Shows a query: as a sentence, or in the raw editor when it has a raw part; on its source when it names one.
    void setQuery(const Query &q);
    // A saved query's kept answer, shown as a run's would be, without its source; Run runs it live.
    void showSnapshot(const Query &query, const Snapshot &snapshot);
    bool isRawMode() const;

    QueryBar *bar() const { return m_bar; }
    PromQlEditor *nativeEditor() const { return m_native; }
    QueryResultView *results() const { return m_results; }
    QueryHistoryModel *history() const { return m_history; }
    QListView *historyList() const { return m_historyList; }
    QLineEdit *historySearch() const { return m_historySearch; }
    FieldCompletion *fieldCompletion() const { return m_fields; }
    QString statusText() const;
    QString errorText() const;

public Q_SLOTS:
    void run();
    void cancel();
    void focusBar();
    void setRawMode(bool raw);
    // Writes the result shown as CSV (.csv) or JSON lines, off the GUI thread (FrameExport).
    void exportResult(const QString &path);

Q_SIGNALS:
    void statusMessage(const QString &message);
    void saveRequested();
    // A run finished (its result shown) or failed; for tests and the status bar.
    void finished(bool ok);
    void historyLoaded(); // the history file is read (or after "save as" merged and written) in the background, and shown

private:
    void historyRead(const std::vector<QueryHistoryEntry> &entries);
    void buildUi();
    QWidget *buildHistoryPanel();
    void updateNative();
    void clearShown(); // no answer, status or notes shown, and nothing to export
    void showLanguage(const SourceCapabilities &capabilities);
    void record(const Query &q, const QString &text);
    void applyTimeRange();
    void runQuery(const Query &query);
    void restore(const QModelIndex &index);
    void stepHistory(int step);
    void setBusy(bool busy);
    void updateExportButton();
    void showResult(const QueryResultView::Prepared &result, const TimeRange &range); // and offers its export
    void showFailure(const QString &message);
    void setErrorText(const QString &text);

    DataSourcePtr m_source;
    FollowedRange m_range;
    std::optional<Query> m_lastRun; // of this source
    QString m_historyPath;
    int m_historyIndex = -1; // the history row Up/Down show in the bar; -1: the draft
    QString m_draft;
    JobRunner *m_runner = nullptr;
    SerialWriter *m_historyFile = nullptr; // reads, appends to and rewrites the history file, which has no size limit
    quint64 m_historyGeneration = 0;       // a history read or merged for an earlier path is not shown
    FieldCompletion *m_fields = nullptr;
    QueryHistoryModel *m_history = nullptr;
    QTimer m_compileTimer;
    QTimer m_historyFilterTimer; // a search of a long history once typing pauses, not at every key
    QTimer m_progressTimer;
    QElapsedTimer m_elapsed;

    SourcePicker *m_sourcePicker = nullptr;
    QueryBar *m_bar = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    FrameExport *m_export = nullptr;
    FramePtr m_shown; // the result on screen, for its export
    QLabel *m_nativeLabel = nullptr;
    PromQlEditor *m_native = nullptr;
    QToolButton *m_rawButton = nullptr;
    QProgressBar *m_busy = nullptr;
    ElidedLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_notes = nullptr; // what the source said beside the rows
    QueryResultView *m_results = nullptr;
    QLineEdit *m_historySearch = nullptr;
    QListView *m_historyList = nullptr;
};

} // namespace fd

#pragma once
#include "models/DataSource.h"
#include "models/Incident.h"
#include "models/LoadedRows.h"
#include "models/Snapshot.h"
#include "models/FollowedRange.h"
#include "models/Time.h"
#include "SourcePicker.h"

#include <functional>
#include <QHash>
#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QToolButton;

namespace fd {

class DetailsTree;
class FieldCompletion;
class FrameExport;
class EventContextDialog;
class EventTableModel;
class FieldSidebar;
class JobRunner;
class SearchHighlightDelegate;
class VolumeHistogram;

// Log records of the time range: full-text search, a `field op value and ...` filter, the rows
// newest first in a table that pages in as it scrolls (sortable, search terms highlighted, copy as
// JSON/CSV, a live tail), the top values of the result's fields beside it, and every field of the
// selected record with filter / exclude / group by / show context on its values.
class EventsView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRowLimit = 1000; // rows a page
    static constexpr int kSidebarFields = 8;
    static constexpr int kTailIntervalMs = 1000;
    // While tailing, the histogram and the field sidebar count the result again this long after rows arrived.
    static constexpr int kTailSummaryIntervalMs = 5000;
    // Rows of a whole-result export that can only be one query (raw, or sorted by a field on a remote source:
    // all held in memory at once). Rows in time order are read by time, kExportPageRows a query, all of them;
    // sorted by a field, the store hands every row over in pages of its own.
    static constexpr int kExportLimit = 200'000;
    static constexpr int kExportPageRows = 4'000;

    explicit EventsView(QWidget *parent = nullptr);
    ~EventsView() override;

    void setSource(DataSourcePtr source);
    // The sources a person can pick beside the filter (shown when there are several); `selected`, else the first.
    void setSources(std::vector<SourceChoice> sources, const QString &selected = {});
    // Picks a source without running anything (the next refresh reads it); false when it is no choice here.
    bool selectSource(const QString &id);
    SourcePicker *sourcePicker() const { return m_sourcePicker; }
    // Takes effect at the next refresh(). followTimeRange: the range `now` gives as each refresh starts, so that a
    // range relative to now ("last 24 hours") moves on with the clock.
    void setTimeRange(const TimeRange &range);
    void followTimeRange(std::function<TimeRange()> now);
    TimeRange timeRange() const { return m_range.current(); }
    QString filterText() const;
    QString searchText() const;
    // The filter and search boxes as a workspace left them, without running them (the next refresh does).
    void restoreTexts(const QString &filter, const QString &search);
    EventTableModel *model() const { return m_model; }
    VolumeHistogram *histogram() const { return m_histogram; }
    FieldSidebar *sidebar() const { return m_sidebar; }
    EventContextDialog *contextDialog() const { return m_context; }
    QTableView *table() const { return m_table; }
    bool isTailing() const;
    void setTailSummaryInterval(int ms); // tests shorten it

public Q_SLOTS:
    void refresh();
    // Replaces the filter and runs it (a drill-down from another view).
    void setFilterText(const QString &text);
    // The query of the filter and search boxes; nullopt (and the error shown) when the filter is invalid.
    std::optional<Query> currentQuery();
    void setSearchText(const QString &text);
    // A saved query's kept answer instead of a live run (until the next refresh).
    void showSnapshot(const Query &query, const Snapshot &snapshot);
    void cancel();
    // Writes the loaded rows as shown, as CSV (.csv) or JSON lines (anything else): copied here, written off the
    // GUI thread with a progress dialog whose Cancel stops it; exportFinished says how it went.
    void exportRows(const QString &path);
    // Writes the whole result of the shown query as exportRows does: every row (exportsEveryRow), else the
    // first kExportLimit.
    void exportResult(const QString &path);
    void setTailing(bool on);
    void setTailPaused(bool paused);
    // The selected rows (the current one when none is selected, every loaded row without one) as a JSON array
    // or CSV, to the clipboard.
    void copySelectedRows(bool csv);
    QList<int> selectedRowNumbers() const;
    // The neighbouring events of the current row's service, in the context dialog.
    void showContext();

Q_SIGNALS:
    void statusMessage(const QString &message);
    void openTrace(const QString &traceId);
    void addToIncident(const IncidentEntry &entry);
    // A query the main window opens elsewhere (group by a field: counts per value over time).
    void openQuery(const Query &query);
    void exportFinished(const QString &message, bool ok);
    // A drag across the histogram zoomed this view to `range` (already shown here).
    void rangeZoomed(const TimeRange &range);

private:
    void buildUi();
    // The fields made columns, which an export to a CSV file writes as columns (JSON keeps them in its attributes).
    std::vector<std::string> fieldColumnsFor(const QString &path) const;
    QWidget *buildQueryBar();
    void showCount();
    void applyTimeRange();
    void refreshHistogram(const Query &rows);
    void zoomTo(const TimeRange &range);
    void showQueryFailure(const QString &message);
    void showNoResult(const QString &why);
    void showError(const QString &message);
    void setBusy(bool busy);
    void showDetails(const QModelIndex &current);
    void openRowTrace(const QModelIndex &index);
    // readKeys: count the keys when they are stale (not when a count just came: a tail would keep it reading).
    void fillColumnsMenu(bool readKeys = true);
    // Counts the attribute keys of the first loaded rows off the GUI thread (m_keyUse), then calls then.
    void readAttributeKeys(std::function<void()> then);
    void toggleExtraColumn(const QString &key, bool on);
    void addCondition(const QString &condition);
    void saveColumnWidths();
    void restoreColumnWidths();
    void buildTableActions();
    // update: the values shown stay until the new ones come (a live tail's recount).
    void summarizeFields(bool update = false);
    void scheduleTailSummary();
    void summarizeTail();
    void groupBy(const QString &field);
    void pollTail();
    void chooseExport();
    // Whether exportResult writes every row of the shown result (else the first kExportLimit).
    bool exportsEveryRow() const;
    // Rows by time (neither raw nor sorted by a field): read a page after the other by time (pageRowsByTime).
    static bool inTimeOrder(const Query &q);
    // The range grown to the newest row the tail brought, past its end (rows stamped earlier than its start
    // are not in it: those of a source's arrival order, late and rare).
    TimeRange rangeWithTailedRows() const;
    void keepScrollOnInsert(int count);

    DataSourcePtr m_source;
    QHash<QString, int> m_columnWidths; // by header text, kept across results
    FollowedRange m_range;
    JobRunner *m_histogramRunner = nullptr;
    JobRunner *m_copyRunner = nullptr;
    JobRunner *m_keysRunner = nullptr;
    std::vector<KeyUse> m_keyUse; // of the first loaded rows: the columns menu's keys, the sidebar's fields
    int m_rowsGeneration = 0;     // counts the results and the rows a tail brought
    int m_keysGeneration = -1;    // the m_rowsGeneration m_keyUse was counted at
    std::vector<std::string> m_sidebarFields; // those the sidebar counts
    FrameExport *m_export = nullptr;
    FieldCompletion *m_fields = nullptr; // the filter's completion: log fields and their values
    VolumeHistogram *m_histogram = nullptr;
    EventTableModel *m_model = nullptr;
    QString m_snapshotText; // while a snapshot is shown

    QLineEdit *m_search = nullptr;
    QLineEdit *m_filter = nullptr;
    SourcePicker *m_sourcePicker = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_busy = nullptr;
    QToolButton *m_columnsButton = nullptr;
    QMenu *m_columnsMenu = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_notes = nullptr; // what the source said beside the rows
    QToolButton *m_tailButton = nullptr;
    QToolButton *m_pauseButton = nullptr;
    QTimer *m_tailTimer = nullptr;
    QTimer *m_tailSummaryTimer = nullptr;
    bool m_summaryPending = false;
    Query m_shownQuery;
    SearchHighlightDelegate *m_highlight = nullptr;
    FieldSidebar *m_sidebar = nullptr;
    EventContextDialog *m_context = nullptr;
    QTableView *m_table = nullptr;
    DetailsTree *m_details = nullptr;
};

} // namespace fd

#pragma once
#include "models/DataSource.h"
#include "models/Incident.h"
#include "models/Snapshot.h"
#include "models/Time.h"

#include <QHash>
#include <QWidget>
#include <optional>

class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QTableView;
class QToolButton;

namespace fd {

class DetailsTree;
class EventTableModel;
class JobRunner;
class VolumeHistogram;

// Log records of the time range: full-text search, a `field op value and ...` filter, the newest
// rows in a table with user-chosen attribute columns, and every field of the selected record.
class EventsView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRowLimit = 1000;

    explicit EventsView(QWidget *parent = nullptr);
    ~EventsView() override;

    void setSource(DataSourcePtr source);
    // Takes effect at the next refresh().
    void setTimeRange(const TimeRange &range);
    TimeRange timeRange() const { return m_range; }
    QString filterText() const;
    EventTableModel *model() const { return m_model; }
    VolumeHistogram *histogram() const { return m_histogram; }

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
    // Writes the loaded rows as CSV (.csv) or JSON lines (anything else); false after showing the error.
    bool exportRows(const QString &path);

Q_SIGNALS:
    void statusMessage(const QString &message);
    void openTrace(const QString &traceId);
    void addToIncident(const IncidentEntry &entry);

private:
    void buildUi();
    QWidget *buildQueryBar();
    void showResult(const FramePtr &frame);
    void refreshHistogram(const Query &rows);
    void zoomTo(const TimeRange &range);
    void showError(const QString &message);
    void setBusy(bool busy);
    void showDetails(const QModelIndex &current);
    void openRowTrace(const QModelIndex &index);
    void fillColumnsMenu();
    void toggleExtraColumn(const QString &key, bool on);
    void addCondition(const QString &condition);
    void saveColumnWidths();
    void restoreColumnWidths();

    DataSourcePtr m_source;
    QHash<QString, int> m_columnWidths; // by header text, kept across results
    TimeRange m_range;
    JobRunner *m_runner = nullptr;
    JobRunner *m_histogramRunner = nullptr;
    VolumeHistogram *m_histogram = nullptr;
    EventTableModel *m_model = nullptr;

    QLineEdit *m_search = nullptr;
    QLineEdit *m_filter = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_busy = nullptr;
    QToolButton *m_columnsButton = nullptr;
    QMenu *m_columnsMenu = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    DetailsTree *m_details = nullptr;
};

} // namespace fd

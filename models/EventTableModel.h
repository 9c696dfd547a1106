#pragma once
#include "DataSource.h"
#include "EventPage.h"
#include "Frame.h"
#include "Json.h"
#include "LoadedRows.h"
#include "TailWindow.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QStringList>
#include <deque>
#include <functional>
#include <optional>

namespace fd {

class JobRunner;

// Log records of a logs query as a table: Time, Severity, Service, Body, then the attribute columns
// the user picked. Rows are the pages fetched so far, each stored compactly as an EventPage (numbers as
// arrays, text interned in one arena, JSON kept as its text) plus 8 bytes a row; data() reads them in
// O(1). Attribute columns parse a row's JSON on first use and keep it in a bounded cache.
//
// start() pages through a query: the first page at once, the next one (keyset: the same query over
// [from, oldest loaded time], or [newest loaded time, to] when oldest first) when the view asks with
// fetchMore(), off the GUI thread; the total comes from the first page or a count query. fetchNewer() adds
// on top the rows stored since, in the order they arrived, from a source that keeps that order (the
// embedded store); from others, the rows newer than the newest loaded. Sorting runs the query again in that order
// where the source can (every row of the result in order, further pages at offsets for a column other than
// time); elsewhere it orders the loaded rows.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum FixedColumn { TimeColumn, SeverityColumn, ServiceColumn, BodyColumn, FixedColumnCount };
    enum Role {
        RecordJsonRole = Qt::UserRole + 1, // QString: every column of the row as one JSON object
        TraceIdRole, // QString, empty when the record has none
        SeverityRole, // int, OpenTelemetry severity number
        TimeRole, // qint64 nanoseconds since the epoch
    };

    explicit EventTableModel(QObject *parent = nullptr);
    ~EventTableModel() override;

    // Shows fixed rows, without paging. Past kFrameHereRows they are made into a page off the GUI thread (a
    // snapshot of 200,000 rows had been on it), loading meanwhile.
    void setFrame(FramePtr frame);
    static constexpr std::size_t kFrameHereRows = 20000;
    // The first page's columns, notes, total and native query, without its rows (nullptr before any).
    FramePtr frame() const { return m_header; }

    // Pages through q (its limit is the page size) over range; the old rows stay until the first page arrives,
    // and go when it fails (loadFailed) or is cancelled.
    void start(DataSourcePtr source, const Query &q, const TimeRange &range);
    void cancel();
    bool isLoading() const;
    // All rows of the result: -1 while unknown.
    qint64 totalCount() const { return m_total; }
    // The time of the newest row the tail brought (fetchNewer) since the first page; nullopt for none.
    std::optional<TimeNs> newestTailedTime() const { return m_newestTailed; }
    // The arrival mark of the rows shown, those the tail brought included (-1: the source keeps none): the
    // same query with Query::arrivedUpTo at it reads the result as shown.
    std::int64_t arrivalMark() const { return m_arrival; }
    // Bytes held by the loaded rows: their pages and the row index (not the parsed-JSON cache).
    std::size_t loadedBytes() const;
    // "N loaded of M", and what a sort covers.
    QString countText() const;
    // Polls once for rows stored since (else newer than the newest loaded) and inserts them on top; ignored
    // while sorted (canTail). A model polled so runs its query again, for another order, up to now: the rows
    // stored meanwhile past its range's end would be below the tail's mark, never shown (exploratory test).
    void fetchNewer();
    // Newest first as the query returns them: the tail can add rows on top.
    bool canTail() const;
    // No more fetchNewer: a query run again for another order keeps to the range (review).
    void endTail() { m_polled = false; }
    // The loaded rows ordered here (the query's other rows are not loaded while so).
    bool isSorted() const { return !m_order.empty(); }
    // The loaded rows are being sorted (off the GUI thread); the rows shown keep their order until then.
    bool isSorting() const;
    // Stops a sort being computed; the rows keep the order shown, and orderShown says which.
    void cancelSort();
    // The query orders every row of the result by a column other than time (sources whose capabilities
    // say sortByField); pages go on from the rows loaded.
    bool isSortedByField() const { return !m_query.sortField.empty(); }
    // How the rows are ordered: Query::oldestFirst, sortField and sortDescending as the model runs it.
    const Query &query() const { return m_query; }
    // The query runs oldest first (the time column sorted ascending on a source that can).
    bool isOldestFirst() const { return m_query.oldestFirst; }
    // What the current order covers, for the header tooltip and the status line.
    QString sortText() const;

    // A row (of the unsorted order) shown bold on a blue tint; -1 for none.
    void setMarkedRow(int row);

    // Rows in view order (all when empty), their frame to be made on any thread.
    LoadedRows loadedRows(const QList<int> &rows = {}) const;

    // Attribute keys shown after the fixed columns; looked up in the record attributes, then the resource.
    void setExtraColumns(const QStringList &keys);
    QStringList extraColumns() const { return m_extraColumns; }
    const std::vector<std::string> &extraKeys() const { return m_extraKeys; }
    // The first kKeyScanRows loaded rows, whose attribute and resource keys (LoadedRows::keyUse) are counted on
    // another thread: the column menu's keys and the sidebar's fields.
    std::function<std::vector<KeyUse>(const CancelTokenPtr &)> keyUseJob() const;

    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }

    // Every column of one row, times as RFC 3339 and JSON columns parsed.
    Json record(int row) const;
    qint64 timeAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    static constexpr int kKeyScanRows = 5000;
    // Up to this many loaded rows sort on the GUI thread (about 20 ms by a JSON attribute); more sort off it.
    static constexpr std::uint32_t kSortHereRows = 5000;

Q_SIGNALS:
    void loadingChanged(bool loading);
    // After the first page, a next page, the total or rows from fetchNewer() arrived.
    void countChanged();
    void loadFailed(const QString &message);
    // Rows inserted on top by fetchNewer().
    void newerRowsInserted(int count);
    // The rows shown are now in this order (a header shows it): after a sort, or when one was cancelled.
    void orderShown(int column, Qt::SortOrder order);

private:
    using PagePtr = std::shared_ptr<const EventPage>;
    // A fetched page: its rows, and the frame it came in without them.
    struct Fetched {
        PagePtr page;
        FramePtr header;
    };
    using FetchedPtr = std::shared_ptr<const Fetched>;
    using RowRef = LoadedRows::Ref;
    struct ParsedRow {
        Json attributes;
        Json resource;
    };
    struct ColumnIndex {
        int time = -1, severity = -1, severityText = -1, service = -1, body = -1;
        int traceId = -1, attributes = -1, resource = -1;
    };
    static FetchedPtr fetch(const DataSourcePtr &source, const Query &q, const TimeRange &range,
                            const CancelTokenPtr &cancel);
    static FetchedPtr fromFrame(const Frame &frame);
    void runPage(JobRunner *runner, const Query &q, const TimeRange &range, bool furtherPage,
                 std::function<void(const FetchedPtr &)> done);
    void reset(const FetchedPtr &first, bool hasMore);
    void clearRows();
    void showFirstPage(const FetchedPtr &fetched);
    void appendPage(const FetchedPtr &fetched, int requested);
    bool keepNotes(const Frame &page); // true when the page said something new
    TimeRange rangeToNow() const;
    void prependPage(const FetchedPtr &fetched);
    void noteNewestTailed(const EventPage &page, const std::vector<std::uint32_t> &rows);
    Qt::SortOrder serverOrder() const { return m_query.oldestFirst ? Qt::AscendingOrder : Qt::DescendingOrder; }
    bool ordersOnServer(int column) const;
    bool sortsOnServer(int column) const;
    // The field a column shows, as a query names it (empty for none).
    std::string sortField(int column) const;
    void countTotal();
    void stopJobs();
    void setLoading(bool loading);
    // Sorts the loaded rows here: off the GUI thread unless by time.
    void applySort(int column, Qt::SortOrder order);
    void showOrder(std::vector<std::uint32_t> order, int column, Qt::SortOrder sortOrder);
    RowSortKey sortKey(int column) const;
    // A new query when the order chosen is not the one the query ran in and the source can run it; else a sort here.
    void applyOrder();

    LoadedRows firstRows(int n) const; // rows 0 to n - 1 in view order (all there are when fewer)
    const RowRef &ref(int row) const { return m_rows[m_order.empty() ? std::size_t(row) : m_order[std::size_t(row)]]; }
    bool isMarked(int row) const
    {
        return m_marked >= 0 && (m_order.empty() ? row : int(m_order[std::size_t(row)])) == m_marked;
    }
    const EventPage &pageOf(int row, std::size_t &pageRow) const;
    // The column of a row's page; false when the page has no such column.
    bool at(int row, int column, const EventPage *&page, std::size_t &pageRow) const;
    QString text(int row, int column) const;
    int severity(int row) const;
    QString severityText(int row) const;
    QString timeText(int row) const;
    QString bodyText(int row) const;
    QString extraText(int row, const std::string &key) const;
    const ParsedRow &parsed(int row) const;
    QVariant severityColor(int row, int role, int column) const;

    std::vector<PagePtr> m_pages;
    FramePtr m_header;
    std::deque<RowRef> m_rows; // newest first
    std::vector<std::uint32_t> m_order; // view row -> m_rows index while sorted by anything but newest first
    int m_marked = -1; // an m_rows index
    int m_sortColumn = TimeColumn; // asked for
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    int m_shownColumn = TimeColumn; // what the rows shown are in, while a sort is computed
    Qt::SortOrder m_shownOrder = Qt::DescendingOrder;
    ColumnIndex m_cols;
    QStringList m_extraColumns;
    std::vector<std::string> m_extraKeys;
    bool m_utc = false;
    mutable QCache<quint64, ParsedRow> m_parsed { 4096 };

    DataSourcePtr m_source;
    Query m_query;
    bool m_polled = false; // fetchNewer was called since the query started
    TimeRange m_range;
    bool m_hasMore = false;
    bool m_firstPagePending = false; // start() asked a first page that has not come: the rows are of another query
    bool m_changing = false; // between begin and end of a reset or an insertion
    qint64 m_total = 0;
    TailWindow m_top; // where a tail by time goes on
    TimeEdge m_bottom; // the last loaded rows' time, where the pages go on
    // Of a source that keeps arrival order (-1 otherwise): the first page's mark, where its further pages and
    // its count stop, and the mark of the rows loaded, after which the tail continues.
    std::int64_t m_firstArrival = -1;
    std::int64_t m_arrival = -1;
    std::size_t m_tailedRows = 0; // on top in the order they arrived (a row stamped late among them)
    std::optional<TimeNs> m_newestTailed;
    JobRunner *m_pager;
    JobRunner *m_counter;
    JobRunner *m_tail;
    JobRunner *m_sorter;
};

} // namespace fd

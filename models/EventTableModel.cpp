#include "EventTableModel.h"
#include "FieldColumns.h"
#include "JobRunner.h"
#include "Telemetry.h"

#include <QDateTime>
// Only the value type: QColor is what views expect for ForegroundRole/BackgroundRole.
#include <QtGui/QColor>
#include <QtGui/QFont>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace fd {

namespace {

constexpr int kBodyDisplayChars = 500;

enum class Level { Other, Warn, Error };

Level levelOf(int severity)
{
    if (severity >= 17)
        return Level::Error;
    if (severity >= 13)
        return Level::Warn;
    return Level::Other;
}

// The frame without its rows: what frame() shows of a page.
FramePtr headerOf(const Frame &f)
{
    auto h = std::make_shared<Frame>();
    for (const Column &c : f.columns)
        h->columns.push_back({ c.name, c.type, {} });
    h->truncated = f.truncated;
    h->total = f.total;
    h->nativeQuery = f.nativeQuery;
    h->notes = f.notes;
    h->statistics = f.statistics;
    h->arrivalMark = f.arrivalMark;
    return h;
}

} // namespace

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_pager(new JobRunner(this))
    , m_counter(new JobRunner(this))
    , m_tail(new JobRunner(this))
    , m_sorter(new JobRunner(this))
{
    for (JobRunner *r : { m_pager, m_counter, m_sorter })
        connect(r, &JobRunner::busyChanged, this, [this] { setLoading(isLoading()); });
}

EventTableModel::~EventTableModel()
{
    // The runners cancel their jobs when they die; they must not call back into a half-destroyed model.
    for (JobRunner *r : { m_pager, m_counter, m_tail, m_sorter })
        r->disconnect(this);
}

EventTableModel::FetchedPtr EventTableModel::fromFrame(const Frame &frame)
{
    return std::make_shared<const Fetched>(Fetched { std::make_shared<const EventPage>(frame), headerOf(frame) });
}

// Runs on a worker thread: the page is stored compactly there, and the frame is gone before the GUI sees it.
EventTableModel::FetchedPtr EventTableModel::fetch(
    const DataSourcePtr &source, const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return fromFrame(source->query(q, range, cancel));
}

// The total is counted once per query, with the first page: further pages (older or newer) skip it.
void EventTableModel::runPage(JobRunner *runner, const Query &q, const TimeRange &range, bool furtherPage,
                              std::function<void(const FetchedPtr &)> done)
{
    const DataSourcePtr src = m_source;
    runner->run<FetchedPtr>(
        [src, q, range, furtherPage](const CancelTokenPtr &cancel) {
            Query page = q;
            page.countTotal = !furtherPage;
            return fetch(src, page, range, cancel);
        },
        std::move(done), [this, runner, furtherPage](const QString &message) {
            if (runner == m_pager && !furtherPage) // a new query's first page: the rows shown are of another
                clearRows();
            Q_EMIT loadFailed(message);
        });
}

// Rows of the query before would read as this one's, and scrolling would page this one on under them.
void EventTableModel::clearRows()
{
    m_firstPagePending = false;
    reset(nullptr, false);
    m_total = 0;
    Q_EMIT countChanged();
}

void EventTableModel::setFrame(FramePtr frame)
{
    stopJobs();
    m_source.reset();
    m_query.sortField.clear(); // fixed rows: sorted here, whatever order the last query ran in
    m_query.oldestFirst = false;
    const auto show = [this](const FetchedPtr &fetched) {
        reset(fetched, false);
        m_total = rowCount();
        Q_EMIT countChanged();
    };
    if (!frame || frame->rowCount() <= kFrameHereRows) {
        show(frame ? fromFrame(*frame) : nullptr);
        return;
    }
    show(nullptr);
    setLoading(true);
    m_pager->run<FetchedPtr>([frame](const CancelTokenPtr &) { return fromFrame(*frame); },
                             [this, show](const FetchedPtr &fetched) {
                                 setLoading(false);
                                 show(fetched);
                             },
                             [this](const QString &message) {
                                 setLoading(false);
                                 Q_EMIT loadFailed(message);
                             });
}

void EventTableModel::start(DataSourcePtr source, const Query &q, const TimeRange &range)
{
    stopJobs();
    m_source = std::move(source);
    m_query = q;
    m_query.oldestFirst = ordersOnServer(m_sortColumn) && m_sortOrder == Qt::AscendingOrder;
    m_query.sortField = sortsOnServer(m_sortColumn) ? sortField(m_sortColumn) : std::string();
    m_query.sortByAttribute = m_sortColumn >= FixedColumnCount;
    m_query.sortDescending = m_sortOrder == Qt::DescendingOrder;
    m_query.rowOffset = 0;
    m_range = range;
    m_polled = false;
    runPage(m_pager, m_query, range, false, [this](const FetchedPtr &fetched) { showFirstPage(fetched); });
    m_firstPagePending = true;
    setLoading(true);
}

void EventTableModel::cancel()
{
    cancelSort();
    stopJobs();
}

void EventTableModel::stopJobs()
{
    const bool firstPageDropped = m_firstPagePending;
    m_pager->cancel();
    m_counter->cancel();
    m_tail->cancel();
    m_sorter->cancel(); // a new query keeps the order asked for
    setLoading(false);
    if (firstPageDropped)
        clearRows();
}

bool EventTableModel::isLoading() const
{
    return m_pager->busy() || m_counter->busy() || m_sorter->busy();
}

bool EventTableModel::isSorting() const
{
    return m_sorter->busy();
}

void EventTableModel::setLoading(bool loading)
{
    Q_EMIT loadingChanged(loading);
}

QString EventTableModel::countText() const
{
    const QString total = m_total >= 0 ? QString::number(m_total) : QStringLiteral("…");
    return tr("%1 loaded of %2").arg(rowCount()).arg(total);
}

std::size_t EventTableModel::loadedBytes() const
{
    std::size_t n = m_rows.size() * sizeof(RowRef) + m_order.capacity() * sizeof(std::uint32_t);
    for (const PagePtr &p : m_pages)
        n += p->bytes();
    return n;
}

QString EventTableModel::sortText() const
{
    if (isSorting())
        return tr("sorting the %1 loaded rows by %2 …").arg(rowCount()).arg(headerData(m_sortColumn, Qt::Horizontal).toString());
    if (!isSorted() && m_tailedRows > 0)
        return tr("newest first, as the query returns them, below the %n row(s) the tail added on top as they "
                  "arrived", nullptr, static_cast<int>(m_tailedRows));
    if (isSortedByField())
        return tr("every row of the result by %1 (%2), then newest first")
            .arg(headerData(m_sortColumn, Qt::Horizontal).toString(),
                 m_sortOrder == Qt::AscendingOrder ? tr("ascending") : tr("descending"));
    if (!isSorted())
        return m_query.oldestFirst ? tr("oldest first, as the query returns them: every row of the result in order")
                                   : tr("newest first, as the query returns them: every row of the result in order");
    const QString column = headerData(m_sortColumn, Qt::Horizontal).toString();
    return tr("the %1 loaded rows sorted by %2 (%3); the query's other rows are not loaded while sorted")
        .arg(rowCount())
        .arg(column, m_sortOrder == Qt::AscendingOrder ? tr("ascending") : tr("descending"));
}

void EventTableModel::reset(const FetchedPtr &first, bool hasMore)
{
    beginResetModel();
    m_changing = true;
    m_hasMore = hasMore;
    m_pages.clear();
    m_header.reset();
    m_rows.clear();
    m_order.clear();
    m_sorter->cancel();
    m_shownColumn = isSortedByField() ? m_sortColumn : int(TimeColumn);
    m_shownOrder = isSortedByField() ? m_sortOrder : serverOrder();
    m_parsed.clear();
    m_cols = {};
    const DurationNs resolution = m_source ? m_source->capabilitiesFor(m_query).timeResolution : 1;
    m_bottom = TimeEdge(resolution);
    m_top = TailWindow(resolution, m_range.from);
    m_marked = -1;
    m_firstArrival = m_arrival = first ? first->header->arrivalMark : -1;
    m_tailedRows = 0;
    m_newestTailed.reset();
    if (first) {
        const EventPage &page = *first->page;
        const auto idx = [&page](const char *name) { return page.columnIndex(name); };
        m_cols.time = idx("time");
        m_cols.severity = idx("severity");
        m_cols.severityText = idx("severity_text");
        m_cols.service = idx("service.name");
        m_cols.body = idx("body");
        m_cols.traceId = idx("trace_id");
        m_cols.attributes = idx("attributes");
        m_cols.resource = idx("resource");
        std::vector<std::uint32_t> rows(page.rowCount());
        for (std::size_t r = 0; r < rows.size(); ++r) {
            rows[r] = static_cast<std::uint32_t>(r);
            m_rows.push_back({ 0, rows[r] });
        }
        m_pages.push_back(first->page);
        m_header = first->header;
        m_bottom.advance(*m_pages.front(), rows, true);
        if (hasMore && !rows.empty()) // the rest of the last row's step may be below the cut
            m_top = TailWindow(resolution, saturatedAdd(m_bottom.time(), resolution));
        m_top.add(*m_pages.front(), rows);
    }
    m_changing = false;
    endResetModel();
    if (!isSortedByField() && (m_sortColumn != TimeColumn || m_sortOrder != serverOrder()))
        applySort(m_sortColumn, m_sortOrder);
}

void EventTableModel::showFirstPage(const FetchedPtr &fetched)
{
    m_firstPagePending = false;
    const Frame &frame = *fetched->header;
    const auto rows = static_cast<qint64>(fetched->page->rowCount());
    m_total = rows;
    reset(fetched, frame.truncated || rows >= m_query.limit);
    if (!m_hasMore)
        m_total = rows;
    else if (frame.total > rows)
        m_total = frame.total;
    else
        countTotal();
    Q_EMIT countChanged();
}

void EventTableModel::countTotal()
{
    m_total = -1;
    Query q = m_query;
    q.arrivedUpTo = m_firstArrival;
    q.agg = Aggregate { Aggregate::Kind::Count, {}, 0 };
    q.groupBy.clear();
    q.interval = 0;
    const DataSourcePtr src = m_source;
    const TimeRange range = m_range;
    m_counter->run<qint64>(
        [src, q, range](const CancelTokenPtr &cancel) -> qint64 {
            const Frame f = src->query(q, range, cancel);
            return f.rowCount() > 0 && !f.columns.empty() ? cellToInt(f.columns.back().cells.front()) : -1;
        },
        [this](const qint64 &total) {
            m_total = total;
            Q_EMIT countChanged();
        },
        [this](const QString &message) { Q_EMIT loadFailed(message); });
}

bool EventTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_source && m_hasMore && !m_changing && !m_pager->busy() && !isSorted()
        && !isSorting() && !m_rows.empty();
}

void EventTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    Query q = m_query;
    q.arrivedUpTo = m_firstArrival; // rows stored since come through the tail, on top
    if (isSortedByField()) { // the same order on from the rows loaded: ties have an order of their own
        q.rowOffset = rowCount();
        runPage(m_pager, q, m_range, true, [this, limit = q.limit](const FetchedPtr &fetched) { appendPage(fetched, limit); });
        setLoading(true);
        return;
    }
    q.limit = m_query.limit + static_cast<int>(m_bottom.rowsAtTime());
    // Keyset paging: the same query from the last loaded time on, inclusive (ranges are half-open).
    const TimeRange range = m_query.oldestFirst ? TimeRange { m_bottom.time(), m_range.to }
                                                : TimeRange { m_range.from, m_bottom.stepEnd() };
    const int requested = q.limit;
    runPage(m_pager, q, range, true, [this, requested](const FetchedPtr &fetched) { appendPage(fetched, requested); });
    setLoading(true);
}

void EventTableModel::appendPage(const FetchedPtr &fetched, int requested)
{
    const EventPage &page = *fetched->page;
    std::vector<std::uint32_t> rows;
    if (isSortedByField()) { // at an offset: none of these is loaded (rows alike are rows of their own)
        rows.resize(page.rowCount());
        std::iota(rows.begin(), rows.end(), 0U);
    } else {
        rows = m_bottom.newRows(page);
    }
    // A source that ignores the range would repeat itself: stop rather than loop.
    m_hasMore = !rows.empty() && (fetched->header->truncated || static_cast<int>(page.rowCount()) >= requested);
    if (!rows.empty()) {
        const int first = rowCount();
        // Views (and QAbstractItemModelTester) may call fetchMore() from the insertion signals.
        m_changing = true;
        beginInsertRows({}, first, first + static_cast<int>(rows.size()) - 1);
        const auto index = static_cast<std::uint32_t>(m_pages.size());
        m_pages.push_back(fetched->page);
        for (std::uint32_t r : rows)
            m_rows.push_back({ index, r });
        m_bottom.advance(page, rows, true);
        m_changing = false;
        endInsertRows();
    }
    keepNotes(*fetched->header);
    Q_EMIT countChanged();
}

// A further page's notes (a shard that failed this time, a warning) count for the result as much as the first's.
bool EventTableModel::keepNotes(const Frame &page)
{
    if (!m_header)
        return false;
    std::vector<std::string> notes = m_header->notes;
    for (const std::string &note : page.notes)
        if (std::find(notes.begin(), notes.end(), note) == notes.end())
            notes.push_back(note);
    if (notes.size() == m_header->notes.size())
        return false;
    auto header = std::make_shared<Frame>(*m_header);
    header->notes = std::move(notes);
    m_header = std::move(header);
    return true;
}

// The range, reaching on to now (and a minute past, for clocks a little ahead) when it ended before.
TimeRange EventTableModel::rangeToNow() const
{
    return { m_range.from, std::max(m_range.to, nowNs() + kMinute) };
}

bool EventTableModel::canTail() const
{
    return !isSorted() && !isSorting() && !isSortedByField() && !m_query.oldestFirst;
}

void EventTableModel::fetchNewer()
{
    m_polled = true;
    if (!m_source || !canTail() || m_tail->busy() || m_pager->busy())
        return;
    const auto prepend = [this](const FetchedPtr &fetched) { prependPage(fetched); };
    if (m_arrival >= 0) {
        // Every row stored since the last poll, stamped late or ahead, but none before the range: the
        // histogram, the sidebar and an export count the range (grown to the newest row tailed), so such a row
        // would be in the table alone.
        Query q = m_query;
        q.arrivedAfter = m_arrival;
        runPage(m_tail, q, { m_range.from, std::numeric_limits<TimeNs>::max() }, true, prepend);
        return;
    }
    Query q = m_query;
    q.limit = m_query.limit + static_cast<int>(m_top.rowsKnown());
    // From the top's reach on, oldest first: with more new rows than a page, the newest page would leave a gap
    // below it.
    q.oldestFirst = !m_rows.empty();
    const TimeNs from = m_rows.empty() ? m_range.from : std::max(m_range.from, m_top.from());
    const TimeRange range { from, std::max(nowNs() + kMinute, saturatedAdd(from, 1)) };
    // Before any row, the first poll is a first page.
    runPage(m_tail, q, range, !m_rows.empty(), prepend);
}

void EventTableModel::prependPage(const FetchedPtr &fetched)
{
    const bool byArrival = m_arrival >= 0;
    if (m_pages.empty() || (m_rows.empty() && !byArrival)) { // newest first, as a first page
        showFirstPage(fetched);
        return;
    }
    if (isSorted())
        return;
    std::vector<std::uint32_t> rows;
    if (byArrival) { // in the order they arrived, none loaded before
        if (fetched->header->arrivalMark < m_arrival) {
            // The source lost its newest rows (emptied, rewritten), and new ones may reuse their marks: read
            // the result again rather than miss rows or show them twice.
            start(m_source, m_query, rangeToNow());
            return;
        }
        rows.resize(fetched->page->rowCount());
        std::iota(rows.begin(), rows.end(), 0U);
        m_arrival = fetched->header->arrivalMark;
    } else {
        rows = m_top.newRows(*fetched->page);
    }
    const bool newNotes = keepNotes(*fetched->header);
    if (rows.empty()) {
        if (newNotes)
            Q_EMIT countChanged();
        return;
    }
    const int count = static_cast<int>(rows.size());
    noteNewestTailed(*fetched->page, rows);
    m_changing = true;
    beginInsertRows({}, 0, count - 1);
    const auto index = static_cast<std::uint32_t>(m_pages.size());
    m_pages.push_back(fetched->page);
    for (std::uint32_t r : rows) // oldest first: the newest ends on top
        m_rows.push_front({ index, r });
    if (!byArrival)
        m_top.add(*fetched->page, rows);
    m_tailedRows += rows.size();
    m_changing = false;
    endInsertRows();
    if (m_total >= 0)
        m_total += count;
    Q_EMIT newerRowsInserted(count);
    Q_EMIT countChanged();
}

void EventTableModel::noteNewestTailed(const EventPage &page, const std::vector<std::uint32_t> &rows)
{
    const int timeColumn = page.columnIndex("time");
    if (timeColumn < 0)
        return;
    for (std::uint32_t r : rows) {
        const TimeNs t = TimeEdge::timeAt(page, timeColumn, r);
        m_newestTailed = std::max(m_newestTailed.value_or(t), t);
    }
}

void EventTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= columnCount())
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    applyOrder();
}

void EventTableModel::applyOrder()
{
    const std::string field = sortsOnServer(m_sortColumn) ? sortField(m_sortColumn) : std::string();
    const bool oldestFirst = ordersOnServer(m_sortColumn) && m_sortOrder == Qt::AscendingOrder;
    const bool sameQuery = field == m_query.sortField && oldestFirst == m_query.oldestFirst
        && (field.empty()
            || ((m_sortOrder == Qt::DescendingOrder) == m_query.sortDescending
                && (m_sortColumn >= FixedColumnCount) == m_query.sortByAttribute));
    if (m_source && !sameQuery) { // the whole result in that order, not only the loaded rows
        const bool polled = m_polled;
        start(m_source, m_query, polled ? rangeToNow() : m_range);
        m_polled = polled;
    }
    else if (field.empty()) // in that order on the server otherwise: sorting here would stop the paging
        applySort(m_sortColumn, m_sortOrder);
}

bool EventTableModel::ordersOnServer(int column) const
{
    return column == TimeColumn && m_source && m_source->capabilitiesFor(m_query).oldestFirst;
}

bool EventTableModel::sortsOnServer(int column) const
{
    return column != TimeColumn && m_source && m_query.raw.empty() && !sortField(column).empty()
        && m_source->capabilitiesFor(m_query).sortByField;
}

std::string EventTableModel::sortField(int column) const
{
    switch (column) {
    case SeverityColumn:
        return "severity";
    case ServiceColumn:
        return "service.name";
    case BodyColumn:
        return "body";
    default:
        return column >= FixedColumnCount && column < columnCount() ? m_extraKeys[std::size_t(column - FixedColumnCount)]
                                                                     : std::string();
    }
}

void EventTableModel::applySort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    m_sorter->cancel();
    const auto n = static_cast<std::uint32_t>(m_rows.size());
    if (column == TimeColumn) { // the order loaded, or that reversed
        std::vector<std::uint32_t> reversed;
        if (order != serverOrder()) {
            reversed.resize(n);
            for (std::uint32_t i = 0; i < n; ++i)
                reversed[i] = n - 1 - i;
        }
        showOrder(std::move(reversed), column, order);
        return;
    }
    const LoadedRows rows(m_pages, std::vector<RowRef>(m_rows.begin(), m_rows.end()));
    const RowSortKey key = sortKey(column);
    const bool ascending = order == Qt::AscendingOrder;
    if (n <= kSortHereRows) { // a few milliseconds: the order at once, no flicker
        showOrder(rows.sortedOrder(key, ascending), column, order);
        return;
    }
    m_sorter->run<std::vector<std::uint32_t>>(
        [rows, key, ascending](const CancelTokenPtr &cancel) { return rows.sortedOrder(key, ascending, cancel); },
        [this, n, column, order](const std::vector<std::uint32_t> &sorted) {
            if (m_rows.size() != n) // a page asked for before the sort came meanwhile
                applySort(column, order);
            else
                showOrder(sorted, column, order);
        },
        [this](const QString &message) {
            showOrder(m_order, m_shownColumn, m_shownOrder); // as it was
            Q_EMIT loadFailed(tr("Sorting the loaded rows failed: %1").arg(message));
        });
    Q_EMIT countChanged(); // "sorting …"
}

void EventTableModel::cancelSort()
{
    if (!m_sorter->busy())
        return;
    m_sorter->cancel();
    showOrder(m_order, m_shownColumn, m_shownOrder); // the header and the status say the order shown
}

RowSortKey EventTableModel::sortKey(int column) const
{
    RowSortKey key;
    switch (column) {
    case SeverityColumn:
        key.kind = RowSortKey::Kind::Severity;
        key.column = m_cols.severity;
        key.nameColumn = m_cols.severityText;
        break;
    case ServiceColumn:
    case BodyColumn:
        key.column = column == ServiceColumn ? m_cols.service : m_cols.body;
        break;
    default:
        if (column < FixedColumnCount || column >= columnCount())
            break; // no column: every row alike
        key.kind = RowSortKey::Kind::Field;
        key.field = m_extraKeys[std::size_t(column - FixedColumnCount)];
        key.attributes = m_cols.attributes;
        key.resource = m_cols.resource;
    }
    return key;
}

// `order`: view row -> m_rows index, empty for m_rows' own order; that is the rows by `column` in `sortOrder`.
void EventTableModel::showOrder(std::vector<std::uint32_t> order, int column, Qt::SortOrder sortOrder)
{
    m_sortColumn = m_shownColumn = column;
    m_sortOrder = m_shownOrder = sortOrder;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList persistent = persistentIndexList();
    std::vector<std::uint32_t> storage;
    storage.reserve(static_cast<std::size_t>(persistent.size()));
    for (const QModelIndex &i : persistent)
        storage.push_back(m_order.empty() ? static_cast<std::uint32_t>(i.row()) : m_order[std::size_t(i.row())]);
    m_order = std::move(order);
    const auto n = static_cast<std::uint32_t>(m_rows.size());
    std::vector<int> viewRow(n);
    for (std::uint32_t v = 0; v < n; ++v)
        viewRow[m_order.empty() ? v : m_order[v]] = static_cast<int>(v);
    QModelIndexList moved;
    for (qsizetype i = 0; i < persistent.size(); ++i)
        moved.append(index(viewRow[storage[std::size_t(i)]], persistent[i].column()));
    changePersistentIndexList(persistent, moved);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT orderShown(m_shownColumn, m_shownOrder);
    Q_EMIT countChanged();
}

LoadedRows EventTableModel::loadedRows(const QList<int> &rows) const
{
    if (rows.isEmpty())
        return firstRows(rowCount());
    std::vector<RowRef> refs;
    for (int r : rows)
        refs.push_back(ref(r));
    return LoadedRows(m_pages, std::move(refs));
}

LoadedRows EventTableModel::firstRows(int n) const
{
    const int count = std::min(n, rowCount());
    std::vector<RowRef> refs;
    refs.reserve(std::size_t(std::max(count, 0)));
    for (int r = 0; r < count; ++r)
        refs.push_back(ref(r));
    return LoadedRows(m_pages, std::move(refs));
}

void EventTableModel::setMarkedRow(int row)
{
    m_marked = row;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), { Qt::FontRole, Qt::BackgroundRole });
}

qint64 EventTableModel::timeAt(int row) const
{
    const EventPage *page = nullptr;
    std::size_t r = 0;
    return row >= 0 && row < rowCount() && at(row, m_cols.time, page, r)
        ? page->integer(r, static_cast<std::size_t>(m_cols.time))
        : 0;
}

void EventTableModel::setExtraColumns(const QStringList &keys)
{
    if (keys == m_extraColumns)
        return;
    const auto keyOf = [this](int column) {
        return column >= FixedColumnCount ? m_extraColumns.value(column - FixedColumnCount) : QString();
    };
    const QString sortKey = keyOf(m_sortColumn), shownKey = keyOf(m_shownColumn);
    // A sort being computed knows its column by number, which this moves (found by review): run it again after.
    const bool sorting = isSorting();
    m_sorter->cancel();
    // Remove and insert rather than reset, so that the selection and the fixed columns' widths survive.
    if (!m_extraColumns.isEmpty()) {
        beginRemoveColumns({}, FixedColumnCount, FixedColumnCount + static_cast<int>(m_extraColumns.size()) - 1);
        m_extraColumns.clear();
        m_extraKeys.clear();
        endRemoveColumns();
    }
    if (!keys.isEmpty()) {
        beginInsertColumns({}, FixedColumnCount, FixedColumnCount + static_cast<int>(keys.size()) - 1);
        m_extraColumns = keys;
        for (const QString &k : keys)
            m_extraKeys.push_back(k.toStdString());
        endInsertColumns();
    }
    if (!shownKey.isEmpty()) // gone, the order asked for below is shown at once
        m_shownColumn = keys.contains(shownKey) ? FixedColumnCount + int(keys.indexOf(shownKey)) : int(TimeColumn);
    // The sorted column moves with its key; gone, the rows go back to newest first.
    const qsizetype at = sortKey.isEmpty() ? -1 : keys.indexOf(sortKey);
    if (sortKey.isEmpty() || at >= 0) {
        if (at >= 0)
            m_sortColumn = FixedColumnCount + int(at);
        if (sorting)
            applyOrder();
        return;
    }
    m_sortColumn = TimeColumn;
    m_sortOrder = Qt::DescendingOrder;
    applyOrder();
}

void EventTableModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), { Qt::DisplayRole });
}

std::function<std::vector<KeyUse>(const CancelTokenPtr &)> EventTableModel::keyUseJob() const
{
    return [rows = firstRows(kKeyScanRows), cols = m_cols](const CancelTokenPtr &cancel) {
        return rows.keyUse(cols.attributes, cols.resource, cancel);
    };
}

Json EventTableModel::record(int row) const
{
    Json j = Json::object();
    if (row < 0 || row >= rowCount())
        return j;
    std::size_t r = 0;
    const EventPage &page = pageOf(row, r);
    for (std::size_t c = 0; c < page.columnCount(); ++c)
        j[page.columnName(c)] = cellToJson(page.cell(r, c), page.columnType(c));
    return j;
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FixedColumnCount + static_cast<int>(m_extraColumns.size());
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case TimeColumn:
            return timeText(row);
        case SeverityColumn:
            return severityText(row);
        case ServiceColumn:
            return text(row, m_cols.service);
        case BodyColumn:
            return bodyText(row);
        default:
            return extraText(row, m_extraKeys[column - FixedColumnCount]);
        }
    case Qt::ToolTipRole:
        return column == BodyColumn ? text(row, m_cols.body) : QVariant();
    case Qt::FontRole:
        if (isMarked(row)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        if (isMarked(row))
            return QVariant::fromValue(QColor(0x42, 0x85, 0xf4, 70));
        return severityColor(row, role, column);
    case Qt::ForegroundRole:
        return severityColor(row, role, column);
    case RecordJsonRole:
        return QString::fromStdString(record(row).dump());
    case TraceIdRole:
        return text(row, m_cols.traceId);
    case SeverityRole:
        return severity(row);
    case TimeRole: {
        const EventPage *page = nullptr;
        std::size_t r = 0;
        return at(row, m_cols.time, page, r)
            ? QVariant::fromValue<qint64>(page->integer(r, static_cast<std::size_t>(m_cols.time)))
            : QVariant();
    }
    default:
        return {};
    }
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    const bool known = orientation == Qt::Horizontal && section >= 0 && section < columnCount();
    if (known && role == Qt::InitialSortOrderRole)
        return section == TimeColumn ? Qt::DescendingOrder : Qt::AscendingOrder;
    if (known && role == Qt::ToolTipRole) {
        if (section == m_sortColumn)
            return tr("Sorted: %1").arg(sortText());
        if (section == TimeColumn)
            return ordersOnServer(section) ? tr("Click: newest or oldest first over the whole result")
                                           : tr("Click: newest first over the whole result, or oldest first among the loaded rows");
        return sortsOnServer(section) ? tr("Click to sort the whole result by this column")
                                      : tr("Click to sort the loaded rows by this column");
    }
    if (!known || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case SeverityColumn:
        return tr("Severity");
    case ServiceColumn:
        return tr("Service");
    case BodyColumn:
        return tr("Body");
    default:
        return m_extraColumns.at(section - FixedColumnCount);
    }
}

const EventPage &EventTableModel::pageOf(int row, std::size_t &pageRow) const
{
    const RowRef &r = ref(row);
    pageRow = r.row;
    return *m_pages[r.page];
}

bool EventTableModel::at(int row, int column, const EventPage *&page, std::size_t &pageRow) const
{
    if (column < 0)
        return false;
    page = &pageOf(row, pageRow);
    return static_cast<std::size_t>(column) < page->columnCount();
}

QString EventTableModel::text(int row, int column) const
{
    std::size_t r = 0;
    const EventPage &page = pageOf(row, r); // before r is read
    return pageText(page, r, column);
}

int EventTableModel::severity(int row) const
{
    std::size_t r = 0;
    const EventPage &page = pageOf(row, r);
    return pageSeverity(page, r, m_cols.severity, m_cols.severityText);
}

QString EventTableModel::severityText(int row) const
{
    const QString name = text(row, m_cols.severityText);
    return name.isEmpty() ? QString::fromStdString(severityName(severity(row))) : name;
}

QString EventTableModel::timeText(int row) const
{
    const EventPage *page = nullptr;
    std::size_t r = 0;
    if (!at(row, m_cols.time, page, r) || page->isNull(r, static_cast<std::size_t>(m_cols.time)))
        return {};
    const qint64 ms = page->integer(r, static_cast<std::size_t>(m_cols.time)) / 1'000'000;
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, m_utc ? Qt::UTC : Qt::LocalTime);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

// A view cannot show more than a line; long multi-line bodies would only slow painting down.
QString EventTableModel::bodyText(int row) const
{
    const EventPage *page = nullptr;
    std::size_t r = 0;
    std::string_view s;
    if (!at(row, m_cols.body, page, r) || !page->text(r, static_cast<std::size_t>(m_cols.body), s))
        return text(row, m_cols.body);
    std::string_view line = s.substr(0, std::min<std::size_t>(s.find('\n'), kBodyDisplayChars));
    QString shown = QString::fromUtf8(line.data(), static_cast<qsizetype>(line.size()));
    if (line.size() < s.size())
        shown += QStringLiteral(" …");
    return shown;
}

QString EventTableModel::extraText(int row, const std::string &key) const
{
    const ParsedRow &p = parsed(row);
    const Json *v = findField(p.attributes, p.resource, key);
    return v ? toQString(jsonValueText(*v)) : QString();
}

const EventTableModel::ParsedRow &EventTableModel::parsed(int row) const
{
    const RowRef &r = ref(row);
    const quint64 key = (quint64(r.page) << 32) | r.row;
    if (ParsedRow *cached = m_parsed.object(key))
        return *cached;
    auto *p = new ParsedRow;
    const EventPage &page = *m_pages[r.page];
    p->attributes = pageObject(page, r.row, m_cols.attributes);
    p->resource = pageObject(page, r.row, m_cols.resource);
    m_parsed.insert(key, p);
    return *m_parsed.object(key);
}

QVariant EventTableModel::severityColor(int row, int role, int column) const
{
    const Level level = levelOf(severity(row));
    if (level == Level::Other)
        return {};
    const bool error = level == Level::Error;
    if (role == Qt::ForegroundRole)
        return column == SeverityColumn
            ? QVariant::fromValue(error ? QColor(0xd3, 0x2f, 0x2f) : QColor(0xc7, 0x7c, 0x00))
            : QVariant();
    // Translucent, so that the tint reads on light and dark palettes alike.
    return QVariant::fromValue(error ? QColor(0xe5, 0x39, 0x35, 48) : QColor(0xff, 0xa0, 0x00, 40));
}

} // namespace fd

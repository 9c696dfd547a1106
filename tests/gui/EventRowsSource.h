#pragma once
// A logs-only DataSource over rows held in memory, answering the Query shape the Events view sends
// (range, service.name/attribute =/!= conditions, search, limit, group_by + count) the way the
// store does: newest first, limit + truncated + total. Rows sharing a time come back in an order that
// alternates between calls, as a database without a tie-breaker may return them.
#include "models/DataSource.h"
#include "models/Error.h"

#include <QString>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace fdtest {

struct LogRow {
    fd::TimeNs time = 0;
    int severity = 9;
    std::string service;
    std::string body;
    fd::Json attributes = fd::Json::object();
    std::string traceId;
    std::int64_t arrival = -1; // set by the source: how many rows it stored before this one
};

class EventRowsSource : public fd::DataSource
{
public:
    struct Call {
        fd::Query query;
        fd::TimeRange range;
        bool furtherPage = false; // asked with Query::countTotal false: the total was not counted
    };

    explicit EventRowsSource(std::vector<LogRow> rows) : m_rows(std::move(rows))
    {
        for (LogRow &r : m_rows)
            r.arrival = m_stored++;
        std::stable_sort(m_rows.begin(), m_rows.end(), [](const LogRow &a, const LogRow &b) { return a.time > b.time; });
    }

    std::atomic<bool> reportTotal{true}; // false: like a backend that does not count, so the model asks
    std::atomic<int> delayMs{0};
    std::atomic<int> countDelayMs{0}; // and this long more for counts and groups (the sidebar, the histogram)
    std::atomic<int> intervalDelayMs{0}; // and this long more for counts over an interval (the histogram)

    std::atomic<bool> canOrderOldestFirst{true};
    std::atomic<bool> failRows{false}; // row queries fail, as a backend answering 500 would
    std::atomic<bool> failVolume{false}; // counts over an interval (the histogram) time out
    std::atomic<bool> pagesRows{false}; // queryPages hands every row over (limit 0) in pages of kPageRows
    static constexpr std::size_t kPageRows = 10000;
    std::atomic<int> pageDelayMs{0}; // queryPages waits this long before each page, as a long export would
    // Row frames carry an arrival mark, the number of rows stored, and arrivedUpTo leaves out those stored after.
    std::atomic<bool> marksArrival{false};

    std::string id() const override { return "rows"; }
    fd::SourceCapabilities capabilities() const override
    {
        fd::SourceCapabilities c = DataSource::capabilities();
        c.oldestFirst = canOrderOldestFirst;
        c.pagedRows = pagesRows;
        c.arrivalOrder = marksArrival;
        return c;
    }

    bool queryPages(const fd::Query &q, const fd::TimeRange &range, const fd::CancelTokenPtr &cancel,
                    const std::function<void(const fd::Frame &)> &page) override
    {
        if (!pagesRows)
            return DataSource::queryPages(q, range, cancel, page);
        pagedLimit = q.limit;
        pagedArrivedUpTo = q.arrivedUpTo;
        fd::Query all = q;
        if (all.limit <= 0)
            all.limit = std::numeric_limits<int>::max();
        const fd::Frame rows = query(all, range, cancel);
        for (std::size_t from = 0; from == 0 || from < rows.rowCount(); from += kPageRows) {
            fd::Frame part;
            for (const fd::Column &c : rows.columns) {
                const auto first = c.cells.begin() + static_cast<std::ptrdiff_t>(std::min(from, c.cells.size()));
                const auto last = c.cells.begin() + static_cast<std::ptrdiff_t>(std::min(from + kPageRows, c.cells.size()));
                part.columns.push_back({c.name, c.type, std::vector<fd::Cell>(first, last)});
            }
            for (int waited = 0; waited < pageDelayMs; waited += 5) {
                fd::throwIfCancelled(cancel);
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            page(part);
            ++pagesHandedOver;
        }
        return rows.truncated;
    }
    std::atomic<int> pagesHandedOver{0};
    std::atomic<int> pagedLimit{-1}; // the limit queryPages was asked with
    std::atomic<std::int64_t> pagedArrivedUpTo{-2}; // and its Query::arrivedUpTo

    void add(LogRow row)
    {
        std::lock_guard lock(m_mutex);
        row.arrival = m_stored++;
        m_rows.insert(m_rows.begin(), std::move(row));
        std::stable_sort(m_rows.begin(), m_rows.end(), [](const LogRow &a, const LogRow &b) { return a.time > b.time; });
    }

    std::vector<Call> calls()
    {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    std::vector<Call> rowCalls()
    {
        std::vector<Call> out;
        for (const Call &c : calls())
            if (c.query.agg.kind == fd::Aggregate::Kind::None && c.query.groupBy.empty())
                out.push_back(c);
        return out;
    }

    std::vector<std::string> fieldNames(fd::Signal, const std::string &, const fd::TimeRange &, const fd::CancelTokenPtr &) override
    {
        std::set<std::string> names = {"body", "service.name", "severity"};
        std::lock_guard lock(m_mutex);
        for (const LogRow &r : m_rows)
            for (const auto &item : r.attributes.items())
                names.insert(item.key());
        return {names.begin(), names.end()};
    }

    // Values of service.name or an attribute, the most frequent first.
    std::vector<fd::FieldValue> fieldValues(fd::Signal, const std::string &field, const std::string &, const fd::TimeRange &,
                                            const fd::CancelTokenPtr &) override
    {
        std::map<std::string, std::int64_t> counts;
        {
            std::lock_guard lock(m_mutex);
            for (const LogRow &r : m_rows)
                if (field == "service.name")
                    ++counts[r.service];
                else if (r.attributes.contains(field))
                    ++counts[r.attributes[field].is_string() ? r.attributes[field].get<std::string>() : r.attributes[field].dump()];
        }
        std::vector<fd::FieldValue> out;
        for (const auto &[value, count] : counts)
            out.push_back({value, count});
        std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.count > b.count; });
        return out;
    }

    fd::Frame query(const fd::Query &q, const fd::TimeRange &range, const fd::CancelTokenPtr &cancel) override
    {
        for (int waited = 0; waited < delayMs; waited += 5) {
            fd::throwIfCancelled(cancel);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        const bool counts = q.agg.kind != fd::Aggregate::Kind::None || !q.groupBy.empty();
        for (int waited = 0; counts && waited < countDelayMs + (q.interval > 0 ? intervalDelayMs.load() : 0); waited += 5) {
            fd::throwIfCancelled(cancel);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::vector<LogRow> matched;
        {
            std::lock_guard lock(m_mutex);
            m_calls.push_back({q, range, !q.countTotal});
            for (const LogRow &r : m_rows)
                if (range.contains(r.time) && matches(r, q) && (!marksArrival || q.arrivedUpTo < 0 || r.arrival < q.arrivedUpTo))
                    matched.push_back(r);
            if (q.oldestFirst)
                std::reverse(matched.begin(), matched.end());
            if (++m_parity % 2 == 0)
                reverseTies(matched);
        }
        if (failVolume && q.interval > 0)
            throw fd::Error(std::string("the backend timed out after 30s"));
        if (!q.groupBy.empty() && q.interval > 0)
            return buckets(q, matched);
        if (!q.groupBy.empty())
            return groups(q, matched);
        if (q.agg.kind == fd::Aggregate::Kind::Count) {
            fd::Frame count;
            count.columns = {{"count", fd::ColumnType::Int64, {std::int64_t(matched.size())}}};
            return count;
        }
        if (q.agg.kind != fd::Aggregate::Kind::None)
            return {};
        if (failRows)
            throw fd::Error(std::string("the backend answered HTTP 500"));
        fd::Frame f = rowsFrame(q, matched);
        std::lock_guard lock(m_mutex);
        if (marksArrival)
            f.arrivalMark = m_stored;
        if (!q.countTotal && !m_furtherPageNote.empty())
            f.notes.push_back(m_furtherPageNote);
        return f;
    }

    // A note that only further pages carry, as a shard failing after the first page would.
    void setFurtherPageNote(std::string note)
    {
        std::lock_guard lock(m_mutex);
        m_furtherPageNote = std::move(note);
    }
    std::vector<fd::Marker> markers(const fd::TimeRange &, const fd::CancelTokenPtr &) override { return {}; }
    std::vector<fd::Span> trace(const std::string &, const fd::CancelTokenPtr &) override { return {}; }
    fd::Frame recentTraces(const fd::TimeRange &, int, const fd::CancelTokenPtr &) override { return {}; }

    // As a database returns it: typed, null when missing.
    static fd::Cell cellOf(const LogRow &r, const std::string &field)
    {
        if (field == "severity")
            return std::int64_t(r.severity);
        if (field == "service.name" || field == "body")
            return valueOf(r, field);
        const auto it = r.attributes.find(field);
        if (it == r.attributes.end())
            return {};
        if (it->is_number_integer())
            return it->get<std::int64_t>();
        return valueOf(r, field);
    }

    static std::string valueOf(const LogRow &r, const std::string &field)
    {
        if (field == "service.name")
            return r.service;
        if (field == "severity")
            return std::to_string(r.severity);
        if (field == "body")
            return r.body;
        const auto it = r.attributes.find(field);
        if (it == r.attributes.end())
            return {};
        return it->is_string() ? it->get<std::string>() : it->dump();
    }

private:
    static bool matches(const LogRow &r, const fd::Query &q)
    {
        for (const fd::Condition &c : q.where) {
            const std::string want = c.value.is_string() ? c.value.get<std::string>() : c.value.dump();
            const std::string have = valueOf(r, c.field);
            if (c.op == fd::Op::Eq && have != want)
                return false;
            if (c.op == fd::Op::Ne && have == want)
                return false;
        }
        if (!q.search.empty()) {
            const QString body = QString::fromStdString(r.body);
            if (!body.contains(QString::fromStdString(q.search), Qt::CaseInsensitive))
                return false;
        }
        return true;
    }

    static void reverseTies(std::vector<LogRow> &rows)
    {
        for (std::size_t i = 0; i < rows.size();) {
            std::size_t j = i;
            while (j < rows.size() && rows[j].time == rows[i].time)
                ++j;
            std::reverse(rows.begin() + static_cast<std::ptrdiff_t>(i), rows.begin() + static_cast<std::ptrdiff_t>(j));
            i = j;
        }
    }

    // time, the group, count: one row per bucket and value (the volume histogram's query).
    static fd::Frame buckets(const fd::Query &q, const std::vector<LogRow> &rows)
    {
        std::map<std::pair<fd::TimeNs, std::string>, std::pair<fd::Cell, std::int64_t>> counts;
        for (const LogRow &r : rows) {
            auto &entry = counts[{fd::alignDown(r.time, q.interval), valueOf(r, q.groupBy.front())}];
            entry.first = cellOf(r, q.groupBy.front());
            ++entry.second;
        }
        fd::Frame f;
        f.columns = {{"time", fd::ColumnType::Time, {}}, {q.groupBy.front(), fd::ColumnType::String, {}},
                     {"count", fd::ColumnType::Int64, {}}};
        for (const auto &[key, entry] : counts) {
            f.columns[0].cells.emplace_back(key.first);
            f.columns[1].cells.push_back(entry.first);
            f.columns[2].cells.emplace_back(entry.second);
        }
        return f;
    }

    static fd::Frame groups(const fd::Query &q, const std::vector<LogRow> &rows)
    {
        std::map<std::string, std::pair<fd::Cell, std::int64_t>> counts;
        for (const LogRow &r : rows) {
            auto &entry = counts[valueOf(r, q.groupBy.front())];
            entry.first = cellOf(r, q.groupBy.front());
            ++entry.second;
        }
        std::vector<std::pair<fd::Cell, std::int64_t>> sorted;
        for (const auto &[key, entry] : counts)
            sorted.push_back(entry);
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
        fd::Frame f;
        f.columns = {{q.groupBy.front(), fd::ColumnType::String, {}}, {"count", fd::ColumnType::Int64, {}}};
        for (const auto &[value, count] : sorted) {
            if (static_cast<int>(f.rowCount()) == q.limit) {
                f.truncated = true;
                break;
            }
            f.columns[0].cells.push_back(value);
            f.columns[1].cells.emplace_back(count);
        }
        return f;
    }

    fd::Frame rowsFrame(const fd::Query &q, const std::vector<LogRow> &rows) const
    {
        using fd::ColumnType;
        fd::Frame f;
        f.columns = {{"time", ColumnType::Time, {}},          {"severity", ColumnType::Int64, {}},
                     {"severity_text", ColumnType::String, {}}, {"service.name", ColumnType::String, {}},
                     {"body", ColumnType::String, {}},          {"trace_id", ColumnType::String, {}},
                     {"span_id", ColumnType::String, {}},       {"attributes", ColumnType::Json, {}},
                     {"resource", ColumnType::Json, {}}};
        for (const LogRow &r : rows) {
            if (static_cast<int>(f.rowCount()) == q.limit) {
                f.truncated = true;
                break;
            }
            f.columns[0].cells.emplace_back(r.time);
            f.columns[1].cells.emplace_back(std::int64_t(r.severity));
            f.columns[2].cells.emplace_back(std::string());
            f.columns[3].cells.emplace_back(r.service);
            f.columns[4].cells.emplace_back(r.body);
            f.columns[5].cells.emplace_back(r.traceId);
            f.columns[6].cells.emplace_back(std::string());
            f.columns[7].cells.emplace_back(r.attributes.dump());
            f.columns[8].cells.emplace_back(fd::Json{{"service.name", r.service}}.dump());
        }
        // Like the store: a further page is not counted.
        const bool counted = f.truncated && reportTotal && q.countTotal;
        f.total = counted ? std::int64_t(rows.size()) : std::int64_t(f.rowCount());
        return f;
    }

    std::mutex m_mutex;
    std::vector<LogRow> m_rows;
    std::int64_t m_stored = 0;
    std::vector<Call> m_calls;
    std::string m_furtherPageNote;
    int m_parity = 0;
};

} // namespace fdtest

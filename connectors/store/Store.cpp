#include "Store.h"
#include "FullTextIndex.h"
#include "FieldKeys.h"
#include "LogRows.h"
#include "SqlCompiler.h"
#include "models/BucketRates.h"
#include "SqliteFunctions.h"
#include "SqliteStatement.h"
#include "models/Error.h"
#include "models/Numbers.h"
#include "models/QueryText.h"
#include "models/ValueCounts.h"
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>
#include <sqlite3.h>
#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <set>
#include <unordered_map>

namespace fd {

namespace {
// 2: field_keys. 3: logs_fts. 4: logs_fts without positions. 5: logs_fts without sizes.
// 6: spans_trace_span (trace and span id), which finds a span sent again.
constexpr int kSchemaVersion = 6;

const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS resources(id INTEGER PRIMARY KEY, attrs TEXT NOT NULL UNIQUE, service TEXT);
CREATE TABLE IF NOT EXISTS logs(
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, observed_time INTEGER, severity INTEGER, severity_text TEXT,
  service TEXT, event_name TEXT, body TEXT, body_json INTEGER, trace_id TEXT, span_id TEXT, attrs TEXT,
  resource_id INTEGER);
CREATE INDEX IF NOT EXISTS logs_time ON logs(time);
CREATE INDEX IF NOT EXISTS logs_service_time ON logs(service, time);
CREATE INDEX IF NOT EXISTS logs_event_time ON logs(event_name, time) WHERE event_name IS NOT NULL;
CREATE INDEX IF NOT EXISTS logs_trace ON logs(trace_id) WHERE trace_id <> '';
CREATE TABLE IF NOT EXISTS spans(
  id INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, service TEXT,
  name TEXT, kind INTEGER, start INTEGER NOT NULL, "end" INTEGER NOT NULL, duration INTEGER, status_code INTEGER,
  status_message TEXT, attrs TEXT, events TEXT, links TEXT, resource_id INTEGER);
CREATE INDEX IF NOT EXISTS spans_trace_span ON spans(trace_id, span_id);
CREATE INDEX IF NOT EXISTS spans_start ON spans(start);
CREATE INDEX IF NOT EXISTS spans_service_start ON spans(service, start);
CREATE TABLE IF NOT EXISTS metric_points(
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, start_time INTEGER, name TEXT NOT NULL, unit TEXT, service TEXT,
  type INTEGER, temporality INTEGER, monotonic INTEGER, value REAL, attrs TEXT, extra TEXT, resource_id INTEGER);
CREATE INDEX IF NOT EXISTS metric_points_name_time ON metric_points(name, time);
CREATE TABLE IF NOT EXISTS markers(
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, kind TEXT NOT NULL, service TEXT, title TEXT, version TEXT,
  commit_sha TEXT, commit_time INTEGER, url TEXT, attrs TEXT);
CREATE INDEX IF NOT EXISTS markers_time ON markers(time);
CREATE TABLE IF NOT EXISTS service_versions(
  service TEXT NOT NULL, version TEXT NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY(service, version));
CREATE TABLE IF NOT EXISTS field_keys(
  signal INTEGER NOT NULL, metric TEXT NOT NULL, key TEXT NOT NULL, first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, PRIMARY KEY(signal, metric, key)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('fts_indexed_id', '0');
-- Counts the deletions of log rows (retention, clear), after which ids can be taken again: FullTextBuilder.
INSERT OR IGNORE INTO meta(key, value) VALUES ('log_deletions', '0');
)sql";

constexpr const char *kCountLogDeletion = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'log_deletions'";

// SQLite's page cache: 64 MiB as a rule, 256 MiB (and the file mapped) through a bulk load.
constexpr const char *kUsualCache = "PRAGMA cache_size=-65536";
constexpr const char *kBulkCache = "PRAGMA cache_size=-262144";

// Rows up to meta.fts_indexed_id are in logs_fts; search scans the rows after it (SqlCompiler.cpp).
constexpr const char *kIndexedId = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_indexed_id')";

int progressHandler(void *token)
{
    return static_cast<const CancelToken *>(token)->isCancelled() ? 1 : 0;
}

// Installs the cancellation check for the lifetime of one query.
class CancelScope
{
public:
    CancelScope(sqlite3 *db, const CancelTokenPtr &token) : m_db(db)
    {
        if (token)
            sqlite3_progress_handler(db, 20000, progressHandler, token.get());
    }
    ~CancelScope() { sqlite3_progress_handler(m_db, 0, nullptr, nullptr); }

private:
    sqlite3 *m_db;
};

// A deferred read transaction: the statements in it read one snapshot of the database (WAL). Inside a
// transaction already begun on the connection, that one holds the snapshot.
class ReadTransaction
{
public:
    explicit ReadTransaction(sqlite3 *db) : m_db(db), m_began(sqlite3_get_autocommit(db) != 0)
    {
        if (m_began)
            execSql(db, "BEGIN");
    }
    ~ReadTransaction()
    {
        if (m_began)
            sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
    }
    ReadTransaction(const ReadTransaction &) = delete;
    ReadTransaction &operator=(const ReadTransaction &) = delete;

private:
    sqlite3 *m_db;
    bool m_began;
};

std::string dumpOrNull(const Json &j) { return j.is_null() || j.empty() ? std::string("{}") : j.dump(); }

// Whether every object in `j`, at any depth, has its keys in order already.
bool keysInOrder(const Json &j)
{
    if (j.is_array())
        return std::all_of(j.begin(), j.end(), keysInOrder);
    if (!j.is_object())
        return true;
    const std::string *previous = nullptr;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if ((previous && !(*previous < it.key())) || !keysInOrder(it.value()))
            return false;
        previous = &it.key();
    }
    return true;
}

// An attribute set has no order in OTLP. A resource's, a metric point's and a marker's are kept with their keys
// sorted: one set sent in two orders is one resource, one series (whose counter increases pointIncreases finds)
// and one marker.
std::string sortedDump(const Json &j)
{
    if (j.is_null() || j.empty())
        return "{}";
    return keysInOrder(j) ? j.dump() : nlohmann::json(j).dump(); // as most SDKs send them: no copy into a sorted map
}

// Equal with the same types: 1 is not 1.0 and 0.0 not -0.0, as they are stored (nlohmann's == says they are).
bool sameJson(const Json &a, const Json &b)
{
    if (a.type() != b.type() || a.size() != b.size())
        return false;
    if (a.is_object()) {
        auto ib = b.begin();
        for (auto ia = a.begin(); ia != a.end(); ++ia, ++ib)
            if (ia.key() != ib.key() || !sameJson(ia.value(), ib.value()))
                return false;
        return true;
    }
    if (a.is_array())
        return std::equal(a.begin(), a.end(), b.begin(), sameJson);
    if (a.is_number_float())
        return std::signbit(a.get<double>()) == std::signbit(b.get<double>()) && a == b;
    return a == b;
}

Json parseOr(const std::string &text, Json fallback)
{
    if (text.empty())
        return fallback;
    Json j = Json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

// Resource rows are shared by every record of the same resource.
class ResourceCache
{
public:
    explicit ResourceCache(sqlite3 *db)
        : m_insert(db, "INSERT OR IGNORE INTO resources(attrs, service) VALUES (?1, ?2)"),
          m_select(db, "SELECT id FROM resources WHERE attrs = ?1")
    {
    }
    // Records of one request share their resource: compared with the last one, it is dumped only when it changes.
    std::int64_t id(const Json &resource, const std::string &service)
    {
        if (!m_last || !sameJson(*m_last, resource)) {
            m_lastId = id(sortedDump(resource), service);
            m_last = &resource;
        }
        return m_lastId;
    }
    std::int64_t id(std::string text, const std::string &service)
    {
        if (const auto it = m_ids.find(text); it != m_ids.end())
            return it->second;
        m_insert.bind(1, text).bind(2, service).run();
        m_select.bind(1, text);
        const std::int64_t id = m_select.step() ? m_select.int64(0) : 0;
        m_select.reset();
        m_ids.emplace(std::move(text), id);
        return id;
    }

private:
    SqliteStatement m_insert;
    SqliteStatement m_select;
    std::unordered_map<std::string, std::int64_t> m_ids;
    const Json *m_last = nullptr;
    std::int64_t m_lastId = 0;
};

// The keys of a resource shared by many records are walked again only when the resource or its scope changes,
// or a record's time lies outside the times already noted for it (FieldKeys keeps each key's first and last).
class ResourceKeys
{
public:
    explicit ResourceKeys(FieldKeys &keys) : m_keys(keys) {}
    void add(Signal signal, std::string_view metric, const Json &resource, TimeNs time)
    {
        const bool same = m_resource && m_signal == signal && m_metric == metric && *m_resource == resource;
        if (same && time >= m_first && time <= m_last)
            return;
        m_keys.add(signal, metric, resource, time);
        if (same) {
            m_first = std::min(m_first, time);
            m_last = std::max(m_last, time);
            return;
        }
        m_resource = &resource;
        m_signal = signal;
        m_metric = metric;
        m_first = m_last = time;
    }

private:
    FieldKeys &m_keys;
    const Json *m_resource = nullptr;
    Signal m_signal = Signal::Logs;
    std::string m_metric;
    TimeNs m_first = 0;
    TimeNs m_last = 0;
};

constexpr const char *kInsertLog =
    "INSERT INTO logs(time, observed_time, severity, severity_text, service, event_name, body, body_json, trace_id, "
    "span_id, attrs, resource_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";

void insertLogs(sqlite3 *db, ResourceCache &resources, FieldKeys &keys, ResourceKeys &resourceKeys,
                const std::vector<LogRecord> &logs)
{
    SqliteStatement st(db, kInsertLog);
    for (const LogRecord &r : logs) {
        // Static binds: every text outlives run(), which clears the bindings.
        const std::string event = eventNameIn(r.attributes);
        const std::string attributes = dumpOrNull(r.attributes);
        // A sender that gives the level as text only ("ERROR") is filtered by it as by a number.
        const int severity = r.severity != 0 || r.severityText.empty() ? r.severity : severityFromName(r.severityText);
        st.bind(1, r.time).bind(2, r.observedTime).bind(3, std::int64_t(severity)).bindStatic(4, r.severityText);
        st.bindStatic(5, r.service);
        event.empty() ? st.bindNull(6) : st.bindStatic(6, event);
        st.bindStatic(7, r.body).bind(8, std::int64_t(r.bodyIsJson)).bindStatic(9, r.traceId);
        st.bindStatic(10, r.spanId).bindStatic(11, attributes).bind(12, resources.id(r.resource, r.service));
        st.run();
        keys.add(Signal::Logs, {}, r.attributes, r.time);
        resourceKeys.add(Signal::Logs, {}, r.resource, r.time);
    }
}

Json eventsToJson(const std::vector<SpanEvent> &events)
{
    Json out = Json::array();
    for (const SpanEvent &e : events)
        out.push_back({{"time", e.time}, {"name", e.name}, {"attributes", e.attributes}});
    return out;
}

Json linksToJson(const std::vector<SpanLink> &links)
{
    Json out = Json::array();
    for (const SpanLink &l : links)
        out.push_back({{"trace_id", l.traceId}, {"span_id", l.spanId}, {"attributes", l.attributes}});
    return out;
}

void insertSpans(sqlite3 *db, ResourceCache &resources, FieldKeys &keys, ResourceKeys &resourceKeys,
                const std::vector<Span> &spans)
{
    // An exporter that retries sends a span again: the same ids, times, parent, service, name, kind, status,
    // attributes, events, links and resource (as TraceTree tells repeats). It is stored once, or every count, rate
    // and percentile over spans counts it twice. Zipkin's client and server halves share an id but not their kind,
    // and a copy that says more (an error status, an event: exploratory tests) is no repeat: both are kept.
    // A lookup of its own: as INSERT … SELECT … WHERE NOT EXISTS, SQLite copied each row through a temporary
    // table (it reads the table it writes), 2.4 times the cost of the insert. The index is named: SQLite chose
    // spans_service_start, whose key many spans of a batch share.
    SqliteStatement stored(db, "SELECT 1 FROM spans INDEXED BY spans_trace_span WHERE trace_id = ?1 AND span_id = ?2 "
                               "AND start = ?3 AND \"end\" = ?4 AND parent_span_id IS ?5 AND service IS ?6 AND name IS ?7 "
                               "AND kind IS ?8 AND status_code IS ?9 AND status_message IS ?10 AND attrs IS ?11 "
                               "AND events IS ?12 AND links IS ?13 AND resource_id IS ?14 LIMIT 1");
    SqliteStatement st(db, "INSERT INTO spans(trace_id, span_id, parent_span_id, service, name, kind, start, \"end\", "
                           "duration, status_code, status_message, attrs, events, links, resource_id) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)");
    for (const Span &s : spans) {
        // Static binds: every text outlives step() and run(), which clear the bindings.
        const std::string attributes = dumpOrNull(s.attributes);
        const std::string events = s.events.empty() ? std::string("[]") : eventsToJson(s.events).dump();
        const std::string links = s.links.empty() ? std::string("[]") : linksToJson(s.links).dump();
        const std::int64_t resourceId = resources.id(s.resource, s.service);
        stored.bindStatic(1, s.traceId).bindStatic(2, s.spanId).bind(3, s.start).bind(4, s.end);
        stored.bindStatic(5, s.parentSpanId).bindStatic(6, s.service).bindStatic(7, s.name).bind(8, std::int64_t(s.kind));
        stored.bind(9, std::int64_t(s.statusCode)).bindStatic(10, s.statusMessage).bindStatic(11, attributes);
        stored.bindStatic(12, events).bindStatic(13, links).bind(14, resourceId);
        const bool again = stored.step();
        stored.reset();
        if (again)
            continue;
        st.bindStatic(1, s.traceId).bindStatic(2, s.spanId).bindStatic(3, s.parentSpanId).bindStatic(4, s.service);
        st.bindStatic(5, s.name).bind(6, std::int64_t(s.kind)).bind(7, s.start).bind(8, s.end).bind(9, s.duration());
        st.bind(10, std::int64_t(s.statusCode)).bindStatic(11, s.statusMessage).bindStatic(12, attributes);
        st.bindStatic(13, events).bindStatic(14, links).bind(15, resourceId);
        st.run();
        keys.add(Signal::Spans, {}, s.attributes, s.start);
        resourceKeys.add(Signal::Spans, {}, s.resource, s.start);
    }
}

void insertMetrics(sqlite3 *db, ResourceCache &resources, FieldKeys &keys, ResourceKeys &resourceKeys,
                const std::vector<MetricPoint> &points)
{
    SqliteStatement st(db, "INSERT INTO metric_points(time, start_time, name, unit, service, type, temporality, "
                           "monotonic, value, attrs, extra, resource_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
    for (const MetricPoint &p : points) {
        st.bind(1, p.time).bind(2, p.startTime).bind(3, p.name).bind(4, p.unit).bind(5, p.service);
        st.bind(6, std::int64_t(p.type)).bind(7, std::int64_t(p.temporality)).bind(8, std::int64_t(p.monotonic));
        st.bind(9, p.value).bind(10, sortedDump(p.attributes));
        p.extra.is_null() ? st.bindNull(11) : st.bind(11, p.extra.dump());
        st.bind(12, resources.id(p.resource, p.service));
        st.run();
        keys.add(Signal::Metrics, p.name, p.attributes, p.time);
        resourceKeys.add(Signal::Metrics, p.name, p.resource, p.time);
    }
}

void bindMarker(SqliteStatement &st, const Marker &m)
{
    st.bind(1, m.time).bind(2, m.kind).bind(3, m.service).bind(4, m.title).bind(5, m.version).bind(6, m.commit);
    m.commitTime ? st.bind(7, m.commitTime) : st.bindNull(7);
    st.bind(8, m.url).bind(9, sortedDump(m.attributes));
}

// A marker already stored with every field the same is not stored again: a deploy script that retries
// its POST, or a marker file imported twice, had counted one deploy twice in the DORA figures.
constexpr const char *kInsertMarker =
    "INSERT INTO markers(time, kind, service, title, version, commit_sha, commit_time, url, attrs) "
    "SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9 WHERE NOT EXISTS (SELECT 1 FROM markers WHERE time = ?1 AND kind = ?2 "
    "AND service IS ?3 AND title IS ?4 AND version IS ?5 AND commit_sha IS ?6 AND commit_time IS ?7 AND url IS ?8 "
    "AND attrs IS ?9)";
constexpr const char *kStoredMarkerId =
    "SELECT id FROM markers WHERE time = ?1 AND kind = ?2 AND service IS ?3 AND title IS ?4 AND version IS ?5 "
    "AND commit_sha IS ?6 AND commit_time IS ?7 AND url IS ?8 AND attrs IS ?9";

// A page of rows for queryPages(): the frame handed over and emptied every `rows` rows, and once at the end.
struct PageSink {
    std::size_t rows = 0;
    const std::function<void(const Frame &)> *page = nullptr;
};

// A group-by's attribute column (groupedValue: numbers as numbers, anything else as its JSON text) typed by its
// values: Int64 for whole numbers (a group of 500 and 5e2 comes as either, whichever row SQLite met first), else
// Double; String for texts (decoded); booleans, objects or mixed kinds make a Json column, its numbers kept as they
// are and its texts as JSON, so that 500 and "500" print as what they are. Integers a double cannot hold exactly
// beside fractions stay Json too: 1700000000000000001 must not print 1.7e18.
void typeGroupValues(Column &column)
{
    constexpr double kExactInDouble = 9007199254740992.0; // 2^53
    bool integers = true, doubles = true, strings = true, any = false;
    std::vector<std::optional<std::string>> texts(column.cells.size()); // the decoded text of a JSON string
    for (std::size_t i = 0; i < column.cells.size(); ++i) {
        const Cell &c = column.cells[i];
        if (isNull(c))
            continue;
        any = true;
        if (const auto *n = std::get_if<std::int64_t>(&c)) {
            strings = false;
            doubles = doubles && std::abs(double(*n)) <= kExactInDouble;
        } else if (const auto *d = std::get_if<double>(&c)) {
            strings = false; // 500 spelled 5e2 comes as a real: a whole number stays one
            integers = integers && *d == std::floor(*d) && std::abs(*d) <= kExactInDouble;
        } else {
            integers = doubles = false;
            const Json v = Json::parse(std::get<std::string>(c), nullptr, false);
            if (v.is_string())
                texts[i] = v.get<std::string>();
            else
                strings = false;
        }
    }
    if (!any)
        return;
    if (integers) {
        column.type = ColumnType::Int64;
        for (Cell &c : column.cells)
            if (const auto *d = std::get_if<double>(&c))
                c = static_cast<std::int64_t>(*d);
    } else if (doubles) {
        column.type = ColumnType::Double;
        for (Cell &c : column.cells)
            if (const auto *n = std::get_if<std::int64_t>(&c))
                c = double(*n);
    } else if (strings) {
        column.type = ColumnType::String;
        for (std::size_t i = 0; i < column.cells.size(); ++i)
            if (texts[i])
                column.cells[i] = std::move(*texts[i]);
    } else {
        column.type = ColumnType::Json;
    }
}

// The column at `index` of c's result typed as c says (by its cells, or as a group's values).
void typeColumn(const CompiledSql &c, std::size_t index, Column &column)
{
    const auto listed = [index](const std::vector<std::size_t> &columns) {
        return std::find(columns.begin(), columns.end(), index) != columns.end();
    };
    if (listed(c.typedByCells))
        typeByCells(column);
    else if (listed(c.typedByGroupValues))
        typeGroupValues(column);
}

Frame runCompiled(sqlite3 *db, const CompiledSql &c, const CancelTokenPtr &cancel, const PageSink &pages = {})
{
    CancelScope scope(db, cancel);
    SqliteStatement st(db, c.countsPastLimit() ? c.unlimitedSql : c.sql);
    st.bindAll(c.params);
    Frame f;
    f.nativeQuery = c.display();
    const int columns = st.columnCount() - (c.arrivalColumn ? 1 : 0);
    f.columns.resize(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) {
        f.columns[i].name = st.columnName(i);
        f.columns[i].type = i < static_cast<int>(c.columnTypes.size()) ? c.columnTypes[i] : ColumnType::String;
    }
    std::size_t rows = 0;
    std::int64_t counted = 0; // rows past the limit, stepped through for the total
    while (st.step()) {
        if (c.limit > 0 && rows == static_cast<std::size_t>(c.limit)) {
            f.truncated = true;
            if (!c.countsPastLimit())
                break;
            ++counted;
            continue;
        }
        for (int i = 0; i < columns; ++i)
            f.columns[i].cells.push_back(st.cell(i));
        if (c.arrivalColumn)
            f.arrivalMark = st.int64(columns);
        ++rows;
        if (pages.page && f.rowCount() == pages.rows) {
            (*pages.page)(f);
            for (Column &column : f.columns)
                column.cells.clear();
        }
    }
    for (std::size_t i = 0; i < f.columns.size(); ++i)
        typeColumn(c, i, f.columns[i]);
    if (pages.page && (f.rowCount() > 0 || rows == 0))
        (*pages.page)(f); // the rest, or the columns of an empty result
    f.total = static_cast<std::int64_t>(rows) + counted;
    if (f.truncated && !c.countSql.empty()) {
        SqliteStatement count(db, c.countSql);
        count.bindAll(c.countParams);
        if (count.step())
            f.total = count.int64(0);
    }
    return f;
}

// A metric point's labels, one column each in place of its attributes, before its value, as a Prometheus answer has
// them (DESIGN.md: "a metrics query has time, one column per label, and value"; CLI contract test). A column is
// typed by its values: int64, double or string when all are, else json. A label named like another column is
// numbered, as the Prometheus reader does.
void spreadLabels(Frame &f)
{
    const int attributes = f.columnIndex("attributes");
    const int value = f.columnIndex("value");
    if (attributes < 0 || value < 0)
        return;
    std::vector<Json> parsed;
    std::map<std::string, ColumnType> types; // the labels, in order, and the type all their values share
    for (const Cell &cell : f.columns[std::size_t(attributes)].cells) {
        const auto *text = std::get_if<std::string>(&cell);
        parsed.push_back(text ? parseJson(*text) : Json());
        if (!parsed.back().is_object())
            continue;
        for (const auto &[key, v] : parsed.back().items()) {
            const ColumnType t = v.is_number_integer() ? ColumnType::Int64 : v.is_number() ? ColumnType::Double
                               : v.is_string() ? ColumnType::String : ColumnType::Json;
            const auto [it, added] = types.emplace(key, t);
            if (!added && it->second != t)
                it->second = (it->second == ColumnType::Int64 || it->second == ColumnType::Double)
                                 && (t == ColumnType::Int64 || t == ColumnType::Double) ? ColumnType::Double : ColumnType::Json;
        }
    }
    std::vector<Column> labels;
    for (const auto &[key, type] : types) {
        Column c{f.columnIndex(key) >= 0 ? key + " 2" : key, type, {}};
        for (const Json &row : parsed) {
            const auto it = row.is_object() ? row.find(key) : row.end();
            if (it == row.end() || it->is_null())
                c.cells.emplace_back();
            else if (type == ColumnType::Int64)
                c.cells.emplace_back(it->get<std::int64_t>());
            else if (type == ColumnType::Double)
                c.cells.emplace_back(it->get<double>());
            else
                c.cells.emplace_back(type == ColumnType::String ? it->get<std::string>() : it->dump());
        }
        labels.push_back(std::move(c));
    }
    f.columns.erase(f.columns.begin() + attributes);
    const auto at = f.columns.begin() + f.columnIndex("value");
    f.columns.insert(at, std::make_move_iterator(labels.begin()), std::make_move_iterator(labels.end()));
}

Frame runRaw(sqlite3 *db, const std::string &sql, int limit, const CancelTokenPtr &cancel)
{
    SqliteStatement probe(db, sql);
    CompiledSql c;
    c.sql = sql;
    c.limit = limit;
    for (int i = 0; i < probe.columnCount(); ++i) {
        const bool time = probe.columnName(i) == "time";
        c.columnTypes.push_back(time ? ColumnType::Time : ColumnType::String);
        if (!time)
            c.typedByCells.push_back(static_cast<std::size_t>(i));
    }
    return runCompiled(db, c, cancel);
}
} // namespace

Store::Store(const QString &path, Mode mode, std::chrono::milliseconds busyTimeout) : m_path(path)
{
    // SQLite counts every allocation under a global mutex for sqlite3_status(), which nothing here reads:
    // a lock and unlock per row written. Configurable only before SQLite starts (else a harmless error).
    static const bool noMemoryStatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    Q_UNUSED(noMemoryStatus);
    const bool readOnly = mode == Mode::ReadOnly;
    if (path.isEmpty())
        throw Error(QStringLiteral("no store path given"));
    // SQLite would wait for ever on a FIFO (exploratory test: a colleague's workspace had hung the board).
    if (const QFileInfo file(path); file.exists() && !file.isFile())
        throw Error(QStringLiteral("store %1 is not a file").arg(path));
    if (readOnly && !QFileInfo::exists(path))
        throw Error(QStringLiteral("store %1 does not exist").arg(path));
    if (!readOnly) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        m_writerLock = FileLock::shared(writerLockPath(path), busyTimeout); // before SQLite opens what demo may replace (review)
        if (!m_writerLock)
            throw Error(QStringLiteral("store %1 is being replaced (flightdeck demo holds %2): try again")
                            .arg(path, writerLockPath(path)));
    }
    const int flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    // In a folder it may not write, SQLite cannot make the -shm file a WAL store is read with (exploratory test:
    // "attempt to write a readonly database"); with no -wal file beside it, all of the store is in the file.
    const bool immutable = readOnly && !QFileInfo(QFileInfo(path).absolutePath()).isWritable()
                           && !QFileInfo::exists(path + QStringLiteral("-wal"));
    const QByteArray name = immutable ? QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?immutable=1"
                                      : path.toUtf8();
    if (sqlite3_open_v2(name.constData(), &m_db, flags | SQLITE_OPEN_NOMUTEX | (immutable ? SQLITE_OPEN_URI : 0), nullptr)
        != SQLITE_OK) {
        const QString message = QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "out of memory");
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(QStringLiteral("cannot open store %1: %2").arg(path, message));
    }
    sqlite3_busy_timeout(m_db, static_cast<int>(busyTimeout.count()));
    // 64 MiB of page cache: bulk inserts into several indexes and the trigram index otherwise go to the
    // kernel for every page.
    execSql(m_db, kUsualCache);
    sqlite3_extended_result_codes(m_db, 0);
    registerSqliteFunctions(m_db);
    try {
        // mark, import and serve had added their tables to another program's database, and set it to WAL
        if (holdsAnotherProgramsTables())
            throw Error(QStringLiteral("it is an SQLite database of another program, not a Flightdeck store"));
        if (!readOnly) {
            // A commit is in the WAL file (the kernel's page cache) before insert() returns: it survives a
            // crash or kill -9 of the process. Only a power loss or OS crash can lose the newest commits
            // (the WAL is synced at checkpoints), and the file never ends up damaged either way.
            // A checkpoint every 32 MiB of WAL rather than SQLite's 4 MiB: a receiver request of 5,000 spans
            // fills 4 MiB, so every commit also copied (and synced) its pages, the index pages several
            // commits share each time again.
            // Pages of 16 KiB in a new store (an existing one keeps its own): a gigabyte's import inserted in
            // 8.3 s against 10.5 s with 4 KiB, and each index is built with a quarter of the pages.
            execSql(m_db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            SqliteStatement pageSize(m_db, "PRAGMA page_size");
            const std::int64_t pageBytes = pageSize.step() ? std::max<std::int64_t>(512, pageSize.int64(0)) : 4096;
            execSql(m_db, ("PRAGMA wal_autocheckpoint=" + std::to_string((32 << 20) / pageBytes)).c_str());
            createSchema();
        } else {
            SqliteStatement check(m_db, "SELECT value FROM meta WHERE key = 'schema_version'");
            if (!check.step())
                throw Error(QStringLiteral("%1 is not a Flightdeck store").arg(path));
            m_fullText = schemaVersion() >= 3; // an older store is searched by scanning until it is migrated
        }
    } catch (const Error &e) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(QStringLiteral("cannot open store %1: %2").arg(path, e.message()));
    }
}

Store::~Store() { sqlite3_close(m_db); }

bool Store::holdsAnotherProgramsTables() const
{
    SqliteStatement tables(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1");
    if (!tables.step())
        return false;
    // Chrome's History has a meta table too (review): a store's says its schema version
    SqliteStatement meta(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    if (!meta.step())
        return true;
    try {
        SqliteStatement version(m_db, "SELECT 1 FROM meta WHERE key = 'schema_version'");
        return !version.step();
    } catch (const Error &) { // a meta table without a key column
        return true;
    }
}

QString Store::realPath(const QString &storePath)
{
    const QFileInfo file(storePath);
    if (const QString real = file.canonicalFilePath(); !real.isEmpty())
        return real;
    const QString folder = QFileInfo(file.absolutePath()).canonicalFilePath(); // a store not written yet
    return folder.isEmpty() ? file.absoluteFilePath() : QDir(folder).filePath(file.fileName());
}

int Store::schemaVersion() const
{
    SqliteStatement hasMeta(m_db, "SELECT 1 FROM sqlite_master WHERE name = 'meta'");
    if (!hasMeta.step())
        return 0;
    SqliteStatement version(m_db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (!version.step())
        return 0;
    const std::string text = version.text(0);
    const auto number = parseWhole<int>(text);
    if (!number)
        throw Error("the store's schema version \"" + text + "\" is not a number: is it a Flightdeck store?");
    return *number;
}

void Store::createSchema()
{
    const int version = schemaVersion();
    if (version > kSchemaVersion)
        throw Error(QStringLiteral("the store was written by a newer Flightdeck (schema %1)").arg(version));
    Transaction tx(m_db);
    // The index of schemas 3 and 4 kept positions or sizes: it is built again, in the background as for any
    // unindexed rows.
    if (version == 3 || version == 4)
        execSql(m_db, "DROP TABLE logs_fts; UPDATE meta SET value = '0' WHERE key = 'fts_indexed_id'");
    if (version > 0 && version < 6)
        execSql(m_db, "DROP INDEX IF EXISTS spans_trace"); // spans_trace_span takes its place
    execSql(m_db, kSchema);
    execSql(m_db, fulltext::createTableSql("main").c_str());
    execSql(m_db, fulltext::automergeSql("main", fulltext::kMergeAsTheyCome).c_str()); // a bulk load may have stopped half-way
    if (version > 0 && version < 2)
        backfillFieldKeys();
    execSql(m_db, ("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '"
                   + std::to_string(kSchemaVersion) + "')").c_str());
    tx.commit();
}

// A store from before field_keys learns the keys of its newest records (a sample keeps opening quick).
void Store::backfillFieldKeys()
{
    FieldKeys keys;
    const char *samples[] = {
        "SELECT 0, '', l.time, l.attrs, r.attrs FROM logs l LEFT JOIN resources r ON r.id = l.resource_id "
        "ORDER BY l.id DESC LIMIT 20000",
        "SELECT 1, '', l.start, l.attrs, r.attrs FROM spans l LEFT JOIN resources r ON r.id = l.resource_id "
        "ORDER BY l.id DESC LIMIT 20000",
        "SELECT 2, l.name, l.time, l.attrs, r.attrs FROM metric_points l LEFT JOIN resources r ON r.id = l.resource_id "
        "ORDER BY l.id DESC LIMIT 50000"};
    for (const char *sql : samples) {
        SqliteStatement st(m_db, sql);
        while (st.step()) {
            const auto signal = static_cast<Signal>(st.int64(0));
            keys.add(signal, st.text(1), parseOr(st.text(3), Json::object()), st.int64(2));
            keys.add(signal, st.text(1), parseOr(st.text(4), Json::object()), st.int64(2));
        }
    }
    keys.save(m_db);
}

void Store::insert(const LogRows &rows)
{
    if (rows.empty())
        return;
    Transaction tx(m_db);
    insertRows(rows);
    tx.commit();
}

void Store::insert(const TelemetryBatch &batch, const LogRows &rows, const std::function<void()> &alsoInTransaction)
{
    if (batch.empty() && rows.empty())
        return;
    Transaction tx(m_db);
    insertTelemetry(batch);
    insertRows(rows);
    if (alsoInTransaction)
        alsoInTransaction();
    tx.commit();
}

void Store::insertRows(const LogRows &rows)
{
    if (rows.empty())
        return;
    ResourceCache resources(m_db);
    std::vector<std::int64_t> resourceIds;
    resourceIds.reserve(rows.resources.size());
    for (const LogRows::Resource &r : rows.resources) // one per resource of the batch: sorted as OTLP's are
        resourceIds.push_back(resources.id(sortedDump(parseOr(r.attributes, Json::object())), r.service));
    SqliteStatement st(m_db, kInsertLog);
    for (const LogRow &r : rows.rows) {
        st.bind(1, r.time).bind(2, r.time).bind(3, std::int64_t(r.severity)).bindStatic(4, r.severityText);
        st.bindStatic(5, r.service);
        r.eventName.empty() ? st.bindNull(6) : st.bindStatic(6, r.eventName);
        st.bindStatic(7, r.body).bind(8, std::int64_t(r.bodyIsJson)).bindStatic(9, r.traceId).bindStatic(10, r.spanId);
        st.bindStatic(11, r.attributes).bind(12, resourceIds[r.resource]);
        st.run();
    }
    rows.keys.save(m_db);
}

bool Store::beginBulkLoad()
{
    {
        SqliteStatement any(m_db, "SELECT EXISTS(SELECT 1 FROM logs)"); // finished before the drops below
        if (any.step() && any.int64(0) != 0)
            return false;
    }
    // Power loss during the load can lose the load (not older data it did not touch); endBulkLoad syncs.
    // Only the trace index: its random keys cost a page miss per row once it outgrows the cache, where
    // the time-ordered ones grow at their ends; each CREATE INDEX afterwards reads the whole table again.
    execSql(m_db, "PRAGMA synchronous=OFF; DROP INDEX IF EXISTS logs_trace;");
    // Merging the full-text segments as each chunk commits made indexing 2.5 times slower (1 GB of lines: 11.6
    // against 4.6 s); searches over the twenty unmerged segments of a gigabyte are as fast as over one.
    execSql(m_db, fulltext::automergeSql("main", 0).c_str());
    execSql(m_db, kBulkCache);
    execSql(m_db, "PRAGMA mmap_size=1073741824");
    return true;
}

void Store::buildBulkIndexes()
{
    // CREATE INDEX sorts runs the size of the cache on two cores, then merges them: 3.66M trace ids took 4 s
    // in runs of 8 MiB and 11 s in one of 256 MiB.
    execSql(m_db, "PRAGMA threads=2; PRAGMA cache_size=-8192");
    Transaction tx(m_db);
    execSql(m_db, kSchema); // creates what is missing: the dropped indexes
    tx.commit();
    execSql(m_db, "PRAGMA threads=0");
    execSql(m_db, kBulkCache);
}

void Store::endBulkLoad()
{
    execSql(m_db, "PRAGMA synchronous=NORMAL; PRAGMA threads=0; PRAGMA mmap_size=0");
    execSql(m_db, kUsualCache);
    execSql(m_db, fulltext::automergeSql("main", fulltext::kMergeAsTheyCome).c_str());
    // Syncs the log written unsynced, then copies it into the database file (synced too).
    execSql(m_db, "PRAGMA wal_checkpoint(PASSIVE)");
}

void Store::insert(const TelemetryBatch &batch)
{
    if (batch.empty())
        return;
    Transaction tx(m_db);
    insertTelemetry(batch);
    tx.commit();
}

void Store::insertTelemetry(const TelemetryBatch &batch)
{
    if (batch.empty())
        return;
    ResourceCache resources(m_db);
    FieldKeys keys;
    ResourceKeys resourceKeys(keys);
    insertLogs(m_db, resources, keys, resourceKeys, batch.logs);
    insertSpans(m_db, resources, keys, resourceKeys, batch.spans);
    insertMetrics(m_db, resources, keys, resourceKeys, batch.metrics);
    keys.save(m_db);
    if (m_detectReleases)
        recordReleases(batch);
}

namespace {
// The earliest time each (service, version) pair appears in a batch.
std::map<std::pair<std::string, std::string>, TimeNs> versionsIn(const TelemetryBatch &batch)
{
    std::map<std::pair<std::string, std::string>, TimeNs> out;
    auto note = [&out](const std::string &service, const Json &resource, TimeNs t) {
        const auto it = resource.find("service.version");
        if (service.empty() || it == resource.end() || !it->is_string())
            return;
        auto [entry, inserted] = out.try_emplace({service, it->get<std::string>()}, t);
        if (!inserted)
            entry->second = std::min(entry->second, t);
    };
    for (const LogRecord &r : batch.logs)
        note(r.service, r.resource, r.time);
    for (const Span &s : batch.spans)
        note(s.service, s.resource, s.start);
    for (const MetricPoint &p : batch.metrics)
        note(p.service, p.resource, p.time);
    return out;
}
} // namespace

// A version is a release the first time it is seen, unless it is the service's first version ever.
// Keying on "never seen before" (not "differs from the last") keeps a rolling deploy, where both
// versions report for a while, from flapping.
void Store::recordReleases(const TelemetryBatch &batch)
{
    SqliteStatement known(m_db, "SELECT 1 FROM service_versions WHERE service = ?1 AND version = ?2");
    SqliteStatement anyVersion(m_db, "SELECT version FROM service_versions WHERE service = ?1 ORDER BY first_seen DESC LIMIT 1");
    SqliteStatement remember(m_db, "INSERT INTO service_versions(service, version, first_seen) VALUES (?1, ?2, ?3)");
    SqliteStatement marker(m_db, kInsertMarker);
    for (const auto &[key, firstSeen] : versionsIn(batch)) {
        const auto &[service, version] = key;
        known.bind(1, service).bind(2, version);
        const bool seen = known.step();
        known.reset();
        if (seen)
            continue;
        anyVersion.bind(1, service);
        const std::string previous = anyVersion.step() ? anyVersion.text(0) : std::string();
        anyVersion.reset();
        remember.bind(1, service).bind(2, version).bind(3, firstSeen).run();
        if (previous.empty())
            continue;
        Marker m;
        m.time = firstSeen;
        m.kind = "deploy";
        m.service = service;
        m.version = version;
        m.title = "Release " + service + " " + version + " (seen in telemetry)";
        m.attributes = {{"source", "telemetry"}, {"previous_version", previous}};
        bindMarker(marker, m);
        marker.run();
    }
}

Store::StoredMarker Store::insertMarker(const Marker &m)
{
    SqliteStatement st(m_db, kInsertMarker);
    bindMarker(st, m);
    st.run();
    if (sqlite3_changes(m_db) > 0)
        return {sqlite3_last_insert_rowid(m_db), true};
    SqliteStatement stored(m_db, kStoredMarkerId);
    bindMarker(stored, m);
    if (!stored.step())
        throw Error(QStringLiteral("the marker was neither stored nor found"));
    return {stored.int64(0), false};
}

std::size_t Store::insertMarkers(const std::vector<Marker> &markers)
{
    Transaction tx(m_db);
    SqliteStatement st(m_db, kInsertMarker);
    std::size_t added = 0;
    for (const Marker &m : markers) {
        bindMarker(st, m);
        st.run();
        added += std::size_t(sqlite3_changes(m_db));
    }
    tx.commit();
    return added;
}

void Store::clear()
{
    Transaction tx(m_db);
    execSql(m_db, "DELETE FROM logs; DELETE FROM spans; DELETE FROM metric_points; DELETE FROM markers; "
                  "DELETE FROM resources; DELETE FROM field_keys; INSERT INTO logs_fts(logs_fts) VALUES ('delete-all'); "
                  "UPDATE meta SET value = '0' WHERE key = 'fts_indexed_id'; "
                  "DELETE FROM meta WHERE key LIKE 'imported:%';");
    execSql(m_db, kCountLogDeletion);
    tx.commit();
}

std::optional<std::string> Store::importedFile(const std::string &key)
{
    SqliteStatement st(m_db, "SELECT value FROM meta WHERE key = 'imported:' || ?1");
    st.bind(1, key);
    return st.step() ? std::optional(st.text(0)) : std::nullopt;
}

std::int64_t Store::logDeletions()
{
    SqliteStatement st(m_db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'log_deletions'");
    return st.step() ? st.int64(0) : 0;
}

void Store::recordImportedFile(const std::string &key, const std::string &note)
{
    SqliteStatement st(m_db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('imported:' || ?1, ?2)");
    st.bind(1, key).bind(2, note).run();
}

std::int64_t Store::applyRetention(DurationNs maxAge, TimeNs now)
{
    constexpr int kBatch = 20000;
    const TimeNs cutoff = now - maxAge;
    std::int64_t removed = 0;
    const std::string unindex = std::string("INSERT INTO logs_fts(logs_fts, rowid, body) SELECT 'delete', id, body FROM logs "
                                            "WHERE id IN (SELECT id FROM logs WHERE time < ?1 ORDER BY id LIMIT ?2) AND id <= ")
                                + kIndexedId;
    SqliteStatement unindexLogs(m_db, unindex);
    const char *deletes[] = {
        "DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE time < ?1 ORDER BY id LIMIT ?2)",
        "DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE start < ?1 LIMIT ?2)",
        "DELETE FROM metric_points WHERE id IN (SELECT id FROM metric_points WHERE time < ?1 LIMIT ?2)"};
    for (const char *sql : deletes) {
        SqliteStatement st(m_db, sql);
        const bool logs = sql == deletes[0];
        for (;;) {
            Transaction tx(m_db);
            if (logs)
                unindexLogs.bind(1, cutoff).bind(2, std::int64_t(kBatch)).run();
            st.bind(1, cutoff).bind(2, std::int64_t(kBatch));
            st.run();
            const int changed = sqlite3_changes(m_db);
            // A new row may take the id of a deleted newest row: it must count as not yet indexed.
            if (logs && changed > 0) {
                execSql(m_db, "UPDATE meta SET value = MIN(CAST(value AS INTEGER), (SELECT IFNULL(MAX(id), 0) FROM logs)) "
                              "WHERE key = 'fts_indexed_id'");
                execSql(m_db, kCountLogDeletion);
            }
            tx.commit();
            removed += changed;
            if (changed < kBatch)
                break;
        }
    }
    return removed;
}

StoreRowIds Store::newestIds()
{
    SqliteStatement st(m_db, "SELECT (SELECT IFNULL(MAX(id), 0) FROM logs), (SELECT IFNULL(MAX(id), 0) FROM spans), "
                             "(SELECT IFNULL(MAX(id), 0) FROM metric_points)");
    return st.step() ? StoreRowIds{st.int64(0), st.int64(1), st.int64(2)} : StoreRowIds{};
}

std::int64_t Store::recordsBefore(TimeNs time, const StoreRowIds &after)
{
    // "+time": through the ids after `after`, not through every old row of the time index
    SqliteStatement st(m_db, "SELECT (SELECT COUNT(*) FROM logs WHERE id > ?2 AND +time < ?1) + (SELECT COUNT(*) FROM "
                             "spans WHERE id > ?3 AND +start < ?1) + (SELECT COUNT(*) FROM metric_points WHERE id > ?4 "
                             "AND +time < ?1)");
    st.bind(1, time).bind(2, after.logs).bind(3, after.spans).bind(4, after.metrics);
    return st.step() ? st.int64(0) : 0;
}

std::int64_t Store::indexFullText(const CancelTokenPtr &cancel, std::int64_t maxRows)
{
    constexpr std::int64_t kChunk = 200000;
    SqliteStatement watermark(m_db, std::string("SELECT ") + kIndexedId);
    SqliteStatement index(m_db, "INSERT INTO logs_fts(rowid, body) SELECT id, body FROM logs WHERE id > ?1 "
                                "ORDER BY id LIMIT ?2");
    SqliteStatement last(m_db, "SELECT MAX(id) FROM (SELECT id FROM logs WHERE id > ?1 ORDER BY id LIMIT ?2)");
    SqliteStatement advance(m_db, "UPDATE meta SET value = ?1 WHERE key = 'fts_indexed_id'");
    std::int64_t done = 0;
    while (maxRows < 0 || done < maxRows) {
        if (cancel && cancel->isCancelled())
            break;
        const std::int64_t chunk = maxRows < 0 ? kChunk : std::min(kChunk, maxRows - done);
        Transaction tx(m_db);
        if (done == 0)
            execSql(m_db, fulltext::largeHashSql("main").c_str());
        const std::int64_t from = watermark.step() ? watermark.int64(0) : 0;
        watermark.reset();
        index.bind(1, from).bind(2, chunk).run();
        const std::int64_t added = sqlite3_changes(m_db);
        if (added > 0) {
            last.bind(1, from).bind(2, chunk);
            const std::int64_t to = last.step() ? last.int64(0) : from;
            last.reset();
            advance.bind(1, to).run();
        }
        tx.commit();
        done += added;
        if (added < chunk)
            break;
    }
    return done;
}

std::int64_t Store::unindexedLogs()
{
    SqliteStatement st(m_db, std::string("SELECT COUNT(*) FROM logs WHERE id > ") + kIndexedId);
    return st.step() ? st.int64(0) : 0;
}

std::int64_t Store::fullTextLag()
{
    SqliteStatement st(m_db, std::string("SELECT IFNULL((SELECT MAX(id) FROM logs), 0) - ") + kIndexedId);
    return st.step() ? std::max<std::int64_t>(0, st.int64(0)) : 0;
}

void Store::setBusyTimeout(std::chrono::milliseconds timeout)
{
    sqlite3_busy_timeout(m_db, static_cast<int>(timeout.count()));
}

Frame Store::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    if (!q.raw.empty())
        return runRaw(m_db, q.raw, q.limit, cancel);
    const CompiledSql c = compileQuery(q, range, m_fullText, storedSpan(q.signal));
    if (!c.arrivalTable) {
        Frame f = runCompiled(m_db, c, cancel);
        rescalePartialBucketRates(f, q.agg, q.interval, range);
        if (q.signal == Signal::Metrics && !aggregates(q))
            spreadLabels(f);
        return f;
    }
    // The newest id and the rows come from one snapshot: a row committed in between is in the next tail.
    ReadTransaction snapshot(m_db);
    SqliteStatement newest(m_db, std::string("SELECT coalesce(max(id), 0) FROM ") + c.arrivalTable);
    newest.step();
    const std::int64_t mark = newest.int64(0);
    Frame f = runCompiled(m_db, c, cancel);
    // A truncated tail: the last row's id, the rows after it wait for the next query. After the newest rows
    // were deleted (the table emptied), the tail goes on from the newest left.
    if (!(c.arrivalColumn && f.truncated))
        f.arrivalMark = mark;
    return f;
}

// One pass counts every field's values: a group-by each read every row again (BENCHMARKS.md). Past
// countedBytes of values in all, the field taking the most (an id) is dropped and counted by its own group-by
// afterwards (SQLite's sorter spills to disk), in the same snapshot.
std::vector<FieldSummary> Store::summarizeFields(const Query &q, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel, std::size_t countedBytes)
{
    if (fields.empty() || topValues <= 0)
        return {};
    const CompiledSql c = compileGroupValues(q, fields, range, m_fullText, storedSpan(q.signal));
    ReadTransaction snapshot(m_db);
    std::vector<ValueCounts> counts(fields.size());
    std::int64_t total = 0;
    {
        CancelScope scope(m_db, cancel);
        SqliteStatement st(m_db, c.sql);
        st.bindAll(c.params);
        std::size_t bytes = 0;
        while (st.step()) {
            ++total;
            for (std::size_t i = 0; i < fields.size(); ++i)
                bytes += counts[i].add(st.cell(static_cast<int>(i)));
            if (bytes > countedBytes) {
                auto most = std::max_element(counts.begin(), counts.end(),
                    [](const ValueCounts &a, const ValueCounts &b) { return a.bytes() < b.bytes(); });
                bytes -= most->bytes();
                most->drop();
            }
        }
    }
    std::vector<FieldSummary> out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        throwIfCancelled(cancel);
        if (counts[i].dropped()) {
            const Frame groups = query(fieldGroupsQuery(q, fields[i], topValues), range, cancel);
            out.push_back(summaryOfGroups(fields[i], groups, total));
            continue;
        }
        Frame groups;
        groups.columns = { Column { fields[i], c.columnTypes[i], {} }, Column { "count", ColumnType::Int64, {} } };
        for (auto &[value, n] : counts[i].top(static_cast<std::size_t>(topValues))) {
            groups.columns[0].cells.push_back(std::move(value));
            groups.columns[1].cells.push_back(n);
        }
        typeColumn(c, i, groups.columns[0]);
        out.push_back(summaryOfGroups(fields[i], groups, total));
    }
    return out;
}

bool Store::queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel, std::size_t pageRows,
                       const std::function<void(const Frame &)> &page)
{
    if (!q.raw.empty() || aggregates(q)) {
        const Frame f = query(q, range, cancel);
        page(f);
        return f.truncated;
    }
    // One statement: the rows of one snapshot, which holds back WAL checkpoints until the last page is read.
    Query rows = q;
    rows.countTotal = false;
    return runCompiled(m_db, compileQuery(rows, range, m_fullText, storedSpan(q.signal)), cancel,
                       PageSink{std::max<std::size_t>(1, pageRows), &page})
        .truncated;
}

std::optional<TimeRange> Store::storedSpan(Signal signal)
{
    // Two subqueries: min() and max() together in one select would scan the whole index.
    static constexpr const char *kLogs = "SELECT (SELECT min(time) FROM logs), (SELECT max(time) FROM logs)";
    static constexpr const char *kSpans = "SELECT (SELECT min(start) FROM spans), (SELECT max(start) FROM spans)";
    if (signal == Signal::Metrics) // metric_points has no index led by time
        return std::nullopt;
    SqliteStatement st(m_db, signal == Signal::Logs ? kLogs : kSpans);
    if (!st.step() || isNull(st.cell(0)))
        return std::nullopt;
    return TimeRange{st.int64(0), st.int64(1) + 1};
}

std::vector<std::string> Store::fieldNames(Signal signal, const std::string &metricName, const TimeRange &range)
{
    std::vector<std::string> names = metricName.empty() ? intrinsicFields(signal) : std::vector<std::string>();
    const std::set<std::string> intrinsic(names.begin(), names.end());
    SqliteStatement st(m_db, "SELECT DISTINCT key FROM field_keys WHERE signal = ?1 AND (?2 = '' OR metric = ?2) "
                             "AND first_seen < ?4 AND last_seen >= ?3 ORDER BY key");
    st.bind(1, std::int64_t(signal)).bind(2, metricName).bind(3, range.from).bind(4, range.to);
    while (st.step())
        if (std::string key = st.text(0); !intrinsic.count(key))
            names.push_back(std::move(key));
    return names;
}

TimeRange Store::newestRowsRange(Signal signal, const TimeRange &range, std::int64_t rows)
{
    if (signal == Signal::Metrics)
        return range;
    // The time index walks back `rows` entries: milliseconds, where grouping them all takes seconds.
    SqliteStatement st(m_db, signal == Signal::Logs
                                 ? "SELECT time FROM logs WHERE time >= ?1 AND time < ?2 ORDER BY time DESC LIMIT 1 OFFSET ?3"
                                 : "SELECT start FROM spans WHERE start >= ?1 AND start < ?2 ORDER BY start DESC LIMIT 1 OFFSET ?3");
    st.bind(1, range.from).bind(2, range.to).bind(3, rows - 1);
    return st.step() ? TimeRange{st.int64(0), range.to} : range;
}

std::vector<FieldValue> Store::fieldValues(Signal signal, const std::string &field, const std::string &metricName,
                                           const TimeRange &fullRange, const CancelTokenPtr &cancel,
                                           std::int64_t *newestRows)
{
    constexpr int kValueLimit = 50;
    const TimeRange range = newestRowsRange(signal, fullRange, kValueSampleRows);
    if (newestRows)
        *newestRows = range.from != fullRange.from ? kValueSampleRows : 0;
    Query q;
    q.signal = signal;
    // Severity names rather than numbers: what a person types.
    const std::string grouped = signal == Signal::Logs && field == "severity" ? std::string("severity_text") : field;
    q.where.push_back({grouped, Op::Exists, nullptr});
    if (signal == Signal::Metrics && !metricName.empty())
        q.where.push_back({"name", Op::Eq, metricName});
    q.groupBy = {grouped};
    q.agg = parseAggregate("count");
    q.limit = kValueLimit;
    const Frame f = query(q, range, cancel);
    std::vector<FieldValue> out;
    for (std::size_t row = 0; row < f.rowCount(); ++row) {
        // Status and kind by name, as groups show them; a text of a column of mixed kinds without its quotes.
        const std::string value = jsonValueText(cellToJson(f.cell(row, 0), f.columns[0].type));
        const std::int64_t count = cellToInt(f.cell(row, 1));
        // 500 and "500" are one value to a person.
        const auto same = std::find_if(out.begin(), out.end(), [&](const FieldValue &v) { return v.value == value; });
        if (same != out.end())
            same->count += count;
        else
            out.push_back({value, count});
    }
    std::sort(out.begin(), out.end(), [](const FieldValue &a, const FieldValue &b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    return out;
}

std::vector<Marker> Store::markers(const TimeRange &range)
{
    SqliteStatement st(m_db, "SELECT id, time, kind, service, title, version, commit_sha, commit_time, url, attrs "
                             "FROM markers WHERE time >= ?1 AND time < ?2 ORDER BY time");
    st.bind(1, range.from).bind(2, range.to);
    std::vector<Marker> out;
    while (st.step()) {
        Marker m;
        m.id = st.int64(0);
        m.time = st.int64(1);
        m.kind = st.text(2);
        m.service = st.text(3);
        m.title = st.text(4);
        m.version = st.text(5);
        m.commit = st.text(6);
        m.commitTime = st.isNull(7) ? 0 : st.int64(7);
        m.url = st.text(8);
        m.attributes = parseOr(st.text(9), Json::object());
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Span> Store::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    throwIfCancelled(cancel);
    CancelScope scope(m_db, cancel);
    SqliteStatement st(m_db, "SELECT s.trace_id, s.span_id, s.parent_span_id, s.service, s.name, s.kind, s.start, "
                             "s.\"end\", s.status_code, s.status_message, s.attrs, s.events, s.links, r.attrs "
                             "FROM spans s LEFT JOIN resources r ON r.id = s.resource_id "
                             "WHERE s.trace_id IN (?1, ?2) ORDER BY s.start, s.id");
    // OTLP's ids have 32 digits; a 64-bit id (B3, a log line, Jaeger's UI) names the same trace with 16
    const std::string padded = paddedHexId(traceId, 32);
    st.bind(1, traceId).bind(2, padded.empty() ? traceId : padded);
    std::vector<Span> out;
    while (st.step()) {
        Span s;
        s.traceId = st.text(0);
        s.spanId = st.text(1);
        s.parentSpanId = st.text(2);
        s.service = st.text(3);
        s.name = st.text(4);
        s.kind = static_cast<int>(st.int64(5));
        s.start = st.int64(6);
        s.end = st.int64(7);
        s.statusCode = static_cast<int>(st.int64(8));
        s.statusMessage = st.text(9);
        s.attributes = parseOr(st.text(10), Json::object());
        for (const Json &e : parseOr(st.text(11), Json::array()))
            s.events.push_back({e.value("time", TimeNs(0)), e.value("name", std::string()),
                                e.value("attributes", Json::object())});
        for (const Json &l : parseOr(st.text(12), Json::array()))
            s.links.push_back({l.value("trace_id", std::string()), l.value("span_id", std::string()),
                               l.value("attributes", Json::object())});
        s.resource = parseOr(st.text(13), Json::object());
        out.push_back(std::move(s));
        if (out.size() % 1000 == 0)
            throwIfCancelled(cancel);
    }
    return out;
}

Frame Store::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    CompiledSql c;
    c.sql = "SELECT t.trace_id AS trace_id, t.first AS time, "
            "(SELECT service FROM spans r WHERE r.trace_id = t.trace_id ORDER BY r.parent_span_id <> '', r.start LIMIT 1) "
            "AS root_service, "
            "(SELECT name FROM spans r WHERE r.trace_id = t.trace_id ORDER BY r.parent_span_id <> '', r.start LIMIT 1) "
            "AS root_name, (t.last - t.first) / 1000000.0 AS duration_ms, t.spans AS spans, t.errors AS errors FROM "
            "(SELECT trace_id, MIN(start) AS first, MAX(\"end\") AS last, COUNT(*) AS spans, "
            "SUM(status_code = 2) AS errors FROM spans WHERE start >= ?1 AND start < ?2 GROUP BY trace_id "
            "ORDER BY first DESC LIMIT ?3) t ORDER BY t.first DESC";
    c.params = {range.from, range.to, std::int64_t(limit)};
    c.columnTypes = {ColumnType::String, ColumnType::Time, ColumnType::String, ColumnType::String,
                     ColumnType::Double, ColumnType::Int64, ColumnType::Int64};
    return runCompiled(m_db, c, cancel);
}

std::vector<TraceSummary> Store::traceSummaries(const std::vector<std::string> &traceIds, const CancelTokenPtr &cancel)
{
    // The root: the first span without a parent in (start, id) order, else the first span, as in
    // summarizeTrace(); the ids come in as one JSON array.
    CancelScope scope(m_db, cancel);
    SqliteStatement st(m_db,
        "WITH t AS (SELECT trace_id, service, name, start, \"end\", status_code, row_number() OVER "
        "(PARTITION BY trace_id ORDER BY COALESCE(parent_span_id, '') <> '', start, id) AS rank "
        "FROM spans WHERE trace_id IN (SELECT value FROM json_each(?1))) "
        "SELECT trace_id, MIN(start), MAX(\"end\"), COUNT(*), SUM(status_code = 2), "
        "MAX(CASE WHEN rank = 1 THEN service END), MAX(CASE WHEN rank = 1 THEN name END), "
        "json_group_array(DISTINCT COALESCE(service, '')) FROM t GROUP BY trace_id");
    st.bind(1, Json(traceIds).dump());
    std::vector<TraceSummary> out;
    while (st.step()) {
        TraceSummary t;
        t.traceId = st.text(0);
        t.start = st.int64(1);
        t.duration = st.int64(2) - t.start;
        t.spans = st.int64(3);
        t.errors = st.int64(4);
        t.rootService = st.text(5);
        t.rootName = st.text(6);
        t.services = joinedServices(parseOr(st.text(7), Json::array()).get<std::vector<std::string>>());
        out.push_back(std::move(t));
    }
    return out;
}

StoreCounts Store::counts()
{
    SqliteStatement st(m_db, "SELECT (SELECT COUNT(*) FROM logs), (SELECT COUNT(*) FROM spans), "
                             "(SELECT COUNT(*) FROM metric_points), (SELECT COUNT(*) FROM markers)");
    StoreCounts c;
    if (st.step()) {
        c.logs = st.int64(0);
        c.spans = st.int64(1);
        c.metrics = st.int64(2);
        c.markers = st.int64(3);
    }
    return c;
}

QString Store::defaultStorePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("default.sqlite"));
}

QString Store::demoStorePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo.sqlite"));
}

QString Store::demoWorkspacePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo.flightdeck.json"));
}

std::string StoreSource::compile(const Query &q, const TimeRange &range) const
{
    return compileQuery(q, range).display();
}

Frame StoreSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).query(q, range, cancel);
}

std::vector<FieldSummary> StoreSource::summarizeFields(const Query &q, const TimeRange &range,
    const std::vector<std::string> &fields, int topValues, const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).summarizeFields(q, range, fields, topValues, cancel);
}

bool StoreSource::queryPages(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel,
                             const std::function<void(const Frame &)> &page)
{
    constexpr std::size_t kPageRows = 10000;
    return Store(m_path, Store::Mode::ReadOnly).queryPages(q, range, cancel, kPageRows, page);
}

std::vector<Marker> StoreSource::markers(const TimeRange &range, const CancelTokenPtr &)
{
    return Store(m_path, Store::Mode::ReadOnly).markers(range);
}

std::vector<Span> StoreSource::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).trace(traceId, cancel);
}

std::vector<std::string> StoreSource::fieldNames(Signal signal, const std::string &metricName,
                                                 const TimeRange &range, const CancelTokenPtr &)
{
    return Store(m_path, Store::Mode::ReadOnly).fieldNames(signal, metricName, range);
}

std::vector<FieldValue> StoreSource::fieldValues(Signal signal, const std::string &field, const std::string &metricName,
                                                 const TimeRange &range, const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).fieldValues(signal, field, metricName, range, cancel);
}

Frame StoreSource::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).recentTraces(range, limit, cancel);
}

std::optional<std::vector<TraceSummary>> StoreSource::traceSummaries(const std::vector<std::string> &traceIds,
                                                                     const CancelTokenPtr &cancel)
{
    return Store(m_path, Store::Mode::ReadOnly).traceSummaries(traceIds, cancel);
}

} // namespace fd

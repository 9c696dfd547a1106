#include "ClickHouseSource.h"
#include "ClickHouseError.h"
#include "ClickHouseSqlBuilder.h"
#include "ClickHouseSqlCompiler.h"
#include "ClickHouseTraces.h"
#include "models/BucketRates.h"
#include "connectors/http/Url.h"
#include <QRegularExpression>
#include <QUuid>
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace fd {

namespace {
struct PendingKills {
    std::mutex mutex;
    std::condition_variable done;
    int count = 0;
};

// Never destroyed: a KILL thread still running when the process exits may touch it.
PendingKills &pendingKills()
{
    static auto *pending = new PendingKills;
    return *pending;
}
} // namespace

namespace {

constexpr int kUnknownTable = 60;
constexpr int kUnknownDatabase = 81;
constexpr int kUnknownSetting = 115;
constexpr int kReadonly = 164;
constexpr int kSettingConstraintViolation = 452;
constexpr int kFieldLimit = 500;

bool isAuthFailure(int status, int code)
{
    // 192 unknown user, 193 wrong password, 194 password required, 516 authentication failed.
    return status == 401 || status == 403 || code == 192 || code == 193 || code == 194 || code == 516;
}

std::string newQueryId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

ClickHouseSource::ClickHouseSource(std::string id, ClickHouseConfig config)
    : m_id(std::move(id))
    , m_config(std::move(config))
    , m_inlineParameters(m_config.inlineParameters)
{
    while (m_config.url.ends_with('/'))
        m_config.url.pop_back();
    Url::parse(m_config.url); // a bad URL is reported when the source is made, not at its first query
}

std::string ClickHouseSource::withJsonFormat(const std::string &sql)
{
    static const QRegularExpression format(
        QStringLiteral("\\bFORMAT\\s+(\\w+)\\s*$"), QRegularExpression::CaseInsensitiveOption);
    QString text = toQString(sql).trimmed();
    while (text.endsWith(QLatin1Char(';')))
        text = text.chopped(1).trimmed();
    const QRegularExpressionMatch m = format.match(text);
    if (!m.hasMatch())
        return toStd(text) + " FORMAT JSON";
    if (m.captured(1).compare(QStringLiteral("JSON"), Qt::CaseInsensitive) != 0)
        throw Error("raw SQL must end with FORMAT JSON or name no format (it names " + toStd(m.captured(1)) + ")");
    return toStd(text);
}

std::string ClickHouseSource::compile(const Query &q, const TimeRange &range) const
{
    if (!q.raw.empty())
        return withJsonFormat(q.raw);
    return chCompile(q, range, relation(q.signal, [this](ChTableKind k) { return cachedOrDefault(k); })).inlined();
}

namespace {
// What a result computed in ClickHouse holds that the store's would not.
void addAggregateNotes(Frame &f, const Query &q)
{
    if (q.agg.kind == Aggregate::Kind::Percentile)
        f.notes.push_back("ClickHouse estimates percentiles from a sample of up to 8,192 values of each group (quantile)");
    const bool sumsValues = q.signal == Signal::Metrics
        && (q.agg.kind == Aggregate::Kind::Rate || (q.agg.kind == Aggregate::Kind::Sum && q.agg.field == "value"));
    if (!sumsValues || f.columns.empty())
        return;
    const std::vector<Cell> &values = f.columns.back().cells;
    const auto notComputed = [](const Cell &c) { // NaN, which ClickHouse's JSON writes as null
        return std::holds_alternative<std::monostate>(c) || (std::holds_alternative<double>(c) && std::isnan(std::get<double>(c)));
    };
    if (std::any_of(values.begin(), values.end(), notComputed))
        f.notes.push_back("ClickHouse: the " + q.agg.text() + " of a cumulative counter or histogram is not computed (its "
                          "increases are not summed in SQL yet): its groups are left empty; query the store, or write "
                          "the SQL");
}
} // namespace

Frame ClickHouseSource::query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel)
{
    if (!q.raw.empty()) {
        const ChSql raw { q.raw, {}, {}, 0 };
        Frame f = chFrame(run(raw, cancel), {}, q.limit > 0 ? std::size_t(q.limit) : 0);
        f.nativeQuery = withJsonFormat(q.raw);
        return f;
    }
    const ChSql sql = chCompile(q, range, relation(q.signal, cancel));
    const ChResult r = run(sql, cancel);
    Frame f = chFrame(r, sql.columnTypes);
    for (std::size_t c = 0; c < sql.columnNames.size() && c < f.columns.size(); ++c)
        f.columns[c].name = sql.columnNames[c];
    rescalePartialBucketRates(f, q.agg, q.interval, range);
    addAggregateNotes(f, q);
    f.nativeQuery = sql.inlined();
    // rows_before_limit_at_least counts the rows an OFFSET skips too.
    if (sql.limit > 0 && r.rowsBeforeLimit && *r.rowsBeforeLimit > sql.offset + f.total) {
        f.total = *r.rowsBeforeLimit;
        f.truncated = true;
    }
    return f;
}

std::vector<std::pair<Signal, ChRelation>> ClickHouseSource::fieldSources(
    const std::string &metricName, const CancelTokenPtr &cancel)
{
    std::vector<std::pair<Signal, ChRelation>> sources;
    if (!metricName.empty()) {
        sources.emplace_back(Signal::Metrics, relation(Signal::Metrics, cancel));
        return sources;
    }
    for (const auto &[signal, kind] :
        { std::pair(Signal::Logs, ChTableKind::Logs), std::pair(Signal::Spans, ChTableKind::Traces) })
        if (const ChTable t = table(kind, cancel); t.exists)
            sources.emplace_back(signal, chTableRelation(t));
    return sources;
}

std::vector<std::string> ClickHouseSource::fieldNames(
    Signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    std::vector<std::string> names;
    std::set<std::string> keys;
    for (const auto &[signal, rel] : fieldSources(metricName, cancel)) {
        if (metricName.empty())
            for (const std::string &f : ChSqlBuilder::intrinsicFields(signal, rel.table))
                if (std::find(names.begin(), names.end(), f) == names.end())
                    names.push_back(f);
        const ChSql sql = chAttributeKeys(rel, signal, range, metricName, kFieldLimit);
        if (!sql.sql.empty())
            for (const Json &row : run(sql, cancel).data)
                keys.insert(row.value("key", std::string()));
    }
    for (const std::string &k : keys)
        if (std::find(names.begin(), names.end(), k) == names.end())
            names.push_back(k);
    return names;
}

std::vector<FieldValue> ClickHouseSource::fieldValues(
    Signal, const std::string &field, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel)
{
    // The first table that has values for the field (logs, then traces) answers.
    for (const auto &[signal, rel] : fieldSources(metricName, cancel)) {
        std::vector<FieldValue> values;
        for (const Json &row : run(chFieldValues(rel, signal, field, metricName, range, kFieldLimit), cancel).data)
            values.push_back({ row.value("value", std::string()), jsonInt64(row.value("count", Json())).value_or(0) });
        if (!values.empty())
            return values;
    }
    return {};
}

std::vector<Marker> ClickHouseSource::markers(const TimeRange &, const CancelTokenPtr &)
{
    return {};
}

std::vector<Span> ClickHouseSource::trace(const std::string &traceId, const CancelTokenPtr &cancel)
{
    return chSpans(run(chTraceSql(relation(Signal::Spans, cancel).table, traceId), cancel));
}

Frame ClickHouseSource::recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel)
{
    const ChSql sql = chRecentTraces(relation(Signal::Spans, cancel), range, limit);
    Frame f = chFrame(run(sql, cancel), sql.columnTypes);
    f.nativeQuery = sql.inlined();
    return f;
}

Json ClickHouseSource::lastSummary() const
{
    const std::lock_guard lock(m_mutex);
    return m_summary;
}

ChResult ClickHouseSource::run(const ChSql &sql, const CancelTokenPtr &cancel)
{
    const std::string queryId = newQueryId();
    const bool inlined = m_inlineParameters || sql.params.empty();
    const bool limitTime = !m_serverRefusesTimeLimit;
    HttpReply r;
    try {
        r = m_http.post(request(withJsonFormat(inlined ? sql.inlined() : sql.sql),
                            inlined ? std::vector<ChParam>() : sql.params, queryId, m_config.http.totalTimeout, limitTime),
            cancel);
    } catch (const Cancelled &) {
        kill(queryId);
        throw;
    } catch (const HttpError &e) { // a read-only query goes on after the client hangs up: each retry would add one
        if (e.kind() == HttpError::Kind::Timeout)
            kill(queryId);
        throw HttpError(e.kind(), "source \"" + m_id + "\": " + e.what(), e.status()); // one of several, maybe
    }
    const std::optional<ChError> e = r.ok() ? std::nullopt : chErrorFromText(r.body);
    // A server before query parameters (19.x), or a readonly=1 user, to whom some versions count them as
    // settings: from now on, escaped literals.
    if (!inlined && e && (e->code == kUnknownSetting || e->code == kReadonly)
        && e->message.find("param_") != std::string::npos) {
        m_inlineParameters = true;
        return run(sql, cancel);
    }
    if (limitTime && e && (e->code == kReadonly || e->code == kSettingConstraintViolation)
        && e->message.find("max_execution_time") != std::string::npos
        && sql.sql.find("max_execution_time") == std::string::npos) { // not a raw query's own SETTINGS
        m_serverRefusesTimeLimit = true; // the client's timeout and KILL QUERY still stop it
        return run(sql, cancel);
    }
    if (const std::string summary = r.header("X-ClickHouse-Summary"); !summary.empty()) {
        const std::lock_guard lock(m_mutex);
        m_summary = parseJson(summary);
    }
    if (!r.ok())
        raise(r);
    return chParseJson(r.body);
}

HttpRequestSpec ClickHouseSource::request(const std::string &sql, const std::vector<ChParam> &params,
    const std::string &queryId, std::chrono::milliseconds timeout, bool limitTime)
{
    FormFields fields = { { "database", m_config.database }, { "query_id", queryId } };
    // Twice the timeout: a backstop only, since with it set older servers also stop a query whose estimated
    // time passes it (TOO_SLOW) after 10 s, and the timeout sends KILL QUERY anyway.
    if (limitTime && timeout.count() > 0)
        fields.emplace_back("max_execution_time", std::to_string((2 * timeout.count() + 999) / 1000));
    for (const ChParam &p : params)
        fields.emplace_back("param_" + p.name, chParamValue(p));
    HttpRequestSpec spec;
    spec.url = m_config.url + "/?" + formEncode(fields);
    spec.headers = m_config.headers;
    const auto [user, password] = login();
    if (!user.empty())
        spec.headers.emplace_back("X-ClickHouse-User", user);
    if (!m_config.credentialId.empty())
        spec.headers.emplace_back("X-ClickHouse-Key", password);
    spec.credentialHeaders = { "X-ClickHouse-User", "X-ClickHouse-Key" };
    for (const auto &[name, value] : m_config.headers)
        spec.credentialHeaders.push_back(name); // as SourceHttp: a custom header is as private as a password
    spec.body = sql;
    spec.contentType = "text/plain; charset=utf-8";
    spec.options = m_config.http;
    spec.options.totalTimeout = timeout;
    return spec;
}

// Stops a query whose caller gave up: closing the connection alone does not stop every query on the server.
void ClickHouseSource::kill(const std::string &queryId)
{
    HttpRequestSpec spec = request("KILL QUERY WHERE query_id = " + chStringLiteral(queryId) + " ASYNC FORMAT JSON", {},
        newQueryId(), m_config.killTimeout);
    PendingKills &pending = pendingKills();
    {
        const std::lock_guard lock(pending.mutex);
        ++pending.count;
    }
    std::thread([spec = std::move(spec), &pending] {
        try {
            HttpClient().post(spec, makeCancelToken());
        } catch (const std::exception &) {
            // best effort, and on a detached thread nothing may escape: the query was cancelled for the user either way
        }
        const std::lock_guard lock(pending.mutex);
        --pending.count;
        pending.done.notify_all();
    }).detach();
}

bool ClickHouseSource::waitForKills(std::chrono::milliseconds most)
{
    PendingKills &pending = pendingKills();
    std::unique_lock lock(pending.mutex);
    return pending.done.wait_for(lock, most, [&] { return pending.count == 0; });
}

void ClickHouseSource::raise(const HttpReply &r) const
{
    std::optional<ChError> e = chErrorFromText(r.body);
    if (!e && !r.header("X-ClickHouse-Exception-Code").empty() && r.header("Content-Type").starts_with("text/plain"))
        e = ChError { std::atoi(r.header("X-ClickHouse-Exception-Code").c_str()), r.body.substr(0, r.body.find('\n')) };
    if (isAuthFailure(r.status, e ? e->code : 0))
        throw HttpError(HttpError::Kind::Status,
            "source \"" + m_id + "\" refused the credentials (HTTP " + std::to_string(r.status) + ")"
                + (e ? ": " + e->text() : std::string())
                + (m_config.credentialId.empty()
                        ? std::string(": the source has no credential")
                        : ": check options.user and credential \"" + m_config.credentialId + "\""),
            r.status);
    if (!e)
        r.raiseForStatus(); // a proxy's page, not ClickHouse's own answer
    throw ClickHouseError(*e, r.status);
}

std::string ClickHouseSource::tableName(ChTableKind kind) const
{
    const auto it = m_config.tables.find(kind);
    return it != m_config.tables.end() ? it->second : chDefaultTableName(kind);
}

ChTable ClickHouseSource::table(ChTableKind kind, const CancelTokenPtr &cancel)
{
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_tables.find(kind); it != m_tables.end())
            return it->second;
    }
    const std::string name = tableName(kind);
    ChTable t { m_config.database, name, {}, false };
    try {
        t = chTableFromDescribe(
            m_config.database, name, run({ "DESCRIBE TABLE " + t.qualifiedName(), {}, {}, 0 }, cancel));
    } catch (const ClickHouseError &e) {
        if (e.code() != kUnknownTable && e.code() != kUnknownDatabase)
            throw;
    }
    const std::lock_guard lock(m_mutex);
    return m_tables.emplace(kind, t).first->second;
}

ChTable ClickHouseSource::cachedOrDefault(ChTableKind kind) const
{
    {
        const std::lock_guard lock(m_mutex);
        if (const auto it = m_tables.find(kind); it != m_tables.end())
            return it->second;
    }
    return chDefaultTable(kind, m_config.database, tableName(kind));
}

ChRelation ClickHouseSource::relation(Signal signal, const std::function<ChTable(ChTableKind)> &tableOf) const
{
    if (signal == Signal::Metrics) {
        std::vector<std::pair<ChTableKind, ChTable>> tables;
        for (const ChTableKind k : { ChTableKind::Gauge, ChTableKind::Sum, ChTableKind::Histogram })
            if (ChTable t = tableOf(k); t.exists)
                tables.emplace_back(k, std::move(t));
        return chMetricsRelation(tables);
    }
    const ChTableKind kind = signal == Signal::Logs ? ChTableKind::Logs : ChTableKind::Traces;
    const ChTable t = tableOf(kind);
    if (!t.exists)
        throw Error("ClickHouse has no table " + m_config.database + "." + t.name + " (source \"" + m_id
            + "\"; name the " + signalName(signal) + " table in options.tables." + chTableOption(kind) + ")");
    return chTableRelation(t);
}

ChRelation ClickHouseSource::relation(Signal signal, const CancelTokenPtr &cancel)
{
    return relation(signal, [&](ChTableKind k) { return table(k, cancel); });
}

std::pair<std::string, std::string> ClickHouseSource::login()
{
    if (m_config.credentialId.empty())
        return { m_config.user, {} };
    {
        const std::lock_guard lock(m_mutex);
        if (m_login)
            return *m_login;
    }
    // Read without the lock: the keychain may wait on an unlock prompt, and compile() on the GUI thread takes it.
    if (!m_config.secrets)
        throw Error("source \"" + m_id + "\": no secret store to read its credential from");
    const std::optional<std::string> secret = m_config.secrets->read(m_config.credentialId);
    if (!secret)
        throw Error("source \"" + m_id + "\": credential \"" + m_config.credentialId
            + "\" is not in the system keychain (store it with: flightdeck credential set " + m_config.credentialId
            + ")");
    const Credential c = credentialFromJson(*secret);
    const std::lock_guard lock(m_mutex);
    m_login = { m_config.user.empty() ? c.username : m_config.user, c.secret };
    return *m_login;
}

} // namespace fd

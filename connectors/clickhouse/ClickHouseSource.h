#pragma once
#include "ClickHouseResponse.h"
#include "ClickHouseSchema.h"
#include "ClickHouseSql.h"
#include "connectors/http/HttpClient.h"
#include "models/Credential.h"
#include "models/DataSource.h"
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace fd {

struct ClickHouseConfig {
    std::string url; // the HTTP interface: http(s)://host:8123[/prefix]
    HttpHeaders headers;
    HttpOptions http;
    std::string user; // X-ClickHouse-User; empty: the credential's username, else the server's default user
    std::string credentialId; // its secret is the password (X-ClickHouse-Key); empty: none
    std::shared_ptr<SecretStore> secrets; // read once, at the first request
    std::string database = "default";
    std::map<ChTableKind, std::string> tables; // names other than the exporter's (chDefaultTableName)
    // Write parameters into the SQL as escaped literals, for servers before query parameters (19.x); also
    // switched on by itself when the server refuses the param_ settings.
    bool inlineParameters = false;
    std::chrono::milliseconds killTimeout { 2000 };
};

// ClickHouse through its HTTP interface, reading what the OpenTelemetry Collector's ClickHouse exporter
// writes (otel_logs, otel_traces, otel_metrics_*; columns discovered once with DESCRIBE TABLE) or raw SQL.
// Each query has a fresh query_id; a cancelled one is stopped on the server with KILL QUERY.
// Safe to use from several threads.
class ClickHouseSource : public DataSource
{
public:
    ClickHouseSource(std::string id, ClickHouseConfig config);

    std::string id() const override { return m_id; }
    SourceCapabilities capabilities() const override
    {
        return { "SQL", true, true, true, false, false, true, 0, false, true };
    }
    // The SQL with its parameters written in (the columns as discovered, or as the exporter creates them).
    std::string compile(const Query &q, const TimeRange &range) const override;
    // Intrinsic fields of the logs and traces tables and their attribute keys (of one metric's points when
    // metricName is given).
    std::vector<std::string> fieldNames(
        Signal signal, const std::string &metricName, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<FieldValue> fieldValues(Signal signal, const std::string &field, const std::string &metricName, const TimeRange &range,
        const CancelTokenPtr &cancel) override;
    Frame query(const Query &q, const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Marker> markers(const TimeRange &range, const CancelTokenPtr &cancel) override;
    std::vector<Span> trace(const std::string &traceId, const CancelTokenPtr &cancel) override;
    Frame recentTraces(const TimeRange &range, int limit, const CancelTokenPtr &cancel) override;

    // Runs one statement (FORMAT JSON is added) and decodes the answer.
    ChResult run(const ChSql &sql, const CancelTokenPtr &cancel);
    // The table's columns (DESCRIBE TABLE once); exists is false when the server has no such table.
    ChTable table(ChTableKind kind, const CancelTokenPtr &cancel);
    // The X-ClickHouse-Summary of the last answer that had one ({"read_rows": "...", ...}).
    Json lastSummary() const;

    // Raw SQL as sent: FORMAT JSON added when it names no format; throws for another format.
    static std::string withJsonFormat(const std::string &sql);
    // Waits up to `most` for the KILL QUERY requests still being sent: a command line that exits at once would
    // end them before they reach the server (exploratory test). Whether none is left.
    static bool waitForKills(std::chrono::milliseconds most);

private:
    // limitTime: the server stops the query itself after the timeout (max_execution_time), even when this
    // process is gone before it could send KILL QUERY.
    HttpRequestSpec request(const std::string &sql, const std::vector<ChParam> &params, const std::string &queryId,
        std::chrono::milliseconds timeout, bool limitTime = false);
    // Sends KILL QUERY on a thread of its own: the cancel returns at once, even when the server stalls.
    void kill(const std::string &queryId);
    [[noreturn]] void raise(const HttpReply &r) const;
    std::string tableName(ChTableKind kind) const;
    // What a signal reads, its tables looked up with tableOf; throws when the server has none of them.
    ChRelation relation(Signal signal, const std::function<ChTable(ChTableKind)> &tableOf) const;
    ChRelation relation(Signal signal, const CancelTokenPtr &cancel);
    ChTable cachedOrDefault(ChTableKind kind) const;
    // The relations fieldNames and fieldValues look at: the metrics (of one metric), else logs and traces.
    std::vector<std::pair<Signal, ChRelation>> fieldSources(
        const std::string &metricName, const CancelTokenPtr &cancel);
    std::pair<std::string, std::string> login(); // user, password

    std::string m_id;
    ClickHouseConfig m_config;
    HttpClient m_http;
    std::atomic<bool> m_inlineParameters;
    std::atomic<bool> m_serverRefusesTimeLimit { false }; // a readonly=1 user, or a constraint on the setting
    mutable std::mutex m_mutex;
    std::map<ChTableKind, ChTable> m_tables;
    std::optional<std::pair<std::string, std::string>> m_login;
    Json m_summary;
};

} // namespace fd

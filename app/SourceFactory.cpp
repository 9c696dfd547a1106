#include "SourceFactory.h"
#include "connectors/clickhouse/ClickHouseSource.h"
#include "connectors/elasticsearch/ElasticsearchSource.h"
#include "connectors/git/GitMarkerSource.h"
#include "connectors/jaeger/JaegerSource.h"
#include "connectors/loki/LokiSource.h"
#include "connectors/prometheus/PrometheusSource.h"
#include "connectors/secrets/SystemSecretStore.h"
#include "connectors/store/Store.h"
#include "connectors/tempo/TempoSource.h"
#include "models/Error.h"
#include "models/SecretExposure.h"
#include <chrono>

namespace fd {

namespace {

[[noreturn]] void badOption(const SourceConfig &s, const std::string &what)
{
    throw Error("source \"" + s.id + "\": " + what);
}

DurationNs durationOption(const SourceConfig &s, const char *name, DurationNs fallback)
{
    const auto it = s.options.find(name);
    if (it == s.options.end())
        return fallback;
    const auto d = it->is_string() ? parseDuration(toQString(it->get<std::string>())) : std::nullopt;
    if (!d || *d <= 0)
        badOption(s, std::string("options.") + name + " must be a duration such as \"15s\"");
    return *d;
}

HttpHeaders headersOption(const SourceConfig &s)
{
    HttpHeaders headers;
    const auto it = s.options.find("headers");
    if (it == s.options.end())
        return headers;
    if (!it->is_object())
        badOption(s, "options.headers must be an object of header names and values");
    for (const auto &[name, value] : it->items()) {
        if (!value.is_string())
            badOption(s, "options.headers." + name + " must be a string");
        try {
            requireValidHeader(name, value.get<std::string>());
        } catch (const Error &e) {
            badOption(s, "options.headers: " + std::string(e.what()));
        }
        headers.emplace_back(name, value.get<std::string>());
    }
    return headers;
}

// What every HTTP source shares: url, options.headers, ca_file, tls_skip_verify, timeout, and the credential.
HttpSourceConfig httpOptions(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    if (s.url.empty())
        badOption(s, "a " + s.type + " source needs a url");
    if (const std::string secret = secretKeptBy(s); !secret.empty())
        badOption(s, secret);
    HttpSourceConfig config;
    config.url = s.url;
    config.headers = headersOption(s);
    config.http.caFile = s.options.value("ca_file", std::string());
    config.http.verifyTls = !s.options.value("tls_skip_verify", false);
    const DurationNs timeout = durationOption(s, "timeout", 30 * kSecond);
    config.http.totalTimeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(timeout));
    config.credentialId = s.credential;
    config.secrets = secrets ? std::move(secrets) : makeSystemSecretStore();
    return config;
}

std::string stringOption(const SourceConfig &s, const char *name, const std::string &fallback)
{
    const auto it = s.options.find(name);
    if (it == s.options.end())
        return fallback;
    if (!it->is_string())
        badOption(s, std::string("options.") + name + " must be a string");
    return it->get<std::string>();
}

DataSourcePtr makePrometheus(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    HttpSourceConfig http = httpOptions(s, std::move(secrets));
    PrometheusConfig config;
    config.url = http.url;
    config.headers = http.headers;
    config.http = http.http;
    config.credentialId = http.credentialId;
    config.secrets = http.secrets;
    config.scrapeInterval = durationOption(s, "scrape_interval", config.scrapeInterval);
    if (const auto it = s.options.find("deploy_markers"); it != s.options.end()) {
        if (!it->is_object() || !it->contains("query") || !(*it)["query"].is_string())
            badOption(s, "options.deploy_markers must be {\"query\": \"build_info\", \"version_label\": \"version\", "
                         "\"service_label\": \"job\"}");
        config.deploys.query = (*it)["query"].get<std::string>();
        config.deploys.versionLabel = it->value("version_label", config.deploys.versionLabel);
        config.deploys.serviceLabel = it->value("service_label", config.deploys.serviceLabel);
    }
    return std::make_shared<PrometheusSource>(s.id, std::move(config));
}

DataSourcePtr makeJaeger(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    JaegerConfig config;
    config.http = httpOptions(s, std::move(secrets));
    const std::string api = s.options.value("api", std::string("auto"));
    if (api != "auto" && api != "v1" && api != "v3")
        badOption(s, "options.api must be \"v1\" (the internal API), \"v3\" or \"auto\"");
    config.api = api == "v1" ? JaegerConfig::Api::V1 : api == "v3" ? JaegerConfig::Api::V3 : JaegerConfig::Api::Auto;
    return std::make_shared<JaegerSource>(s.id, std::move(config));
}

DataSourcePtr makeTempo(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    TempoConfig config;
    config.http = httpOptions(s, std::move(secrets));
    config.tenant = stringOption(s, "tenant", {});
    return std::make_shared<TempoSource>(s.id, std::move(config));
}

DataSourcePtr makeLoki(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    LokiConfig config;
    static_cast<HttpSourceConfig &>(config) = httpOptions(s, std::move(secrets));
    config.tenant = stringOption(s, "tenant", {});
    if (const auto it = s.options.find("label_map"); it != s.options.end()) {
        if (!it->is_object())
            badOption(s, "options.label_map must map fields to stream labels, e.g. {\"service.name\": \"app\"}");
        for (const auto &[field, label] : it->items()) {
            if (!label.is_string())
                badOption(s, "options.label_map." + field + " must be a label name");
            config.fields.streamLabels[field] = label.get<std::string>();
        }
    }
    config.fields.levelLabel = stringOption(s, "level_label", config.fields.levelLabel);
    config.fields.parser = stringOption(s, "parser", config.fields.parser);
    if (config.fields.parser != "json" && config.fields.parser != "logfmt" && !config.fields.parser.empty())
        badOption(s, "options.parser must be \"json\", \"logfmt\" or \"\" (labels and structured metadata only)");
    if (const auto it = s.options.find("max_lines"); it != s.options.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1)
            badOption(s, "options.max_lines must be a positive number (the server's max_entries_limit_per_query)");
        config.pageLines = it->get<std::size_t>();
    }
    return std::make_shared<LokiSource>(s.id, std::move(config));
}

DataSourcePtr makeElasticsearch(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    ElasticsearchConfig config;
    static_cast<HttpSourceConfig &>(config) = httpOptions(s, std::move(secrets));
    config.index = stringOption(s, "index", config.index);
    config.fields.time = stringOption(s, "time_field", config.fields.time);
    if (const std::string body = stringOption(s, "body_field", {}); !body.empty())
        config.fields.body = { body };
    if (const std::string level = stringOption(s, "level_field", {}); !level.empty())
        config.fields.level = { level };
    if (const std::string service = stringOption(s, "service_field", {}); !service.empty())
        config.fields.service = { service }; // e.g. resource.attributes.service.name, as the Collector's exporter writes

    if (const auto it = s.options.find("page_size"); it != s.options.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 1 || it->get<std::int64_t>() > 10'000)
            badOption(s, "options.page_size must be a number from 1 to 10000 (index.max_result_window)");
        config.pageSize = it->get<std::size_t>();
    }
    return std::make_shared<ElasticsearchSource>(s.id, std::move(config));
}

DataSourcePtr makeClickHouse(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    const HttpSourceConfig http = httpOptions(s, std::move(secrets));
    ClickHouseConfig config;
    config.url = http.url;
    config.headers = http.headers;
    config.http = http.http;
    config.user = stringOption(s, "user", "");
    config.database = stringOption(s, "database", config.database);
    config.inlineParameters = s.options.value("inline_parameters", false);
    if (const auto it = s.options.find("tables"); it != s.options.end()) {
        if (!it->is_object())
            badOption(s, "options.tables must be an object such as {\"logs\": \"otel_logs\"}");
        for (const auto &[key, value] : it->items()) {
            bool known = false;
            for (const ChTableKind k : { ChTableKind::Logs, ChTableKind::Traces, ChTableKind::Gauge, ChTableKind::Sum,
                     ChTableKind::Histogram })
                if (key == chTableOption(k) && value.is_string() && !value.get<std::string>().empty()) {
                    config.tables[k] = value.get<std::string>();
                    known = true;
                }
            if (!known)
                badOption(s, "options.tables." + key + " is not a table name for logs, traces, metrics_gauge, "
                             "metrics_sum or metrics_histogram");
        }
    }
    config.credentialId = http.credentialId;
    config.secrets = http.secrets;
    return std::make_shared<ClickHouseSource>(s.id, std::move(config));
}

DataSourcePtr makeGit(const SourceConfig &s, const Workspace &workspace)
{
    if (s.path.empty())
        badOption(s, "a git source needs a path (a local clone)");
    GitMarkerConfig config;
    config.repository = workspace.storePath(s);
    const std::string mode = s.options.value("mode", std::string("merges"));
    if (mode != "merges" && mode != "tags")
        badOption(s, "options.mode must be \"merges\" or \"tags\"");
    config.mode = mode == "tags" ? GitMarkerConfig::Mode::Tags : GitMarkerConfig::Mode::Merges;
    config.branch = s.options.value("branch", config.branch);
    config.tagPattern = s.options.value("tag_pattern", config.tagPattern);
    config.service = s.options.value("service", config.service);
    config.commitUrl = s.options.value("commit_url", config.commitUrl);
    return std::make_shared<GitMarkerSource>(s.id, std::move(config));
}

} // namespace

DataSourcePtr makeDataSource(
    const SourceConfig &source, const Workspace &workspace, std::shared_ptr<SecretStore> secrets)
{
    if (source.type == "store") {
        const QString path = workspace.storePath(source);
        Store check(path, Store::Mode::ReadOnly); // a clear error now instead of in the middle of a query
        return std::make_shared<StoreSource>(source.id, path);
    }
    if (source.type == "prometheus")
        return makePrometheus(source, std::move(secrets));
    if (source.type == "jaeger")
        return makeJaeger(source, std::move(secrets));
    if (source.type == "tempo")
        return makeTempo(source, std::move(secrets));
    if (source.type == "loki")
        return makeLoki(source, std::move(secrets));
    if (source.type == "elasticsearch" || source.type == "opensearch")
        return makeElasticsearch(source, std::move(secrets));
    if (source.type == "clickhouse")
        return makeClickHouse(source, std::move(secrets));
    if (source.type == "git")
        return makeGit(source, workspace);
    throw Error(QStringLiteral("source \"%1\" is of type %2, which this version cannot query yet")
                    .arg(toQString(source.id), toQString(source.type)));
}

std::shared_ptr<SourceRouter> makeSourceRouter(
    const Workspace &workspace, const std::string &defaultId, std::shared_ptr<SecretStore> secrets)
{
    std::vector<std::string> ids;
    for (const SourceConfig &s : workspace.sources)
        ids.push_back(s.id);
    const SourceConfig *fallback = workspace.source(defaultId);
    if (!fallback)
        throw Error(defaultId.empty() ? std::string("the workspace has no source")
                                      : "the workspace has no source \"" + defaultId + "\"");
    auto factory = [workspace, secrets](const std::string &id) {
        return makeDataSource(*workspace.source(id), workspace, secrets);
    };
    auto router = std::make_shared<SourceRouter>(std::move(ids), fallback->id, std::move(factory));
    router->setWorkspaceMarkers(incidentMarkers(workspace.incidents));
    router->setVariables(variablesFromJson(workspace.view));
    return router;
}

std::string probeSource(const SourceConfig &source, const Workspace &workspace, const CancelTokenPtr &cancel,
                        std::shared_ptr<SecretStore> secrets)
{
    const DataSourcePtr made = makeDataSource(source, workspace, std::move(secrets));
    const SourceCapabilities caps = made->capabilities();
    const TimeNs now = nowNs();
    const TimeRange lastHour{now - kHour, now};
    if (caps.metrics && caps.stepPerPixel)
        return std::to_string(made->fieldNames(Signal::Metrics, {}, lastHour, cancel).size()) + " label names";
    if (caps.logs) {
        Query q;
        q.signal = Signal::Logs;
        q.limit = 1;
        const Frame f = made->query(q, lastHour, cancel);
        return f.rowCount() ? "it has events in the last hour" : "it answered; no events in the last hour";
    }
    if (caps.spans)
        return std::to_string(made->recentTraces(lastHour, 20, cancel).rowCount()) + " traces in the last hour";
    return std::to_string(made->markers({now - 30 * kDay, now}, cancel).size()) + " markers in the last 30 days";
}

} // namespace fd

#include "SourceFactory.h"
#include "connectors/clickhouse/ClickHouseSource.h"
#include "connectors/git/GitMarkerSource.h"
#include "connectors/prometheus/PrometheusSource.h"
#include "connectors/secrets/SystemSecretStore.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
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
        for (const char *secretHeader : { "Authorization", "Proxy-Authorization", "Cookie" })
            if (sameHeaderName(name, secretHeader))
                badOption(s, "options.headers." + name
                        + " would keep a secret in the workspace file; give the source a \"credential\" "
                          "(kept in the system keychain) instead");
        headers.emplace_back(name, value.get<std::string>());
    }
    return headers;
}

// ca_file, tls_skip_verify and timeout, as every HTTP source takes them.
HttpOptions httpOptions(const SourceConfig &s)
{
    HttpOptions http;
    http.caFile = s.options.value("ca_file", std::string());
    http.verifyTls = !s.options.value("tls_skip_verify", false);
    const DurationNs timeout = durationOption(s, "timeout", 30 * kSecond);
    http.totalTimeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(timeout));
    return http;
}

std::string stringOption(const SourceConfig &s, const char *name, const std::string &fallback)
{
    const auto it = s.options.find(name);
    if (it == s.options.end())
        return fallback;
    if (!it->is_string() || it->get<std::string>().empty())
        badOption(s, std::string("options.") + name + " must be a non-empty string");
    return it->get<std::string>();
}

DataSourcePtr makePrometheus(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    if (s.url.empty())
        badOption(s, "a prometheus source needs a url");
    PrometheusConfig config;
    config.url = s.url;
    config.headers = headersOption(s);
    config.http = httpOptions(s);
    config.scrapeInterval = durationOption(s, "scrape_interval", config.scrapeInterval);
    config.credentialId = s.credential;
    if (const auto it = s.options.find("deploy_markers"); it != s.options.end()) {
        if (!it->is_object() || !it->contains("query") || !(*it)["query"].is_string())
            badOption(s, "options.deploy_markers must be {\"query\": \"build_info\", \"version_label\": \"version\", "
                         "\"service_label\": \"job\"}");
        config.deploys.query = (*it)["query"].get<std::string>();
        config.deploys.versionLabel = it->value("version_label", config.deploys.versionLabel);
        config.deploys.serviceLabel = it->value("service_label", config.deploys.serviceLabel);
    }
    config.secrets = secrets ? std::move(secrets) : makeSystemSecretStore();
    return std::make_shared<PrometheusSource>(s.id, std::move(config));
}

DataSourcePtr makeClickHouse(const SourceConfig &s, std::shared_ptr<SecretStore> secrets)
{
    if (s.url.empty())
        badOption(s, "a clickhouse source needs a url (its HTTP interface, e.g. http://localhost:8123)");
    ClickHouseConfig config;
    config.url = s.url;
    config.headers = headersOption(s);
    for (const auto &[name, value] : config.headers)
        if (sameHeaderName(name, "X-ClickHouse-Key"))
            badOption(s, "options.headers." + name + " would keep the password in the workspace file; give the source "
                         "a \"credential\" (kept in the system keychain) instead");
    config.http = httpOptions(s);
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
    config.credentialId = s.credential;
    config.secrets = secrets ? std::move(secrets) : makeSystemSecretStore();
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
    return std::make_shared<SourceRouter>(std::move(ids), fallback->id, std::move(factory));
}

} // namespace fd

#pragma once
#include "models/Credential.h"
#include "models/DataSource.h"
#include "models/SourceRouter.h"
#include "models/Workspace.h"

namespace fd {

// The DataSource for a workspace source: "store" (a store file) or "prometheus" (url; options.headers
// as {"Name": "value"} but never a credential header, options.ca_file, options.scrape_interval,
// options.timeout, options.deploy_markers; "credential" names a keychain entry read from `secrets`, by
// default the system's) or "git" (path of a local clone; options.mode merges|tags, branch, tag_pattern,
// service, commit_url: deploy markers only) or "jaeger" (url, the same HTTP options, options.api
// v1|v3|auto) or "tempo" (url, the same HTTP options, options.tenant sent as X-Scope-OrgID) or "loki"
// (the same; options.tenant (X-Scope-OrgID), label_map, level_label, parser, max_lines) or
// "elasticsearch"/"opensearch" (the same; options.index, time_field, body_field, level_field, page_size).
// or "clickhouse" (url of the HTTP interface; options.user, database, tables, inline_parameters and the
// same HTTP options; "credential" holds the password).
// Throws fd::Error for a type this version cannot query or a bad option.
DataSourcePtr makeDataSource(
    const SourceConfig &source, const Workspace &workspace, std::shared_ptr<SecretStore> secrets = {});

} // namespace fd

namespace fd {

// Every source of the workspace behind one DataSource (made on first use with makeDataSource); queries
// that name no source, markers and traces go to defaultId ("" -> the workspace's first source).
std::shared_ptr<SourceRouter> makeSourceRouter(
    const Workspace &workspace, const std::string &defaultId = {}, std::shared_ptr<SecretStore> secrets = {});

} // namespace fd

namespace fd {

// Makes the source and asks it something cheap (labels, recent traces, one event, markers); a one-line
// summary of the answer for "Test connection". Throws what the source throws.
std::string probeSource(const SourceConfig &source, const Workspace &workspace, const CancelTokenPtr &cancel,
                        std::shared_ptr<SecretStore> secrets = {});

} // namespace fd

#pragma once
#include "models/Credential.h"
#include "models/DataSource.h"
#include "models/SourceRouter.h"
#include "models/Workspace.h"

namespace fd {

// The DataSource for a workspace source: "store" (a store file) or "prometheus" (url; options.headers
// as {"Name": "value"} but never a credential header, options.ca_file, options.scrape_interval,
// options.timeout, options.deploy_markers; "credential" names a keychain entry read from `secrets`, by
// default the system's), "clickhouse" (url of the HTTP interface; options.user, database, tables,
// inline_parameters and the HTTP options of prometheus; "credential" holds the password) or "git" (path of
// a local clone; options.mode merges|tags, branch, tag_pattern, service, commit_url: deploy markers only).
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

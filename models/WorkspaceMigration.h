#pragma once
#include "Json.h"
#include <string>
#include <vector>

namespace fd {

// Brings a workspace document of an older format version up to Workspace::kFormatVersion, one version
// at a time, in place. Returns what changed, for the user; throws fd::Error for a version it cannot
// read (newer than this Flightdeck, or invalid). Nothing of the old document is dropped.
std::vector<std::string> migrateWorkspaceJson(Json &j);

} // namespace fd

#pragma once
#include "models/Workspace.h"
#include <QString>
#include <optional>

namespace fd {

// Unsaved edits of a workspace, kept in a recovery copy in the user's data folder until the workspace
// is saved or its edits discarded, so a crash loses at most the last few seconds of work.
namespace WorkspaceRecovery {

QString recoveryPath(const QString &workspacePath);
// Atomic; throws fd::Error.
void write(const Workspace &edited, const QString &workspacePath);
// The recovery copy when one is newer than the workspace file (or the file is gone).
std::optional<Workspace> pending(const QString &workspacePath);
void discard(const QString &workspacePath);

} // namespace WorkspaceRecovery
} // namespace fd

#pragma once
#include "connectors/demo/DemoDataset.h"
#include <QString>

namespace fd {

// Writes the demo store (into a temporary file, then renamed over the old one, so a reader never
// sees half a demo) and a workspace that opens it.
DemoSummary writeDemoFiles(const QString &storePath, const QString &workspacePath, const DemoOptions &options,
                           const CancelTokenPtr &cancel = {});

// Removes the temporary stores that writes of storePath by processes no longer running left behind (a demo
// write killed half-way leaves hundreds of megabytes); returns how many files it removed.
int removeAbandonedDemoWrites(const QString &storePath);

// True when the demo files are missing or older than an hour.
bool demoIsStale(const QString &storePath, const QString &workspacePath);

} // namespace fd

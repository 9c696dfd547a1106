#pragma once
// The two workspaces that workspace_save_loop writes in turn and tst_crash expects to find after killing
// it: about 1 MB each and of different sizes, so that a torn or partly written file cannot pass for one.
#include "models/Workspace.h"
#include <string>

namespace fdtest {

inline fd::Workspace saveLoopWorkspace(char version)
{
    fd::Workspace w;
    w.sources.push_back(fd::SourceConfig { "local", "store", "local.sqlite", "", "", fd::Json::object() });
    const int queries = version == 'A' ? 2000 : 3000;
    for (int i = 0; i < queries; ++i) {
        fd::Query q;
        q.signal = i % 2 ? fd::Signal::Spans : fd::Signal::Logs;
        q.search = std::string("version ") + version + " query " + std::to_string(i);
        w.queries.push_back(fd::SavedQuery { "q" + std::to_string(i), std::string("folder ") + version, q, {} });
    }
    w.view = fd::Json { { "version", std::string(1, version) },
        { "padding", std::string(version == 'A' ? 300000 : 500000, version) } };
    return w;
}

} // namespace fdtest

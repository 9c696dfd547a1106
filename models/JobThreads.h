#pragma once

class QThreadPool;

namespace fd {

// The threads of work that waits (a source's answer, a disk): JobRunner's jobs, completion, imports. Not Qt's global
// pool, whose threads Qt's own painting borrows and waits for: three jobs waiting on a slow source had taken both of
// its threads on a 2-core machine and frozen the window until the source answered (exploratory test).
QThreadPool *jobThreads();

} // namespace fd

#include "JobThreads.h"
#include <QThreadPool>

namespace fd {

QThreadPool *jobThreads()
{
    static QThreadPool *const pool = [] {
        auto *p = new QThreadPool; // never deleted: jobs may still be running at exit
        p->setMaxThreadCount(64);  // mostly waiting, not computing: each view's jobs run at once
        p->setExpiryTimeout(30'000);
        return p;
    }();
    return pool;
}

} // namespace fd

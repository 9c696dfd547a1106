// Saves workspace A, then B, then A ... over FILE until killed (tst_crash kills it with SIGKILL at random
// moments). Prints "saving" once the first save is done.
#include "SaveLoopWorkspaces.h"
#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: workspace_save_loop FILE\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const fd::Workspace versions[] = { fdtest::saveLoopWorkspace('A'), fdtest::saveLoopWorkspace('B') };
    for (unsigned long n = 0;; ++n) {
        fd::saveWorkspace(versions[n % 2], path);
        if (n == 0) {
            std::printf("saving\n");
            std::fflush(stdout);
        }
    }
}

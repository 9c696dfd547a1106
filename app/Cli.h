#pragma once
#include <QStringList>

namespace fd {

// True when args[1] names a command (demo, serve, import ...) rather than the GUI.
bool isCliCommand(const QStringList &args);
// True when the command draws widgets (export, trace --png) and so needs a QApplication.
bool cliNeedsWidgets(const QStringList &args);
// Runs the command; returns the process exit code. Errors are printed to stderr.
int runCli(const QStringList &args);
QString usageText();

} // namespace fd

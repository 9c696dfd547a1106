#pragma once
#include <QCommandLineParser>
#include <QStringList>

namespace fd {

// Each returns the exit code; args[0] is "flightdeck COMMAND". They throw fd::Error on bad input.
int demoCommand(const QStringList &args);
int serveCommand(const QStringList &args);
int importCommand(const QStringList &args);
int markCommand(const QStringList &args);
int queryCommand(const QStringList &args);
int traceCommand(const QStringList &args);
int boardCommand(const QStringList &args);
int exportCommand(const QStringList &args);
int credentialCommand(const QStringList &args);

constexpr int kAnyPositionals = -1;
// Parses args; prints --help and returns 0, or returns 2 after printing a parse error (more positional
// arguments than maxPositionals among them: an unquoted title's second word); -1 to go on.
int parseCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &description,
                     int maxPositionals = 0);

} // namespace fd

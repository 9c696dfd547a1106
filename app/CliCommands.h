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

// Parses args; prints --help and returns 0, or returns 2 after printing a parse error; -1 to go on.
int parseCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &description);

} // namespace fd

#pragma once
#include <QCommandLineParser>
#include <QString>
#include <cstdint>
#include <string>

namespace fd {

// Where the OTLP receiver listens: the --otlp HOST:PORT of `flightdeck serve` and of the GUI.
struct ReceiverAddress {
    std::string host;
    std::uint16_t port = 0; // 0 picks a free one

    // HOST:PORT or [V6]:PORT. A clear Error for anything else, and for a host that is not loopback unless
    // allowRemote: telemetry from other machines is accepted only when asked for.
    static ReceiverAddress parse(const QString &text, bool allowRemote);
    // Declares --otlp and --allow-remote (serve and the GUI), read back by fromCommandLine.
    static void addOptions(QCommandLineParser &parser);
    // The same from --otlp (default 127.0.0.1:4318) and --allow-remote.
    static ReceiverAddress fromCommandLine(const QCommandLineParser &parser);
};

} // namespace fd

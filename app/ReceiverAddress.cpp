#include "ReceiverAddress.h"
#include "models/Error.h"
#include <QRegularExpression>

namespace fd {

namespace {
const QString kDefaultAddress = QStringLiteral("127.0.0.1:4318");

// An address, not a name: "127.example.com" may resolve anywhere.
bool isLoopback(const std::string &host)
{
    static const QRegularExpression ipv4Loopback(QStringLiteral(R"(^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$)"));
    return host == "localhost" || host == "::1" || ipv4Loopback.match(QString::fromStdString(host)).hasMatch();
}
} // namespace

ReceiverAddress ReceiverAddress::parse(const QString &text, bool allowRemote)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : -1;
    if (!ok || port < 0 || port > 65535)
        throw Error(QStringLiteral("invalid --otlp \"%1\" (use HOST:PORT, e.g. 127.0.0.1:4318; port 0 picks a free one)").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    ReceiverAddress address{host.toStdString(), static_cast<std::uint16_t>(port)};
    if (!isLoopback(address.host) && !allowRemote)
        throw Error(QStringLiteral("refusing to listen on %1: it is not a loopback address; add --allow-remote to accept "
                                   "telemetry from other machines").arg(host));
    return address;
}

void ReceiverAddress::addOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("otlp"), QStringLiteral("OTLP/HTTP receiver address (default %1).").arg(kDefaultAddress),
                      QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("allow-remote"), QStringLiteral("Allow a non-loopback receiver address.")});
}

ReceiverAddress ReceiverAddress::fromCommandLine(const QCommandLineParser &parser)
{
    const QString otlp = parser.isSet(QStringLiteral("otlp")) ? parser.value(QStringLiteral("otlp")) : kDefaultAddress;
    return parse(otlp, parser.isSet(QStringLiteral("allow-remote")));
}

} // namespace fd

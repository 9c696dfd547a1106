#include "Cli.h"
#include "CliCommands.h"
#include "CliContext.h"
#include "connectors/clickhouse/ClickHouseSource.h"
#include "models/Error.h"
#include <QCoreApplication>
#include <functional>
#include <map>

namespace fd {

namespace {
const std::map<QString, std::function<int(const QStringList &)>> &commands()
{
    static const std::map<QString, std::function<int(const QStringList &)>> table = {
        {QStringLiteral("demo"), demoCommand},     {QStringLiteral("serve"), serveCommand},
        {QStringLiteral("import"), importCommand}, {QStringLiteral("mark"), markCommand},
        {QStringLiteral("query"), queryCommand},   {QStringLiteral("trace"), traceCommand},
        {QStringLiteral("board"), boardCommand},   {QStringLiteral("export"), exportCommand},
        {QStringLiteral("credential"), credentialCommand}};
    return table;
}

// Qt's help names the program by the path it ran from, and no command: "Usage: ./flightdeck [options]".
QString helpNaming(QString help, const QString &command)
{
    const QString usage = QStringLiteral("Usage: ") + QCoreApplication::arguments().value(0);
    if (help.startsWith(usage))
        help.replace(0, usage.size(), QStringLiteral("Usage: ") + command);
    return help;
}
} // namespace

QString usageText()
{
    return QStringLiteral(
        "Usage: flightdeck [--workspace FILE]            open the GUI (the demo without a workspace)\n"
        "       flightdeck demo [--store PATH] [--workspace FILE] [--days N] [--seed N]\n"
        "       flightdeck serve [--store PATH] [--otlp HOST:PORT] [--allow-remote]\n"
        "       flightdeck import FILE... [--store PATH] [--format auto|otlp-json|jsonl]\n"
        "       flightdeck mark --kind K --service S --title T [--version V] [--commit SHA] ...\n"
        "       flightdeck query --query-json '{...}' | --signal S [--where EXPR]... [--agg A] ...\n"
        "       flightdeck trace ID [--format table|json] [--png FILE]\n"
        "       flightdeck board --workspace FILE [--board NAME] [--from T] [--to T] [--format table|json]\n"
        "       flightdeck export --workspace FILE (--board NAME | --query NAME | --trace ID | --incident NAME)\n"
        "                         --out FILE.png|.svg|.pdf|.html|.md [--from T] [--to T] [--size WxH]\n"
        "       flightdeck credential set|check|delete ID [--bearer | --basic USER]  (secret on stdin)\n"
        "       flightdeck --version | --help\n"
        "Each command takes --help.\n");
}

bool isCliCommand(const QStringList &args)
{
    return args.size() > 1 && commands().count(args[1]);
}

bool cliNeedsWidgets(const QStringList &args)
{
    return isCliCommand(args) && (args[1] == QLatin1String("export") || args.contains(QStringLiteral("--png")));
}

int runCli(const QStringList &args)
{
    const QString name = args.value(1);
    QStringList rest = args.mid(2);
    rest.prepend(QStringLiteral("flightdeck ") + name);
    // Before the process ends, a cancelled or timed-out ClickHouse query's KILL QUERY reaches the server.
    struct KillsSent {
        ~KillsSent() { ClickHouseSource::waitForKills(std::chrono::seconds(3)); }
    } killsSent;
    try {
        return commands().at(name)(rest);
    } catch (const Cancelled &e) {
        printErr(QStringLiteral("flightdeck %1: %2").arg(name, e.message()));
        return 130;
    } catch (const std::exception &e) {
        printErr(QStringLiteral("flightdeck %1: %2").arg(name, QString::fromUtf8(e.what())));
        return 1;
    }
}

int parseCommandLine(QCommandLineParser &parser, const QStringList &args, const QString &description, int maxPositionals)
{
    parser.setApplicationDescription(description);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        printErr(QStringLiteral("%1: %2 (see --help)").arg(args.value(0), parser.errorText()));
        return 2;
    }
    // The options whose help says "repeatable"; any other given twice would have its first value dropped.
    static const QStringList repeatable = {QStringLiteral("where"), QStringLiteral("group-by"), QStringLiteral("attr")};
    const QStringList given = parser.optionNames();
    for (const QString &name : given)
        if (given.count(name) > 1 && !repeatable.contains(name)) {
            printErr(QStringLiteral("%1: --%2 is given more than once (see --help)").arg(args.value(0), name));
            return 2;
        }
    if (const QStringList extra = parser.positionalArguments().mid(std::max(maxPositionals, 0));
        maxPositionals != kAnyPositionals && !extra.isEmpty() && !parser.isSet(help)) {
        printErr(QStringLiteral("%1: unexpected argument \"%2\" (see --help; quote a value with spaces)").arg(args.value(0), extra.first()));
        return 2;
    }
    if (parser.isSet(help)) {
        printOut(helpNaming(parser.helpText(), args.value(0)).toStdString());
        return 0;
    }
    return -1;
}

} // namespace fd

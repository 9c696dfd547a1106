#include "CliContext.h"
#include "SourceFactory.h"
#include "connectors/store/Store.h"
#include "models/BoardEvaluator.h"
#include "models/Error.h"
#include "models/QueryText.h"
#include <cstdio>

namespace fd {

void CliContext::addCommonOptions(QCommandLineParser &parser, bool withRange, const char *formats)
{
    parser.addOption({QStringLiteral("store"),
                      QStringLiteral("The embedded store file to use (instead of the workspace's sources, when both are given)."),
                      QStringLiteral("PATH")});
    parser.addOption({QStringLiteral("workspace"), QStringLiteral("A workspace file."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("source"), QStringLiteral("A source id of the workspace (default: its first)."),
                      QStringLiteral("ID")});
    if (withRange) {
        parser.addOption({QStringLiteral("from"), QStringLiteral("Start: RFC 3339, Unix seconds or now-1h."),
                          QStringLiteral("T")});
        parser.addOption({QStringLiteral("to"), QStringLiteral("End (exclusive), same forms."), QStringLiteral("T")});
    }
    if (formats)
        parser.addOption({QStringLiteral("format"), QStringLiteral("Output: %1.").arg(QLatin1String(formats)), QStringLiteral("F")});
}

CliContext::CliContext(const QCommandLineParser &parser) : m_parser(parser)
{
    // --source had been left unused without a word next to --store or without a workspace (CLI contract test)
    if (parser.isSet(QStringLiteral("source")) && parser.isSet(QStringLiteral("store")))
        throw Error(QStringLiteral("--source and --store: the store is the source; give one of them"));
    if (parser.isSet(QStringLiteral("source")) && !parser.isSet(QStringLiteral("workspace")))
        throw Error(QStringLiteral("--source names a source of a workspace: give --workspace FILE too"));
}

std::string CliContext::traceId(const QString &typed)
{
    const std::string id = storedId(typed.trimmed().toStdString());
    if (id.empty())
        throw Error(QStringLiteral("the trace id is empty"));
    return id;
}

const Workspace *CliContext::workspace()
{
    if (!m_workspaceLoaded) {
        m_workspaceLoaded = true;
        if (m_parser.isSet(QStringLiteral("workspace"))) {
            m_workspace = loadWorkspace(m_parser.value(QStringLiteral("workspace")));
            for (const std::string &note : m_workspace->migrationNotes)
                printErr(QStringLiteral("note: workspace: ") + QString::fromStdString(note));
        }
    }
    return m_workspace ? &*m_workspace : nullptr;
}

QString CliContext::storePath()
{
    if (m_parser.isSet(QStringLiteral("store")))
        return m_parser.value(QStringLiteral("store"));
    if (const Workspace *w = workspace()) {
        const SourceConfig &s = workspaceSource(m_parser.value(QStringLiteral("source")).toStdString());
        if (s.type != "store")
            throw Error(QStringLiteral("source \"%1\" is of type %2; this command needs a store")
                            .arg(QString::fromStdString(s.id), QString::fromStdString(s.type)));
        return w->storePath(s);
    }
    return Store::defaultStorePath();
}

const SourceConfig &CliContext::workspaceSource(const std::string &id)
{
    const SourceConfig *s = workspace()->source(id);
    if (!s)
        throw Error(id.empty() ? QStringLiteral("the workspace has no source")
                               : QStringLiteral("the workspace has no source \"%1\"").arg(QString::fromStdString(id)));
    return *s;
}

DataSourcePtr CliContext::dataSource(const std::string &sourceOverride)
{
    if (workspace() && !m_parser.isSet(QStringLiteral("store"))) {
        const std::string id =
            sourceOverride.empty() ? m_parser.value(QStringLiteral("source")).toStdString() : sourceOverride;
        auto router = makeSourceRouter(*workspace(), workspaceSource(id).id);
        router->source(router->defaultId()); // a clear error now instead of in the middle of a query
        return router;
    }
    const QString path = storePath();
    Store check(path, Store::Mode::ReadOnly); // a clear error now instead of in the middle of a query
    return std::make_shared<StoreSource>("local", path);
}

DataSourcePtr CliContext::traceSource()
{
    if (!workspace() || m_parser.isSet(QStringLiteral("store")) || !m_parser.isSet(QStringLiteral("source")))
        return dataSource();
    auto router = makeSourceRouter(*workspace(), workspaceSource(m_parser.value(QStringLiteral("source")).toStdString()).id);
    return router->source(router->defaultId());
}

TimeRange CliContext::timeRange()
{
    const TimeNs now = nowNs();
    QString from = QStringLiteral("now-24h"), to = QStringLiteral("now");
    if (const Workspace *w = workspace(); w && w->view.contains("time_range")) {
        const Json &r = w->view["time_range"];
        from = QString::fromStdString(r.value("from", from.toStdString()));
        to = QString::fromStdString(r.value("to", to.toStdString()));
    }
    // An error names what the person wrote: the option, or the workspace's saved range (exploratory test: a
    // workspace's "now-2days" was blamed on a --from never given).
    const QString saved = QStringLiteral("the workspace's view.time_range.");
    const auto parsed = [&](const QString &text, const QString &where) {
        QString error;
        const auto t = parseTime(text, now, &error);
        if (!t)
            throw Error(where + QStringLiteral(": ") + error);
        return *t;
    };
    const bool fromGiven = m_parser.isSet(QStringLiteral("from")), toGiven = m_parser.isSet(QStringLiteral("to"));
    const QString fromName = fromGiven ? QStringLiteral("--from") : saved + QStringLiteral("from");
    const QString toName = toGiven ? QStringLiteral("--to") : saved + QStringLiteral("to");
    TimeNs f = parsed(fromGiven ? m_parser.value(QStringLiteral("from")) : from, fromName);
    TimeNs t = parsed(toGiven ? m_parser.value(QStringLiteral("to")) : to, toName);
    const auto defaultLength = [&] {
        const TimeNs length = saturatedSub(parsed(to, saved + QStringLiteral("to")), parsed(from, saved + QStringLiteral("from")));
        if (length <= 0) // had become 1 ns, and the command answered for it (exploratory test)
            throw Error(QStringLiteral("the time range is empty: %1from must be before %1to").arg(saved));
        return length;
    };
    if (toGiven && !fromGiven) // the default range's length, ending at --to: "the day before this time"
        f = saturatedSub(t, defaultLength());
    else if (fromGiven && !toGiven && t <= f) // a view that ends before --from: its length from there
        t = saturatedAdd(f, defaultLength());
    if (t <= f)
        throw Error(QStringLiteral("the time range is empty: %1 must be before %2").arg(fromName, toName));
    if (f > now) // an empty answer, said (CLI contract test: --from now+1h had printed a header alone)
        printErr(QStringLiteral("note: %1 is in the future: nothing has happened in that range yet").arg(fromName));
    return {f, t};
}

QString CliContext::format(const QStringList &allowed) const
{
    const QString f = m_parser.isSet(QStringLiteral("format")) ? m_parser.value(QStringLiteral("format")) : QStringLiteral("table");
    if (!allowed.contains(f))
        throw Error(QStringLiteral("--format \"%1\" is not one of %2").arg(f, allowed.join(QStringLiteral(", "))));
    return f;
}

QCommandLineOption cliOption(const char *name, const char *help, const char *value)
{
    return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help), QString::fromLatin1(value))
                 : QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(help));
}

void printOut(const std::string &text)
{
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void printJson(const Json &j)
{
    printOut(j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
}

void printErr(const QString &text)
{
    const QByteArray bytes = text.toUtf8() + '\n';
    std::fwrite(bytes.data(), 1, static_cast<std::size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

int reportBoardProblems(const BoardResult &r, const QString &command)
{
    const auto text = [](const std::string &s) { return QString::fromStdString(terminalText(s)); }; // any source's words
    for (const std::string &warning : r.warnings)
        printErr(QStringLiteral("flightdeck %1: warning: %2").arg(command, text(warning)));
    int failed = 0;
    for (const TileResult &t : r.tiles)
        if (!t.error.empty()) {
            printErr(QStringLiteral("flightdeck %1: tile \"%2\": %3").arg(command, text(t.name), text(t.error)));
            ++failed;
        }
    return failed > 0 || !r.markersRead ? 1 : 0;
}

} // namespace fd

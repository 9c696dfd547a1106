#include "CliCommands.h"
#include "CliContext.h"
#include "WidgetExport.h"
#include "models/TraceJson.h"
#include "connectors/import/FileImporter.h"
#include "connectors/store/Store.h"
#include "models/BoardEvaluator.h"
#include "models/Error.h"
#include "models/FrameSeries.h"
#include "models/MarkerFile.h"
#include "models/QueryText.h"
#include "models/TraceTree.h"
#include <QElapsedTimer>
#include <QFileInfo>
#include <cmath>
#include <csignal>
#include <unistd.h>

namespace fd {

namespace {
void printFrame(const Frame &f, const QString &format)
{
    if (format == QLatin1String("json"))
        printJson(frameToJson(f));
    else if (format == QLatin1String("csv")) {
        printOut(frameToCsv(f));
        for (const std::string &note : f.notes) // beside the CSV, which stays data alone (exploratory test: none was said)
            printErr(QStringLiteral("note: ") + QString::fromStdString(note));
    }
    else
        printOut(frameToTable(f));
}

Query queryFromFlags(const QCommandLineParser &p)
{
    if (p.isSet(QStringLiteral("query-json"))) {
        for (const char *flag : {"signal", "where", "search", "group-by", "agg", "interval", "limit", "raw"})
            if (p.isSet(QString::fromLatin1(flag)))
                throw Error(QStringLiteral("--%1 cannot go with --query-json: put it in the JSON").arg(QString::fromLatin1(flag)));
        QString error;
        const Json j = parseJson(p.value(QStringLiteral("query-json")).toStdString(), &error);
        if (j.is_discarded())
            throw Error(QStringLiteral("--query-json is not valid JSON: ") + error);
        try {
            checkQueryKeys(j);
        } catch (const Error &e) {
            throw Error(QStringLiteral("--query-json: ") + e.message());
        }
        return queryFromJson(j);
    }
    Query q;
    const QString signal = p.isSet(QStringLiteral("signal")) ? p.value(QStringLiteral("signal")) : QStringLiteral("logs");
    const auto s = signalFromName(signal.toStdString());
    if (!s)
        throw Error(QStringLiteral("unknown --signal \"%1\" (use logs, spans or metrics)").arg(signal));
    q.signal = *s;
    for (const QString &w : p.values(QStringLiteral("where"))) {
        q.where.push_back(parseWhere(w.toStdString())); // FIELD OP VALUE: the value is all that follows OP
        const Json &value = q.where.back().value;
        if (value.is_string() && (value.get<std::string>().find(" and ") != std::string::npos
                                  || value.get<std::string>().find("&&") != std::string::npos)) // exploratory test
            printErr(QStringLiteral("note: the value of --where \"%1\" holds \"and\": give each condition a --where of its own").arg(w));
    }
    q.search = p.value(QStringLiteral("search")).toStdString();
    for (const QString &g : p.values(QStringLiteral("group-by")))
        q.groupBy.push_back(parseField(g.toStdString())); // quoted as in --where, or not
    if (p.isSet(QStringLiteral("agg")))
        q.agg = parseAggregate(p.value(QStringLiteral("agg")).toStdString());
    if (p.isSet(QStringLiteral("interval"))) {
        const auto d = parseDuration(p.value(QStringLiteral("interval")));
        if (!d || *d <= 0)
            throw Error(QStringLiteral("invalid --interval \"%1\" (e.g. 30s, 5m, 1h)").arg(p.value(QStringLiteral("interval"))));
        q.interval = *d;
    }
    if (p.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        q.limit = p.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || q.limit <= 0)
            throw Error(QStringLiteral("--limit must be a positive integer"));
    }
    q.raw = p.value(QStringLiteral("raw")).toStdString();
    return q;
}

std::string number(double v)
{
    if (!std::isfinite(v))
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

void printBoardTable(const BoardResult &r)
{
    std::string out = "Board " + terminalText(r.board) + "  " + formatRfc3339Std(r.range.from) + " .. " + formatRfc3339Std(r.range.to) + "\n";
    for (const TileResult &t : r.tiles) {
        out += "  " + terminalText(t.name) + ": " + (t.error.empty() ? t.state : "error") + "  value " + number(t.value) + " " + terminalText(t.unit)
               + "  expected " + number(t.expected) + " [" + number(t.low) + ", " + number(t.high) + "]\n";
        if (!t.error.empty())
            out += "    error: " + terminalText(t.error) + "\n";
        for (const Anomaly &a : t.anomalies) {
            out += "    anomaly " + std::string(a.direction > 0 ? "up" : "down") + " from " + formatRfc3339Std(a.start)
                   + (a.open ? " (ongoing)" : " to " + formatRfc3339Std(a.end)) + "\n";
            for (std::size_t i = 0; i < std::min<std::size_t>(3, a.suspects.size()); ++i)
                out += "      suspect " + terminalText(a.suspects[i].marker.kind + " " + a.suspects[i].marker.title) + " (score "
                       + number(a.suspects[i].score * 100) + "%)\n";
        }
    }
    printOut(out);
}
} // namespace

int queryCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p);
    p.addOptions({cliOption("query-json", "The query as JSON (DESIGN.md, Query).", "JSON"),
                  cliOption("signal", "logs, spans or metrics (default logs).", "S"),
                  cliOption("where", "A condition FIELD OP VALUE; repeatable.", "EXPR"),
                  cliOption("search", "Case-insensitive text to find in the body.", "TEXT"),
                  cliOption("group-by", "A field to group by; repeatable.", "F"),
                  cliOption("agg", "count, rate, sum(f), avg(f), min(f), max(f), pNN(f), count_distinct(f).", "A"),
                  cliOption("interval", "Bucket width for a time series, e.g. 5m.", "D"),
                  cliOption("limit", "At most this many rows, or series of a time series (default 1000).", "N"),
                  cliOption("raw", "A native query (SQL for the store).", "Q")});
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Runs a query and prints the result.")); rc >= 0)
        return rc;
    CliContext ctx(p);
    const QString format = ctx.format();
    const Query q = queryFromFlags(p);
    const TimeRange range = ctx.timeRange();
    Frame f = ctx.dataSource(q.source)->query(q, range, makeCancelToken());
    completeTimeSeries(f, q, range);
    printFrame(f, format);
    return 0;
}

int traceCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, false, "table or json");
    p.addOption(cliOption("png", "Also draw the waterfall into this PNG (or SVG) file.", "FILE"));
    p.addPositionalArgument(QStringLiteral("ID"), QStringLiteral("The trace id (hex)."));
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Prints one trace."), 1); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 1)
        throw Error(QStringLiteral("give exactly one trace id"));
    CliContext ctx(p);
    const QString format = ctx.format({ QStringLiteral("table"), QStringLiteral("json") });
    const std::string id = CliContext::traceId(p.positionalArguments().first());
    std::vector<Span> spans = ctx.traceSource()->trace(id, makeCancelToken());
    if (spans.empty()) {
        const QString where = p.isSet(QStringLiteral("source"))
            ? QStringLiteral("source \"%1\"").arg(p.value(QStringLiteral("source")))
            : ctx.workspace() && !p.isSet(QStringLiteral("store")) ? QStringLiteral("the workspace's sources") : QStringLiteral("the store");
        throw Error(QStringLiteral("no trace %1 in %2").arg(QString::fromStdString(id), where));
    }
    const auto tree = std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
    if (p.isSet(QStringLiteral("png")))
        writeTraceImage(tree, p.value(QStringLiteral("png")));
    if (format == QLatin1String("json"))
        printJson(traceToJson(tree->spans.front().traceId, *tree)); // as its spans write it (Jaeger's 16 digits padded)
    else
        printOut(traceToTable(*tree));
    return 0;
}

int boardCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, true, "table or json");
    p.addOption(cliOption("board", "The board's name (default: the workspace's first).", "NAME"));
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Evaluates a mission-control board.")); rc >= 0)
        return rc;
    CliContext ctx(p);
    const QString format = ctx.format({ QStringLiteral("table"), QStringLiteral("json") });
    const Workspace *w = ctx.workspace();
    if (!w)
        throw Error(QStringLiteral("board needs --workspace FILE"));
    const Board &board = w->requiredBoard(p.value(QStringLiteral("board")).toStdString());
    const BoardResult r = evaluateBoard(board, ctx.timeRange(), *ctx.dataSource(), makeCancelToken());
    if (format == QLatin1String("json"))
        printJson(boardResultToJson(r));
    else
        printBoardTable(r);
    return reportBoardProblems(r, QStringLiteral("board"));
}

int markCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, false, "table or json");
    p.addOptions({cliOption("kind", "deploy, rollback, flag, config, incident_start, incident_end, note or alert.", "K"),
                  cliOption("service", "The service it concerns.", "S"), cliOption("title", "A short title.", "T"),
                  cliOption("version", "The version deployed.", "V"), cliOption("commit", "The commit deployed.", "SHA"),
                  cliOption("commit-time", "When that commit was made (for lead time).", "T"),
                  cliOption("url", "A link (change, pull request, pipeline).", "U"),
                  cliOption("time", "When it happened (default now).", "T"),
                  cliOption("attr", "An attribute K=V; repeatable.", "K=V"),
                  cliOption("file", "Store every marker of a JSON (array or lines) or CSV file instead.", "FILE")});
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Stores a deploy, flag or other marker.")); rc >= 0)
        return rc;
    CliContext ctx(p);
    const QString format = ctx.format({ QStringLiteral("table"), QStringLiteral("json") });
    if (p.isSet(QStringLiteral("file"))) {
        // its markers' fields are the file's: one given here as well had been left unused without a word
        for (const char *key : {"kind", "service", "title", "version", "commit", "commit-time", "url", "time", "attr"})
            if (p.isSet(QString::fromLatin1(key)))
                throw Error(QStringLiteral("--%1 and --file: the file gives every marker its own fields").arg(QLatin1String(key)));
        const std::vector<Marker> markers = readMarkerFile(p.value(QStringLiteral("file")), nowNs());
        if (markers.empty())
            throw Error(QStringLiteral("%1 holds no marker").arg(p.value(QStringLiteral("file"))));
        const std::size_t added = Store(ctx.storePath()).insertMarkers(markers);
        std::string said = std::to_string(added) + " markers stored";
        if (added < markers.size())
            said += ", " + std::to_string(markers.size() - added) + " stored already";
        printOut(said + "\n");
        return 0;
    }
    Json j = Json::object();
    for (const char *key : {"kind", "service", "title", "version", "commit", "url", "time"})
        if (p.isSet(QString::fromLatin1(key)))
            j[key] = p.value(QString::fromLatin1(key)).toStdString();
    if (p.isSet(QStringLiteral("commit-time")))
        j["commit_time"] = p.value(QStringLiteral("commit-time")).toStdString();
    Json attributes = Json::object();
    for (const QString &a : p.values(QStringLiteral("attr"))) {
        const qsizetype eq = a.indexOf(QLatin1Char('='));
        if (eq <= 0)
            throw Error(QStringLiteral("--attr \"%1\" is not K=V").arg(a));
        attributes[a.left(eq).toStdString()] = a.mid(eq + 1).toStdString();
    }
    j["attributes"] = attributes;
    for (const char *required : {"kind", "service", "title"})
        if (!j.contains(required) || j[required] == "") // --service "" had stored a marker of every service
            throw Error(QStringLiteral("--%1 is required").arg(QString::fromLatin1(required)));
    Marker m = markerFromJson(j, nowNs());
    Store store(ctx.storePath());
    const Store::StoredMarker stored = store.insertMarker(m);
    m.id = stored.id;
    printOut(format == QLatin1String("json") ? markerToJson(m).dump(2) + "\n"
                                             : "marker " + std::to_string(m.id) + (stored.added ? " stored: " : " was stored already: ")
                                                   + m.kind + " " + m.title + " at " + formatRfc3339Std(m.time) + "\n");
    return 0;
}

namespace {
CancelToken g_importCancel; // set by Ctrl+C: batches committed so far stay, the import stops cleanly

// "\rFILE: 45% of 1.0 GB, 61 MB/s" on a terminal; nothing when stderr is a file or a pipe.
std::function<void(qint64, qint64)> importProgress(const QString &file)
{
    if (!isatty(STDERR_FILENO))
        return {};
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [file, timer](qint64 done, qint64 total) {
        const double seconds = std::max(1e-3, timer->nsecsElapsed() / 1e9);
        std::fprintf(stderr, "\r%s: %3d%% of %.1f MB, %.0f MB/s   ", qPrintable(file),
                     total > 0 ? int(done * 100 / total) : 100, total / 1e6, done / 1e6 / seconds);
        if (done >= total)
            std::fprintf(stderr, "\n");
    };
}
} // namespace

int importCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("store"), QStringLiteral("The embedded store file to write."), QStringLiteral("PATH")});
    p.addOption({QStringLiteral("workspace"), QStringLiteral("A workspace whose store source to write."), QStringLiteral("FILE")});
    p.addOption({QStringLiteral("source"), QStringLiteral("A source id of the workspace."), QStringLiteral("ID")});
    p.addOption(cliOption("format", "The input format: auto, otlp-json or jsonl.", "F"));
    p.addOption({QStringLiteral("again"),
        QStringLiteral("Read files imported before whole again (their records are stored twice); without it an "
                       "unchanged file is skipped and a grown one read from where it ended.")});
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Files to import."), QStringLiteral("FILE..."));
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Imports OTLP/JSON or JSON-lines files."), kAnyPositionals); rc >= 0)
        return rc;
    if (p.positionalArguments().isEmpty())
        throw Error(QStringLiteral("give at least one file to import"));
    const ImportFormat format = importFormatFromName(p.isSet(QStringLiteral("format")) ? p.value(QStringLiteral("format"))
                                                                                       : QStringLiteral("auto"));
    // A missing file had been found after the files before it were stored, or after an empty store was made.
    for (const QString &file : p.positionalArguments())
        if (const QFileInfo info(file); !info.exists() || info.isDir() || !info.isReadable())
            throw Error(QStringLiteral("cannot read %1: %2").arg(file, !info.exists() ? QStringLiteral("no such file")
                                                                     : info.isDir() ? QStringLiteral("a folder")
                                                                                    : QStringLiteral("permission denied")));
    CliContext ctx(p);
    Store store(ctx.storePath());
    FileImporter importer(store);
    importer.setImportAgain(p.isSet(QStringLiteral("again")));
    // The token outlives the command: a no-op deleter, as the handler reaches the global.
    const CancelTokenPtr cancel(&g_importCancel, [](CancelToken *) {});
    std::signal(SIGINT, [](int) { g_importCancel.cancel(); });
    std::int64_t bad = 0, records = 0, rejected = 0;
    QStringList fruitless; // files of which nothing was imported though they held records or lines
    const TimeNs retained = nowNs() - Store::kDefaultRetention;
    const StoreRowIds before = store.newestIds();
    for (const QString &file : p.positionalArguments()) {
        const ImportReport r = importer.import(file, format, cancel, importProgress(file));
        if (r.skipped) {
            printOut(file.toStdString() + ": " + importedBeforeText(r).toStdString() + " (--again reads it whole again)\n");
            continue;
        }
        for (const std::string &problem : r.problems)
            printErr(QString::fromStdString(problem));
        if (r.badLines > static_cast<std::int64_t>(r.problems.size()))
            printErr(QStringLiteral("%1: %2 more bad lines").arg(file).arg(r.badLines - static_cast<std::int64_t>(r.problems.size())));
        bad += r.badLines;
        records += r.records;
        if (r.records == 0 && (r.badLines > 0 || r.rejectedRecords > 0))
            fruitless.push_back(file);
        rejected += r.rejectedRecords;
        printOut(file.toStdString() + ": " + std::to_string(r.records) + " records from " + std::to_string(r.lines)
                 + " lines, " + std::to_string(r.badLines) + " bad"
                 + (r.rejectedRecords > 0 ? ", " + std::to_string(r.rejectedRecords) + " records rejected" : std::string())
                 + (r.idsDropped.any() ? ", " + r.idsDropped.text() : std::string())
                 + (r.earlier ? " (" + importedBeforeText(r).toStdString() + ")" : std::string()) + "\n");
    }
    if (records == 0 && bad > 0)
        throw Error(QStringLiteral("nothing was imported: every line was bad"));
    if (records == 0 && rejected > 0) // it had exited 0 (exploratory test)
        throw Error(QStringLiteral("nothing was imported: every record was rejected"));
    // Found by exploratory test: last month's logs imported for a postmortem went at serve's next start.
    if (const std::int64_t old = store.recordsBefore(retained, before); old > 0)
        printErr(QStringLiteral("note: %1 of the records imported are older than %2: `flightdeck serve` on this store "
                                "deletes them unless its --retention is longer")
                     .arg(old)
                     .arg(formatDuration(Store::kDefaultRetention)));
    if (!fruitless.isEmpty()) // the other files' records are kept; a script still learns that one failed
        throw Error(QStringLiteral("nothing was imported from %1").arg(fruitless.join(QStringLiteral(", "))));
    return 0;
}

} // namespace fd

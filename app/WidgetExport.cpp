#include "WidgetExport.h"
#include "BoardReport.h"
#include "IncidentReport.h"
#include "QueryReport.h"
#include "Report.h"
#include "TraceReport.h"
#include "CliCommands.h"
#include "CliContext.h"
#include "models/BoardEvaluator.h"
#include "models/Error.h"
#include "models/FrameSeries.h"
#include "models/QueryText.h"
#include "widgets/ChartView.h"
#include "widgets/MissionBoardView.h"
#include "widgets/TraceWaterfall.h"
#include <QApplication>
#include <QFileInfo>
#include <QPainter>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSvgGenerator>

namespace fd {

QSize parseSize(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^(\d{1,5})[xX](\d{1,5})$)"));
    const auto m = re.match(text);
    const auto fits = [&](int n) { return n >= 100 && n <= 16384; };
    if (!m.hasMatch() || !fits(m.captured(1).toInt()) || !fits(m.captured(2).toInt()))
        throw Error(QStringLiteral("invalid --size \"%1\" (use WIDTHxHEIGHT, each from 100 to 16384, e.g. 1600x900)").arg(text));
    return {m.captured(1).toInt(), m.captured(2).toInt()};
}

namespace {
const QSize kDefaultExportSize(1600, 1000);

void layOut(QWidget &widget, const QSize &size)
{
    widget.resize(size);
    widget.setAttribute(Qt::WA_DontShowOnScreen);
    widget.show();
    QCoreApplication::processEvents(); // let layouts settle before the one paint we keep
    if (widget.width() > size.width() || widget.height() > size.height()) // its least size (exploratory test: unsaid)
        printErr(QStringLiteral("note: drawn at %1 × %2 px, the least this view needs (asked %3 × %4)")
                     .arg(widget.width()).arg(widget.height()).arg(size.width()).arg(size.height()));
}

bool isImagePath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("png") || suffix == QLatin1String("svg");
}
} // namespace

namespace {
// The widget laid out at `size` (its own when invalid) for one picture; its layout follows at once, and its
// own size is back before anything repaints.
class PictureSize
{
public:
    PictureSize(QWidget &widget, const QSize &size)
        : m_widget(widget), m_shown(widget.size()), m_target(size.isValid() ? size : m_shown)
    {
        if (m_target != m_shown)
            widget.resize(m_target);
    }
    ~PictureSize()
    {
        if (m_target != m_shown)
            m_widget.resize(m_shown);
    }
    PictureSize(const PictureSize &) = delete;
    PictureSize &operator=(const PictureSize &) = delete;
    QSize size() const { return m_target; }

private:
    QWidget &m_widget;
    QSize m_shown;
    QSize m_target;
};
} // namespace

QImage widgetImage(QWidget &widget, const QSize &size, qreal scale)
{
    const PictureSize sized(widget, size);
    const QSize target = sized.size();
    QImage image(target * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(widget.palette().window().color());
    widget.render(&image);
    return image;
}

void saveWidgetImage(QWidget &widget, const QString &path, const QSize &size, qreal scale)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        throw Error(QStringLiteral("cannot draw into \"%1\": a picture is .png or .svg").arg(path));
    if (suffix == QLatin1String("png")) {
        writePng(widgetImage(widget, size, scale), path);
        return;
    }
    const PictureSize sized(widget, size);
    const QSize target = sized.size();
    writeFileAtomically(path, [&](QIODevice &file) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(target);
        svg.setViewBox(QRect(QPoint(0, 0), target));
        svg.setResolution(widget.logicalDpiY()); // at QSvgGenerator's 72 dpi the widget's text shrank by a quarter
        svg.setTitle(widget.windowTitle());
        QPainter painter;
        if (!painter.begin(&svg))
            return false;
        widget.render(&painter);
        return painter.end();
    });
}

namespace {
constexpr int kMaxImageHeight = 8000; // a picture anyone can still open and scroll

// Lays the waterfall out `width` px wide and, without a `size`, as high as its rows (up to kMaxImageHeight);
// says on stderr when the picture cannot hold every row.
void layOutTrace(TraceWaterfall &waterfall, std::shared_ptr<const TraceTree> tree, int width,
                 const std::optional<QSize> &size = {})
{
    waterfall.setTree(std::move(tree));
    const int rows = waterfall.visibleRowCount();
    const int whole = waterfall.headerHeight() + rows * waterfall.rowHeight() + 2 * waterfall.frameWidth();
    layOut(waterfall, size.value_or(QSize(width, std::clamp(whole, 200, kMaxImageHeight))));
    if (const int hidden = waterfall.verticalScrollBar()->maximum(); hidden > 0) {
        const int shown = rows - (hidden + waterfall.rowHeight() - 1) / waterfall.rowHeight();
        printErr(QStringLiteral("note: the image shows the first %1 of the trace's %2 rows (%3 px high)")
                     .arg(shown).arg(rows).arg(waterfall.height()));
    }
}
} // namespace

void writeTraceImage(std::shared_ptr<const TraceTree> tree, const QString &path)
{
    TraceWaterfall waterfall;
    layOutTrace(waterfall, std::move(tree), 1400);
    saveWidgetImage(waterfall, path);
}

QImage wholeTraceImage(std::shared_ptr<const TraceTree> tree)
{
    TraceWaterfall waterfall;
    layOutTrace(waterfall, std::move(tree), 1400);
    return widgetImage(waterfall);
}

QImage traceImage(std::shared_ptr<const TraceTree> tree, int width)
{
    TraceWaterfall waterfall;
    layOutTrace(waterfall, std::move(tree), width);
    return waterfall.grab().toImage();
}

namespace {
void exportTrace(CliContext &ctx, const QString &id, const QString &out, const std::optional<QSize> &size)
{
    auto spans = ctx.traceSource()->trace(CliContext::traceId(id), makeCancelToken());
    if (spans.empty())
        throw Error(QStringLiteral("no trace %1 in the source").arg(id));
    const auto tree = std::make_shared<const TraceTree>(TraceTree::build(std::move(spans)));
    if (isImagePath(out)) {
        TraceWaterfall waterfall;
        layOutTrace(waterfall, tree, kDefaultExportSize.width(), size);
        saveWidgetImage(waterfall, out);
    } else {
        TraceReport(*tree, traceImage(tree, size ? size->width() : 1400)).write(out);
    }
}

const Workspace &requireWorkspace(CliContext &ctx, const char *what)
{
    const Workspace *w = ctx.workspace();
    if (!w)
        throw Error(QStringLiteral("exporting %1 needs --workspace FILE").arg(QLatin1String(what)));
    return *w;
}

// Without --size the board grows to show every tile; with one, stderr says what the image leaves out.
void layOutBoard(MissionBoardView &view, const std::optional<QSize> &size)
{
    layOut(view, size.value_or(kDefaultExportSize));
    for (int grown = 0; !size && view.hiddenHeight() > 0 && view.height() < kMaxImageHeight && grown < 4; ++grown)
        layOut(view, {view.width(), std::min(kMaxImageHeight, view.height() + view.hiddenHeight())});
    if (view.hiddenHeight() > 0)
        printErr(QStringLiteral("note: %1 px of the board's tiles lie below the image (%2 px high)")
                     .arg(view.hiddenHeight()).arg(view.height()));
}

} // namespace

QImage boardImage(const Board &board, BoardResultPtr result, const std::optional<QSize> &size)
{
    MissionBoardView view;
    view.setBoard(board);
    view.setResult(std::move(result));
    layOutBoard(view, size);
    return view.grab().toImage();
}

namespace {
// Returns the exit code: 1 when a tile failed (the picture shows it, and the export had exited 0, exploratory test).
int exportBoard(CliContext &ctx, const QString &name, const QString &out, const std::optional<QSize> &size)
{
    const Board &board = requireWorkspace(ctx, "a board").requiredBoard(name.toStdString());
    auto result = std::make_shared<const BoardResult>(
        evaluateBoard(board, ctx.timeRange(), *ctx.dataSource(), makeCancelToken()));
    if (!isImagePath(out)) {
        BoardReport(*result, boardImage(board, result, size)).write(out);
        return reportBoardProblems(*result, QStringLiteral("export"));
    }
    MissionBoardView view;
    view.setBoard(board);
    view.setResult(result);
    layOutBoard(view, size);
    saveWidgetImage(view, out);
    return reportBoardProblems(*result, QStringLiteral("export"));
}

void exportIncident(CliContext &ctx, const QString &title, const QString &out, const std::optional<QSize> &size)
{
    const Workspace &w = requireWorkspace(ctx, "an incident");
    const Incident *incident = w.incident(title.toStdString());
    if (!incident)
        throw Error(w.incidents.empty() ? QStringLiteral("the workspace has no incident")
                                        : QStringLiteral("the workspace has no incident \"%1\"").arg(title));
    // An image is the postmortem itself, not a picture of the form that edits it.
    const IncidentReport report(*incident, incidentDora(*ctx.dataSource(), *incident, makeCancelToken()));
    if (!isImagePath(out)) {
        report.write(out);
        return;
    }
    const int height = size ? size->height() : 0;
    const int full = report.writeImage(out, size ? size->width() : 1000, height);
    if (const int shown = height > 0 ? height : Report::kMaxImageHeight; full > shown)
        printErr(QStringLiteral("note: the postmortem is %1 px high; the image shows its first %2 px").arg(full).arg(shown));
}

// The chart of a time series result, laid out at `size`; false (and nothing drawn) for any other result.
bool layOutQueryChart(ChartView &chart, const Frame &frame, const Query &query, const TimeRange &range, const QSize &size)
{
    if (query.interval <= 0 && query.raw.empty())
        return false;
    chart.setTimeRange(range);
    chart.setLegendRows(0); // a report names every series: nothing to scroll on paper (review)
    std::vector<std::string> notes;
    chart.setSeries(seriesFromFrame(frame, query, range, &notes));
    for (const std::string &note : notes)
        printErr(QStringLiteral("note: ") + QString::fromStdString(note));
    layOut(chart, size);
    return true;
}

void exportQuery(CliContext &ctx, const QString &name, const QString &out, const std::optional<QSize> &size)
{
    const Workspace &w = requireWorkspace(ctx, "a query");
    const auto saved = std::find_if(w.queries.begin(), w.queries.end(),
                                    [&](const SavedQuery &q) { return q.name == name.toStdString(); });
    if (saved == w.queries.end())
        throw Error(QStringLiteral("the workspace has no saved query \"%1\"").arg(name));
    const TimeRange range = ctx.timeRange();
    Frame frame = ctx.dataSource(saved->query.source)->query(saved->query, range, makeCancelToken());
    completeTimeSeries(frame, saved->query, range);
    ChartView chart;
    // a report's chart fills the printable width of a page unless --size says otherwise
    const bool charted = layOutQueryChart(chart, frame, saved->query, range,
                                          size.value_or(isImagePath(out) ? kDefaultExportSize : QSize(1200, 500)));
    if (isImagePath(out)) {
        if (!charted)
            throw Error(QStringLiteral("query \"%1\" is not a time series (give it an aggregate and an interval); "
                                       "export it as .pdf, .html or .md").arg(name));
        saveWidgetImage(chart, out);
        return;
    }
    QueryReport(saved->name, saved->query, range, frame, charted ? chart.grab().toImage() : QImage()).write(out);
}
} // namespace

int exportCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, true, nullptr);
    p.addOptions({{QStringLiteral("board"), QStringLiteral("Export this board."), QStringLiteral("NAME")},
                  {QStringLiteral("query"), QStringLiteral("Export this saved query (its chart, or a report with its rows)."), QStringLiteral("NAME")},
                  {QStringLiteral("trace"), QStringLiteral("Export this trace (image)."), QStringLiteral("ID")},
                  {QStringLiteral("incident"), QStringLiteral("Export this incident (image, or a postmortem report)."), QStringLiteral("NAME")},
                  {QStringLiteral("out"), QStringLiteral("The file to write: .png, .svg, or a .pdf/.html/.md report."), QStringLiteral("FILE")},
                  {QStringLiteral("size"), QStringLiteral("Image size, e.g. 1600x900."), QStringLiteral("WxH")}});
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Exports a board, saved query, trace or incident as an image or a report.")); rc >= 0)
        return rc;
    if (!p.isSet(QStringLiteral("out")))
        throw Error(QStringLiteral("--out FILE is required"));
    const QString out = p.value(QStringLiteral("out"));
    if (!isImagePath(out) && !Report::writes(out))
        throw Error(QStringLiteral("--out \"%1\": write a .png, .svg, .pdf, .html or .md file").arg(out));
    const std::optional<QSize> size = p.isSet(QStringLiteral("size")) ? std::optional(parseSize(p.value(QStringLiteral("size"))))
                                                                       : std::nullopt;
    CliContext ctx(p);
    const auto value = [&p](const char *name) { return p.value(QString::fromLatin1(name)); };
    const int named = int(p.isSet(QStringLiteral("board"))) + int(p.isSet(QStringLiteral("query")))
                      + int(p.isSet(QStringLiteral("trace"))) + int(p.isSet(QStringLiteral("incident")));
    if (named > 1)
        throw Error(QStringLiteral("export one thing at a time: --board, --query, --trace or --incident"));
    if (p.isSet(QStringLiteral("trace")))
        exportTrace(ctx, value("trace"), out, size);
    else if (p.isSet(QStringLiteral("incident")))
        exportIncident(ctx, value("incident"), out, size);
    else if (p.isSet(QStringLiteral("query")))
        exportQuery(ctx, value("query"), out, size);
    else if (p.isSet(QStringLiteral("board")))
        return exportBoard(ctx, value("board"), out, size);
    else
        throw Error(QStringLiteral("say what to export: --board NAME, --query NAME, --trace ID or --incident NAME"));
    return 0;
}

} // namespace fd

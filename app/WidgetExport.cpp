#include "WidgetExport.h"
#include "BoardReport.h"
#include "CliCommands.h"
#include "CliContext.h"
#include "models/BoardEvaluator.h"
#include "models/Error.h"
#include "widgets/MissionBoardView.h"
#include "widgets/TraceWaterfall.h"
#include <QApplication>
#include <QFileInfo>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>

namespace fd {

QSize parseSize(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^(\d{2,5})[xX](\d{2,5})$)"));
    const auto m = re.match(text);
    if (!m.hasMatch() || m.captured(1).toInt() > 16384 || m.captured(2).toInt() > 16384)
        throw Error(QStringLiteral("invalid --size \"%1\" (use WIDTHxHEIGHT, e.g. 1600x900)").arg(text));
    return {m.captured(1).toInt(), m.captured(2).toInt()};
}

namespace {
void layOut(QWidget &widget, const QSize &size)
{
    widget.resize(size);
    widget.setAttribute(Qt::WA_DontShowOnScreen);
    widget.show();
    QCoreApplication::processEvents(); // let layouts settle before the one paint we keep
}

bool isImagePath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("png") || suffix == QLatin1String("svg");
}
} // namespace

void writeWidgetImage(QWidget &widget, const QString &path, const QSize &size)
{
    layOut(widget, size);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) {
        if (!widget.grab().save(path, "PNG"))
            throw Error(QStringLiteral("cannot write %1").arg(path));
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(widget.windowTitle());
        QPainter painter;
        if (!painter.begin(&svg))
            throw Error(QStringLiteral("cannot write %1").arg(path));
        widget.render(&painter);
        painter.end();
    } else {
        throw Error(QStringLiteral("cannot export to \"%1\": use .png, .svg, .pdf, .html or .md").arg(path));
    }
}

void writeTracePng(const TraceTree &tree, const QString &path)
{
    TraceWaterfall waterfall;
    waterfall.setTree(std::make_shared<const TraceTree>(tree));
    const int height = std::clamp(static_cast<int>(tree.rows.size()) * 24 + 60, 200, 8000);
    writeWidgetImage(waterfall, path, QSize(1400, height));
}

int exportCommand(const QStringList &args)
{
    QCommandLineParser p;
    CliContext::addCommonOptions(p, true, false);
    p.addOptions({{QStringLiteral("board"), QStringLiteral("Export this board."), QStringLiteral("NAME")},
                  {QStringLiteral("query"), QStringLiteral("Export this saved query (not built yet)."), QStringLiteral("NAME")},
                  {QStringLiteral("trace"), QStringLiteral("Export this trace."), QStringLiteral("ID")},
                  {QStringLiteral("incident"), QStringLiteral("Export this incident (not built yet)."), QStringLiteral("NAME")},
                  {QStringLiteral("out"), QStringLiteral("The file to write: .png, .svg, or a .pdf/.html/.md report."), QStringLiteral("FILE")},
                  {QStringLiteral("size"), QStringLiteral("Image size, e.g. 1600x900."), QStringLiteral("WxH")}});
    if (const int rc = parseCommandLine(p, args, QStringLiteral("Exports a board (image or report) or a trace (image).")); rc >= 0)
        return rc;
    if (!p.isSet(QStringLiteral("out")))
        throw Error(QStringLiteral("--out FILE is required"));
    const QString out = p.value(QStringLiteral("out"));
    const QSize size = p.isSet(QStringLiteral("size")) ? parseSize(p.value(QStringLiteral("size"))) : QSize(1600, 1000);
    CliContext ctx(p);
    if (p.isSet(QStringLiteral("trace"))) {
        const std::string id = p.value(QStringLiteral("trace")).toLower().toStdString();
        auto spans = ctx.dataSource()->trace(id);
        if (spans.empty())
            throw Error(QStringLiteral("no trace %1 in the store").arg(QString::fromStdString(id)));
        TraceWaterfall waterfall;
        waterfall.setTree(std::make_shared<const TraceTree>(TraceTree::build(std::move(spans))));
        writeWidgetImage(waterfall, out, size);
        return 0;
    }
    if (p.isSet(QStringLiteral("query")) || p.isSet(QStringLiteral("incident")))
        throw Error(QStringLiteral("exporting queries and incidents is not built yet; use --board or --trace"));
    if (!p.isSet(QStringLiteral("board")))
        throw Error(QStringLiteral("say what to export: --board NAME or --trace ID"));
    const Workspace *w = ctx.workspace();
    if (!w)
        throw Error(QStringLiteral("exporting a board needs --workspace FILE"));
    const Board *board = w->board(p.value(QStringLiteral("board")).toStdString());
    if (!board)
        throw Error(QStringLiteral("the workspace has no board \"%1\"").arg(p.value(QStringLiteral("board"))));
    auto result = std::make_shared<const BoardResult>(
        evaluateBoard(*board, ctx.timeRange(), *ctx.dataSource(), makeCancelToken()));
    MissionBoardView view;
    view.setBoard(*board);
    view.setResult(result);
    if (isImagePath(out)) {
        writeWidgetImage(view, out, size);
    } else {
        layOut(view, size);
        BoardReport(*result, view.grab().toImage()).write(out);
    }
    return 0;
}

} // namespace fd

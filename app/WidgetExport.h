#pragma once
#include "models/BoardEvaluator.h"
#include "models/TraceTree.h"
#include <QImage>
#include <QSize>
#include <QString>
#include <memory>
#include <optional>

class QWidget;

namespace fd {

// Renders a widget into a .png or .svg file, at its size on screen or laid out at `size` for the
// picture, a PNG with `scale` device pixels per pixel; throws fd::Error.
void saveWidgetImage(QWidget &widget, const QString &path, const QSize &size = {}, qreal scale = 1);
// The picture saveWidgetImage writes to a .png, for a caller that encodes it elsewhere (off the GUI thread).
QImage widgetImage(QWidget &widget, const QSize &size = {}, qreal scale = 1);
// The whole waterfall of a trace (every row, not only what a view shows) into a .png or .svg file. These take
// the tree shared, as the waterfall holds it: a copy of a 1M-span tree had taken seconds of the GUI thread.
void writeTraceImage(std::shared_ptr<const TraceTree> tree, const QString &path);
// The picture writeTraceImage writes to a .png.
QImage wholeTraceImage(std::shared_ptr<const TraceTree> tree);
// The whole waterfall of a trace as a picture of the given width (height from its rows, capped).
QImage traceImage(std::shared_ptr<const TraceTree> tree, int width);
// A board's evaluated tiles as a report shows them: every tile, without the tab's selector and buttons.
// Without a size, as wide as an export and as high as the tiles need.
QImage boardImage(const Board &board, BoardResultPtr result, const std::optional<QSize> &size = {});
// "1600x900" -> size; throws fd::Error.
QSize parseSize(const QString &text);

} // namespace fd

#pragma once
#include "models/TraceTree.h"
#include <QSize>
#include <QString>

class QWidget;

namespace fd {

// Renders a widget as it is on screen into a .png or .svg file; throws fd::Error.
void saveWidgetImage(QWidget &widget, const QString &path);
// Lays a widget out off screen at the given size, then saveWidgetImage(); throws fd::Error.
void writeWidgetImage(QWidget &widget, const QString &path, const QSize &size);
void writeTracePng(const TraceTree &tree, const QString &path);
// "1600x900" -> size; throws fd::Error.
QSize parseSize(const QString &text);

} // namespace fd

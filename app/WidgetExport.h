#pragma once
#include "models/TraceTree.h"
#include <QSize>
#include <QString>

class QWidget;

namespace fd {

// Renders a widget into a .png or .svg file at the given size; throws fd::Error.
void writeWidgetImage(QWidget &widget, const QString &path, const QSize &size);
void writeTracePng(const TraceTree &tree, const QString &path);
// "1600x900" -> size; throws fd::Error.
QSize parseSize(const QString &text);

} // namespace fd

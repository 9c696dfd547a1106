#pragma once
#include <QString>

class QWidget;

namespace fd {

// The path to save to, asked in Qt's save dialog with `filters` ("Markdown (*.md);;HTML (*.html)"); empty when
// cancelled. The dialog adds no suffix itself, so the chosen type's is added to a name without one ("inc" saved as
// Markdown is "inc.md"), and replaces the suggested name's own when another type was chosen for it; a suffix of
// one of the types typed by hand is kept. When the path so made exists, it asks before replacing it.
QString askSavePath(QWidget *parent, const QString &title, const QString &suggested, const QString &filters);
// A file name (without suffix) made of a title: "Checkout 5xx (SEV2)" -> "checkout-5xx-sev2"; `fallback` when none is left.
QString fileNameFor(const QString &title, const QString &fallback);

} // namespace fd

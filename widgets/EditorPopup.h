#pragma once
#include <QTextEdit>

class QCompleter;
class QPlainTextEdit;

namespace fd {

// Pieces the PromQL editor and the query bar share: their completion list and their error underline.

// Up/Down/PageUp/PageDown through an open completion list; false for any other key (or an empty list).
bool stepCompletionList(QCompleter *completer, int key);
// Opens the completer's list under the text that starts at `replaceStart`, its first item selected.
void openCompletionList(QCompleter *completer, QPlainTextEdit *editor, int replaceStart);
// A wavy red underline over [start, end) of the editor's text.
QTextEdit::ExtraSelection errorSelection(QPlainTextEdit *editor, int start, int end);
// Whether the editor's palette is dark, so its highlighter picks readable colours.
bool hasDarkBase(const QPalette &palette);

} // namespace fd

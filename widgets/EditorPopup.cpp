#include "EditorPopup.h"
#include <QAbstractItemView>
#include <QCompleter>
#include <QPlainTextEdit>
#include <QScrollBar>

namespace fd {

bool stepCompletionList(QCompleter *completer, int key)
{
    const QAbstractItemModel *model = completer->completionModel();
    QAbstractItemView *popup = completer->popup();
    const int rows = model->rowCount();
    if (rows == 0)
        return false;
    const int page = qMax(1, completer->maxVisibleItems() - 1);
    int step = 0;
    switch (key) {
    case Qt::Key_Up: step = -1; break;
    case Qt::Key_Down: step = 1; break;
    case Qt::Key_PageUp: step = -page; break;
    case Qt::Key_PageDown: step = page; break;
    default: return false;
    }
    const int row = popup->currentIndex().isValid() ? popup->currentIndex().row() + step : 0;
    popup->setCurrentIndex(model->index(qBound(0, row, rows - 1), 0));
    return true;
}

void openCompletionList(QCompleter *completer, QPlainTextEdit *editor, int replaceStart)
{
    QAbstractItemView *popup = completer->popup();
    QTextCursor start(editor->document());
    start.setPosition(replaceStart);
    QRect rect = editor->cursorRect(start).translated(editor->viewport()->mapTo(editor, QPoint(0, 0)));
    completer->setCompletionPrefix(QString());
    rect.setWidth(qMax(220, popup->sizeHintForColumn(0) + popup->verticalScrollBar()->sizeHint().width() + 12));
    completer->complete(rect);
    popup->setCurrentIndex(completer->completionModel()->index(0, 0));
}

QTextEdit::ExtraSelection errorSelection(QPlainTextEdit *editor, int start, int end)
{
    QTextEdit::ExtraSelection selection;
    selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    selection.format.setUnderlineColor(QColor(0xd3, 0x2f, 0x2f));
    selection.format.setBackground(QColor(0xd3, 0x2f, 0x2f, 40));
    selection.cursor = QTextCursor(editor->document());
    selection.cursor.setPosition(start);
    selection.cursor.setPosition(end, QTextCursor::KeepAnchor);
    return selection;
}

bool hasDarkBase(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace fd

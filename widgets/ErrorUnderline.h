#pragma once
#include <QString>

class QPlainTextEdit;

namespace fd {

// The error a query editor shows (the query bar, the PromQL/raw editor): part of its text underlined in
// red and the message as its tooltip, until the text changes. The editor emits its own signal.
class ErrorUnderline
{
public:
    explicit ErrorUnderline(QPlainTextEdit *editor) : m_editor(editor) { }

    // Underlines [start, end) of the editor's text as it is now.
    void show(const QString &message, int start, int end);
    // False when nothing was shown.
    bool clear();
    // The text was edited since the error was shown: the error no longer points at anything.
    bool isStale() const;
    QString message() const { return m_message; }

private:
    QPlainTextEdit *m_editor;
    QString m_message;
    QString m_text; // the text the error was shown for
};

} // namespace fd

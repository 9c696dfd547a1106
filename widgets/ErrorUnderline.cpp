#include "ErrorUnderline.h"
#include "EditorPopup.h"
#include <QPlainTextEdit>

namespace fd {

void ErrorUnderline::show(const QString &message, int start, int end)
{
    m_message = message;
    m_text = m_editor->toPlainText();
    QList<QTextEdit::ExtraSelection> underline;
    if (start < end)
        underline.push_back(errorSelection(m_editor, start, end));
    m_editor->setExtraSelections(underline);
    m_editor->setToolTip(message);
}

bool ErrorUnderline::clear()
{
    if (m_message.isEmpty())
        return false;
    m_message.clear();
    m_text.clear();
    m_editor->setExtraSelections({});
    m_editor->setToolTip(QString());
    return true;
}

bool ErrorUnderline::isStale() const
{
    return !m_message.isEmpty() && m_editor->toPlainText() != m_text;
}

} // namespace fd

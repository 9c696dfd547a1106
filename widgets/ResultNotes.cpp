#include "ResultNotes.h"
#include <QLabel>
#include <QStringList>

namespace fd {

QLabel *makeNotesLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("resultNotes"));
    label->setStyleSheet(QStringLiteral("QLabel { color: #7a4f00; background: #fff3cd; border: 1px solid #f0d58c; "
                                        "border-radius: 3px; padding: 2px 6px; }"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

void showNotes(QLabel *label, const std::vector<std::string> &notes)
{
    QStringList lines;
    for (const std::string &note : notes)
        lines << QStringLiteral("⚠ ") + QString::fromStdString(note);
    label->setText(lines.join(u'\n'));
    label->setVisible(!lines.isEmpty());
}

} // namespace fd

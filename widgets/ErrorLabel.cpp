#include "ErrorLabel.h"
#include <QLabel>

namespace fd {

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // messages quote servers and files: never markup
    label->setObjectName(QStringLiteral("errorLabel"));
    label->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

} // namespace fd

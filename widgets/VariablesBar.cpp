#include "VariablesBar.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace fd {

VariablesBar::VariablesBar(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this))
{
    m_layout->setContentsMargins(8, 0, 0, 0);
}

void VariablesBar::setVariables(const Variables &variables)
{
    m_variables = variables;
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto &[name, value] : variables) {
        auto *label = new QLabel(QLatin1Char('$') + QString::fromStdString(name), this);
        label->setTextFormat(Qt::PlainText);
        auto *edit = new QLineEdit(QString::fromStdString(value), this);
        edit->setObjectName(QStringLiteral("variable_") + QString::fromStdString(name));
        edit->setToolTip(tr("Replaces $%1 in every query; Enter applies").arg(QString::fromStdString(name)));
        edit->setMaximumWidth(140);
        m_layout->addWidget(label);
        m_layout->addWidget(edit);
        connect(edit, &QLineEdit::editingFinished, this, [this, name = name, edit] {
            const std::string value = edit->text().trimmed().toStdString();
            if (m_variables[name] == value)
                return;
            m_variables[name] = value;
            Q_EMIT variablesChanged(m_variables);
        });
    }
    setVisible(!variables.empty());
}

} // namespace fd

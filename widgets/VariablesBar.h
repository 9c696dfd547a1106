#pragma once
#include "models/Variables.h"
#include <QWidget>

class QHBoxLayout;

namespace fd {

// The workspace's variables in the toolbar, one box each ("$service [auth]"); Enter applies an edit.
class VariablesBar : public QWidget
{
    Q_OBJECT
public:
    explicit VariablesBar(QWidget *parent = nullptr);

    void setVariables(const Variables &variables);
    const Variables &variables() const { return m_variables; }

Q_SIGNALS:
    void variablesChanged(const Variables &variables);

private:
    Variables m_variables;
    QHBoxLayout *m_layout = nullptr;
};

} // namespace fd

#include "SourcePicker.h"
#include <QAbstractItemView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace fd {

SourcePicker::SourcePicker(QWidget *parent)
    : QWidget(parent)
{
    m_box = new QComboBox(this);
    m_box->setObjectName(QStringLiteral("source"));
    // As wide as "any, by signal" whatever the ids: a long one had taken the sentence's room in a narrow window
    m_box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_box->setMinimumContentsLength(14);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("source"), this));
    layout->addWidget(m_box);
    hide();
    connect(m_box, &QComboBox::currentIndexChanged, this, [this] {
        showName();
        Q_EMIT sourceChanged(current());
    });
    connect(m_box, &QComboBox::activated, this, &SourcePicker::picked);
}

void SourcePicker::setChoices(std::vector<SourceChoice> choices, const QString &selected)
{
    m_choices = std::move(choices);
    const QSignalBlocker block(m_box);
    m_box->clear();
    for (const SourceChoice &c : m_choices)
        m_box->addItem(c.id.isEmpty() ? tr("any, by signal") : c.id);
    m_box->setCurrentIndex(std::max(indexOf(selected), 0));
    m_box->view()->setMinimumWidth(m_box->view()->sizeHintForColumn(0) + 8); // the list shows long ids whole
    showName();
    setVisible(offersChoice());
}

bool SourcePicker::select(const QString &id)
{
    const int index = indexOf(id);
    if (index >= 0)
        m_box->setCurrentIndex(index);
    return index >= 0;
}

int SourcePicker::indexOf(const QString &id) const
{
    for (std::size_t i = 0; i < m_choices.size(); ++i)
        if (m_choices[i].id == id)
            return static_cast<int>(i);
    return -1;
}

QString SourcePicker::currentId() const
{
    const int index = m_box->currentIndex();
    return index >= 0 ? m_choices[static_cast<std::size_t>(index)].id : QString();
}

// whole in the tooltip, as the box may cut a long id short (review)
void SourcePicker::showName()
{
    m_box->setToolTip(tr("The workspace's source this view reads: %1").arg(currentName()));
}

QString SourcePicker::currentName() const
{
    return m_box->currentText();
}

DataSourcePtr SourcePicker::current() const
{
    const int index = m_box->currentIndex();
    return index >= 0 ? m_choices[static_cast<std::size_t>(index)].source : nullptr;
}

} // namespace fd

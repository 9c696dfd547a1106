#include "IncidentsView.h"
#include "IncidentForm.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace fd {

QString incidentLabel(const Incident &i)
{
    return QStringLiteral("%1 · %2 · %3").arg(QString::fromStdString(i.severity), QString::fromStdString(i.status),
                                              QString::fromStdString(i.title));
}

IncidentsView::IncidentsView(QWidget *parent)
    : QWidget(parent)
    , m_items(new QStandardItemModel(this))
{
    m_list = new QListView(this);
    m_list->setModel(m_items);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_form = new IncidentForm(this);
    m_empty = new QLabel(tr("No incident yet. Create one with <b>New incident</b>, or from an anomaly on the board "
                            "(<i>Create incident</i> in its side panel)."), this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);

    auto *newButton = new QPushButton(tr("New incident"), this);
    m_delete = new QPushButton(tr("Delete"), this);
    m_export = new QPushButton(tr("Export report…"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>Incidents</b>"), left));
    leftLayout->addWidget(m_list);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_form, 1);
    rightLayout->addWidget(m_empty, 1);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setSizes({260, 900});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);

    connect(newButton, &QPushButton::clicked, this, &IncidentsView::onNew);
    connect(m_delete, &QPushButton::clicked, this, &IncidentsView::onDelete);
    connect(m_export, &QPushButton::clicked, this, [this] { Q_EMIT exportRequested(m_current); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &index) { setCurrentIndex(index.row()); });
    connect(m_form, &IncidentForm::edited, this, [this] {
        takeFormEdits();
        Q_EMIT incidentsEdited();
    });
    connect(m_form, &IncidentForm::openEntry, this, &IncidentsView::openEntry);
    updateButtons();
}

void IncidentsView::setIncidents(std::vector<Incident> incidents)
{
    m_incidents = std::move(incidents);
    m_current = -1;
    fillList();
    setCurrentIndex(m_incidents.empty() ? -1 : 0);
}

void IncidentsView::fillList()
{
    const QSignalBlocker blocker(m_list->selectionModel());
    m_items->clear();
    for (const Incident &i : m_incidents) {
        auto *item = new QStandardItem(incidentLabel(i));
        item->setToolTip(QString::fromStdString(i.summary));
        if (i.status == "open") {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
        m_items->appendRow(item);
    }
    if (m_current >= 0)
        m_list->setCurrentIndex(m_items->index(m_current, 0));
}

void IncidentsView::setCurrentIndex(int index)
{
    if (index >= static_cast<int>(m_incidents.size()))
        index = -1;
    m_current = index;
    if (index >= 0) {
        m_form->setIncident(m_incidents[static_cast<std::size_t>(index)]);
        const QSignalBlocker blocker(m_list->selectionModel());
        m_list->setCurrentIndex(m_items->index(index, 0));
    }
    updateButtons();
}

void IncidentsView::updateButtons()
{
    const bool any = m_current >= 0;
    m_form->setVisible(any);
    m_empty->setVisible(!any);
    m_delete->setEnabled(any);
    m_export->setEnabled(any);
}

void IncidentsView::takeFormEdits()
{
    if (m_current < 0)
        return;
    Incident edited = m_form->incident();
    if (edited.title.empty())
        edited.title = m_incidents[static_cast<std::size_t>(m_current)].title; // a title is required; keep the old
    m_incidents[static_cast<std::size_t>(m_current)] = std::move(edited);
    m_items->item(m_current)->setText(incidentLabel(m_incidents[static_cast<std::size_t>(m_current)]));
}

int IncidentsView::addIncident(Incident incident)
{
    incident.title = uniqueIncidentTitle(m_incidents, incident.title.empty() ? std::string("Incident") : incident.title);
    m_incidents.insert(m_incidents.begin(), std::move(incident)); // newest first
    m_current = 0;
    fillList();
    setCurrentIndex(0);
    Q_EMIT incidentsEdited();
    return 0;
}

void IncidentsView::addEntry(int index, IncidentEntry entry)
{
    if (index < 0 || index >= static_cast<int>(m_incidents.size()))
        return;
    m_incidents[static_cast<std::size_t>(index)].addEntry(std::move(entry));
    if (index == m_current)
        m_form->setIncident(m_incidents[static_cast<std::size_t>(index)]);
    Q_EMIT incidentsEdited();
}

void IncidentsView::onNew()
{
    Incident i;
    i.title = "New incident";
    i.start = nowNs();
    addIncident(std::move(i));
}

void IncidentsView::onDelete()
{
    if (m_current < 0)
        return;
    const Incident &i = m_incidents[static_cast<std::size_t>(m_current)];
    if (QMessageBox::question(this, tr("Delete incident"),
                              tr("Delete the incident \"%1\" and its timeline?").arg(QString::fromStdString(i.title)))
        != QMessageBox::Yes)
        return;
    m_incidents.erase(m_incidents.begin() + m_current);
    m_current = m_incidents.empty() ? -1 : 0;
    fillList();
    setCurrentIndex(m_current);
    Q_EMIT incidentsEdited();
}

} // namespace fd

#pragma once
#include "models/Incident.h"
#include <QWidget>

class QLabel;
class QListView;
class QPushButton;
class QStandardItemModel;

namespace fd {

class IncidentForm;

// The workspace's incidents: a list (newest first, open ones marked) and the chosen one's form and
// timeline. New, Delete and Export report...; every edit is reported with incidentsEdited().
class IncidentsView : public QWidget
{
    Q_OBJECT
public:
    explicit IncidentsView(QWidget *parent = nullptr);

    void setIncidents(std::vector<Incident> incidents);
    const std::vector<Incident> &incidents() const { return m_incidents; }
    int currentIndex() const { return m_current; }
    void setCurrentIndex(int index);
    // Adds and selects it; returns its index.
    int addIncident(Incident incident);
    void addEntry(int index, IncidentEntry entry);
    IncidentForm *form() const { return m_form; }
    QListView *listView() const { return m_list; }

Q_SIGNALS:
    void incidentsEdited();
    void openEntry(const IncidentEntry &entry);
    void exportRequested(int index);

private:
    void fillList();
    void takeFormEdits();
    void onNew();
    void onDelete();
    void updateButtons();

    std::vector<Incident> m_incidents;
    int m_current = -1;
    QStandardItemModel *m_items = nullptr;
    QListView *m_list = nullptr;
    IncidentForm *m_form = nullptr;
    QLabel *m_empty = nullptr;
    QPushButton *m_delete = nullptr;
    QPushButton *m_export = nullptr;
};

// "SEV2 · open · Login success dropped"
QString incidentLabel(const Incident &incident);

} // namespace fd

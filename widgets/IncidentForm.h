#pragma once
#include "models/Incident.h"
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTreeView;

namespace fd {

class IncidentTimelineModel;

// One incident, editable: title, severity, status, owner, service, start and end (UTC), summary,
// impact, cause, action items, and its timeline (edit in place, add a note, remove; a chart snapshot
// shows below). Double-clicking an entry asks to open what it refers to.
class IncidentForm : public QWidget
{
    Q_OBJECT
public:
    explicit IncidentForm(QWidget *parent = nullptr);

    void setIncident(const Incident &incident);
    Incident incident() const; // with the edits
    IncidentTimelineModel *timelineModel() const { return m_timeline; }
    QTreeView *timelineView() const { return m_timelineView; }
    void addNote(const QString &title, const QString &text, TimeNs time);

Q_SIGNALS:
    void edited();
    void openEntry(const IncidentEntry &entry);

private:
    QWidget *buildFields();
    QWidget *buildTimeline();
    void setEnd(TimeNs end);
    void showEntryPicture();
    void onAddNote();
    void onRemoveEntry();

    bool m_filling = false; // setIncident() is not an edit
    QLineEdit *m_title = nullptr;
    QComboBox *m_severity = nullptr;
    QComboBox *m_status = nullptr;
    QLineEdit *m_owner = nullptr;
    QLineEdit *m_service = nullptr;
    QDateTimeEdit *m_start = nullptr;
    QDateTimeEdit *m_end = nullptr;
    QCheckBox *m_ended = nullptr;
    QPlainTextEdit *m_summary = nullptr;
    QPlainTextEdit *m_impact = nullptr;
    QPlainTextEdit *m_cause = nullptr;
    QPlainTextEdit *m_actions = nullptr;
    IncidentTimelineModel *m_timeline = nullptr;
    QTreeView *m_timelineView = nullptr;
    QLabel *m_picture = nullptr;
};

// QDateTime in UTC from and to TimeNs (millisecond precision).
QDateTime utcDateTime(TimeNs t);
TimeNs timeNs(const QDateTime &dt);

} // namespace fd

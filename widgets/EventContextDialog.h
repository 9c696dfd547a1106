#pragma once
#include "models/DataSource.h"

#include <QDialog>

class QLabel;
class QTableView;

namespace fd {

class EventTableModel;
class JobRunner;

// The neighbouring events of one service around a selected event, the selected one marked, loaded
// off the GUI thread. Non-modal: the user keeps working in the Events view next to it.
class EventContextDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kBefore = 20;
    static constexpr int kAfter = 20;

    explicit EventContextDialog(QWidget *parent = nullptr);
    ~EventContextDialog() override;

    // The record as EventTableModel::record() gives it (time as RFC 3339).
    void load(DataSourcePtr source, const Query &base, const Json &record);
    EventTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    int markedRow() const { return m_marked; }

Q_SIGNALS:
    void loaded();

private:
    JobRunner *m_runner;
    EventTableModel *m_model;
    QLabel *m_title;
    QTableView *m_table;
    int m_marked = -1;
};

} // namespace fd

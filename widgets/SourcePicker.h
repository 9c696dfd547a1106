#pragma once
#include "models/DataSource.h"
#include <QWidget>
#include <vector>

class QComboBox;

namespace fd {

// A source a view can read from: its id in the workspace, and the source itself. The empty id is the
// workspace's sources together, each query sent to the one that holds its signal (shown "any, by signal").
struct SourceChoice {
    QString id;
    DataSourcePtr source;
};

// "source [▾]": which of a workspace's sources a view reads. Hidden while there is only one to pick.
class SourcePicker : public QWidget
{
    Q_OBJECT
public:
    explicit SourcePicker(QWidget *parent = nullptr);

    // Picks `selected` when it is one of them, else the first; says nothing (the view sets its source itself).
    void setChoices(std::vector<SourceChoice> choices, const QString &selected = {});
    // Picks the choice of this id, as the person would but without running anything; false when there is none.
    bool select(const QString &id);
    QString currentId() const;
    QString currentName() const; // as the list shows it
    DataSourcePtr current() const;
    bool offersChoice() const { return m_choices.size() > 1; }
    // Whether the view's queries name the source picked: in a workspace of several sources, so that a query handed
    // to another view or saved runs there on the same source (even where this view had one to pick).
    void setNamesSource(bool names) { m_namesSource = names; }
    // The source a view's query names: the one picked, or none ("any, by signal", or the workspace's one source).
    std::string queryId() const { return m_namesSource ? currentId().toStdString() : std::string(); }

Q_SIGNALS:
    void sourceChanged(const DataSourcePtr &source); // by select() or by the person
    void picked(); // by the person, after sourceChanged: views run their query again

private:
    int indexOf(const QString &id) const;
    void showName();

    QComboBox *m_box = nullptr;
    std::vector<SourceChoice> m_choices;
    bool m_namesSource = false;
};

} // namespace fd

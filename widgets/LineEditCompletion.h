#pragma once
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

class QCompleter;
class QLineEdit;
class QStandardItemModel;

namespace fd {

class FieldCompletion;

// Completion for a search form's line edit from a FieldCompletion (names and values asked of the source
// off the GUI thread). With a field ("service.name"), the edit holds one value of it and typing offers
// the field's values that contain the text; without one, it holds conditions ("http.route = /checkout
// and retry > 0", as parseWhereList reads them) and typing offers field names, operators, the values of
// the condition's field, then "and", as the query bar reads a sentence's where clause.
class LineEditCompletion : public QObject
{
    Q_OBJECT
public:
    LineEditCompletion(QLineEdit *edit, FieldCompletion *fields, const QString &field = {});

    QCompleter *completer() const { return m_completer; }
    // Fills the list for the text and cursor of the edit and opens it when something fits.
    void update();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Kind { Field, Operator, Value, Clause };
    struct Items {
        QStringList texts;
        Kind kind = Kind::Value;
        int replaceStart = 0; // the choice replaces [replaceStart, cursor)
        QHash<QString, qint64> counts; // of values, where the source counted them
        QString prefix;
        bool awaiting = false; // the source's names or values are on their way
    };
    Items items() const;
    void insert(const QString &text);
    void onAnswer();

    QLineEdit *m_edit;
    FieldCompletion *m_fields;
    QString m_field;
    QCompleter *m_completer;
    QStandardItemModel *m_model;
    bool m_awaiting = false;
    bool m_picked = false; // an item chosen with the arrows since the list opened: Enter takes it, else runs
};

} // namespace fd

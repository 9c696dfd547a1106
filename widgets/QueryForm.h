#pragma once
#include "models/Query.h"
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace fd {

// Edits one Query as a form: source, signal, filters, search, aggregate and interval, or a native
// query. Parses as the user types and shows the first problem under the form.
class QueryForm : public QWidget
{
    Q_OBJECT
public:
    // sourceIds: the workspace's sources; an empty source means the workspace's first one.
    explicit QueryForm(const QStringList &sourceIds, QWidget *parent = nullptr);

    void setQuery(const Query &query);
    // The edited query; meaningful while error() is empty.
    Query query() const { return m_query; }
    // Empty when the form holds a valid query, else what is wrong.
    QString error() const { return m_error; }

    QComboBox *sourceBox() const { return m_source; }
    QComboBox *signalBox() const { return m_signal; }
    QLineEdit *whereEdit() const { return m_where; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *aggregateBox() const { return m_aggregate; }
    QLineEdit *intervalEdit() const { return m_interval; }
    QCheckBox *nativeBox() const { return m_native; }
    QPlainTextEdit *nativeEdit() const { return m_raw; }

Q_SIGNALS:
    void changed();

private:
    void buildUi(const QStringList &sourceIds);
    void update();
    Query parse() const; // throws fd::Error
    void selectSource(const std::string &id);

    QStringList m_sourceIds;
    Query m_query; // also keeps what the form does not show (group by, limit)
    QString m_error;
    bool m_loading = false;
    QComboBox *m_source = nullptr;
    QComboBox *m_signal = nullptr;
    QLineEdit *m_where = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_aggregate = nullptr;
    QLineEdit *m_interval = nullptr;
    QCheckBox *m_native = nullptr;
    QPlainTextEdit *m_raw = nullptr;
    QLabel *m_errorLabel = nullptr;
};

} // namespace fd

#pragma once
#include "models/Cancel.h"
#include "models/Credential.h"
#include "models/Workspace.h"
#include <QDialog>
#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace fd {

class JobRunner;

// The workspace's sources: type, URL (or path), tenant, TLS options, engine settings, and a
// credential whose secret goes to the system keychain (never the workspace file); the options
// without a field of their own stay editable as JSON. "Test connection" runs the tester off the GUI
// thread and shows what it answered.
class SourcesDialog : public QDialog
{
    Q_OBJECT
public:
    // Makes the source and asks it something cheap; returns a one-line summary, throws on failure.
    using Tester = std::function<std::string(const SourceConfig &, const CancelTokenPtr &)>;

    SourcesDialog(std::vector<SourceConfig> sources, std::shared_ptr<SecretStore> secrets, Tester tester,
                  QWidget *parent = nullptr);
    ~SourcesDialog() override;

    std::vector<SourceConfig> sources() const { return m_sources; }
    QString problem() const { return m_problem; }
    static const QStringList &sourceTypes();

    QListWidget *sourceList() const { return m_list; }
    QLineEdit *idEdit() const { return m_id; }
    QComboBox *typeBox() const { return m_type; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tenantEdit() const { return m_tenant; }
    QLineEdit *secretEdit() const { return m_secret; }
    QPlainTextEdit *optionsEdit() const { return m_options; }
    QPushButton *okButton() const { return m_ok; }
    QLabel *statusLabel() const { return m_status; }

public Q_SLOTS:
    void addSource();
    void removeSource();
    void storeSecret();
    void testConnection();

private:
    QWidget *buildForm();
    void showSource(int index);
    void takeEdits();
    void updateRows();
    void validate();
    void fillList(int current);
    void setStatus(const QString &text, bool error);

    std::vector<SourceConfig> m_sources;
    std::shared_ptr<SecretStore> m_secrets;
    Tester m_tester;
    int m_current = -1;
    bool m_filling = false;
    QString m_problem;
    QListWidget *m_list = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_id = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_path = nullptr;
    QLineEdit *m_tenant = nullptr;
    QLineEdit *m_index = nullptr;
    QLineEdit *m_timeField = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_caFile = nullptr;
    QCheckBox *m_skipVerify = nullptr;
    QLineEdit *m_timeout = nullptr;
    QLineEdit *m_credential = nullptr;
    QLineEdit *m_basicUser = nullptr;
    QLineEdit *m_secret = nullptr;
    QPlainTextEdit *m_options = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_ok = nullptr;
    JobRunner *m_runner = nullptr;
    // A keychain write of its own, so that Test does not cancel it; OK and Test wait for it (review: a Test right
    // after Store dropped the store's outcome and probed before the secret was there).
    JobRunner *m_storeRunner = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_storeButton = nullptr;
};

} // namespace fd

#include "SourcesDialog.h"
#include "ErrorLabel.h"
#include "JobRunner.h"
#include "models/SecretExposure.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace fd {

namespace {
// Options with a field of their own; the JSON box holds the rest.
constexpr const char *kFieldOptions[] = {"tenant", "index", "time_field", "database", "user", "ca_file", "tls_skip_verify", "timeout"};

bool usesUrl(const QString &type) { return type != QLatin1String("store") && type != QLatin1String("git"); }
bool usesTenant(const QString &type)
{
    return type == QLatin1String("loki") || type == QLatin1String("tempo") || type == QLatin1String("prometheus");
}
bool isSearchEngine(const QString &type) { return type == QLatin1String("elasticsearch") || type == QLatin1String("opensearch"); }

QString optionText(const Json &options, const char *key)
{
    const auto it = options.find(key);
    return it != options.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

void setOption(Json &options, const char *key, const QString &value)
{
    if (value.trimmed().isEmpty())
        options.erase(key);
    else
        options[key] = value.trimmed().toStdString();
}

QLineEdit *lineEdit(const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setPlaceholderText(placeholder);
    return edit;
}
} // namespace

const QStringList &SourcesDialog::sourceTypes()
{
    static const QStringList types = {QStringLiteral("store"), QStringLiteral("prometheus"), QStringLiteral("loki"),
                                      QStringLiteral("jaeger"), QStringLiteral("tempo"), QStringLiteral("elasticsearch"),
                                      QStringLiteral("opensearch"), QStringLiteral("clickhouse"), QStringLiteral("git")};
    return types;
}

SourcesDialog::SourcesDialog(std::vector<SourceConfig> sources, std::shared_ptr<SecretStore> secrets, Tester tester,
                             QWidget *parent)
    : QDialog(parent)
    , m_sources(std::move(sources))
    , m_secrets(std::move(secrets))
    , m_tester(std::move(tester))
    , m_runner(new JobRunner(this))
    , m_storeRunner(new JobRunner(this))
{
    setWindowTitle(tr("Sources"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("sources"));
    auto *add = new QPushButton(tr("Add"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *listButtons = new QHBoxLayout;
    listButtons->addWidget(add);
    listButtons->addWidget(remove);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addLayout(listButtons);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(buildForm());
    splitter->setSizes({180, 520});

    m_status = makeErrorLabel(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(760, 560);

    connect(add, &QPushButton::clicked, this, &SourcesDialog::addSource);
    connect(remove, &QPushButton::clicked, this, &SourcesDialog::removeSource);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!m_filling)
            showSource(row);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    fillList(m_sources.empty() ? -1 : 0);
}

SourcesDialog::~SourcesDialog() = default;

QWidget *SourcesDialog::buildForm()
{
    auto *box = new QWidget(this);
    m_form = new QFormLayout(box);
    m_id = lineEdit(tr("a short name, e.g. prom"), box);
    m_type = new QComboBox(box);
    m_type->addItems(sourceTypes());
    m_url = lineEdit(QStringLiteral("http://127.0.0.1:9090"), box);
    m_path = lineEdit(tr("store file or git clone, relative to the workspace"), box);
    m_tenant = lineEdit(tr("sent as X-Scope-OrgID"), box);
    m_index = lineEdit(QStringLiteral("logs-*"), box);
    m_timeField = lineEdit(QStringLiteral("@timestamp"), box);
    m_database = lineEdit(QStringLiteral("default"), box);
    m_user = lineEdit(QStringLiteral("default"), box);
    m_caFile = lineEdit(tr("PEM file; empty: the system's CAs"), box);
    m_skipVerify = new QCheckBox(tr("Do not verify the server's certificate (unsafe)"), box);
    m_timeout = lineEdit(QStringLiteral("30s"), box);
    m_credential = lineEdit(tr("keychain entry name; empty: no authentication"), box);
    m_basicUser = lineEdit(tr("for basic auth; empty: bearer token"), box);
    m_secret = lineEdit(tr("token or password (stored in the keychain only)"), box);
    m_secret->setEchoMode(QLineEdit::Password);
    auto *storeSecret = new QPushButton(tr("Store in keychain"), box);
    m_storeButton = storeSecret;
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(storeSecret);
    m_options = new QPlainTextEdit(box);
    m_options->setPlaceholderText(tr("Other options as JSON, e.g. {\"headers\": {\"X-Team\": \"web\"}}"));
    m_options->setFixedHeight(m_options->fontMetrics().lineSpacing() * 5 + 12);
    auto *test = new QPushButton(tr("Test connection"), box);
    m_test = test;
    test->setObjectName(QStringLiteral("testButton"));

    m_form->addRow(tr("Id"), m_id);
    m_form->addRow(tr("Type"), m_type);
    m_form->addRow(tr("URL"), m_url);
    m_form->addRow(tr("Path"), m_path);
    m_form->addRow(tr("Tenant"), m_tenant);
    m_form->addRow(tr("Index pattern"), m_index);
    m_form->addRow(tr("Time field"), m_timeField);
    m_form->addRow(tr("Database"), m_database);
    m_form->addRow(tr("User"), m_user);
    m_form->addRow(tr("CA file"), m_caFile);
    m_form->addRow(QString(), m_skipVerify);
    m_form->addRow(tr("Timeout"), m_timeout);
    m_form->addRow(tr("Credential"), m_credential);
    m_form->addRow(tr("Basic user"), m_basicUser);
    m_form->addRow(tr("Secret"), secretRow);
    m_form->addRow(tr("Options"), m_options);
    m_form->addRow(QString(), test);

    for (QLineEdit *e : {m_id, m_url, m_path, m_tenant, m_index, m_timeField, m_database, m_user, m_caFile, m_timeout, m_credential})
        connect(e, &QLineEdit::textChanged, this, &SourcesDialog::takeEdits);
    connect(m_type, &QComboBox::currentTextChanged, this, &SourcesDialog::takeEdits);
    connect(m_skipVerify, &QCheckBox::toggled, this, &SourcesDialog::takeEdits);
    connect(m_options, &QPlainTextEdit::textChanged, this, &SourcesDialog::takeEdits);
    connect(storeSecret, &QPushButton::clicked, this, &SourcesDialog::storeSecret);
    connect(test, &QPushButton::clicked, this, &SourcesDialog::testConnection);
    return box;
}

void SourcesDialog::fillList(int current)
{
    m_filling = true;
    m_list->clear();
    for (const SourceConfig &s : m_sources)
        m_list->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.id), QString::fromStdString(s.type)));
    m_list->setCurrentRow(current);
    m_filling = false;
    showSource(current);
}

void SourcesDialog::showSource(int index)
{
    m_current = index;
    const bool any = index >= 0 && index < static_cast<int>(m_sources.size());
    for (QWidget *w : m_form->parentWidget()->findChildren<QWidget *>())
        w->setEnabled(any);
    if (m_storeRunner->busy()) { // a keychain write under way is waited for (review)
        m_test->setEnabled(false);
        m_storeButton->setEnabled(false);
    }
    if (!any) {
        validate();
        return;
    }
    const SourceConfig &s = m_sources[static_cast<std::size_t>(index)];
    m_filling = true;
    m_id->setText(QString::fromStdString(s.id));
    m_type->setCurrentText(QString::fromStdString(s.type));
    m_url->setText(QString::fromStdString(s.url));
    m_path->setText(QString::fromStdString(s.path));
    m_tenant->setText(optionText(s.options, "tenant"));
    m_index->setText(optionText(s.options, "index"));
    m_timeField->setText(optionText(s.options, "time_field"));
    m_database->setText(optionText(s.options, "database"));
    m_user->setText(optionText(s.options, "user"));
    m_caFile->setText(optionText(s.options, "ca_file"));
    m_skipVerify->setChecked(s.options.value("tls_skip_verify", false));
    m_timeout->setText(optionText(s.options, "timeout"));
    m_credential->setText(QString::fromStdString(s.credential));
    m_secret->clear();
    m_basicUser->clear();
    Json rest = s.options;
    for (const char *key : kFieldOptions)
        rest.erase(key);
    m_options->setPlainText(rest.empty() ? QString() : QString::fromStdString(rest.dump(2)));
    m_filling = false;
    updateRows();
    validate();
}

void SourcesDialog::updateRows()
{
    const QString type = m_type->currentText();
    const bool url = usesUrl(type);
    m_form->setRowVisible(m_url, url);
    m_form->setRowVisible(m_path, !url);
    m_form->setRowVisible(m_tenant, usesTenant(type));
    m_form->setRowVisible(m_index, isSearchEngine(type));
    m_form->setRowVisible(m_timeField, isSearchEngine(type));
    m_form->setRowVisible(m_database, type == QLatin1String("clickhouse"));
    m_form->setRowVisible(m_user, type == QLatin1String("clickhouse"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_caFile, m_skipVerify, m_timeout, m_credential, m_basicUser})
        m_form->setRowVisible(w, url);
    m_form->setRowVisible(m_form->rowCount() - 3, url); // the secret row
}

void SourcesDialog::takeEdits()
{
    if (m_filling || m_current < 0 || m_current >= static_cast<int>(m_sources.size()))
        return;
    SourceConfig &s = m_sources[static_cast<std::size_t>(m_current)];
    s.id = m_id->text().trimmed().toStdString();
    s.type = m_type->currentText().toStdString();
    s.url = usesUrl(m_type->currentText()) ? m_url->text().trimmed().toStdString() : std::string();
    s.path = usesUrl(m_type->currentText()) ? std::string() : m_path->text().trimmed().toStdString();
    s.credential = m_credential->text().trimmed().toStdString();
    QString error;
    const QString text = m_options->toPlainText().trimmed();
    Json options = text.isEmpty() ? Json::object() : parseJson(text.toStdString(), &error);
    if (!error.isEmpty() || !options.is_object()) {
        m_problem = tr("Options must be a JSON object%1").arg(error.isEmpty() ? QString() : QStringLiteral(": ") + error);
        m_ok->setEnabled(false);
        setStatus(m_problem, true);
        return;
    }
    setOption(options, "tenant", m_tenant->text());
    setOption(options, "index", m_index->text());
    setOption(options, "time_field", m_timeField->text());
    setOption(options, "database", m_database->text());
    setOption(options, "user", m_user->text());
    setOption(options, "ca_file", m_caFile->text());
    setOption(options, "timeout", m_timeout->text());
    if (m_skipVerify->isChecked())
        options["tls_skip_verify"] = true;
    s.options = std::move(options);
    m_list->item(m_current)->setText(QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.id), QString::fromStdString(s.type)));
    updateRows();
    validate();
}

void SourcesDialog::validate()
{
    m_problem.clear();
    for (std::size_t i = 0; i < m_sources.size() && m_problem.isEmpty(); ++i) {
        const SourceConfig &s = m_sources[i];
        const QString id = QString::fromStdString(s.id);
        if (s.id.empty())
            m_problem = tr("Source %1 needs an id").arg(i + 1);
        for (std::size_t j = 0; j < i && m_problem.isEmpty(); ++j)
            if (m_sources[j].id == s.id)
                m_problem = tr("Two sources are called \"%1\"").arg(id);
        const QString url = QString::fromStdString(s.url);
        if (m_problem.isEmpty() && usesUrl(QString::fromStdString(s.type))
            && !url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
            m_problem = tr("Source \"%1\" needs a URL starting with http:// or https://").arg(id);
        if (m_problem.isEmpty() && !usesUrl(QString::fromStdString(s.type)) && s.path.empty())
            m_problem = tr("Source \"%1\" needs a path").arg(id);
        if (const std::string secret = secretKeptBy(s); m_problem.isEmpty() && !secret.empty())
            m_problem = tr("Source \"%1\": %2").arg(id, QString::fromStdString(secret));
    }
    if (m_sources.empty())
        m_problem = tr("A workspace needs at least one source");
    m_ok->setEnabled(m_problem.isEmpty() && !m_storeRunner->busy()); // a keychain write under way is waited for
    setStatus(m_problem, true);
}

void SourcesDialog::setStatus(const QString &text, bool error)
{
    m_status->setStyleSheet(error ? QString() : QStringLiteral("color: #2e7d32"));
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void SourcesDialog::addSource()
{
    SourceConfig s;
    s.type = "prometheus";
    s.url = "http://127.0.0.1:9090";
    for (int n = 1; s.id.empty(); ++n) {
        const std::string id = "source" + std::to_string(n);
        if (std::none_of(m_sources.begin(), m_sources.end(), [&](const SourceConfig &o) { return o.id == id; }))
            s.id = id;
    }
    m_sources.push_back(std::move(s));
    fillList(static_cast<int>(m_sources.size()) - 1);
}

void SourcesDialog::removeSource()
{
    if (m_current < 0 || m_current >= static_cast<int>(m_sources.size()))
        return;
    m_sources.erase(m_sources.begin() + m_current);
    fillList(std::min(m_current, static_cast<int>(m_sources.size()) - 1));
}

void SourcesDialog::storeSecret()
{
    if (m_current < 0 || !m_secrets)
        return;
    if (m_credential->text().trimmed().isEmpty())
        m_credential->setText(QStringLiteral("flightdeck-") + m_id->text().trimmed());
    Credential c;
    c.secret = m_secret->text().toStdString();
    c.username = m_basicUser->text().trimmed().toStdString();
    c.kind = c.username.empty() ? Credential::Kind::Bearer : Credential::Kind::Basic;
    if (c.secret.empty()) {
        setStatus(tr("Type the token or password first"), true);
        return;
    }
    const std::string id = m_credential->text().trimmed().toStdString();
    const QString typed = m_secret->text();
    m_secret->clear();
    setStatus(tr("Storing the secret in the keychain…"), false);
    const auto storing = [this](bool on) { // OK, Test and another Store wait for the write (review)
        m_test->setEnabled(!on);
        m_storeButton->setEnabled(!on);
        if (on)
            m_ok->setEnabled(false);
        else if (m_current >= 0)
            takeEdits(); // an Options text that is no JSON still holds OK back (review)
        else
            validate();
    };
    storing(true);
    m_storeRunner->run<bool>(
        [secrets = m_secrets, id, json = credentialToJson(c)](const CancelTokenPtr &) {
            secrets->write(id, json);
            return true;
        },
        [this, id, storing](const bool &) {
            storing(false);
            setStatus(tr("Stored in the keychain as \"%1\"").arg(QString::fromStdString(id)), false);
        },
        [this, storing, typed, source = m_current](const QString &message) {
            storing(false);
            if (m_current == source)
                m_secret->setText(typed); // not lost: it can be stored again (never into another source's field)
            setStatus(tr("Could not store the secret: %1").arg(message), true);
        });
}

void SourcesDialog::testConnection()
{
    if (m_current < 0 || !m_tester)
        return;
    setStatus(tr("Testing…"), false);
    m_runner->run<std::string>(
        [tester = m_tester, source = m_sources[static_cast<std::size_t>(m_current)]](const CancelTokenPtr &cancel) {
            return tester(source, cancel);
        },
        [this](const std::string &summary) { setStatus(tr("OK: %1").arg(QString::fromStdString(summary)), false); },
        [this](const QString &message) { setStatus(tr("Failed: %1").arg(message), true); });
}

} // namespace fd

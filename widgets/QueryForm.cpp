#include "QueryForm.h"
#include "ErrorLabel.h"
#include "models/Error.h"
#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace fd {

QueryForm::QueryForm(const QStringList &sourceIds, QWidget *parent) : QWidget(parent), m_sourceIds(sourceIds)
{
    buildUi(sourceIds);
    setQuery({});
}

void QueryForm::buildUi(const QStringList &sourceIds)
{
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("source"));
    m_source->addItem(tr("(first source)"), QString());
    for (const QString &id : sourceIds)
        m_source->addItem(id, id);
    m_signal = new QComboBox(this);
    m_signal->setObjectName(QStringLiteral("signal"));
    for (Signal s : {Signal::Logs, Signal::Spans, Signal::Metrics})
        m_signal->addItem(QString::fromStdString(signalName(s)), static_cast<int>(s));
    m_where = new QLineEdit(this);
    m_where->setObjectName(QStringLiteral("where"));
    m_where->setPlaceholderText(tr("e.g. service.name = auth and http.response.status_code >= 500"));
    m_where->setClearButtonEnabled(true);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("text in the body (any case)"));
    m_aggregate = new QComboBox(this);
    m_aggregate->setObjectName(QStringLiteral("aggregate"));
    m_aggregate->setEditable(true);
    m_aggregate->addItems({QStringLiteral("count"), QStringLiteral("rate"), QStringLiteral("sum(value)"),
                           QStringLiteral("avg(duration_ms)"), QStringLiteral("p95(duration_ms)"),
                           QStringLiteral("count_distinct(service.name)")});
    m_aggregate->lineEdit()->setPlaceholderText(tr("count"));
    m_interval = new QLineEdit(this);
    m_interval->setObjectName(QStringLiteral("interval"));
    m_interval->setPlaceholderText(tr("automatic (e.g. 5m)"));
    m_native = new QCheckBox(tr("Native query (PromQL, …) instead of the fields above"), this);
    m_native->setObjectName(QStringLiteral("native"));
    m_raw = new QPlainTextEdit(this);
    m_raw->setObjectName(QStringLiteral("raw"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setPlaceholderText(QStringLiteral("sum(rate(http_requests_total{job=\"auth\"}[5m]))"));
    m_raw->setTabChangesFocus(true);
    m_raw->setFixedHeight(m_raw->fontMetrics().lineSpacing() * 3 + 12);
    m_errorLabel = makeErrorLabel(this);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Source"), m_source);
    form->addRow(tr("Signal"), m_signal);
    form->addRow(tr("Where"), m_where);
    form->addRow(tr("Search"), m_search);
    form->addRow(tr("Aggregate"), m_aggregate);
    form->addRow(tr("Interval"), m_interval);
    form->addRow(m_native);
    form->addRow(m_raw);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_errorLabel);

    for (QLineEdit *edit : {m_where, m_search, m_interval})
        connect(edit, &QLineEdit::textChanged, this, &QueryForm::update);
    connect(m_aggregate, &QComboBox::currentTextChanged, this, &QueryForm::update);
    for (QComboBox *box : {m_source, m_signal})
        connect(box, &QComboBox::currentIndexChanged, this, &QueryForm::update);
    connect(m_native, &QCheckBox::toggled, this, &QueryForm::update);
    connect(m_raw, &QPlainTextEdit::textChanged, this, &QueryForm::update);
}

void QueryForm::setQuery(const Query &query)
{
    m_loading = true;
    m_query = query;
    selectSource(query.source);
    m_signal->setCurrentIndex(m_signal->findData(static_cast<int>(query.signal)));
    m_where->setText(QString::fromStdString(whereListToText(query.where)));
    m_search->setText(QString::fromStdString(query.search));
    m_aggregate->setCurrentText(QString::fromStdString(query.agg.text()));
    m_interval->setText(query.interval > 0 ? formatDuration(query.interval) : QString());
    m_native->setChecked(!query.raw.empty());
    m_raw->setPlainText(QString::fromStdString(query.raw));
    m_loading = false;
    update();
}

// A source the workspace no longer has stays selectable, so that opening a tile never changes it.
void QueryForm::selectSource(const std::string &id)
{
    const QString text = QString::fromStdString(id);
    int index = m_source->findData(text);
    if (index < 0) {
        m_source->addItem(tr("%1 (not in the workspace)").arg(text), text);
        index = m_source->count() - 1;
    }
    m_source->setCurrentIndex(index);
}

Query QueryForm::parse() const
{
    Query q = m_query;
    q.source = m_source->currentData().toString().toStdString();
    if (!q.source.empty() && !m_sourceIds.contains(QString::fromStdString(q.source)))
        throw Error(tr("the workspace has no source \"%1\"").arg(QString::fromStdString(q.source)).toStdString());
    q.signal = static_cast<Signal>(m_signal->currentData().toInt());
    q.interval = 0;
    if (const QString text = m_interval->text().trimmed(); !text.isEmpty()) {
        const auto d = parseDuration(text);
        if (!d || *d <= 0)
            throw Error(tr("invalid interval \"%1\" (e.g. 30s, 5m, 1h)").arg(text).toStdString());
        q.interval = *d;
    }
    if (m_native->isChecked()) { // the native query wins: the disabled fields keep their last valid values
        q.raw = m_raw->toPlainText().trimmed().toStdString();
        if (q.raw.empty())
            throw Error(tr("the native query is empty").toStdString());
        return q;
    }
    q.raw.clear();
    try {
        q.where = parseWhereList(m_where->text().toStdString());
    } catch (const Error &e) {
        throw Error(tr("where: %1").arg(e.message()).toStdString());
    }
    q.search = m_search->text().trimmed().toStdString();
    q.agg = parseAggregate(m_aggregate->currentText().toStdString());
    return q;
}

void QueryForm::update()
{
    if (m_loading)
        return;
    const bool native = m_native->isChecked();
    m_raw->setVisible(native);
    for (QWidget *w : std::initializer_list<QWidget *>{m_where, m_search, m_aggregate})
        w->setEnabled(!native);
    try {
        m_query = parse();
        m_error.clear();
    } catch (const Error &e) {
        m_error = e.message();
    }
    m_errorLabel->setText(m_error);
    m_errorLabel->setVisible(!m_error.isEmpty());
    Q_EMIT changed();
}

} // namespace fd

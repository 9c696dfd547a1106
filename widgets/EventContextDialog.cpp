#include "EventContextDialog.h"
#include "EventTableLook.h"

#include "models/EventContext.h"
#include "models/EventTableModel.h"
#include "models/JobRunner.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace fd {

EventContextDialog::EventContextDialog(QWidget *parent)
    : QDialog(parent)
    , m_runner(new JobRunner(this))
    , m_model(new EventTableModel(this))
    , m_title(new QLabel(this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("eventContext"));
    setWindowTitle(tr("Event context"));
    m_title->setObjectName(QStringLiteral("contextTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_table->setObjectName(QStringLiteral("contextTable"));
    m_table->setModel(m_model);
    styleEventTable(m_table);
    const EventColumnWidths widths = eventColumnWidths(m_table->fontMetrics());
    m_table->setColumnWidth(EventTableModel::TimeColumn, widths.time);
    m_table->setColumnWidth(EventTableModel::SeverityColumn, widths.severity);
    m_table->setColumnWidth(EventTableModel::ServiceColumn, widths.service);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    resize(900, 520);
}

EventContextDialog::~EventContextDialog()
{
    m_runner->disconnect(this);
}

void EventContextDialog::load(DataSourcePtr source, const Query &base, const Json &record)
{
    // A source leaves a cell null where the event has no such field (value() would throw on it).
    const auto text = [&record](const char *key) {
        const auto it = record.find(key);
        return it != record.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string service = text("service.name"), body = text("body");
    const std::optional<TimeNs> t = parseTime(QString::fromStdString(text("time")), nowNs());
    m_marked = -1;
    m_model->setMarkedRow(-1);
    if (!source || !t) {
        m_title->setText(tr("This event has no time to look around."));
        return;
    }
    m_title->setText(tr("Loading the events of %1 around %2…").arg(QString::fromStdString(service), formatRfc3339(*t)));
    const TimeNs time = *t;
    m_runner->run<std::shared_ptr<const EventContext>>(
        [source, base, service, time, body](const CancelTokenPtr &cancel) {
            return std::make_shared<const EventContext>(
                loadEventContext(*source, base, service, time, body, kBefore, kAfter, cancel));
        },
        [this, service, time](const std::shared_ptr<const EventContext> &context) {
            m_model->setFrame(std::make_shared<const Frame>(context->rows));
            m_marked = context->selected;
            m_model->setMarkedRow(m_marked);
            m_title->setText(tr("%1 events of %2 around %3; the selected one is marked")
                                 .arg(m_model->rowCount())
                                 .arg(QString::fromStdString(service), formatRfc3339(time)));
            if (m_marked >= 0) {
                m_table->selectRow(m_marked);
                m_table->scrollTo(m_model->index(m_marked, 0), QAbstractItemView::PositionAtCenter);
            }
            Q_EMIT loaded();
        },
        [this](const QString &message) { m_title->setText(tr("Context: %1").arg(message)); });
}

} // namespace fd

#include "IncidentForm.h"
#include "models/IncidentTimelineModel.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimeZone>
#include <QTreeView>
#include <QVBoxLayout>

namespace fd {

QDateTime utcDateTime(TimeNs t) { return QDateTime::fromMSecsSinceEpoch(t / 1'000'000, QTimeZone::utc()); }
TimeNs timeNs(const QDateTime &dt) { return dt.toMSecsSinceEpoch() * 1'000'000; }

namespace {
QComboBox *choiceBox(const std::vector<std::string> &choices, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    for (const std::string &c : choices)
        box->addItem(QString::fromStdString(c));
    return box;
}

QDateTimeEdit *timeEdit(QWidget *parent)
{
    auto *edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    edit->setCalendarPopup(true);
    return edit;
}

QPlainTextEdit *textBox(const QString &placeholder, int lines, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setFixedHeight(edit->fontMetrics().lineSpacing() * lines + 12);
    return edit;
}

std::string str(const QLineEdit *e) { return e->text().trimmed().toStdString(); }
std::string str(const QPlainTextEdit *e) { return e->toPlainText().trimmed().toStdString(); }
} // namespace

IncidentForm::IncidentForm(QWidget *parent)
    : QWidget(parent)
    , m_timeline(new IncidentTimelineModel(this))
{
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildFields());
    splitter->addWidget(buildTimeline());
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    connect(m_timeline, &IncidentTimelineModel::edited, this, [this] {
        if (!m_filling)
            Q_EMIT edited();
    });
}

QWidget *IncidentForm::buildFields()
{
    auto *box = new QWidget(this);
    m_title = new QLineEdit(box);
    m_severity = choiceBox(incidentSeverities(), box);
    m_status = choiceBox(incidentStatuses(), box);
    m_owner = new QLineEdit(box);
    m_owner->setPlaceholderText(tr("who leads it"));
    m_service = new QLineEdit(box);
    m_start = timeEdit(box);
    m_end = timeEdit(box);
    m_ended = new QCheckBox(tr("Restored at"), box);
    m_summary = textBox(tr("What happened, in two sentences"), 2, box);
    m_impact = textBox(tr("Who was affected, how much, for how long"), 2, box);
    m_cause = textBox(tr("The cause, once known"), 2, box);
    m_actions = textBox(tr("One action item per line"), 3, box);

    auto *row = new QHBoxLayout;
    row->addWidget(m_severity);
    row->addWidget(m_status);
    row->addWidget(new QLabel(tr("Owner"), box));
    row->addWidget(m_owner, 1);
    row->addWidget(new QLabel(tr("Service"), box));
    row->addWidget(m_service, 1);
    // each time on a line of its own: side by side they had set the tab's narrowest width past a narrow window's
    auto *started = new QHBoxLayout;
    started->addWidget(m_start);
    started->addStretch(1);
    auto *restored = new QHBoxLayout;
    restored->addWidget(m_end);
    restored->addStretch(1);

    auto *form = new QFormLayout(box);
    form->addRow(tr("Title"), m_title);
    form->addRow(tr("Severity"), row);
    form->addRow(tr("Started"), started);
    form->addRow(m_ended, restored);
    form->addRow(tr("Summary"), m_summary);
    form->addRow(tr("Impact"), m_impact);
    form->addRow(tr("Cause"), m_cause);
    form->addRow(tr("Action items"), m_actions);

    const auto changed = [this] {
        m_end->setEnabled(m_ended->isChecked());
        if (!m_filling)
            Q_EMIT edited();
    };
    for (QLineEdit *e : {m_title, m_owner, m_service})
        connect(e, &QLineEdit::textEdited, this, changed);
    for (QComboBox *c : {m_severity, m_status})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QDateTimeEdit *d : {m_start, m_end})
        connect(d, &QDateTimeEdit::dateTimeChanged, this, changed);
    // a restore before the start made DORA's time to restore negative and the postmortem's "after" empty
    connect(m_start, &QDateTimeEdit::dateTimeChanged, m_end, &QDateTimeEdit::setMinimumDateTime);
    connect(m_ended, &QCheckBox::toggled, this, changed);
    for (QPlainTextEdit *t : {m_summary, m_impact, m_cause, m_actions})
        connect(t, &QPlainTextEdit::textChanged, this, changed);
    return box;
}

QWidget *IncidentForm::buildTimeline()
{
    auto *box = new QWidget(this);
    m_timelineView = new QTreeView(box);
    m_timelineView->setRootIsDecorated(false);
    m_timelineView->setAlternatingRowColors(true);
    m_timelineView->setModel(m_timeline);
    m_timelineView->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_timelineView->header()->setSectionResizeMode(IncidentTimelineModel::TextColumn, QHeaderView::Stretch);
    m_timelineView->header()->setStretchLastSection(true);
    m_timelineView->setColumnWidth(IncidentTimelineModel::TimeColumn, 150);
    m_timelineView->setColumnWidth(IncidentTimelineModel::KindColumn, 80);
    m_timelineView->setColumnWidth(IncidentTimelineModel::TitleColumn, 320);
    m_picture = new QLabel(box);
    m_picture->setVisible(false);
    m_picture->setAlignment(Qt::AlignCenter);

    auto *addNote = new QPushButton(tr("Add note"), box);
    auto *remove = new QPushButton(tr("Remove entry"), box);
    auto *buttons = new QHBoxLayout;
    auto *heading = new QLabel(tr("<b>Timeline</b> (double-click opens what an entry refers to; F2 edits)"), box);
    heading->setWordWrap(true); // on one line it had set the tab's narrowest width past a narrow window's
    buttons->addWidget(heading, 1);
    buttons->addWidget(addNote);
    buttons->addWidget(remove);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_timelineView, 1);
    layout->addWidget(m_picture);

    connect(addNote, &QPushButton::clicked, this, &IncidentForm::onAddNote);
    connect(remove, &QPushButton::clicked, this, &IncidentForm::onRemoveEntry);
    connect(m_timelineView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &IncidentForm::showEntryPicture);
    connect(m_timelineView, &QTreeView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            Q_EMIT openEntry(m_timeline->entry(index.row()));
    });
    return box;
}

void IncidentForm::setIncident(const Incident &i)
{
    m_filling = true;
    m_title->setText(QString::fromStdString(i.title));
    m_severity->setCurrentText(QString::fromStdString(i.severity));
    m_status->setCurrentText(QString::fromStdString(i.status));
    m_owner->setText(QString::fromStdString(i.owner));
    m_service->setText(QString::fromStdString(i.service));
    m_start->setDateTime(utcDateTime(i.start));
    setEnd(i.end);
    m_summary->setPlainText(QString::fromStdString(i.summary));
    m_impact->setPlainText(QString::fromStdString(i.impact));
    m_cause->setPlainText(QString::fromStdString(i.cause));
    QStringList actions;
    for (const std::string &a : i.actionItems)
        actions << QString::fromStdString(a);
    m_actions->setPlainText(actions.join(QLatin1Char('\n')));
    m_timeline->setTimeline(i.timeline);
    m_picture->setVisible(false);
    m_filling = false;
}

void IncidentForm::setEnd(TimeNs end)
{
    m_ended->setChecked(end != 0);
    m_end->setEnabled(end != 0);
    const QDateTime shown = utcDateTime(end ? end : m_start->dateTime().toMSecsSinceEpoch() * 1'000'000);
    // a hand-edited end before the start is shown as it is, not moved to the start unsaid (review); a start the
    // person changes keeps the end from going before it again
    m_end->setMinimumDateTime(std::min(shown, m_start->dateTime()));
    m_end->setDateTime(shown);
}

Incident IncidentForm::incident() const
{
    Incident i;
    i.title = str(m_title);
    i.severity = m_severity->currentText().toStdString();
    i.status = m_status->currentText().toStdString();
    i.owner = str(m_owner);
    i.service = str(m_service);
    i.start = timeNs(m_start->dateTime());
    i.end = m_ended->isChecked() ? timeNs(m_end->dateTime()) : 0;
    i.summary = str(m_summary);
    i.impact = str(m_impact);
    i.cause = str(m_cause);
    for (const QString &line : m_actions->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!line.trimmed().isEmpty())
            i.actionItems.push_back(line.trimmed().toStdString());
    i.timeline = m_timeline->timeline();
    return i;
}

void IncidentForm::addNote(const QString &title, const QString &text, TimeNs time)
{
    const int row = m_timeline->addEntry({time, "note", title.toStdString(), text.toStdString(), Json::object(), {}});
    m_timelineView->setCurrentIndex(m_timeline->index(row, IncidentTimelineModel::TitleColumn));
}

void IncidentForm::onAddNote()
{
    addNote(tr("Note"), QString(), nowNs());
    m_timelineView->edit(m_timelineView->currentIndex());
}

void IncidentForm::onRemoveEntry()
{
    m_timeline->removeEntry(m_timelineView->currentIndex().row());
}

void IncidentForm::showEntryPicture()
{
    const QModelIndex current = m_timelineView->currentIndex();
    QPixmap picture;
    if (current.isValid() && !m_timeline->entry(current.row()).image.empty())
        picture.loadFromData(QByteArray::fromBase64(QByteArray::fromStdString(m_timeline->entry(current.row()).image)), "PNG");
    m_picture->setVisible(!picture.isNull());
    if (!picture.isNull())
        m_picture->setPixmap(picture.scaledToHeight(std::min(picture.height(), 220), Qt::SmoothTransformation));
}

} // namespace fd

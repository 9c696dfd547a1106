#include "TimeRangePicker.h"
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>

namespace fd {
namespace {

struct Preset {
    const char *label;
    const char *from;
};

constexpr Preset kPresets[] = {
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 15 minutes"), "now-15m"},
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 1 hour"), "now-1h"},
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 6 hours"), "now-6h"},
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 24 hours"), "now-24h"},
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 2 days"), "now-2d"},
    {QT_TRANSLATE_NOOP("fd::TimeRangePicker", "Last 7 days"), "now-7d"},
};

const QString kDateFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

QDateTime toDateTime(TimeNs t)
{
    return QDateTime::fromMSecsSinceEpoch(t / 1'000'000);
}

TimeNs fromDateTime(const QDateTime &dt)
{
    return dt.toMSecsSinceEpoch() * 1'000'000;
}

QDateTimeEdit *makeEdit(TimeNs t, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(toDateTime(t), parent);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(kDateFormat);
    return edit;
}

} // namespace

TimeRangePicker::TimeRangePicker(QWidget *parent) : QWidget(parent)
{
    m_combo = new QComboBox(this);
    for (const Preset &p : kPresets)
        m_combo->addItem(tr(p.label), QString::fromLatin1(p.from));
    m_combo->addItem(tr("Custom…"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setToolTip(tr("Time range"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    connect(m_combo, &QComboBox::activated, this, &TimeRangePicker::onActivated);
    syncCombo();
}

TimeRange TimeRangePicker::resolve(TimeNs now) const
{
    const auto from = parseTime(m_from, now);
    const auto to = parseTime(m_to, now);
    if (!from || !to || *from >= *to)
        return {now - kDay, now};
    return {*from, *to};
}

void TimeRangePicker::setRange(const QString &from, const QString &to)
{
    const QString f = from.trimmed(), t = to.trimmed();
    if (f == m_from && t == m_to)
        return;
    m_from = f;
    m_to = t;
    syncCombo();
    Q_EMIT rangeChanged();
}

QString TimeRangePicker::displayText() const
{
    return m_combo->currentText();
}

int TimeRangePicker::customIndex() const
{
    return m_combo->count() - 1;
}

void TimeRangePicker::onActivated(int index)
{
    if (index == customIndex()) {
        openCustomDialog();
        return;
    }
    setRange(m_combo->itemData(index).toString(), QStringLiteral("now"));
}

void TimeRangePicker::openCustomDialog()
{
    const TimeRange current = resolve(nowNs());
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Custom time range"));
    QDateTimeEdit *from = makeEdit(current.from, dialog);
    QDateTimeEdit *to = makeEdit(current.to, dialog);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    auto *form = new QFormLayout(dialog);
    form->addRow(tr("From"), from);
    form->addRow(tr("To"), to);
    form->addRow(buttons);

    const auto validate = [from, to, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(from->dateTime() < to->dateTime());
    };
    connect(from, &QDateTimeEdit::dateTimeChanged, dialog, validate);
    connect(to, &QDateTimeEdit::dateTimeChanged, dialog, validate);
    connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(dialog, &QDialog::accepted, this, [this, from, to] {
        setRange(formatRfc3339(fromDateTime(from->dateTime())), formatRfc3339(fromDateTime(to->dateTime())));
    });
    connect(dialog, &QDialog::rejected, this, &TimeRangePicker::syncCombo);
    dialog->open();
}

// Selects the preset that matches the text, or shows the custom range on the last item.
void TimeRangePicker::syncCombo()
{
    const QSignalBlocker blocker(m_combo);
    if (m_to == QLatin1String("now")) {
        for (int i = 0; i < customIndex(); ++i) {
            if (m_combo->itemData(i).toString() == m_from) {
                m_combo->setItemText(customIndex(), tr("Custom…"));
                m_combo->setCurrentIndex(i);
                return;
            }
        }
    }
    const TimeRange r = resolve(nowNs());
    const bool relative = m_from.startsWith(QLatin1String("now")) || m_to.startsWith(QLatin1String("now"));
    const QString text = relative ? m_from + QStringLiteral(" – ") + m_to
                                  : toDateTime(r.from).toString(kDateFormat) + QStringLiteral(" – ")
                                        + toDateTime(r.to).toString(kDateFormat);
    m_combo->setItemText(customIndex(), text);
    m_combo->setCurrentIndex(customIndex());
}

} // namespace fd

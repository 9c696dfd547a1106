#include "TimeRangePicker.h"
#include "TimeRangeDialog.h"
#include <QComboBox>
#include <QHBoxLayout>

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

// Typed ends, relative ones too (exploratory test: only absolute dates could be picked, "now-2h" not at all).
void TimeRangePicker::openCustomDialog()
{
    auto *dialog = new TimeRangeDialog(m_from, m_to, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { setRange(dialog->fromText(), dialog->toText()); });
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
    const TimeNs now = nowNs();
    const QString text = TimeRangeDialog::shownText(m_from, now) + QStringLiteral(" – ") + TimeRangeDialog::shownText(m_to, now);
    m_combo->setItemText(customIndex(), text);
    m_combo->setCurrentIndex(customIndex());
}

} // namespace fd

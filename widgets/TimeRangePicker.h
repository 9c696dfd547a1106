#pragma once
#include "models/Time.h"
#include <QWidget>

class QComboBox;

namespace fd {

// The toolbar's time range: presets (last 15 minutes … last 7 days) or a custom pair of times.
// The range is kept as text ("now-24h" / "now", or RFC 3339) so each refresh re-resolves "now".
class TimeRangePicker : public QWidget
{
    Q_OBJECT
public:
    explicit TimeRangePicker(QWidget *parent = nullptr);

    // Text that does not parse falls back to the last 24 hours.
    TimeRange resolve(TimeNs now) const;
    QString fromText() const { return m_from; }
    QString toText() const { return m_to; }
    // Any text parseTime() accepts; emits rangeChanged() when the range changed.
    void setRange(const QString &from, const QString &to);
    // What the picker shows, e.g. "Last 24 hours".
    QString displayText() const;

Q_SIGNALS:
    void rangeChanged();

private:
    void onActivated(int index);
    void openCustomDialog();
    void syncCombo();
    int customIndex() const;

    QComboBox *m_combo = nullptr;
    QString m_from = QStringLiteral("now-24h");
    QString m_to = QStringLiteral("now");
};

} // namespace fd

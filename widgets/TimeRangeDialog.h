#pragma once
#include "models/Time.h"
#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace fd {

// A custom time range typed as Grafana's is: each end relative to now ("now-2h", "now"), a local date and time
// ("2026-12-06 14:00:00"), RFC 3339 or Unix seconds. OK waits for a valid range, and the label below says what
// is wrong with it meanwhile.
class TimeRangeDialog : public QDialog
{
    Q_OBJECT
public:
    TimeRangeDialog(const QString &from, const QString &to, QWidget *parent = nullptr);

    // As TimeRangePicker keeps them: a relative time as typed, a local date and time as RFC 3339.
    QString fromText() const;
    QString toText() const;

    static const QString kLocalFormat; // "yyyy-MM-dd HH:mm:ss"
    // An end as the dialog shows it: a relative one as it is, any other as a local date and time.
    static QString shownText(const QString &kept, TimeNs now);

private:
    static QString keptText(const QString &typed);
    void validate();

    QLineEdit *m_from = nullptr;
    QLineEdit *m_to = nullptr;
    QLabel *m_problem = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace fd

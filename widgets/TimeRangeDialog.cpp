#include "TimeRangeDialog.h"
#include "ErrorLabel.h"
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace fd {

const QString TimeRangeDialog::kLocalFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

namespace {
bool isRelative(const QString &text)
{
    return text.trimmed().startsWith(QLatin1String("now"), Qt::CaseInsensitive);
}
} // namespace

TimeRangeDialog::TimeRangeDialog(const QString &from, const QString &to, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Custom time range"));
    const TimeNs now = nowNs();
    m_from = new QLineEdit(shownText(from, now), this);
    m_from->setObjectName(QStringLiteral("rangeFrom"));
    m_to = new QLineEdit(shownText(to, now), this);
    m_to->setObjectName(QStringLiteral("rangeTo"));
    for (QLineEdit *edit : {m_from, m_to}) {
        edit->setPlaceholderText(tr("now-2h, now, or %1").arg(kLocalFormat));
        edit->setMinimumWidth(edit->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00:00  now-30d")));
        connect(edit, &QLineEdit::textChanged, this, &TimeRangeDialog::validate);
    }
    m_problem = makeErrorLabel(this);
    m_problem->setObjectName(QStringLiteral("rangeProblem"));
    auto *hint = new QLabel(tr("Relative to now: now-2h, now-7d, now\nOr a local date and time: %1").arg(kLocalFormat), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("From"), m_from);
    form->addRow(tr("To"), m_to);
    form->addRow(hint);
    form->addRow(m_problem);
    form->addRow(m_buttons);
    validate();
}

QString TimeRangeDialog::shownText(const QString &kept, TimeNs now)
{
    if (isRelative(kept))
        return kept.trimmed();
    const std::optional<TimeNs> t = parseTime(kept, now);
    return t ? QDateTime::fromMSecsSinceEpoch(*t / kMillisecond).toString(kLocalFormat) : kept;
}

// A date and time without a zone is local, whichever of these forms it takes (review: parseTime read "2026-12-06 15:00"
// as UTC).
QString TimeRangeDialog::keptText(const QString &typed)
{
    const QString text = typed.trimmed();
    for (const QString &format : {kLocalFormat, QStringLiteral("yyyy-MM-dd HH:mm"), QStringLiteral("yyyy-MM-ddTHH:mm:ss"),
                                  QStringLiteral("yyyy-MM-ddTHH:mm"), QStringLiteral("yyyy-MM-dd")})
        if (const QDateTime local = QDateTime::fromString(text, format); local.isValid())
            return formatRfc3339(local.toMSecsSinceEpoch() * kMillisecond);
    return text;
}

QString TimeRangeDialog::fromText() const
{
    return keptText(m_from->text());
}

QString TimeRangeDialog::toText() const
{
    return keptText(m_to->text());
}

void TimeRangeDialog::validate()
{
    const TimeNs now = nowNs();
    QString fromError, toError;
    const std::optional<TimeNs> from = parseTime(fromText(), now, &fromError);
    const std::optional<TimeNs> to = parseTime(toText(), now, &toError);
    QString problem;
    if (!from)
        problem = tr("From: %1").arg(fromError);
    else if (!to)
        problem = tr("To: %1").arg(toError);
    else if (*from >= *to)
        problem = tr("From must come before To.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace fd

#include "FieldCompletion.h"
#include "JobRunner.h"
#include <algorithm>

namespace fd {

namespace {

QStringList fetchNames(const DataSourcePtr &source, Signal signal, const TimeRange &range, const CancelTokenPtr &cancel)
{
    QStringList out;
    for (const std::string &name : source->fieldNames(signal, {}, range, cancel))
        out << QString::fromStdString(name);
    return out;
}

QList<FieldValue> fetchValues(const DataSourcePtr &source, Signal signal, const std::string &field,
                              const TimeRange &range, const CancelTokenPtr &cancel)
{
    const std::vector<FieldValue> values = source->fieldValues(signal, field, {}, range, cancel);
    return QList<FieldValue>(values.begin(), values.end());
}

} // namespace

FieldCompletion::FieldCompletion(QObject *parent)
    : QObject(parent)
    , m_namesRunner(new JobRunner(this))
    , m_valuesRunner(new JobRunner(this))
{
}

QString FieldCompletion::valueCountNote() const
{
    Query q;
    q.signal = m_signal;
    const std::int64_t sample = m_source ? m_source->capabilitiesFor(q).valueSampleEvents : 0;
    return sample > 0 ? tr("counted in the newest %L1 events of the time range").arg(sample) : QString();
}

void FieldCompletion::setSource(DataSourcePtr source)
{
    m_source = std::move(source);
    clear();
}

void FieldCompletion::setSignal(Signal signal)
{
    if (signal != m_signal) {
        m_signal = signal;
        clear();
    }
}

namespace {
// A range relative to now, renewed by a run a little later ("last hour" a minute on): its fields and values are the
// ones cached (review: each Run had asked the source for them again).
bool movedOnSlightly(const TimeRange &before, const TimeRange &now)
{
    const DurationNs shift = now.to - before.to;
    return now.length() == before.length() && shift >= 0 && shift <= std::max(before.length() / 20, kMinute);
}
} // namespace

void FieldCompletion::setTimeRange(const TimeRange &range)
{
    if (range.from == m_range.from && range.to == m_range.to)
        return;
    m_range = range;
    if (!movedOnSlightly(m_filledFor, range)) // measured from the range cached, not the last run's (review)
        clear();
}

void FieldCompletion::clear()
{
    m_filledFor = m_range;
    m_namesRunner->cancel();
    m_valuesRunner->cancel();
    m_names.reset();
    m_namesAsked = false;
    m_values.clear();
    m_valuesAsked.clear();
}

std::optional<QStringList> FieldCompletion::names()
{
    if (!m_source)
        return QStringList();
    if (m_names || m_namesAsked)
        return m_names;
    m_namesAsked = true;
    m_namesRunner->run<QStringList>(
        [source = m_source, signal = m_signal, range = m_range](const CancelTokenPtr &cancel) {
            return fetchNames(source, signal, range, cancel);
        },
        [this](const QStringList &names) {
            m_names = names;
            Q_EMIT namesReady();
        },
        [this](const QString &) {
            m_names = QStringList(); // a source without field listing: offer what we know, do not ask again
            Q_EMIT namesReady();
        });
    return std::nullopt;
}

std::optional<QList<FieldValue>> FieldCompletion::values(const QString &field)
{
    if (const auto it = m_values.constFind(field); it != m_values.constEnd())
        return *it;
    if (!m_source)
        return QList<FieldValue>();
    if (m_valuesAsked == field)
        return std::nullopt;
    m_valuesAsked = field;
    auto done = [this, field](const QList<FieldValue> &values) {
        m_values.insert(field, values);
        m_valuesAsked.clear();
        Q_EMIT valuesReady(field);
    };
    m_valuesRunner->run<QList<FieldValue>>(
        [source = m_source, signal = m_signal, f = field.toStdString(), range = m_range](const CancelTokenPtr &cancel) {
            return fetchValues(source, signal, f, range, cancel);
        },
        done, [done](const QString &) { done({}); });
    return std::nullopt;
}

} // namespace fd

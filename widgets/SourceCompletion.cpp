#include "SourceCompletion.h"
#include "PromQlEditor.h"
#include "models/JobThreads.h"
#include <QFutureWatcher>
#include <QtConcurrent>

namespace fd {

namespace {

QStringList toQStringList(const std::vector<std::string> &names)
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(names.size()));
    for (const std::string &n : names)
        out << QString::fromStdString(n);
    return out;
}

} // namespace

SourceCompletion::SourceCompletion(PromQlEditor *editor, QObject *parent)
    : QObject(parent)
    , m_editor(editor)
{
    editor->setCompletionSource(this);
}

SourceCompletion::~SourceCompletion()
{
    cancelAll();
    if (m_editor)
        m_editor->setCompletionSource(nullptr);
}

void SourceCompletion::setSource(DataSourcePtr source, const TimeRange &range)
{
    if (source == m_source && range.from == m_range.from && range.to == m_range.to)
        return;
    cancelAll();
    m_source = std::move(source);
    m_range = range;
    if (m_editor)
        m_editor->clearCompletionCache();
}

void SourceCompletion::cancelAll()
{
    ++m_generation;
    for (const CancelTokenPtr &token : m_running)
        token->cancel();
    m_running.clear();
}

void SourceCompletion::requestMetricNames()
{
    fetchNames(
        [range = m_range](DataSource &s, const CancelTokenPtr &cancel) {
            std::vector<std::string> names;
            for (const FieldValue &v : s.fieldValues(Signal::Metrics, "__name__", {}, range, cancel))
                names.push_back(v.value);
            return names;
        },
        [](PromQlEditor *editor, const QStringList &names) { editor->setMetricNames(names); });
}

void SourceCompletion::requestLabelNames(const QString &metric)
{
    fetchNames([metric = metric.toStdString(), range = m_range](DataSource &s, const CancelTokenPtr &cancel) {
        return s.fieldNames(Signal::Metrics, metric, range, cancel);
    },
        [metric](PromQlEditor *editor, const QStringList &names) { editor->setLabelNames(metric, names); });
}

void SourceCompletion::requestLabelValues(const QString &label, const QString &metric)
{
    fetchNames(
        [label = label.toStdString(), metric = metric.toStdString(), range = m_range](DataSource &s, const CancelTokenPtr &cancel) {
            std::vector<std::string> values;
            for (const FieldValue &v : s.fieldValues(Signal::Metrics, label, metric, range, cancel))
                values.push_back(v.value);
            return values;
        },
        [label, metric](PromQlEditor *editor, const QStringList &values) { editor->setLabelValues(label, metric, values); });
}

void SourceCompletion::fetchNames(std::function<std::vector<std::string>(DataSource &, const CancelTokenPtr &)> fetch,
                                  std::function<void(PromQlEditor *, const QStringList &)> deliver)
{
    if (!m_source)
        return;
    auto token = makeCancelToken();
    m_running.push_back(token);
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<QStringList>(this);
    connect(watcher, &QFutureWatcher<QStringList>::finished, this, [this, watcher, token, generation, deliver] {
        watcher->deleteLater();
        std::erase(m_running, token);
        if (generation == m_generation && m_editor && !token->isCancelled())
            deliver(m_editor, watcher->result());
    });
    // A failed lookup just offers nothing: the query itself reports the server's trouble.
    watcher->setFuture(QtConcurrent::run(jobThreads(), [source = m_source, fetch, token]() -> QStringList {
        try {
            return toQStringList(fetch(*source, token));
        } catch (const std::exception &) {
            return {};
        }
    }));
}

} // namespace fd

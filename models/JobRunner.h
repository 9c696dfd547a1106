#pragma once
#include "Cancel.h"
#include "Error.h"
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>
#include <functional>
#include <memory>
#include <variant>

namespace fd {

// Runs one job at a time off the GUI thread. Starting a new job cancels the previous one, whose
// result is then dropped; the callbacks run on the GUI thread. Deleting the runner cancels its job.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    explicit JobRunner(QObject *parent = nullptr) : QObject(parent) {}
    ~JobRunner() override
    {
        // Dying with its owner: busyChanged would reach a half-destroyed receiver (UBSan saw it).
        blockSignals(true);
        cancel();
    }

    template <class R>
    void run(std::function<R(const CancelTokenPtr &)> work, std::function<void(const R &)> onDone,
             std::function<void(const QString &)> onError)
    {
        cancel();
        auto token = makeCancelToken();
        m_token = token;
        const quint64 id = ++m_jobId;
        using Outcome = std::variant<R, QString>;
        auto *watcher = new QFutureWatcher<Outcome>(this);
        connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, id, onDone, onError] {
            watcher->deleteLater();
            if (id != m_jobId)
                return; // superseded or cancelled
            m_token.reset();
            Q_EMIT busyChanged(false);
            const Outcome outcome = watcher->result();
            if (std::holds_alternative<R>(outcome))
                onDone(std::get<R>(outcome));
            else
                onError(std::get<QString>(outcome));
        });
        watcher->setFuture(QtConcurrent::run([work, token]() -> Outcome {
            try {
                return work(token);
            } catch (const Cancelled &) {
                return QStringLiteral("cancelled");
            } catch (const std::exception &e) {
                return QString::fromUtf8(e.what());
            }
        }));
        Q_EMIT busyChanged(true);
    }

    void cancel()
    {
        if (m_token) {
            m_token->cancel();
            m_token.reset();
            ++m_jobId;
            Q_EMIT busyChanged(false);
        }
    }
    bool busy() const { return m_token != nullptr; }

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    CancelTokenPtr m_token;
    quint64 m_jobId = 0;
};

} // namespace fd

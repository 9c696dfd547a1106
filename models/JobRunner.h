#pragma once
#include "Cancel.h"
#include "Error.h"
#include "JobThreads.h"
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent>
#include <functional>
#include <memory>
#include <variant>

namespace fd {

// Runs one job at a time off the GUI thread (on jobThreads()). Starting a new job cancels the previous one, whose
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
        runReporting<R, std::monostate>(
            [work = std::move(work)](const CancelTokenPtr &token, const std::function<void(std::monostate)> &) {
                return work(token);
            },
            {}, std::move(onDone), std::move(onError));
    }

    // As run, and `work` may hand over parts of its answer on the way (report, from any thread until `work` returns):
    // onProgress gets each on the GUI thread, in order and before onDone, unless the job was superseded or cancelled.
    template <class R, class P>
    void runReporting(std::function<R(const CancelTokenPtr &, const std::function<void(P)> &)> work,
                      std::function<void(const P &)> onProgress, std::function<void(const R &)> onDone,
                      std::function<void(const QString &)> onError)
    {
        cancel();
        auto token = makeCancelToken();
        m_token = token;
        const quint64 id = ++m_jobId;
        using Item = std::variant<P, R, QString>; // a part, the answer, or the error
        auto *watcher = new QFutureWatcher<Item>(this);
        if (onProgress) { // without it, the answer is not copied once more here
            connect(watcher, &QFutureWatcher<Item>::resultReadyAt, this, [this, watcher, id, onProgress](int index) {
                if (id != m_jobId)
                    return;
                const Item item = watcher->resultAt(index);
                if (item.index() == 0)
                    onProgress(std::get<0>(item));
            });
        }
        connect(watcher, &QFutureWatcher<Item>::finished, this, [this, watcher, id, onDone, onError] {
            watcher->deleteLater();
            if (id != m_jobId)
                return; // superseded or cancelled
            m_token.reset();
            Q_EMIT busyChanged(false);
            const QFuture<Item> future = watcher->future();
            const Item outcome = future.resultAt(future.resultCount() - 1);
            if (outcome.index() == 1)
                onDone(std::get<1>(outcome));
            else
                onError(std::get<2>(outcome));
        });
        watcher->setFuture(QtConcurrent::run(jobThreads(), [work = std::move(work), token](QPromise<Item> &promise) {
            const auto report = [&promise](P part) {
                promise.addResult(Item(std::in_place_index<0>, std::move(part)));
            };
            try {
                promise.addResult(Item(std::in_place_index<1>, work(token, report)));
            } catch (const Cancelled &) {
                promise.addResult(Item(std::in_place_index<2>, QStringLiteral("cancelled")));
            } catch (const std::exception &e) {
                promise.addResult(Item(std::in_place_index<2>, QString::fromUtf8(e.what())));
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

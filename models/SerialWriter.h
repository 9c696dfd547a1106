#pragma once
#include <QFuture>
#include <QObject>
#include <QThreadPool>
#include <functional>
#include <optional>

namespace fd {

// Writes files (the workspace and its recovery copy, a query history) on a thread of its own, one after
// another in the order asked: a workspace holding snapshots of a million rows takes a second to write, which
// the window must not wait for, and a later write must never be overtaken by an earlier one.
class SerialWriter : public QObject
{
    Q_OBJECT
public:
    explicit SerialWriter(QObject *parent = nullptr);
    ~SerialWriter() override; // waits for what was asked: each file is written atomically either way

    // `write` runs on the writer's thread; the future holds its error message, empty when it succeeded.
    QFuture<QString> enqueue(std::function<void()> write);
    // As enqueue; `onDone` also gets the error message (empty: written), on the GUI thread.
    QFuture<QString> enqueue(std::function<void()> write, std::function<void(const QString &)> onDone);
    bool busy() const;
    void waitForDone();
    // The last write asked for (finished when there is none), for another thread to wait on.
    QFuture<QString> lastWrite() const;

private:
    QThreadPool m_thread;
    std::optional<QFuture<QString>> m_last;
};

} // namespace fd

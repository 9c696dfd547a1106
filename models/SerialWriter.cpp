#include "SerialWriter.h"
#include <QFutureWatcher>
#include <QtConcurrent>
#include <exception>

namespace fd {

SerialWriter::SerialWriter(QObject *parent) : QObject(parent)
{
    m_thread.setMaxThreadCount(1); // one at a time, first come first written
}

SerialWriter::~SerialWriter() { waitForDone(); }

QFuture<QString> SerialWriter::enqueue(std::function<void()> write)
{
    m_last = QtConcurrent::run(&m_thread, [write = std::move(write)]() -> QString {
        try {
            write();
            return {};
        } catch (const std::exception &e) {
            return QString::fromUtf8(e.what());
        }
    });
    return *m_last;
}

QFuture<QString> SerialWriter::enqueue(std::function<void()> write, std::function<void(const QString &)> onDone)
{
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [watcher, onDone = std::move(onDone)] {
        watcher->deleteLater();
        onDone(watcher->result());
    });
    QFuture<QString> written = enqueue(std::move(write));
    watcher->setFuture(written);
    return written;
}

bool SerialWriter::busy() const { return m_last && !m_last->isFinished(); }

void SerialWriter::waitForDone() { m_thread.waitForDone(); }

QFuture<QString> SerialWriter::lastWrite() const { return m_last ? *m_last : QtFuture::makeReadyFuture(QString()); }

} // namespace fd

#include "FrameExport.h"
#include "JobRunner.h"
#include "SavePathDialog.h"
#include "models/FrameFileWriter.h"
#include <QProgressDialog>
#include <QTimer>
#include <atomic>

namespace fd {

namespace {
constexpr int kProgressSteps = 1000;
constexpr int kProgressPollMs = 200;

struct Written {
    qint64 rows = 0;
    bool truncated = false;
};
} // namespace

FrameExport::FrameExport(QWidget *parent)
    : QObject(parent)
    , m_parent(parent)
    , m_runner(new JobRunner(this))
{
    connect(m_runner, &JobRunner::busyChanged, this, &FrameExport::busyChanged);
}

QString FrameExport::choosePath(QWidget *parent, const QString &title, const QString &suggestedName)
{
    return askSavePath(parent, title, suggestedName, tr("JSON lines (*.jsonl);;CSV (*.csv)")); // the format follows the suffix
}

bool FrameExport::isBusy() const
{
    return m_runner->busy();
}

void FrameExport::start(const QString &path, std::function<FramePtr(const CancelTokenPtr &)> rows)
{
    startPaged(path, [rows = std::move(rows)](const CancelTokenPtr &cancel, const std::function<void(const Frame &)> &page) {
        const FramePtr frame = rows(cancel);
        page(*frame);
        return frame->truncated;
    });
}

void FrameExport::startPaged(const QString &path, PagedRows rows, qint64 expectedRows)
{
    if (isBusy())
        return; // one at a time: a second would take over the first's dialog and Cancel
    const QString name = QFileInfo(path).fileName();
    auto *progress = new QProgressDialog(tr("Exporting to %1…").arg(name), tr("Cancel"), 0,
        expectedRows > 0 ? kProgressSteps : 0, m_parent);
    progress->setWindowModality(Qt::WindowModal);
    progress->setAutoReset(false); // at its maximum (0: busy), it would reset and close
    progress->setAutoClose(false);
    progress->setValue(0); // the minimum duration counts from a value at the minimum, else it is 4 s
    progress->setMinimumDuration(300);
    connect(progress, &QProgressDialog::canceled, m_runner, &JobRunner::cancel);
    // The writer counts; the GUI reads the count on a timer, so that pages never flood the event loop.
    auto written = std::make_shared<std::atomic<qint64>>(0);
    auto *poll = new QTimer(progress);
    connect(poll, &QTimer::timeout, progress, [progress, written, name, expectedRows] {
        const qint64 n = written->load();
        progress->setLabelText(expectedRows > 0 ? tr("Exporting to %1… %L2 of %L3 rows").arg(name).arg(n).arg(expectedRows)
                                                : tr("Exporting to %1… %L2 rows").arg(name).arg(n));
        if (expectedRows > 0)
            progress->setValue(static_cast<int>(std::min(n, expectedRows) * kProgressSteps / expectedRows));
    });
    poll->start(kProgressPollMs);
    const auto finish = [this, progress, poll](const QString &message, bool ok) {
        poll->stop();
        progress->disconnect(); // closing a progress dialog says "canceled"
        progress->close();
        progress->deleteLater();
        Q_EMIT finished(message, ok);
    };
    connect(progress, &QProgressDialog::canceled, this, [finish] { finish(tr("Export cancelled"), false); });
    m_runner->run<Written>(
        [rows, path, written](const CancelTokenPtr &cancel) {
            FrameFileWriter file(path); // the file at the path is untouched unless every row is written
            const bool truncated = rows(cancel, [&](const Frame &page) {
                throwIfCancelled(cancel);
                file.append(page);
                written->store(file.rows());
            });
            throwIfCancelled(cancel);
            file.commit();
            return Written{file.rows(), truncated};
        },
        [finish, path](const Written &w) {
            const QString message = tr("Exported %L1 rows to %2").arg(w.rows).arg(path);
            finish(w.truncated ? message + tr(" (the first %L1 of more: narrow the query for the rest)").arg(w.rows) : message, true);
        },
        [this, finish](const QString &error) {
            Q_EMIT failed(tr("Export failed: %1").arg(error));
            finish(tr("Export failed: %1").arg(error), false);
        });
}

} // namespace fd

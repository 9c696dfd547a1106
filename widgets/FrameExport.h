#pragma once
#include "models/Cancel.h"
#include "models/Frame.h"
#include <QObject>
#include <functional>

class QWidget;

namespace fd {

class JobRunner;

// Writes a result to a file off the GUI thread, as CSV (.csv) or JSON lines: the rows come from a job (a
// query, its pages, or a frame at hand), a progress dialog shows after 300 ms with the rows written so far
// and its Cancel stops the export before the file is committed; finished() says how it went.
class FrameExport : public QObject
{
    Q_OBJECT
public:
    explicit FrameExport(QWidget *parent);

    // Where to export: JSON lines unless CSV is chosen (the name then made to end in .csv); empty when the
    // person cancels.
    static QString choosePath(QWidget *parent, const QString &title, const QString &suggestedName);

    // Does nothing while an export runs.
    void start(const QString &path, std::function<FramePtr(const CancelTokenPtr &)> rows);
    // The rows from a job that hands them over a page at a time (DataSource::queryPages), each written as it
    // comes; the job returns whether rows were left out. expectedRows (-1: unknown) fills the progress bar.
    using PagedRows = std::function<bool(const CancelTokenPtr &, const std::function<void(const Frame &)> &)>;
    void startPaged(const QString &path, PagedRows rows, qint64 expectedRows = -1);
    bool isBusy() const;

Q_SIGNALS:
    void busyChanged(bool busy);
    void failed(const QString &message); // before finished(message, false); not for a cancel
    void finished(const QString &message, bool ok);

private:
    QWidget *m_parent;
    JobRunner *m_runner;
};

} // namespace fd

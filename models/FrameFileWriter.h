#pragma once
#include "Frame.h"
#include <QSaveFile>
#include <QString>
#include <cstdint>

namespace fd {

// Writes a result to a file a page of rows at a time, so that a result of any size is written without being
// held whole: CSV for a spreadsheet for a .csv path (its header from the first page), JSON lines otherwise.
// Nothing reaches the path before commit(): a writer dropped before it (an error, a cancel) leaves the file
// that was there. Every page must have the first one's columns. Throws fd::Error.
// Whether a path is written as CSV: its name ends in .csv, in any case.
bool isCsvPath(const QString &path);

class FrameFileWriter
{
public:
    explicit FrameFileWriter(const QString &path);
    void append(const Frame &page);
    void commit();
    std::int64_t rows() const { return m_rows; }

private:
    void write(const std::string &text);
    QString m_path;
    QSaveFile m_file;
    bool m_csv = false;
    bool m_started = false;
    std::int64_t m_rows = 0;
};

} // namespace fd

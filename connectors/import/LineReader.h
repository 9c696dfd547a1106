#pragma once
#include <QFile>
#include <string>
#include <string_view>

namespace fd {

// Reads a file line by line in large blocks (no per-line allocation). A line longer than maxLine is
// skipped and reported as cut.
class LineReader
{
public:
    LineReader(QFile &file, qint64 maxLine) : m_file(file), m_maxLine(maxLine) {}
    // The next line without its line end; false at the end of the file. `cut` tells a skipped long line.
    bool next(std::string_view &line, bool &cut);
    qint64 position() const { return m_consumed; } // bytes of the file handed out so far
    // The line last handed out ends the file without a line end: it may still be being written.
    bool lastLineUnended() const { return m_unended; }

private:
    bool fill(); // reads another block; false at the end of the file
    QFile &m_file;
    qint64 m_maxLine;
    std::string m_buffer;
    std::size_t m_pos = 0;
    qint64 m_consumed = 0;
    bool m_unended = false;
};

} // namespace fd

#include "FrameFileWriter.h"
#include "Error.h"

namespace fd {

bool isCsvPath(const QString &path) { return path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive); }

FrameFileWriter::FrameFileWriter(const QString &path)
    : m_path(path), m_file(path), m_csv(isCsvPath(path))
{
    if (!m_file.open(QIODevice::WriteOnly))
        throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString()));
}

void FrameFileWriter::append(const Frame &page)
{
    if (m_csv && !m_started)
        write(csvHeader(page, CsvReader::Spreadsheet));
    m_started = true;
    write(m_csv ? csvRows(page, CsvReader::Spreadsheet) : frameToJsonLines(page));
    m_rows += static_cast<std::int64_t>(page.rowCount());
}

void FrameFileWriter::commit()
{
    if (!m_file.commit())
        throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString()));
}

void FrameFileWriter::write(const std::string &text)
{
    if (m_file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()))
        throw Error(QStringLiteral("cannot write %1: %2").arg(m_path, m_file.errorString()));
}

} // namespace fd

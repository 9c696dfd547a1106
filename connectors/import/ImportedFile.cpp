#include "ImportedFile.h"
#include "connectors/store/Store.h"
#include "models/Json.h"
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace fd {

namespace {

constexpr qint64 kWindow = 64 * 1024;

// Reads [from, from + length) without moving the file's position.
QByteArray readAt(QFile &file, qint64 from, qint64 length)
{
    const qint64 position = file.pos();
    QByteArray bytes;
    if (file.seek(from))
        bytes = file.read(length);
    file.seek(position);
    return bytes;
}

std::string hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha1).toHex().toStdString();
}

// The first 64 KiB of the file's first `end` bytes.
std::string headOf(QFile &file, qint64 end)
{
    return hashOf(readAt(file, 0, std::min(end, kWindow)));
}

// The 64 KiB before `end`, and whether they end a line (a NUL separates records as a line end does).
std::pair<std::string, bool> boundaryAt(QFile &file, qint64 end)
{
    const QByteArray window = readAt(file, std::max<qint64>(0, end - kWindow), std::min(end, kWindow));
    return { hashOf(window), window.endsWith('\n') || window.endsWith('\0') };
}

// 16 blocks of 4 KiB spread evenly over the first `end` bytes.
std::string samplesOf(QFile &file, qint64 end)
{
    constexpr int kSamples = 16;
    constexpr qint64 kSample = 4096;
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (int i = 0; i < kSamples; ++i)
        hash.addData(readAt(file, std::max<qint64>(0, end - kSample) * i / (kSamples - 1), std::min(end, kSample)));
    return hash.result().toHex().toStdString();
}

std::string pathKey(const QFile &file)
{
    return "path:" + QFileInfo(file.fileName()).canonicalFilePath().toStdString();
}

std::optional<ImportedFile> fromNote(const std::optional<std::string> &note)
{
    if (!note)
        return std::nullopt;
    try {
        const Json j = parseJson(*note);
        ImportedFile f;
        f.name = j.value("name", std::string());
        f.bytes = j.value("bytes", std::int64_t(0));
        f.lines = j.value("lines", std::int64_t(0));
        f.records = j.value("records", std::int64_t(0));
        f.at = j.value("at", TimeNs(0));
        f.resumable = j.value("resumable", false);
        f.head = j.value("head", std::string());
        f.boundary = j.value("boundary", std::string());
        f.samples = j.value("samples", std::string());
        f.deletions = j.value("deletions", std::int64_t(0));
        return f;
    } catch (const std::exception &) {
        return std::nullopt; // a note this version cannot read: the file counts as new
    }
}

std::string toNote(const ImportedFile &f)
{
    return Json { { "name", f.name }, { "bytes", f.bytes }, { "lines", f.lines }, { "records", f.records },
        { "at", f.at }, { "resumable", f.resumable }, { "head", f.head }, { "boundary", f.boundary },
        { "samples", f.samples }, { "deletions", f.deletions } }
        .dump();
}

bool isTheFileNoted(QFile &file, const ImportedFile &f)
{
    return f.bytes <= file.size() && headOf(file, f.bytes) == f.head && boundaryAt(file, f.bytes).first == f.boundary
        && samplesOf(file, f.bytes) == f.samples;
}

// A pipe (or /dev/stdin) has no size or path to know it by again, and an empty file nothing to store twice.
bool isNotable(const QFile &file)
{
    return !file.isSequential() && file.size() > 0 && !QFileInfo(file.fileName()).canonicalFilePath().isEmpty();
}

} // namespace

ImportMatch matchImportedFile(Store &store, QFile &file)
{
    if (!isNotable(file))
        return {};
    std::optional<ImportedFile> atPath; // noted at this path, but another file (or this one edited) now
    const std::string byPath = pathKey(file);
    for (const std::string &key : { byPath, "head:" + headOf(file, file.size()) }) {
        std::optional<ImportedFile> earlier = fromNote(store.importedFile(key));
        if (earlier && !atPath && key == byPath && !isTheFileNoted(file, *earlier))
            atPath = earlier;
        if (!earlier || !isTheFileNoted(file, *earlier))
            continue;
        const bool deletedSince = store.logDeletions() != earlier->deletions;
        if (earlier->bytes == file.size())
            return { ImportMatch::Kind::Same, std::move(earlier), deletedSince };
        if (earlier->resumable)
            return { ImportMatch::Kind::Grown, std::move(earlier), deletedSince };
        // It ended without a line end: when the next byte is one, its last line was whole, and what follows it
        // can be read on its own after all.
        if (const QByteArray next = readAt(file, earlier->bytes, 1); next == "\n" || next == QByteArray(1, '\0')) {
            ++earlier->bytes;
            return { ImportMatch::Kind::Grown, std::move(earlier), deletedSince };
        }
        return { ImportMatch::Kind::GrownInLine, std::move(earlier), deletedSince };
    }
    if (atPath)
        return { ImportMatch::Kind::Changed, std::move(atPath), store.logDeletions() != atPath->deletions };
    return {};
}

std::optional<ImportNote> importNote(QFile &file, const ImportMatch &match, std::int64_t lines, std::int64_t records,
    bool readAsLines, std::optional<std::int64_t> upTo)
{
    if (!isNotable(file) || records == 0) // nothing stored (a wrong --format, say): nothing to store twice
        return std::nullopt;
    ImportedFile f;
    f.name = QFileInfo(file.fileName()).fileName().toStdString();
    f.bytes = upTo ? *upTo : readAsLines ? file.pos() : file.size(); // a document's reader may stop short of a bad end
    const bool grown = match.kind == ImportMatch::Kind::Grown;
    f.lines = lines + (grown ? match.earlier->lines : 0);
    f.records = records + (grown ? match.earlier->records : 0);
    f.at = nowNs();
    f.head = headOf(file, f.bytes);
    const auto [boundary, endsLine] = boundaryAt(file, f.bytes);
    f.boundary = boundary;
    f.samples = samplesOf(file, f.bytes);
    f.resumable = readAsLines && endsLine;
    return ImportNote{pathKey(file), std::move(f)};
}

void recordImportNote(Store &store, ImportNote note)
{
    note.file.deletions = store.logDeletions();
    const std::string text = toNote(note.file);
    store.recordImportedFile(note.pathKey, text);
    store.recordImportedFile("head:" + note.file.head, text);
}

bool noteImportedFile(Store &store, QFile &file, const ImportMatch &match, std::int64_t lines, std::int64_t records,
    bool readAsLines, std::optional<std::int64_t> upTo)
{
    std::optional<ImportNote> note = importNote(file, match, lines, records, readAsLines, upTo);
    if (note)
        recordImportNote(store, std::move(*note));
    return note.has_value();
}

} // namespace fd

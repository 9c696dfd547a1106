#include "FileImporter.h"
#include "models/QueryText.h"
#include "BatchWriter.h"
#include "LineReader.h"
#include "LogRowDecoder.h"
#include "OtlpDocumentReader.h"
#include "connectors/otlp/OtlpBatchBuilder.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/otlp/OtlpJsonFastDecoder.h"
#include "connectors/store/FileLock.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/JsonDepth.h"
#include "models/Time.h"
#include <QDateTime>
#include <QFile>
#include <QElapsedTimer>
#include <QFileInfo>
#include <optional>
#include <utility>

namespace fd {

namespace {
constexpr std::size_t kBatchRecords = 20000;
constexpr std::size_t kMaxProblems = 100;
constexpr qint64 kMaxLine = 256LL * 1024 * 1024;
// A pretty-printed document is cut into requests of this many records (with their resource and scope).
constexpr std::size_t kPieceItems = 2000;
// Its records are held (not committed) until this much of it was read: a file that proves no JSON document
// within it (JSON lines whose first line is bad) is then read as lines with nothing stored twice.
constexpr qint64 kUndecidedBytes = 16LL * 1024 * 1024;

void append(TelemetryBatch &into, TelemetryBatch &&from)
{
    into.idsDropped += from.idsDropped;
    std::move(from.logs.begin(), from.logs.end(), std::back_inserter(into.logs));
    std::move(from.spans.begin(), from.spans.end(), std::back_inserter(into.spans));
    std::move(from.metrics.begin(), from.metrics.end(), std::back_inserter(into.metrics));
}

// The batch in pieces of at most `records` records each (logs, then spans, then metrics, each in order).
std::vector<TelemetryBatch> inPieces(TelemetryBatch &&whole, std::size_t records)
{
    std::vector<TelemetryBatch> pieces;
    const auto cut = [&](auto member) {
        auto &from = whole.*member;
        for (std::size_t i = 0; i < from.size(); i += records) {
            TelemetryBatch piece;
            const auto begin = from.begin() + std::ptrdiff_t(i);
            const auto end = from.begin() + std::ptrdiff_t(std::min(i + records, from.size()));
            (piece.*member).assign(std::make_move_iterator(begin), std::make_move_iterator(end));
            pieces.push_back(std::move(piece));
        }
    };
    cut(&TelemetryBatch::logs);
    cut(&TelemetryBatch::spans);
    cut(&TelemetryBatch::metrics);
    return pieces;
}

// Records of an OTLP request the batch builder refused, and why.
struct Rejected {
    std::int64_t count = 0;
    std::string why;
};

constexpr std::chrono::milliseconds kImportWait{10 * 60 * 1000};

// Takes out the log records with neither time nor observed time, and returns how many: they had been stored at
// 1970 (review). The receiver stamps when a record arrived; a file says nothing of when it was written.
std::int64_t dropTimelessLogs(TelemetryBatch &decoded)
{
    return std::int64_t(std::erase_if(decoded.logs, [](const LogRecord &r) { return r.time == 0; }));
}

std::string timelessMessage(std::int64_t records)
{
    return std::to_string(records) + " log records without a time (timeUnixNano or observedTimeUnixNano)";
}

// One OTLP/JSON export request into the batch; throws fd::Error describing why it is bad. Spans and logs
// as SDKs write them take the receiver's one-pass decoder; the rest (and an empty result, which may be
// "{}", no request at all) the full parser. Returns the records of the request that could not be stored.
Rejected decodeOtlpRequest(std::string_view text, TelemetryBatch &batch)
{
    std::int64_t rejected = 0;
    const auto taken = [&](OtlpSignal signal, TelemetryBatch &&decoded) {
        const std::int64_t timeless = dropTimelessLogs(decoded);
        append(batch, std::move(decoded));
        std::string why = rejected > 0 ? rejectionMessage(signal, rejected) : std::string();
        if (timeless > 0)
            why += (why.empty() ? "" : "; ") + timelessMessage(timeless);
        return Rejected{rejected + timeless, why};
    };
    for (OtlpSignal signal : {OtlpSignal::Traces, OtlpSignal::Logs}) {
        std::optional<TelemetryBatch> decoded = decodeOtlpJsonFast(signal, text, &rejected); // stops at kMaxJsonDepth
        if (decoded && (!decoded->empty() || rejected > 0))
            return taken(signal, std::move(*decoded));
    }
    checkJsonDepth(text);
    const Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded())
        throw Error(std::string("not valid JSON"));
    const auto signal = detectOtlpJsonSignal(j);
    if (!signal)
        throw Error(std::string("not an OTLP/JSON export request (no resourceSpans, resourceLogs or resourceMetrics)"));
    return taken(*signal, decodeOtlpJson(*signal, j, &rejected));
}

// JSON-lines logs go straight to the store's row form; OTLP/JSON requests are decoded whole.
Rejected decodeLine(std::string_view line, ImportFormat format, LogRowDecoder &decoder, ImportBatch &batch)
{
    if (format == ImportFormat::OtlpJson
        || decoder.decode(line, format == ImportFormat::Auto, batch.logs) == LogRowDecoder::Outcome::OtlpRequest)
        return decodeOtlpRequest(line, batch.telemetry);
    return {};
}

// Text in UTF-16 without a byte order mark: every other byte NUL, the others not (ASCII). A NUL-filled crash
// tail, read between its NULs, has NUL bytes side by side (review: one NUL had been taken for UTF-16).
bool looksLikeUtf16(const QByteArray &head)
{
    if (head.size() < 8)
        return false;
    for (const int nulAt : {0, 1}) {
        bool alternates = true;
        for (int i = 0; i < 8 && alternates; ++i)
            alternates = (head[i] == '\0') == (i % 2 == nulAt);
        if (alternates)
            return true;
    }
    return false;
}

} // namespace

ImportFormat importFormatFromName(const QString &name)
{
    if (name == QLatin1String("auto"))
        return ImportFormat::Auto;
    if (name == QLatin1String("otlp-json") || name == QLatin1String("otlp"))
        return ImportFormat::OtlpJson;
    if (name == QLatin1String("jsonl") || name == QLatin1String("json-lines") || name == QLatin1String("ndjson"))
        return ImportFormat::JsonLines;
    throw Error(QStringLiteral("unknown import format \"%1\" (use auto, otlp-json or jsonl)").arg(name));
}

QString importedBeforeText(const ImportReport &r)
{
    if (!r.earlier || (!r.skipped && r.resumedAt == 0 && !r.changedSince))
        return {};
    const QString when = QDateTime::fromSecsSinceEpoch(r.earlier->at / kSecond, Qt::UTC).toString(Qt::ISODate);
    const QString records = r.deletedSince ? QStringLiteral("%1 records, some of which retention may have deleted since")
                                                 .arg(r.earlier->records)
                                           : QStringLiteral("%1 records").arg(r.earlier->records);
    if (r.grownInLine)
        return QStringLiteral("imported on %1 (%2) up to the middle of a line that went on since; nothing stored")
            .arg(when, records);
    if (r.skipped)
        return QStringLiteral("already imported on %1 (%2); nothing stored").arg(when, records);
    if (r.changedSince)
        return QStringLiteral("imported on %1 (%2) and changed since, not only grown: read whole again, beside the "
                              "records of that import").arg(when, records);
    return QStringLiteral("read on from byte %1: the %2 lines before were imported on %3")
        .arg(r.resumedAt)
        .arg(r.linesBefore)
        .arg(when);
}

ImportReport FileImporter::import(const QString &path, ImportFormat format, const CancelTokenPtr &cancel,
                                  const std::function<void(qint64, qint64)> &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    // Two imports of one file at once had each read what the other had not noted yet: 780,000 records for 500,000
    // (exploratory test). One import at a time into a store; the lock of the file imported had stalled its logger.
    // Imports of other files wait their turn (a loop of `import f &` had queued on SQLite's lock: review).
    const std::optional<FileLock> alone = FileLock::alone(Store::importLockPath(m_store.path()), kImportWait, cancel.get());
    throwIfCancelled(cancel);
    if (!alone)
        throw Error(QStringLiteral("another import into %1 ran for longer than %2 s: run one at a time")
                        .arg(m_store.path()).arg(kImportWait.count() / 1000));
    if (file.peek(2) == QByteArray("\x1f\x8b"))
        throw Error(QStringLiteral("%1 is compressed with gzip: decompress it first (gunzip -k %1)").arg(path));
    // Windows' "Unicode" (PowerShell's Out-File): each line had been reported as bad for its NUL bytes (exploratory test)
    if (const QByteArray head = file.peek(8); head.startsWith("\xff\xfe") || head.startsWith("\xfe\xff") || looksLikeUtf16(head))
        throw Error(QStringLiteral("%1 is UTF-16 text: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8 %1 > %1.utf8)").arg(path));
    ImportReport report;
    ImportMatch match = matchImportedFile(m_store, file);
    if (m_again)
        match = {};
    report.earlier = match.earlier;
    report.deletedSince = match.deletedSince;
    if (match.kind == ImportMatch::Kind::Same || match.kind == ImportMatch::Kind::GrownInLine) {
        report.skipped = true; // never stored twice unless asked for (setImportAgain)
        report.grownInLine = match.kind == ImportMatch::Kind::GrownInLine;
        return report;
    }
    if (match.kind == ImportMatch::Kind::Grown) {
        report.resumedAt = match.earlier->bytes;
        report.linesBefore = match.earlier->lines;
        file.seek(report.resumedAt);
    }
    report.changedSince = match.kind == ImportMatch::Kind::Changed; // said: its records were stored twice silently
    const bool asLines = read(file, format, match, cancel, progress, report);
    try {
        noteImportedFile(m_store, file, match, report.lines, report.records, asLines, report.unendedAt);
    } catch (const Error &e) { // every record is stored: say what is lost, the note
        report.problems.push_back(QFileInfo(path).fileName().toStdString() + ": could not note the import (" + e.what()
            + "): importing the file again stores its records twice");
    }
    return report;
}

std::string FileImporter::noteCommitted(QFile &file, const ImportMatch &match, const ImportMark &committed)
{
    const std::string name = QFileInfo(file.fileName()).fileName().toStdString();
    if (committed.bytes < 0)
        return "nothing of " + name + " was stored";
    const std::int64_t upTo = committed.lines + (match.kind == ImportMatch::Kind::Grown ? match.earlier->lines : 0);
    const std::string kept = "the records of lines 1 to " + std::to_string(upTo) + " are stored ("
                             + std::to_string(committed.records) + " by this import)";
    try {
        if (!noteImportedFile(m_store, file, match, committed.lines, committed.records, true, committed.bytes))
            return kept + ": importing " + name + " again stores them twice";
    } catch (const Error &) {
        return kept + " but could not be noted: importing " + name + " again stores them twice";
    }
    return kept + "; importing " + name + " again reads on from line " + std::to_string(upTo + 1);
}

namespace {

// JSON cut off before its end (a record being written), not JSON that is wrong.
bool endsTooSoon(std::string_view line)
{
    if (line.empty() || line.front() != '{')
        return false;
    try {
        [[maybe_unused]] const Json parsed = Json::parse(line);
    } catch (const Json::parse_error &e) {
        return e.byte > line.size();
    } catch (const Json::exception &) {
    }
    return false;
}

// A pretty-printed OTLP file spans many lines: read it whole when its first line is not a whole object.
bool startsMultiLineDocument(QFile &file)
{
    const QByteArray head = file.peek(1 << 16);
    const std::string_view headText = withoutByteOrderMark(std::string_view(head.constData(), std::size_t(head.size())));
    const std::size_t firstNewline = headText.find('\n');
    return QByteArray(headText.data(), qsizetype(headText.size())).trimmed().startsWith('{')
        && firstNewline != std::string_view::npos
        && Json::parse(headText.substr(0, firstNewline), nullptr, false).is_discarded();
}

// One import of one file: this thread reads and decodes; the writer commits and indexes on its own thread
// meanwhile. Problems are counted in the report, never dropped.
class ImportRun
{
public:
    ImportRun(Store &store, QFile &file, const ImportMatch &match, ImportFormat format, const CancelTokenPtr &cancel,
              const std::function<void(qint64, qint64)> &progress, ImportReport &report)
        : m_file(file)
        , m_match(match)
        , m_name(QFileInfo(file.fileName()).fileName().toStdString())
        , m_format(format)
        , m_cancel(cancel)
        , m_progress(progress)
        , m_report(report)
        , m_writer(store, cancel)
    {
        m_decoding.start();
    }

    // The file as one OTLP document, read and committed in pieces; false (and nothing stored) when it is no
    // JSON document and nothing of it was committed yet.
    bool readDocument()
    {
        m_report.lines = 1;
        bool streaming = false; // past kUndecidedBytes: each batch is committed when full
        OtlpDocumentReader reader(m_file, m_cancel, [&](const OtlpPiece &piece) {
            decodePiece(piece);
            streaming = streaming || piece.bytesRead >= kUndecidedBytes;
            if (streaming && m_batch.records() >= kBatchRecords)
                pushInPieces(piece.bytesRead, piece.bytesRead);
        }, kPieceItems);
        try {
            if (!reader.read())
                problem("not an OTLP/JSON export request (no resourceSpans, resourceLogs or resourceMetrics)");
        } catch (const DocumentError &e) {
            if (e.notJson() && !streaming) { // JSON lines whose first line is bad: read as lines, which costs that line only
                m_batch = {};
                m_report = {};
                return false;
            }
            problem(e.what());
        }
        for (const std::string &warning : reader.warnings())
            note(warning);
        reportLeftOut();
        pushInPieces(streaming ? m_file.size() : 0, m_file.size());
        return true;
    }

    void readLines()
    {
        LineReader reader(m_file, kMaxLine);
        std::string_view line;
        bool cut = false;
        for (qint64 lineStart = 0; reader.next(line, cut); lineStart = reader.position()) {
            throwIfCancelled(m_cancel);
            ++m_report.lines;
            if (cut) {
                problem("line longer than 256 MiB");
                continue;
            }
            if (line.empty())
                continue;
            if (line.find('\0') != std::string_view::npos) {
                if (decodeBetweenNuls(line, lineStart, reader.lastLineUnended()))
                    break;
                continue;
            }
            try {
                decode(line);
            } catch (const Error &e) {
                if (reader.lastLineUnended() && endsTooSoon(line)) { // a log still being written: not bad, not read
                    note("no line end yet, and the record stops short (a file still being written?): left for the "
                         "next import, which reads on from this line");
                    --m_report.lines;
                    m_report.unendedAt = m_report.resumedAt + lineStart;
                    break;
                }
                problem(e.what());
            }
            if (m_batch.records() >= kBatchRecords) {
                markBatch(m_report.resumedAt + reader.position());
                push();
                reportProgress(m_report.resumedAt + reader.position());
            }
        }
        markBatch(m_report.unendedAt ? *m_report.unendedAt : m_report.resumedAt + reader.position()); // finish() pushes it
    }

    // After a cancel or an error: the writer stopped, and how far its commits went.
    ImportMark stopWriting()
    {
        m_writer.stop();
        return m_writer.committed();
    }
    bool committedAny() { return m_writer.commits() > 0; }

    void finish()
    {
        push();
        m_report.timings.decode = static_cast<double>(m_decoding.nsecsElapsed() - m_waitedNs) / 1e9;
        m_report.timings.waiting = static_cast<double>(m_waitedNs) / 1e9;
        m_writer.finish();
        m_report.timings.insert = m_writer.insertSeconds();
        m_report.timings.fullText = m_writer.fullTextSeconds();
        m_report.timings.builder = m_writer.builderSeconds();
        m_report.timings.indexes = m_writer.indexSeconds();
        throwIfCancelled(m_cancel);
        reportProgress(m_file.size());
    }

private:
    void note(const std::string &what)
    {
        if (m_report.problems.size() < kMaxProblems)
            m_report.problems.push_back(m_name + ":" + std::to_string(m_report.linesBefore + m_report.lines) + ": " + what);
    }

    void problem(const std::string &reason)
    {
        ++m_report.badLines;
        note(reason);
    }

    // A piece the decoder refuses costs its own records, a record it refuses that record; both are said once
    // for the document (reportLeftOut), which counts as one bad line when a piece failed.
    void decodePiece(const OtlpPiece &piece)
    {
        std::int64_t rejected = 0;
        TelemetryBatch decoded;
        try {
            decoded = decodeOtlpJson(piece.signal, piece.request, &rejected);
        } catch (const Error &e) {
            m_failed.add(std::int64_t(piece.items), e.what());
            return;
        }
        const std::int64_t timeless = dropTimelessLogs(decoded); // as a line's are (exploratory test: kept at 1970)
        append(m_batch.telemetry, std::move(decoded));
        if (rejected > 0)
            m_rejected.add(rejected, rejectionMessage(piece.signal, rejected));
        if (timeless > 0)
            m_timeless.add(timeless, timelessMessage(timeless));
    }

    void reportLeftOut()
    {
        m_report.rejectedRecords += m_failed.records + m_rejected.records + m_timeless.records;
        if (m_failed.pieces > 0)
            problem(m_failed.text("records left out"));
        if (m_rejected.pieces > 0)
            note(m_rejected.text("records rejected"));
        if (m_timeless.pieces > 0)
            note(m_timeless.text("log records without a time"));
    }

    // A file's zero-filled tail after a crash, with lines appended after it: the records between the NULs are read
    // each on its own (exploratory test: the JSON reader stopped at the first NUL, and the rest went unsaid). A last
    // piece still being written is left for the next import, as a last line is; true then.
    bool decodeBetweenNuls(std::string_view line, qint64 lineStart, bool unended)
    {
        note("NUL bytes in the line (a zero-filled tail after a crash?): the records between them are read each on its own");
        for (std::size_t begin = 0; begin <= line.size();) {
            const std::size_t end = std::min(line.find('\0', begin), line.size());
            const std::string_view piece = line.substr(begin, end - begin);
            if (piece.find_first_not_of(" \t\r") != std::string_view::npos) {
                try {
                    decode(piece);
                } catch (const Error &e) {
                    if (unended && end == line.size() && endsTooSoon(piece)) {
                        m_report.unendedAt = m_report.resumedAt + lineStart + qint64(begin);
                        return true;
                    }
                    problem(e.what());
                }
            }
            begin = end + 1;
        }
        return false;
    }

    void decode(std::string_view line)
    {
        const Rejected rejected = decodeLine(line, m_format, m_decoder, m_batch);
        if (rejected.count > 0) {
            m_report.rejectedRecords += rejected.count;
            note(rejected.why);
        }
    }

    // The batch holds the records of the file's bytes before `end`.
    void markBatch(qint64 end)
    {
        m_batch.mark = { end, m_report.lines,
                         m_report.records + static_cast<std::int64_t>(m_batch.records()) };
        m_batch.note = importNote(m_file, m_match, m_batch.mark.lines, m_batch.mark.records, true, end);
    }

    void push()
    {
        m_report.records += static_cast<std::int64_t>(m_batch.records());
        m_report.idsDropped += std::exchange(m_batch.telemetry.idsDropped, {});
        QElapsedTimer waiting;
        waiting.start();
        m_writer.push(std::move(m_batch));
        m_waitedNs += waiting.nsecsElapsed();
        m_batch = {};
    }

    // Decoded records are committed a batch at a time, so that a cancel stops them between two; progress
    // moves from `from` toward `to` bytes.
    void pushInPieces(qint64 from, qint64 to)
    {
        m_report.idsDropped += std::exchange(m_batch.telemetry.idsDropped, {}); // the pieces would not carry it
        std::vector<TelemetryBatch> pieces = inPieces(std::move(m_batch.telemetry), kBatchRecords);
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            throwIfCancelled(m_cancel);
            m_batch = {};
            m_batch.telemetry = std::move(pieces[i]);
            push();
            reportProgress(from + (to - from) * qint64(i + 1) / qint64(pieces.size() + 1));
        }
    }

    void reportProgress(qint64 bytes)
    {
        if (m_progress)
            m_progress(bytes - m_report.resumedAt, m_file.size() - m_report.resumedAt); // of the bytes this import reads
    }

    QFile &m_file;
    const ImportMatch &m_match;
    const std::string m_name;
    const ImportFormat m_format;
    const CancelTokenPtr &m_cancel;
    const std::function<void(qint64, qint64)> &m_progress;
    ImportReport &m_report;
    ImportBatch m_batch;
    LogRowDecoder m_decoder;
    BatchWriter m_writer;
    QElapsedTimer m_decoding;
    qint64 m_waitedNs = 0;
    // Records of a document's pieces left out: how many, in how many pieces, and the first reason.
    struct LeftOut {
        std::int64_t records = 0;
        int pieces = 0;
        std::string first;
        void add(std::int64_t n, const std::string &why)
        {
            records += n;
            if (pieces++ == 0)
                first = why;
        }
        std::string text(const char *what) const
        {
            return pieces == 1 ? first : first + " (and in " + std::to_string(pieces - 1) + " more pieces; " + std::to_string(records)
                                             + " " + what + " in all)";
        }
    };
    LeftOut m_failed, m_rejected, m_timeless; // timeless apart: the first reason alone is said of each (review)
};

} // namespace

bool FileImporter::read(QFile &file, ImportFormat format, const ImportMatch &match, const CancelTokenPtr &cancel,
                        const std::function<void(qint64, qint64)> &progress, ImportReport &report)
{
    ImportRun run(m_store, file, match, format, cancel, progress, report);
    bool document = format != ImportFormat::JsonLines && report.resumedAt == 0 && startsMultiLineDocument(file);
    // A document's pieces have no line to read on from: what they stored stays, and would be stored twice.
    const auto kept = [&] {
        const ImportMark committed = run.stopWriting();
        if (!document)
            return noteCommitted(file, match, committed);
        const std::string name = QFileInfo(file.fileName()).fileName().toStdString();
        return run.committedAny() ? "the records committed before are kept: importing " + name + " again stores them twice"
                                  : "nothing of " + name + " was stored";
    };
    try {
        if (document) {
            document = run.readDocument();
            if (!document)
                file.seek(0); // not one document: JSON lines whose first line is bad, which costs that line only
        }
        if (!document)
            run.readLines();
        run.finish();
    } catch (const Cancelled &) {
        throw Cancelled("cancelled: " + kept());
    } catch (const Error &e) {
        throw Error(QStringLiteral("%1: stopped at line %2: %3 (%4)")
                        .arg(QFileInfo(file.fileName()).fileName())
                        .arg(report.linesBefore + report.lines)
                        .arg(e.message(), QString::fromStdString(kept())));
    }
    return !document;
}

} // namespace fd

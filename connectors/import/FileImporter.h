#pragma once
#include "ImportedFile.h"
#include "models/Cancel.h"
#include "models/Telemetry.h"
#include <QString>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

class QFile;

namespace fd {

struct ImportMark;

class Store;

enum class ImportFormat { Auto, OtlpJson, JsonLines };
// Throws fd::Error for an unknown name.
ImportFormat importFormatFromName(const QString &name);

// Seconds per stage, for benchmarks: the decoding thread's and the writer's.
struct ImportTimings {
    double decode = 0;   // reading and decoding lines, building records
    double waiting = 0;  // the decoding thread blocked on a full writer queue
    double insert = 0;   // the writer committing batches
    double fullText = 0; // the writer building the full-text index (or adopting the builder's)
    double builder = 0;  // a bulk load's third thread building the full-text index (FullTextBuilder)
    double indexes = 0;  // the writer building the log indexes after a bulk load
};

struct ImportReport {
    // A file the store holds already (ImportedFile): skipped, nothing stored, when unchanged or grown inside
    // the line the earlier import ended in (grownInLine: only reading it whole again could tell its records);
    // when it grew after a line end, only the bytes after the earlier import are read (resumedAt, with the
    // lines before). deletedSince: retention deleted log rows after the earlier import.
    bool skipped = false;
    bool grownInLine = false;
    bool deletedSince = false;
    bool changedSince = false; // the file at this path was imported before and edited since: read whole again
    std::optional<ImportedFile> earlier;
    std::int64_t resumedAt = 0;
    std::int64_t linesBefore = 0; // lines counts from here: problems name the line of the whole file
    std::int64_t lines = 0;
    std::int64_t records = 0;    // logs + spans + metric points stored
    std::int64_t badLines = 0;   // never dropped silently: each one is described in problems
    std::int64_t rejectedRecords = 0; // of OTLP requests otherwise stored (a span with a bad id), in problems too
    DroppedIds idsDropped;
    std::vector<std::string> problems; // "FILE:LINE: reason", the first 100
    // Where a last line without a line end begins whose record stops short (a log being written): neither
    // read nor bad, and the import is noted up to there, so that the next one reads it once it is whole.
    std::optional<std::int64_t> unendedAt;
    ImportTimings timings;
};

// What a report says of the file's earlier import: "already imported on …; nothing stored" (skipped) or
// "read on from byte …" (resumed); empty for a file read whole.
QString importedBeforeText(const ImportReport &r);

// Streams a file into the store line by line (never loading it whole): this thread decodes, a
// BatchWriter commits batches and builds the full-text index on its own thread meanwhile. A file imported
// whole before is skipped, or read from where that import ended when it grew (setImportAgain: read whole).
// `progress` gets (bytes read, file size). Throws fd::Error when the file cannot be read, is gzip, or the
// store fails (naming the line), and Cancelled: either says what was stored before, which importing the file
// again reads on after (a file read as lines).
class FileImporter
{
public:
    explicit FileImporter(Store &store) : m_store(store) {}
    // Reads every file whole, even one imported before (its records are then stored twice).
    void setImportAgain(bool again) { m_again = again; }
    ImportReport import(const QString &path, ImportFormat format, const CancelTokenPtr &cancel = {},
                        const std::function<void(qint64, qint64)> &progress = {});

private:
    // Whether the file was read as lines (not as one OTLP document). A cancel or an error says what was stored.
    bool read(QFile &file, ImportFormat format, const ImportMatch &match, const CancelTokenPtr &cancel,
              const std::function<void(qint64, qint64)> &progress, ImportReport &report);
    // A cancel or an error left the lines up to `committed` stored: noted as imported, so that importing the
    // file again reads on after them. What the user is told of it.
    std::string noteCommitted(QFile &file, const ImportMatch &match, const ImportMark &committed);

    Store &m_store;
    bool m_again = false;
};

} // namespace fd

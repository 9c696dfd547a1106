#pragma once
#include "models/Time.h"
#include <cstdint>
#include <optional>
#include <string>

class QFile;

namespace fd {

class Store;

// What the store remembers of a file it imported whole, so that importing the file again neither stores
// its records twice nor misses the lines appended since (a log file that grew).
struct ImportedFile {
    std::string name;          // the file's name when last imported
    std::int64_t bytes = 0;    // read up to here, the file's end then
    std::int64_t lines = 0;    // of those bytes
    std::int64_t records = 0;  // stored from them
    TimeNs at = 0;             // when the last import of it ended
    bool resumable = false;    // read as lines up to a line end: the bytes after it can be read on their own
    std::string head;          // a hash of the first 64 KiB (of fewer when the file was shorter)
    std::string boundary;      // a hash of the 64 KiB before `bytes`
    std::string samples;       // a hash of 16 blocks of 4 KiB spread over the `bytes` (a rewrite in between)
    std::int64_t deletions = 0; // Store::logDeletions() then
};

// How a file stands against the store's notes: it is looked up by its path, then by its head (the same
// file copied or renamed), and is the one noted when its head, the bytes before the end noted and blocks
// spread in between hash alike.
struct ImportMatch {
    // Grown: after a line end, read on from there. GrownInLine: the earlier import ended inside a line, which
    // may go on: read whole again.
    // Changed: the file at the path was imported before and has changed since, not only grown: read whole
    // again, beside the records of the earlier import.
    enum class Kind { New, Same, Grown, GrownInLine, Changed };
    Kind kind = Kind::New;
    std::optional<ImportedFile> earlier; // all but New
    bool deletedSince = false; // the store deleted log rows since the note: some of the file's may be gone
};

// Reads the file's head and the bytes before a noted end; the file's position is left where it was.
ImportMatch matchImportedFile(Store &store, QFile &file);

// A note that a file was read up to a place, made from the file alone (its hashes) so that it can be written
// later, with the batch that stores the records up to there.
struct ImportNote {
    std::string pathKey;
    ImportedFile file;
};
// The note that the file was read up to its position now, or up to `upTo` (match: as matchImportedFile found it
// before the read); none when there is nothing to note: a pipe (no file to read again), nothing stored.
std::optional<ImportNote> importNote(QFile &file, const ImportMatch &match, std::int64_t lines, std::int64_t records,
    bool readAsLines, std::optional<std::int64_t> upTo = std::nullopt);
void recordImportNote(Store &store, ImportNote note);
// Both at once; false when there is nothing to note.
bool noteImportedFile(Store &store, QFile &file, const ImportMatch &match, std::int64_t lines, std::int64_t records,
    bool readAsLines, std::optional<std::int64_t> upTo = std::nullopt);

} // namespace fd

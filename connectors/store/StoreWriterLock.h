#pragma once
#include <QString>
#include <optional>

namespace fd {

// An advisory lock (flock) on a store file, apart from SQLite's own locks: every process writing a store holds it
// shared; `demo` replaces a store only while it holds it alone. demo had renamed a new file over a store serve was
// writing, and serve went on acknowledging records into the deleted one (exploratory test).
class StoreWriterLock
{
public:
    // Waits for the shared lock on the file at path (a demo holds it alone only while it renames); an Error when the
    // file was replaced meanwhile. No lock when the file cannot be opened for reading.
    static StoreWriterLock shared(const QString &path);
    // The lock held alone, or nullopt while another writer holds it. An empty lock when there is no file.
    static std::optional<StoreWriterLock> aloneIfUnused(const QString &path);

    StoreWriterLock(StoreWriterLock &&other) noexcept;
    StoreWriterLock &operator=(StoreWriterLock &&other) noexcept;
    StoreWriterLock(const StoreWriterLock &) = delete;
    StoreWriterLock &operator=(const StoreWriterLock &) = delete;
    ~StoreWriterLock();

private:
    explicit StoreWriterLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace fd

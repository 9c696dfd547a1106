#pragma once
#include "models/Cancel.h"
#include <QString>
#include <chrono>
#include <optional>

namespace fd {

// An advisory lock (flock) on a lock file of its own, made when missing: a second handle on a store's file, closed,
// would release SQLite's POSIX locks of the whole process (review). Released when destroyed. On a file system
// without flock, or where the lock file cannot be made, the lock is taken as held: as before there were any.
class FileLock
{
public:
    // The lock shared, waited for up to `most`; nullopt when another held it alone all that time.
    static std::optional<FileLock> shared(const QString &lockPath, std::chrono::milliseconds most);
    // The lock held alone, waited for up to `most` while not cancelled; nullopt while another holds it.
    static std::optional<FileLock> alone(const QString &lockPath, std::chrono::milliseconds most = {},
                                         const CancelToken *cancel = nullptr);

    FileLock(FileLock &&other) noexcept;
    FileLock &operator=(FileLock &&other) noexcept;
    FileLock(const FileLock &) = delete;
    FileLock &operator=(const FileLock &) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace fd

#include "StoreWriterLock.h"
#include "models/Error.h"
#include <QFile>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace fd {

namespace {
int openForLock(const QString &path)
{
    return ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
}

bool samePathAndFile(int fd, const QString &path)
{
    struct stat opened {}, named {};
    return ::fstat(fd, &opened) == 0 && ::stat(QFile::encodeName(path).constData(), &named) == 0
        && opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}
} // namespace

StoreWriterLock StoreWriterLock::shared(const QString &path)
{
    StoreWriterLock lock(openForLock(path));
    if (lock.m_fd < 0)
        return lock;
    while (::flock(lock.m_fd, LOCK_SH) != 0)
        if (errno != EINTR)
            return StoreWriterLock(-1); // a file system without flock: SQLite's locks alone, as before
    if (!samePathAndFile(lock.m_fd, path))
        throw Error(QStringLiteral("store %1 was replaced (by flightdeck demo) while it opened: try again").arg(path));
    return lock;
}

std::optional<StoreWriterLock> StoreWriterLock::aloneIfUnused(const QString &path)
{
    StoreWriterLock lock(openForLock(path));
    if (lock.m_fd < 0)
        return lock;
    int result = 0;
    while ((result = ::flock(lock.m_fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
    }
    if (result != 0 && errno == EWOULDBLOCK)
        return std::nullopt;
    return lock;
}

StoreWriterLock::StoreWriterLock(StoreWriterLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

StoreWriterLock &StoreWriterLock::operator=(StoreWriterLock &&other) noexcept
{
    std::swap(m_fd, other.m_fd);
    return *this;
}

StoreWriterLock::~StoreWriterLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace fd

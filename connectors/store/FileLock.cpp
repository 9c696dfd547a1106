#include "FileLock.h"
#include <QFile>
#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace fd {

namespace {
int openLockFile(const QString &path)
{
    return ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

// flock(how | LOCK_NB), again after a signal; false while another holds the lock.
bool tryLock(int fd, int how)
{
    int result = 0;
    while ((result = ::flock(fd, how | LOCK_NB)) != 0 && errno == EINTR) {
    }
    return result == 0 || errno != EWOULDBLOCK;
}
} // namespace

std::optional<FileLock> FileLock::shared(const QString &lockPath, std::chrono::milliseconds most)
{
    FileLock lock(openLockFile(lockPath));
    if (lock.m_fd < 0)
        return lock;
    const auto until = std::chrono::steady_clock::now() + most;
    while (!tryLock(lock.m_fd, LOCK_SH)) {
        if (std::chrono::steady_clock::now() >= until)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return lock;
}

std::optional<FileLock> FileLock::alone(const QString &lockPath)
{
    FileLock lock(openLockFile(lockPath));
    if (lock.m_fd >= 0 && !tryLock(lock.m_fd, LOCK_EX))
        return std::nullopt;
    return lock;
}

FileLock::FileLock(FileLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

FileLock &FileLock::operator=(FileLock &&other) noexcept
{
    std::swap(m_fd, other.m_fd);
    return *this;
}

FileLock::~FileLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace fd

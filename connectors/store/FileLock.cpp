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
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    // another user's lock file in a shared folder: flock needs no write access (review)
    return fd >= 0 ? fd : ::open(name.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}


// flock(how | LOCK_NB), again after a signal; false while another holds the lock.
bool tryLock(int fd, int how)
{
    int result = 0;
    while ((result = ::flock(fd, how | LOCK_NB)) != 0 && errno == EINTR) {
    }
    return result == 0 || errno != EWOULDBLOCK;
}

// Takes the lock `how`, trying every 20 ms up to `most` while not cancelled.
bool lockWithin(int fd, int how, std::chrono::milliseconds most, const CancelToken *cancel)
{
    const auto until = std::chrono::steady_clock::now() + most;
    while (!tryLock(fd, how)) {
        if (std::chrono::steady_clock::now() >= until || (cancel && cancel->isCancelled()))
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}
} // namespace

std::optional<FileLock> FileLock::shared(const QString &lockPath, std::chrono::milliseconds most)
{
    FileLock lock(openLockFile(lockPath));
    if (lock.m_fd >= 0 && !lockWithin(lock.m_fd, LOCK_SH, most, nullptr))
        return std::nullopt;
    return lock;
}

std::optional<FileLock> FileLock::alone(const QString &lockPath, std::chrono::milliseconds most, const CancelToken *cancel)
{
    FileLock lock(openLockFile(lockPath));
    if (lock.m_fd >= 0 && !lockWithin(lock.m_fd, LOCK_EX, most, cancel))
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

#pragma once
// Small helpers the unit and connector tests share (header-only; include after QTest).

#include "models/Error.h"
#include <QFile>
#include <QString>
#include <string>

namespace fdtest {

// The error a call throws, as text; empty when it throws none.
template <class F> QString errorOf(F &&call)
{
    try {
        call();
    } catch (const fd::Error &e) {
        return e.message();
    }
    return {};
}

// Writes bytes to a file (replacing it); false when it cannot.
inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// A recorded payload of ../shared/fixtures/<folder>/<name>.
inline QString fixturePath(const char *folder, const char *name)
{
    return QString::fromUtf8(FD_SHARED_FIXTURES "/") + QString::fromLatin1(folder) + QLatin1Char('/') + QString::fromLatin1(name);
}

// Its bytes; empty when it cannot be read.
inline std::string readFixture(const char *folder, const char *name)
{
    QFile f(fixturePath(folder, name));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

} // namespace fdtest

// Declares `var` with the fixture's bytes, or skips the test when ../shared/fixtures is not there.
#define FD_FIXTURE(var, folder, name)                                                                                  \
    const std::string var = fdtest::readFixture(folder, name);                                                         \
    if (var.empty())                                                                                                   \
        QSKIP(qPrintable(QStringLiteral("fixture %1 is absent (../shared/fixtures is not checked out)")                \
                             .arg(fdtest::fixturePath(folder, name))));

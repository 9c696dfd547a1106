#pragma once
// A real server that an integration test runs itself (Debian's prometheus, victoria-metrics,
// `openssl s_server`): a free 127.0.0.1 port, start, wait until an HTTP(S) URL answers 200, stop by PID.
// Header-only like CliRunner.h; the test links fd_connectors (readiness is probed with fd::HttpClient).

#include "connectors/http/HttpClient.h"

#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTcpServer>
#include <QThread>

#include <chrono>
#include <string>

namespace fdtest {

// A port nobody listens on right now (the kernel's pick; a tiny race with other programs is accepted).
inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

inline bool writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

inline std::string localUrl(quint16 port, const char *scheme = "http")
{
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port);
}

class ServerProcess
{
public:
    ServerProcess() = default;
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;
    ~ServerProcess() { stop(); }

    // Starts program with its output in logPath and waits until readyUrl answers readyStatus (an https URL is
    // probed without certificate verification: only readiness is asked).
    bool start(const QString &program, const QStringList &args, const QString &logPath, const std::string &readyUrl,
        QString *error, std::chrono::seconds wait = std::chrono::seconds(60), int readyStatus = 200)
    {
        m_log = logPath;
        m_proc.setStandardOutputFile(m_log);
        m_proc.setStandardErrorFile(m_log);
        m_proc.setStandardInputFile(QProcess::nullDevice());
        m_proc.start(program, args);
        if (!m_proc.waitForStarted(30000)) {
            *error = QStringLiteral("%1 did not start: %2").arg(program, m_proc.errorString());
            return false;
        }
        if (waitReady(readyUrl, wait, readyStatus))
            return true;
        *error = QStringLiteral("%1 (pid %2) did not answer 200 on %3 within %4 s; its log ends:\n%5")
                     .arg(program)
                     .arg(pid())
                     .arg(QString::fromStdString(readyUrl))
                     .arg(wait.count())
                     .arg(logTail());
        stop();
        return false;
    }

    // SIGTERM to the PID, SIGKILL if it is still there after 10 s.
    void stop()
    {
        if (m_proc.state() == QProcess::NotRunning)
            return;
        m_proc.terminate();
        if (!m_proc.waitForFinished(10000)) {
            m_proc.kill();
            m_proc.waitForFinished(10000);
        }
    }

    bool isRunning() const { return m_proc.state() == QProcess::Running; }
    qint64 pid() const { return m_proc.processId(); }

    QString logTail(qsizetype chars = 3000) const
    {
        QFile f(m_log);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(chars)) : QString();
    }

private:
    bool waitReady(const std::string &url, std::chrono::seconds wait, int readyStatus)
    {
        fd::HttpRequestSpec spec;
        spec.url = url;
        spec.options.totalTimeout = std::chrono::seconds(2);
        spec.options.verifyTls = false;
        const auto deadline = std::chrono::steady_clock::now() + wait;
        while (std::chrono::steady_clock::now() < deadline && m_proc.state() != QProcess::NotRunning) {
            try {
                if (fd::HttpClient().get(spec, fd::makeCancelToken()).status == readyStatus)
                    return true;
            } catch (const fd::HttpError &) {
                // not listening yet
            }
            QThread::msleep(100);
        }
        return false;
    }

    QProcess m_proc;
    QString m_log;
};

} // namespace fdtest

#pragma once
// Debian's prometheus, started by a test on a free 127.0.0.1 port with a temporary folder and scraping
// itself every second; stopped by its PID. Header-only like ServerProcess.h.

#include "ServerProcess.h"

namespace fdtest {

// The real server, scraping itself every second.
class PrometheusProcess
{
public:
    bool start(const QString &binary, const QString &dir, QString *error)
    {
        m_port = freePort();
        const QString config = dir + QStringLiteral("/prometheus.yml");
        const QByteArray yaml = QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                               "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
                                               "      - targets: ['127.0.0.1:%1']\n")
                                    .arg(m_port)
                                    .toUtf8();
        if (!writeText(config, yaml)) {
            *error = QStringLiteral("cannot write %1").arg(config);
            return false;
        }
        return m_server.start(binary,
            { QStringLiteral("--config.file=") + config,
                QStringLiteral("--storage.tsdb.path=") + dir + QStringLiteral("/data"),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port) },
            dir + QStringLiteral("/prometheus.log"), url() + "/-/ready", error);
    }

    void stop() { m_server.stop(); }

    quint16 port() const { return m_port; }
    std::string url() const { return localUrl(m_port); }

private:
    ServerProcess m_server;
    quint16 m_port = 0;
};


} // namespace fdtest

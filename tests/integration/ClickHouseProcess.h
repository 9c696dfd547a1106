#pragma once
// Debian's clickhouse-server, started by a test as a plain process on free 127.0.0.1 ports with its config,
// data and users in a temporary folder (users: "default" without a password, "fd" with the password
// "s3cret"); stopped by its PID. Header-only like ServerProcess.h.

#include "ServerProcess.h"

#include <QStandardPaths>

namespace fdtest {

class ClickHouseProcess
{
public:
    static QString binary()
    {
        return QStandardPaths::findExecutable(
            QStringLiteral("clickhouse-server"), { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin") });
    }

    bool start(const QString &dir, QString *error)
    {
        m_port = freePort();
        const quint16 tcpPort = freePort();
        const QString config = dir + QStringLiteral("/config.xml");
        const QByteArray xml = QStringLiteral(
            "<?xml version=\"1.0\"?>\n<yandex>\n"
            "  <logger><level>warning</level><console>1</console></logger>\n"
            "  <http_port>%1</http_port>\n  <tcp_port>%2</tcp_port>\n  <listen_host>127.0.0.1</listen_host>\n"
            "  <path>%3/data/</path>\n  <tmp_path>%3/tmp/</tmp_path>\n  "
            "<user_files_path>%3/user_files/</user_files_path>\n"
            "  <format_schema_path>%3/format_schemas/</format_schema_path>\n  <users_config>users.xml</users_config>\n"
            "  <default_profile>default</default_profile>\n  <default_database>default</default_database>\n"
            "  <mark_cache_size>67108864</mark_cache_size>\n  "
            "<uncompressed_cache_size>67108864</uncompressed_cache_size>\n"
            "  <timezone>UTC</timezone>\n</yandex>\n")
                                   .arg(m_port)
                                   .arg(tcpPort)
                                   .arg(dir)
                                   .toUtf8();
        const QByteArray users
            = "<?xml version=\"1.0\"?>\n<yandex>\n  <profiles><default></default>"
              "<readonly><readonly>1</readonly></readonly></profiles>\n  <users>\n"
              "    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
              "<quota>default</quota></default>\n"
              "    <fd><password>s3cret</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile>"
              "<quota>default</quota></fd>\n"
              "    <reader><password>s3cret</password><networks><ip>127.0.0.1</ip></networks><profile>readonly</profile>"
              "<quota>default</quota></reader>\n"
              "  </users>\n  <quotas><default></default></quotas>\n</yandex>\n";
        if (!writeText(config, xml) || !writeText(dir + QStringLiteral("/users.xml"), users)) {
            *error = QStringLiteral("cannot write the configuration into %1").arg(dir);
            return false;
        }
        return m_server.start(binary(), { QStringLiteral("--config-file=") + config },
            dir + QStringLiteral("/clickhouse.log"), url() + "/ping", error);
    }

    void stop() { m_server.stop(); }
    bool isRunning() const { return m_server.isRunning(); }
    std::string url() const { return localUrl(m_port); }

    // Runs one statement as the default user; returns the body, or throws fd::Error with it.
    std::string exec(const std::string &sql) const
    {
        fd::HttpRequestSpec spec;
        spec.url = url() + "/";
        spec.body = sql;
        spec.contentType = "text/plain";
        const fd::HttpReply r = fd::HttpClient().post(spec, fd::makeCancelToken());
        r.raiseForStatus();
        return r.body;
    }

private:
    ServerProcess m_server;
    quint16 m_port = 0;
};

} // namespace fdtest

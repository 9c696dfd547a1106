#pragma once
#include "OtlpHttpHandler.h"
#include "ReceiverLimits.h"
#include "ReceiverStats.h"
#include <QString>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace fd {

// The OTLP/HTTP receiver and markers API: Boost.Beast reads requests on an io thread, a decoder thread
// inflates and decodes them while the store's thread commits the one before, in order, and answers each
// once its batch is committed. What it holds in memory is bounded by ReceiverLimits. The header stays
// free of Boost (it compiles slowly).
class OtlpReceiver
{
public:
    explicit OtlpReceiver(QString storePath, ReceiverLimits limits = {});
    OtlpReceiver(QString storePath, std::size_t maxBody);
    ~OtlpReceiver();
    OtlpReceiver(const OtlpReceiver &) = delete;
    OtlpReceiver &operator=(const OtlpReceiver &) = delete;

    // Binds before returning, so that a busy port throws fd::Error here; port 0 picks a free one.
    void start(const std::string &host, std::uint16_t port);
    // Closes the listener and every connection and joins the io thread.
    void stop();
    bool isRunning() const { return m_server != nullptr; }

    std::uint16_t port() const { return m_port; }
    std::string address() const; // "127.0.0.1:4318"
    const ReceiverStats &stats() const { return m_handler->stats(); }

private:
    class Server;
    ReceiverLimits m_limits;
    std::unique_ptr<OtlpHttpHandler> m_handler; // outlives the server's connections
    std::unique_ptr<Server> m_server;
    std::string m_host;
    std::uint16_t m_port = 0;
};

} // namespace fd

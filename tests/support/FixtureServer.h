#pragma once
// A small HTTP server on 127.0.0.1 (or another loopback address) that connector tests run inside
// themselves (Boost.Beast on its own thread): every request is answered by the test's handler and
// recorded. A response can also misbehave on purpose for fault-injection tests: a delay, a stall or a
// slow drip in the middle, a connection closed half-way, a wrong or missing Content-Length, a huge
// streamed body, raw bytes.

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fdtest {

struct FixtureRequest {
    std::string method;
    std::string target; // path and query string, as sent
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string path() const; // target without the query string
    // A query parameter, percent-decoded; "" when absent.
    std::string param(const std::string &name) const;
    std::string header(const std::string &name) const; // case-insensitive; "" when absent
};

struct FixtureResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    int delayMs = 0; // before anything is written
    std::optional<std::size_t> closeAfterBytes; // write only this much of the serialised response, then close
    std::optional<std::string> raw; // written as is instead of a serialised response
    // Write this much of the serialised response, wait stallMs (the connection open), then the rest.
    std::optional<std::size_t> stallAfterBytes;
    int stallMs = 60'000;
    // A slow drip: the response in pieces of dripBytes, dripEveryMs apart.
    std::size_t dripBytes = 0;
    int dripEveryMs = 0;
    // The Content-Length header as sent instead of the body's length; "" sends none (the body ends
    // when the connection closes).
    std::optional<std::string> contentLength;
    std::size_t padBytes = 0; // spaces after the body, streamed (a huge body); counted in Content-Length

    static FixtureResponse json(std::string body, int status = 200);
    static FixtureResponse text(std::string body, int status);
};

class FixtureServer
{
public:
    using Handler = std::function<FixtureResponse(const FixtureRequest &)>;

    // host: a loopback address to listen on, e.g. "127.0.0.2" for a server on another host.
    explicit FixtureServer(Handler handler, const std::string &host = "127.0.0.1");
    ~FixtureServer();
    FixtureServer(const FixtureServer &) = delete;
    FixtureServer &operator=(const FixtureServer &) = delete;

    unsigned short port() const;
    std::string url() const; // http://HOST:PORT
    std::vector<FixtureRequest> requests() const;
    void setHandler(Handler handler);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// How many bytes r's status line and headers take when sent: closeAfterBytes or stallAfterBytes set to
// headerBytes(r) + n cut or stall the response n bytes into its body.
std::size_t headerBytes(const FixtureResponse &r);

// The bytes of a file (a fixture); throws std::runtime_error when it cannot be read.
std::string readFile(const std::string &path);

} // namespace fdtest

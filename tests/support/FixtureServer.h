#pragma once
// A small HTTP server on 127.0.0.1 that connector tests run inside themselves (Boost.Beast on its
// own thread): every request is answered by the test's handler and recorded. A response can also
// misbehave on purpose (a delay, a connection closed half-way, raw bytes) for fault-injection tests.

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

    static FixtureResponse json(std::string body, int status = 200);
    static FixtureResponse text(std::string body, int status);
};

class FixtureServer
{
public:
    using Handler = std::function<FixtureResponse(const FixtureRequest &)>;

    explicit FixtureServer(Handler handler);
    ~FixtureServer();
    FixtureServer(const FixtureServer &) = delete;
    FixtureServer &operator=(const FixtureServer &) = delete;

    unsigned short port() const;
    std::string url() const; // http://127.0.0.1:PORT
    std::vector<FixtureRequest> requests() const;
    void setHandler(Handler handler);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The bytes of a file (a fixture); throws std::runtime_error when it cannot be read.
std::string readFile(const std::string &path);

} // namespace fdtest

#pragma once
#include "models/Error.h"
#include "models/Json.h"
#include <string>

namespace fd {

// The first few hundred characters of a body on one line: enough to show a server's message.
std::string bodyExcerpt(const std::string &body);

// The JSON of a server's 2xx answer; throws fd::Error prefixed by `where` (source and endpoint) saying what
// came instead: an HTML page (a login portal, the wrong URL), nothing, or JSON that is not valid or cut off.
// `engine` names the server the URL should lead to ("Jaeger", "Tempo").
Json parseJsonAnswer(const std::string &body, const std::string &where, const std::string &engine);

// Runs a decoder of an answer; an fd::Error it throws gets `where` in front.
template <class F> auto decodeAt(const std::string &where, F &&decode)
{
    try {
        return decode();
    } catch (const Error &e) {
        throw Error(where + ": " + e.what());
    }
}

} // namespace fd

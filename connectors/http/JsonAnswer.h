#pragma once
#include "models/Error.h"
#include "models/Frame.h"
#include "models/Json.h"
#include <string>

namespace fd {

// The first few hundred characters of a body on one line: enough to show a server's message.
std::string bodyExcerpt(const std::string &body);

// A value as a text cell (jsonValueText); null when absent.
inline Cell jsonTextCell(const Json *v) { return v ? Cell(jsonValueText(*v)) : Cell(); }

// What a body that should be JSON is instead: "an empty answer where JSON was expected", "an HTML page
// instead of JSON (is the URL that of the <engine> API?): <excerpt>" (a login portal, the wrong URL) or
// "the answer is not valid JSON (<problem>): <excerpt>" (cut off, invalid UTF-8 ...).
std::string notJsonAnswer(const std::string &body, const std::string &engine);
// Where and why body is no JSON, as the parser says it ("unexpected end of input at byte 12").
std::string jsonParseProblem(const std::string &body);

// The JSON of an answer, discarded when it is none. Bytes that are no UTF-8 (a label value an engine stored
// as it came: VictoriaMetrics and Loki keep raw bytes) read as U+FFFD, as a browser shows them: one such value
// had failed every query whose answer held it. Throws fd::Error for JSON nested deeper than kMaxJsonDepth, its
// message prefixed by `where` ("source \"p\" (...)") when given.
Json parseAnswerJson(const std::string &body, const std::string &where = {});

// The JSON of a server's 2xx answer; throws fd::Error prefixed by `where` (source and endpoint) saying what
// came instead: an HTML page (a login portal, the wrong URL), nothing, or JSON that is not valid or cut off.
// `engine` names the server the URL should lead to ("Jaeger", "Tempo").
Json parseJsonAnswer(const std::string &body, const std::string &where, const std::string &engine);


// Runs a decoder over a parsed answer: a value of the wrong type or out of range inside it becomes
// fd::Error "<engine>: unexpected answer: <problem>", so that decoders throw nothing but fd::Error.
template <class F> auto guardJson(const char *engine, F &&decode)
{
    try {
        return decode();
    } catch (const Json::exception &e) {
        throw Error(std::string(engine) + ": unexpected answer: " + jsonProblem(e));
    }
}

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

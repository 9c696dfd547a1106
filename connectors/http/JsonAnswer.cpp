#include "JsonAnswer.h"
#include <algorithm>
#include "models/Error.h"
#include "models/JsonDepth.h"
#include "models/KnownSecrets.h"
#include "models/ValidUtf8.h"

namespace fd {

std::string bodyExcerpt(const std::string &whole)
{
    constexpr std::size_t kMax = 400;
    // Hidden before the cut: a token cut in two is not found whole, and its head had been shown (exploratory test).
    // The head hidden is made long enough that what is left of it after hiding still reaches past the cut by a
    // whole secret in its longest spelling: a secret cut off at the head's end then lies past the excerpt (review:
    // a long token echoed three times had slid its head into it).
    // Twice: a short secret hidden inside a cut-off long one makes that part longer by up to as much (review).
    const std::size_t needed = kMax + 2 * kLongestEscape * longestSecret();
    std::size_t head = std::max<std::size_t>(16 * kMax, needed);
    std::string body = withoutSecrets(whole.substr(0, head));
    while (head < whole.size() && body.size() < needed) {
        head *= 2;
        body = withoutSecrets(whole.substr(0, head));
    }
    std::size_t cut = std::min(kMax, body.size());
    for (int back = 0; back < 3 && cut > 0 && cut < body.size() && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80; ++back)
        --cut; // not inside a character
    std::string out = validUtf8(std::string_view(body).substr(0, cut)); // a message must be text
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    const auto last = out.find_last_not_of(' ');
    out.erase(last == std::string::npos ? 0 : last + 1);
    return body.size() > kMax || whole.size() > head ? out + "…" : out;
}

Json parseAnswerJson(const std::string &body, const std::string &where)
{
    try {
        checkJsonDepth(body); // a deeper value overflows the stack when it is copied or printed
    } catch (const Error &e) {
        throw Error(where.empty() ? std::string(e.what()) : where + ": " + e.what());
    }
    Json j = Json::parse(body, nullptr, false);
    if (!j.is_discarded())
        return j;
    const std::string valid = validUtf8(body);
    return valid.size() == body.size() && valid == body ? j : Json::parse(valid, nullptr, false);
}

Json parseJsonAnswer(const std::string &body, const std::string &where, const std::string &engine)
{
    Json j = parseAnswerJson(body, where); // out_of_range too: a number past double ("1e999") is discarded
    if (j.is_discarded())
        throw Error(where + ": " + notJsonAnswer(body, engine));
    return j;
}

std::string notJsonAnswer(const std::string &body, const std::string &engine)
{
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return "an empty answer where JSON was expected";
    if (body[first] == '<')
        return "an HTML page instead of JSON (is the URL that of the " + engine + " API?): " + bodyExcerpt(body);
    return "the answer is not valid JSON (" + jsonParseProblem(body) + "): " + bodyExcerpt(body);
}

std::string jsonParseProblem(const std::string &body)
{
    try {
        [[maybe_unused]] const Json parsed = Json::parse(body); // only its exception tells where it fails
    } catch (const Json::exception &e) { // out_of_range too: a number past double ("1e999")
        return jsonProblem(e);
    }
    return "not JSON";
}

} // namespace fd

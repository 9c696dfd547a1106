#include "JaegerResponse.h"
#include "connectors/http/JsonAnswer.h"
#include "models/Error.h"
#include "models/Query.h"
#include "models/QueryText.h"
#include <algorithm>

namespace fd {

namespace {

// A 404 that is not Jaeger's own "not found" envelope comes from a path no Jaeger serves.
std::string httpStatus(int status)
{
    return "HTTP " + std::to_string(status)
        + (status == 404 ? " (no such API path: is the URL that of the Jaeger query service, with its base path?)" : "");
}

// An error object's text member (msg, else message); `otherwise` when it has neither as text.
std::string messageOf(const Json &e, const std::string &otherwise)
{
    for (const char *key : { "msg", "message" })
        if (const auto it = e.find(key); it != e.end() && it->is_string())
            return it->get<std::string>();
    return otherwise;
}

std::string errorText(const Json &e)
{
    if (!e.is_object())
        return e.dump();
    const Json code = e.value("code", Json());
    const std::string msg = messageOf(e, {});
    return code.is_null() ? msg : code.dump() + " " + msg;
}

// A Jaeger answer's "errors" list as one line.
std::string errorsText(const Json &errors)
{
    std::vector<std::string> messages;
    for (const Json &e : errors)
        messages.push_back(errorText(e));
    return joinText(messages, "; ");
}

// The v3 API's error, {"httpCode": 404, ...}, or a gRPC status, {"code": 5, ...} (5 is NOT_FOUND).
// jsonInt: value<int>() casts any float, and throws on text.
bool isNotFound(const Json &error)
{
    return jsonInt(error.value("httpCode", Json())) == 404 || jsonInt(error.value("grpcCode", Json())) == 5
        || (!error.contains("httpCode") && jsonInt(error.value("code", Json())) == 5);
}

bool isGrpcStatus(const Json &answer)
{
    return answer.contains("code") && answer.contains("message") && !answer.contains("data")
        && !answer.contains("result");
}

bool isEmptyData(const Json &answer)
{
    const auto it = answer.find("data");
    return it == answer.end() || it->is_null() || (it->is_array() && it->empty());
}

} // namespace

std::optional<Json> jaegerAnswer(int status, const std::string &body, const std::string &where)
{
    const bool ok = status >= 200 && status < 300;
    Json answer = parseAnswerJson(body, where);
    if (answer.is_discarded()) {
        if (!ok) // a proxy's error page, or Jaeger's own plain text
            throw Error(where + ": " + httpStatus(status) + (body.empty() ? "" : ": " + bodyExcerpt(body)));
        answer = parseJsonAnswer(body, where, "Jaeger query service");
    }
    if (!answer.is_object())
        throw Error(where + ": the answer is not a JSON object: " + bodyExcerpt(body));
    if (const auto it = answer.find("error"); it != answer.end() && it->is_object()) {
        if (isNotFound(*it))
            return std::nullopt;
        throw Error(where + ": Jaeger error: " + messageOf(*it, it->dump()));
    }
    if (isGrpcStatus(answer)) { // grpc-gateway's own envelope, without "error" around it
        if (isNotFound(answer))
            return std::nullopt;
        throw Error(where + ": Jaeger error: " + messageOf(answer, answer.dump()));
    }
    if (const auto it = answer.find("errors"); it != answer.end() && it->is_array() && !it->empty() && isEmptyData(answer)) {
        const bool allNotFound = std::all_of(it->begin(), it->end(), [](const Json &e) {
            return e.is_object() && jsonInt(e.value("code", Json())) == 404;
        });
        if (allNotFound)
            return std::nullopt;
        throw Error(where + ": Jaeger error: " + errorsText(*it));
    }
    if (!ok)
        throw Error(where + ": " + httpStatus(status) + ": " + bodyExcerpt(body));
    return answer;
}

std::string jaegerPartialNote(const Json &answer, const std::string &where)
{
    const auto it = answer.find("errors");
    if (it == answer.end() || !it->is_array() || it->empty() || isEmptyData(answer))
        return {};
    return withoutSecrets(where + ": partial results, Jaeger reported: " + errorsText(*it));
}

std::vector<std::string> jaegerNames(const Json &answer, const std::string &where)
{
    const Json *list = nullptr;
    for (const char *key : { "data", "services", "operations" })
        if (const auto it = answer.find(key); it != answer.end())
            list = &*it;
    if (list && list->is_null())
        return {};
    if (!list || !list->is_array())
        throw Error(where + ": expected a list of names, got: " + bodyExcerpt(answer.dump()));
    std::vector<std::string> names;
    for (const Json &n : *list) {
        if (n.is_string())
            names.push_back(n.get<std::string>());
        else if (n.is_object() && n.contains("name") && n["name"].is_string())
            names.push_back(n["name"].get<std::string>());
    }
    return names;
}

} // namespace fd

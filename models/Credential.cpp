#include "Credential.h"
#include "Error.h"
#include "Json.h"
#include <QByteArray>

namespace fd {

namespace {

std::string requiredString(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
        throw Error(std::string("the credential has no \"") + key + "\"");
    return it->get<std::string>();
}

} // namespace

Credential credentialFromJson(const std::string &text)
{
    const Json j = Json::parse(text, nullptr, false);
    if (!j.is_object())
        throw Error(std::string("the credential is not a JSON object"));
    const std::string kind = j.value("kind", std::string());
    Credential c;
    if (kind == "bearer") {
        c.kind = Credential::Kind::Bearer;
        c.secret = requiredString(j, "token");
    } else if (kind == "basic") {
        c.kind = Credential::Kind::Basic;
        c.username = requiredString(j, "username");
        c.secret = requiredString(j, "password");
    } else if (kind == "header") {
        c.kind = Credential::Kind::Header;
        c.header = requiredString(j, "header");
        c.secret = requiredString(j, "value");
    } else {
        throw Error(std::string("the credential's kind must be \"bearer\", \"basic\" or \"header\""));
    }
    return c;
}

std::string credentialToJson(const Credential &c)
{
    Json j;
    if (c.kind == Credential::Kind::Bearer) {
        j["kind"] = "bearer";
        j["token"] = c.secret;
    } else if (c.kind == Credential::Kind::Header) {
        j["kind"] = "header";
        j["header"] = c.header;
        j["value"] = c.secret;
    } else {
        j["kind"] = "basic";
        j["username"] = c.username;
        j["password"] = c.secret;
    }
    return j.dump();
}

std::pair<std::string, std::string> credentialHeader(const Credential &c)
{
    if (c.kind == Credential::Kind::Header)
        return {c.header, c.secret};
    if (c.kind == Credential::Kind::Bearer)
        return {"Authorization", "Bearer " + c.secret};
    const QByteArray pair = QByteArray::fromStdString(c.username + ":" + c.secret);
    return {"Authorization", "Basic " + pair.toBase64().toStdString()};
}

} // namespace fd

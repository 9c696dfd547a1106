#include "CliCommands.h"
#include "CliContext.h"
#include "connectors/http/HttpTypes.h"
#include "connectors/secrets/SystemSecretStore.h"
#include "models/Error.h"
#include <iostream>
#include <string>

namespace fd {

namespace {

// The secret comes on standard input so it never shows in the process list or the shell history.
std::string readSecretFromStdin()
{
    std::string secret;
    std::getline(std::cin, secret);
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == '\n'))
        secret.pop_back();
    if (secret.empty())
        throw Error(QStringLiteral("no secret on standard input (pipe it in: ... | flightdeck credential set ID)"));
    return secret;
}

Credential credentialFromOptions(const QCommandLineParser &p)
{
    Credential c;
    if (p.isSet(QStringLiteral("basic"))) {
        c.kind = Credential::Kind::Basic;
        c.username = p.value(QStringLiteral("basic")).toStdString();
    } else if (p.isSet(QStringLiteral("header"))) {
        c.kind = Credential::Kind::Header;
        c.header = p.value(QStringLiteral("header")).toStdString();
    }
    if (c.kind == Credential::Kind::Basic && c.username.find(':') != std::string::npos)
        throw Error(QStringLiteral("a basic user name cannot hold a colon: the header joins it to the password with one"));
    c.secret = readSecretFromStdin();
    const auto [name, value] = credentialHeader(c);
    requireValidHeader(name, value); // refused now, not at every request
    return c;
}

} // namespace

int credentialCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("set, check or delete"));
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The credential id a workspace source names."));
    p.addOptions({ cliOption("bearer", "set: a bearer token read from standard input (the default)."),
        cliOption("basic", "set: basic auth as USER; the password is read from standard input.", "USER"),
        cliOption("header", "set: the header NAME (X-Api-Key) with the value read from standard input.", "NAME") });
    const QString description = QStringLiteral(
        "Keeps a source's credential in the system keychain (never in the workspace file).\n"
        "FLIGHTDECK_CREDENTIAL_<ID> in the environment overrides the keychain when reading: a bearer token as it is,\n"
        "or {\"kind\":\"basic\",\"username\":\"U\",\"password\":\"P\"} (or \"header\" with \"header\" and \"value\").");
    if (const int rc = parseCommandLine(p, args, description, 2); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 2)
        throw Error(QStringLiteral("expected: credential set|check|delete ID"));
    const QString action = pos[0];
    const std::string id = pos[1].toStdString();
    SystemSecretStore secrets;
    if (action == QLatin1String("set")) {
        secrets.write(id, credentialToJson(credentialFromOptions(p)));
        printOut("credential \"" + id + "\" stored in the system keychain\n");
    } else if (action == QLatin1String("delete")) {
        if (!secrets.read(id))
            throw Error(QStringLiteral("no credential \"%1\" to delete").arg(pos[1]));
        secrets.remove(id);
        printOut("credential \"" + id + "\" deleted\n");
    } else if (action == QLatin1String("check")) {
        const std::optional<std::string> stored = secrets.read(id);
        if (!stored)
            throw Error(QStringLiteral("no credential \"%1\"").arg(pos[1]));
        const Credential c = credentialFromJson(*stored);
        printOut(c.kind == Credential::Kind::Bearer   ? std::string("bearer token\n")
                 : c.kind == Credential::Kind::Header ? "header " + c.header + "\n"
                                                      : "basic auth as " + c.username + "\n");
    } else {
        throw Error(QStringLiteral("unknown action \"%1\": use set, check or delete").arg(action));
    }
    return 0;
}

} // namespace fd

#pragma once
#include "KnownSecrets.h"
#include <QString>
#include <stdexcept>

namespace fd {

// The one exception type of Flightdeck: its message is meant for the user, and shows no credential this
// process has sent (withoutSecrets).
class Error : public std::runtime_error
{
public:
    explicit Error(const QString &message) : std::runtime_error(withoutSecrets(message.toStdString())) {}
    explicit Error(const std::string &message) : std::runtime_error(withoutSecrets(message)) {}
    QString message() const { return QString::fromStdString(what()); }
    // Whether the source did not answer at all (no connection, or no answer within its timeout): asking it again
    // in the same task would wait as long again.
    virtual bool unanswered() const { return false; }
};

// Thrown by a query whose cancellation token was set.
class Cancelled : public Error
{
public:
    Cancelled() : Error(std::string("cancelled")) {}
    explicit Cancelled(const std::string &message) : Error(message) {} // "cancelled: what was kept"
};

} // namespace fd

#pragma once
#include "ClickHouseResponse.h"
#include "models/Error.h"

namespace fd {

// An exception the server reported, with its code (60: unknown table ...) and the HTTP status it came with
// (200 when it was written after partial output).
class ClickHouseError : public Error
{
public:
    ClickHouseError(const ChError &e, int httpStatus, const std::string &suffix = {})
        : Error(e.text() + suffix)
        , m_code(e.code)
        , m_status(httpStatus)
    {
    }
    int code() const { return m_code; }
    int status() const { return m_status; }

private:
    int m_code;
    int m_status;
};

} // namespace fd

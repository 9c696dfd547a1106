#pragma once
#include "HttpTypes.h"
#include "models/Cancel.h"

namespace fd {

// The HTTP(S) client every remote connector uses, from worker threads: each call blocks until the
// response is in, polling the cancellation token at least every 100 ms (then throwing fd::Cancelled).
// Other failures throw HttpError saying what happened; any HTTP status is returned as a response
// (raiseForStatus() turns a non-2xx one into an error). In the body of a non-2xx answer, which messages
// quote, the values of the request's credential headers (but a tenant and a user name) read <hidden>. Stateless: safe to call from several
// threads.
class HttpClient
{
public:
    HttpReply get(const HttpRequestSpec &spec, const CancelTokenPtr &cancel) const;
    HttpReply post(const HttpRequestSpec &spec, const CancelTokenPtr &cancel) const;
};

} // namespace fd

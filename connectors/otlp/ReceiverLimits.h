#pragma once
#include <chrono>
#include <cstdint>
#include <cstddef>

namespace fd {

// What bounds the receiver's memory and its clients' wait. Past a limit it answers 503 with Retry-After
// (OTLP/HTTP's retryable answer) at once instead of reading or queueing more.
struct ReceiverLimits {
    std::size_t maxBody = 64 * 1024 * 1024; // one request, counted after decompression too (413 beyond)
    // Request bodies being read or waiting for the store; a lone request is always let in, so a body up
    // to maxBody gets through an idle receiver.
    std::size_t maxBytesInFlight = 128 * 1024 * 1024;
    int maxConnections = 256; // a connection beyond it gets 503 to its first request and is closed
    // A request that waited longer than this for the store is answered 503 without storing it: its
    // client has likely given up and would retry anyway.
    std::chrono::milliseconds maxQueueWait { 5000 };
    std::chrono::milliseconds storeBusyTimeout { 2000 }; // how long an insert waits for another writer's lock
    int retryAfterSeconds = 1;
    // A request's whole body must arrive within this, plus a second per MiB it declares: a sender that
    // trickles a large body holds its share of maxBytesInFlight no longer (each read alone has 30 s).
    std::chrono::milliseconds bodyTimeout { 30000 };
    // Log rows that may wait for the full-text index while requests leave no gap to index them in
    // (OtlpHttpHandler::setFullTextLagLimit); 0 indexes in every commit. Scanning 500,000 bodies adds
    // about 0.7 s to a search.
    std::int64_t maxFullTextLag = 500'000;
};

} // namespace fd

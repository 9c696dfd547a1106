#pragma once
#include "connectors/otlp/OtlpSignal.h"
#include "models/Cancel.h"
#include "models/Error.h"
#include "models/Json.h"
#include <QtGlobal>
#include <cstddef>
#include <functional>

class QIODevice;

namespace fd {

// A request cut from a document: one resource, one scope and up to the reader's number of items.
struct OtlpPiece {
    OtlpSignal signal;
    Json request;
    std::size_t items = 0;
    qint64 bytesRead = 0; // of the document, when the piece was cut
};

// The text read is no single JSON value, or nests too deep (what `piece` throws passes through as it is).
class DocumentError : public Error
{
public:
    using Error::Error;
};

// Reads one OTLP/JSON export request of any size (an export file, pretty-printed) without holding it whole:
// nlohmann's SAX parser walks the text, and every `itemsPerPiece` spans, log records or metrics go to
// `piece` as a request of their own with their resource's and scope's other members. (Protobuf's JSON order
// writes those members first; one written after the items reaches only the items after it.)
class OtlpDocumentReader
{
public:
    using Piece = std::function<void(const OtlpPiece &)>;

    OtlpDocumentReader(QIODevice &in, CancelTokenPtr cancel, Piece piece, std::size_t itemsPerPiece);

    // Throws DocumentError for text that is no single JSON value (saying where) or nests deeper than
    // kMaxJsonDepth, fd::Cancelled when cancelled; the pieces before either have been handed over.
    // False when the document holds no resources list of any signal.
    bool read();

private:
    QIODevice &m_in;
    CancelTokenPtr m_cancel;
    Piece m_piece;
    std::size_t m_itemsPerPiece;
};

} // namespace fd

#pragma once
#include "connectors/otlp/OtlpSignal.h"
#include "models/Cancel.h"
#include "models/Error.h"
#include "models/Json.h"
#include <QtGlobal>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

class QIODevice;

namespace fd {

// A request cut from a document: one resource, one scope and up to the reader's number of items.
struct OtlpPiece {
    OtlpSignal signal;
    Json request;
    std::size_t items = 0;
    qint64 bytesRead = 0; // of the document, when the piece was cut
};

// The text read is no single JSON value (notJson), or nests too deep (what `piece` throws passes through as it is).
class DocumentError : public Error
{
public:
    DocumentError(const std::string &message, bool notJson) : Error(message), m_notJson(notJson) {}
    bool notJson() const { return m_notJson; }

private:
    bool m_notJson;
};

// Reads one OTLP/JSON export request of any size (an export file, pretty-printed) without holding it whole:
// nlohmann's SAX parser walks the text, and every `itemsPerPiece` spans, log records or metrics go to
// `piece` as a request of their own with their resource's and scope's other members. (Protobuf's JSON order
// writes those members first; a resource or scope written after items already cut misses them, and
// warnings() says so.)
class OtlpDocumentReader
{
public:
    using Piece = std::function<void(const OtlpPiece &)>;

    OtlpDocumentReader(QIODevice &in, CancelTokenPtr cancel, Piece piece, std::size_t itemsPerPiece);

    // Throws DocumentError for text that is no single JSON value (saying where) or nests deeper than
    // kMaxJsonDepth, fd::Cancelled when cancelled; every whole item before either has been handed over.
    // False when the document holds no resources list of any signal.
    bool read();
    const std::vector<std::string> &warnings() const { return m_warnings; }

private:
    QIODevice &m_in;
    CancelTokenPtr m_cancel;
    Piece m_piece;
    std::size_t m_itemsPerPiece;
    std::vector<std::string> m_warnings;
};

} // namespace fd

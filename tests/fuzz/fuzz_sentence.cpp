// The query bar's sentence ("logs where a = 1 count by service.name every 5m"): only a SentenceError, which
// points at the wrong part, may come out of it, and a query read from it must read back the same from the
// sentence it writes.
#include "FuzzTarget.h"
#include "models/QuerySentence.h"
#include <exception>

using namespace fd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    Query q;
    try {
        for (const qsizetype cursor : { qsizetype(0), text.size() / 2, text.size() })
            sentenceContextAt(text, static_cast<int>(cursor));
        q = parseQuerySentence(text);
    } catch (const SentenceError &e) {
        fuzz::check(e.start() >= 0 && e.start() <= e.end() && e.end() <= text.size(), "error span outside the text");
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "sentence \"%s\": %s\n", text.toUtf8().constData(), e.what());
        fuzz::check(false, "an exception other than SentenceError");
    }
    const QString again = querySentence(q);
    try {
        fuzz::check(parseQuerySentence(again) == q, "parseQuerySentence(querySentence(q)) != q");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "sentence \"%s\" -> \"%s\": %s\n", text.toUtf8().constData(), again.toUtf8().constData(),
                     e.what());
        fuzz::check(false, "querySentence gives a sentence parseQuerySentence refuses");
    }
    return 0;
}

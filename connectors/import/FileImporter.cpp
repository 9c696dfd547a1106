#include "FileImporter.h"
#include "BatchWriter.h"
#include "LineReader.h"
#include "LogRowDecoder.h"
#include "connectors/otlp/OtlpJsonDecoder.h"
#include "connectors/otlp/OtlpJsonFastDecoder.h"
#include "connectors/store/Store.h"
#include "models/Error.h"
#include "models/JsonDepth.h"
#include <QFile>
#include <QElapsedTimer>
#include <QFileInfo>
#include <optional>

namespace fd {

namespace {
constexpr std::size_t kBatchRecords = 20000;
constexpr std::size_t kMaxProblems = 100;
constexpr qint64 kMaxLine = 256LL * 1024 * 1024;

void append(TelemetryBatch &into, TelemetryBatch &&from)
{
    std::move(from.logs.begin(), from.logs.end(), std::back_inserter(into.logs));
    std::move(from.spans.begin(), from.spans.end(), std::back_inserter(into.spans));
    std::move(from.metrics.begin(), from.metrics.end(), std::back_inserter(into.metrics));
}

// One OTLP/JSON export request into the batch; throws fd::Error describing why it is bad. Spans and logs
// as SDKs write them take the receiver's one-pass decoder; the rest (and an empty result, which may be
// "{}", no request at all) the full parser.
void decodeOtlpRequest(std::string_view text, TelemetryBatch &batch)
{
    for (OtlpSignal signal : {OtlpSignal::Traces, OtlpSignal::Logs}) {
        std::optional<TelemetryBatch> decoded = decodeOtlpJsonFast(signal, text, nullptr); // stops at kMaxJsonDepth
        if (decoded && !decoded->empty())
            return append(batch, std::move(*decoded));
    }
    checkJsonDepth(text);
    const Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded())
        throw Error(std::string("not valid JSON"));
    const auto signal = detectOtlpJsonSignal(j);
    if (!signal)
        throw Error(std::string("not an OTLP/JSON export request (no resourceSpans, resourceLogs or resourceMetrics)"));
    append(batch, decodeOtlpJson(*signal, j));
}

// JSON-lines logs go straight to the store's row form; OTLP/JSON requests are decoded whole.
void decodeLine(std::string_view line, ImportFormat format, LogRowDecoder &decoder, ImportBatch &batch)
{
    if (format == ImportFormat::OtlpJson
        || decoder.decode(line, format == ImportFormat::Auto, batch.logs) == LogRowDecoder::Outcome::OtlpRequest)
        decodeOtlpRequest(line, batch.telemetry);
}
} // namespace

ImportFormat importFormatFromName(const QString &name)
{
    if (name == QLatin1String("auto"))
        return ImportFormat::Auto;
    if (name == QLatin1String("otlp-json") || name == QLatin1String("otlp"))
        return ImportFormat::OtlpJson;
    if (name == QLatin1String("jsonl") || name == QLatin1String("json-lines") || name == QLatin1String("ndjson"))
        return ImportFormat::JsonLines;
    throw Error(QStringLiteral("unknown import format \"%1\" (use auto, otlp-json or jsonl)").arg(name));
}

ImportReport FileImporter::import(const QString &path, ImportFormat format, const CancelTokenPtr &cancel,
                                  const std::function<void(qint64, qint64)> &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const std::string name = QFileInfo(path).fileName().toStdString();
    ImportReport report;
    ImportBatch batch;
    LogRowDecoder decoder;
    auto problem = [&](const std::string &reason) {
        ++report.badLines;
        if (report.problems.size() < kMaxProblems)
            report.problems.push_back(name + ":" + std::to_string(report.lines) + ": " + reason);
    };
    auto flush = [&] {
        report.records += static_cast<std::int64_t>(batch.records());
        m_store.insert(batch.telemetry);
        batch = {};
    };
    // A pretty-printed OTLP file spans many lines: read it whole when its first line is not a whole object.
    const QByteArray head = file.peek(1 << 16);
    const qsizetype firstNewline = head.indexOf('\n');
    const bool multiLineDocument = head.trimmed().startsWith('{') && firstNewline >= 0
                                   && Json::parse(head.left(firstNewline).toStdString(), nullptr, false).is_discarded();
    if (multiLineDocument && format != ImportFormat::JsonLines && file.size() <= kMaxLine) {
        const QByteArray whole = file.readAll();
        const std::string_view text(whole.constData(), std::size_t(whole.size()));
        std::optional<std::string> failed;
        try {
            decodeOtlpRequest(text, batch.telemetry);
        } catch (const Error &e) {
            failed = e.what();
        }
        // Validated only when decoding failed, so a good document is parsed once.
        if (!failed || Json::accept(text.begin(), text.end())) {
            report.lines = 1;
            if (failed)
                problem(*failed);
            flush();
            m_store.indexFullText(cancel);
            return report;
        }
        batch = {};
        file.seek(0); // not one document: JSON lines whose first line is bad, which costs that line only
    }
    // This thread reads and decodes; the writer commits and indexes on its own thread meanwhile.
    BatchWriter writer(m_store, cancel);
    QElapsedTimer decoding, waiting;
    decoding.start();
    qint64 waitedNs = 0;
    auto push = [&] {
        report.records += static_cast<std::int64_t>(batch.records());
        waiting.start();
        writer.push(std::move(batch));
        waitedNs += waiting.nsecsElapsed();
        batch = {};
    };
    LineReader reader(file, kMaxLine);
    std::string_view line;
    bool cut = false;
    while (reader.next(line, cut)) {
        throwIfCancelled(cancel);
        ++report.lines;
        if (cut) {
            problem("line longer than 256 MiB");
            continue;
        }
        if (line.empty())
            continue;
        try {
            decodeLine(line, format, decoder, batch);
        } catch (const Error &e) {
            problem(e.what());
        }
        if (batch.records() >= kBatchRecords) {
            push();
            if (progress)
                progress(reader.position(), file.size());
        }
    }
    push();
    report.timings.decode = static_cast<double>(decoding.nsecsElapsed() - waitedNs) / 1e9;
    report.timings.waiting = static_cast<double>(waitedNs) / 1e9;
    writer.finish();
    report.timings.insert = writer.insertSeconds();
    report.timings.fullText = writer.fullTextSeconds();
    report.timings.indexes = writer.indexSeconds();
    throwIfCancelled(cancel);
    if (progress)
        progress(file.size(), file.size());
    return report;
}

} // namespace fd

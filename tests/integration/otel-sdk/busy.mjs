// Exports 20 batches of 200 spans at once with the OpenTelemetry JS SDK's OTLP/protobuf trace exporter to a
// receiver that holds only a couple of requests at a time: the rest get 503 with Retry-After, which the
// exporter retries.
// Prints {"ok": N, "failed": N, "spans_per_batch": 200, "errors": [...]}.
//
//   node busy.mjs --endpoint http://127.0.0.1:PORT
import { parseArgs } from 'node:util';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const { endpoint } = parseArgs({ options: { endpoint: { type: 'string' } }, strict: true }).values;
if (!endpoint) {
  process.stderr.write('usage: node busy.mjs --endpoint http://127.0.0.1:PORT\n');
  process.exit(2);
}
const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces`, timeoutMillis: 30000 });
const tracer = new BasicTracerProvider().getTracer('busy');
const batches = 20, perBatch = 200;
let ok = 0, failed = 0;
const errors = [];
const exports = [];
for (let b = 0; b < batches; ++b) {
  const spans = [];
  for (let i = 0; i < perBatch; ++i) {
    const span = tracer.startSpan(`busy ${b} ${i}`);
    span.end();
    spans.push(span);
  }
  exports.push(new Promise((resolve) => exporter.export(spans, (result) => {
    if (result.code === ExportResultCode.SUCCESS) ok++;
    else { failed++; errors.push(result.error ? String(result.error.message || result.error) : 'unknown'); }
    resolve();
  })));
}
await Promise.all(exports);
process.stdout.write(JSON.stringify({ ok, failed, spans_per_batch: perBatch, errors }) + '\n');

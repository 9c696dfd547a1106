// Sends one known nested trace (frontend -> auth -> checkout), log records emitted inside its
// spans and a counter metric to an OTLP/HTTP receiver with the OpenTelemetry JS SDK, then writes
// what was sent (ids, parent links, typed attributes, nanosecond times) to a JSON file that the
// integration tests compare with what Flightdeck stored.
//
//   node send.mjs --endpoint http://127.0.0.1:PORT --protocol json|proto --out facts.json
//
// OTEL_EXPORTER_OTLP_COMPRESSION=gzip makes every exporter gzip its requests.
// Exits 1 with a message on stderr when an export fails or the arguments are wrong.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, ValueType, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter as TraceHttp } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter as LogHttp } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricHttp } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

function fail(message) {
  process.stderr.write(`send.mjs: ${message}\n`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      endpoint: { type: 'string' },
      protocol: { type: 'string', default: 'json' },
      out: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (e) {
  fail(`${e.message}\nusage: node send.mjs --endpoint http://127.0.0.1:PORT --protocol json|proto --out FILE`);
}
if (!args.endpoint || !args.out) fail('--endpoint and --out are required');
if (args.protocol !== 'json' && args.protocol !== 'proto') fail(`--protocol must be json or proto, not "${args.protocol}"`);

const endpoint = args.endpoint.replace(/\/+$/, '');
const compressionEnv = (process.env.OTEL_EXPORTER_OTLP_COMPRESSION ?? '').trim();
if (compressionEnv !== '' && compressionEnv !== 'gzip' && compressionEnv !== 'none') {
  fail(`OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none, not "${compressionEnv}"`);
}
const compression = compressionEnv === 'gzip' ? 'gzip' : 'none';
const exporterOptions = (signal) => ({
  url: `${endpoint}/v1/${signal}`,
  compression,
  timeoutMillis: 15000,
});
const proto = args.protocol === 'proto';

// ---------------------------------------------------------------------------------------------
// Exporters wrapped so that every item that is handed to the network is recorded, and every
// failed export is remembered (the SDK's processors only report failures to a global handler).
const failures = [];
const exported = { spans: [], logs: [], metrics: [] };

function recording(inner, sink, what) {
  const wrapper = {
    export(items, resultCallback) {
      inner.export(items, (result) => {
        if (result.code === ExportResultCode.SUCCESS) {
          if (what === 'metrics') sink.push(items);
          else sink.push(...items);
        } else {
          const why = result.error ? (result.error.message || String(result.error)) : 'unknown error';
          const errCode = result.error ? result.error.code : undefined;
          const code = typeof errCode === 'number' ? ` (HTTP ${errCode})` : errCode ? ` (${errCode})` : '';
          const data = result.error && result.error.data ? `: ${result.error.data}` : '';
          failures.push(`${what} export to ${endpoint} failed${code}: ${why}${data}`);
        }
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => (inner.forceFlush ? inner.forceFlush() : Promise.resolve()),
  };
  if (inner.selectAggregationTemporality) {
    wrapper.selectAggregationTemporality = (kind) => inner.selectAggregationTemporality(kind);
  }
  if (inner.selectAggregation) wrapper.selectAggregation = (kind) => inner.selectAggregation(kind);
  return wrapper;
}

const traceExporter = () => recording(proto ? new TraceProto(exporterOptions('traces'))
                                             : new TraceHttp(exporterOptions('traces')), exported.spans, 'spans');
const logExporter = () => recording(proto ? new LogProto(exporterOptions('logs'))
                                           : new LogHttp(exporterOptions('logs')), exported.logs, 'logs');
const metricExporter = () => recording(proto ? new MetricProto(exporterOptions('metrics'))
                                              : new MetricHttp(exporterOptions('metrics')), exported.metrics, 'metrics');

// ---------------------------------------------------------------------------------------------
// One resource, tracer provider and logger provider per service. Batch and simple processors are
// mixed on purpose: the receiver sees one request per span as well as batched requests.
const runId = randomBytes(4).toString('hex');
const services = {};
for (const [name, version, batch] of [['frontend', '3.4.1', true], ['auth', '2.14.0', false], ['checkout', '1.9.0', true]]) {
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: name,
    [ATTR_SERVICE_VERSION]: version,
    'deployment.environment.name': 'test',
    'fd.test.run': runId,
  });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [batch ? new BatchSpanProcessor(traceExporter()) : new SimpleSpanProcessor(traceExporter())],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [batch ? new BatchLogRecordProcessor({ exporter: logExporter() })
                       : new SimpleLogRecordProcessor({ exporter: logExporter() })],
  });
  services[name] = {
    resource,
    tracerProvider,
    loggerProvider,
    tracer: tracerProvider.getTracer('flightdeck-sdk-test', '1.0.0'),
    logger: loggerProvider.getLogger('flightdeck-sdk-test', '1.0.0'),
  };
}

// Some span times and all log times are given as HrTime with all nine digits used, so that a
// receiver that rounds to micro- or milliseconds is caught (the SDK's default span start and log
// time come from Date.now() and have only milliseconds).
function hrNow(subMillisecondNs) {
  const nowMs = Date.now();
  return [Math.floor(nowMs / 1000), (nowMs % 1000) * 1e6 + subMillisecondNs];
}
function hrPlus(hr, nanoseconds) {
  const total = hr[1] + nanoseconds;
  return [hr[0] + Math.floor(total / 1e9), total % 1e9];
}
let logSeq = 0;
function logTime() {
  logSeq += 1;
  return hrNow(123457 + logSeq * 11);
}
const inSpan = (span) => trace.setSpan(ROOT_CONTEXT, span);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The trace.
const { frontend, auth, checkout } = services;

const root = frontend.tracer.startSpan('GET /checkout', {
  kind: SpanKind.SERVER,
  startTime: hrNow(987654),
  attributes: {
    'http.request.method': 'GET',
    'url.path': '/checkout',
    'http.response.status_code': 200,
    'fd.test.ratio': 0.25,
    'fd.test.flag': true,
    'fd.test.off': false,
    'fd.test.big': 9007199254740991,
    'fd.test.negative': -42,
    'fd.test.tags': ['web', 'eu-west', 'canary'],
    'fd.test.codes': [200, 302, 404],
    'fd.test.weights': [0.5, 1.25],
    'fd.test.bools': [true, false],
    'fd.test.unicode': 'grüße, 世界 "quoted" \\ back',
  },
}, ROOT_CONTEXT);
await sleep(2);
root.addEvent('page.rendered', { 'fd.test.template': 'checkout.html', 'fd.test.bytes': 5120 }, hrNow(424242));
frontend.logger.emit({
  timestamp: logTime(),
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  body: 'checkout page requested',
  attributes: { 'http.request.method': 'GET', 'fd.test.attempt': 1 },
  context: inSpan(root),
});

const authCall = frontend.tracer.startSpan('POST auth/verify', {
  kind: SpanKind.CLIENT,
  attributes: { 'server.address': 'auth', 'server.port': 8443 },
}, inSpan(root));
await sleep(3);
const authServer = auth.tracer.startSpan('POST /verify', {
  kind: SpanKind.SERVER,
  attributes: { 'http.request.method': 'POST', 'http.route': '/verify', 'enduser.id': 'user-42' },
}, inSpan(authCall));
await sleep(1);
const dbStart = hrNow(1);
const dbQuery = auth.tracer.startSpan('SELECT users', {
  kind: SpanKind.CLIENT,
  startTime: dbStart,
  attributes: { 'db.system.name': 'postgresql', 'db.query.text': 'SELECT * FROM users WHERE id = $1', 'db.response.returned_rows': 1 },
}, inSpan(authServer));
await sleep(2);
dbQuery.end(hrPlus(dbStart, 1234567));
auth.logger.emit({
  timestamp: logTime(),
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  body: 'token verified',
  attributes: { 'enduser.id': 'user-42', 'fd.test.token_age_s': 12.75, 'fd.test.cached': true },
  context: inSpan(authServer),
});
authServer.setStatus({ code: SpanStatusCode.OK });
authServer.end();
authCall.end();

const checkoutCall = frontend.tracer.startSpan('POST checkout/orders', {
  kind: SpanKind.CLIENT,
  attributes: { 'server.address': 'checkout', 'server.port': 8080 },
}, inSpan(root));
await sleep(2);
const checkoutServer = checkout.tracer.startSpan('POST /orders', {
  kind: SpanKind.SERVER,
  attributes: { 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': 502, 'fd.test.amount': 12.5 },
  links: [{ context: authServer.spanContext(), attributes: { 'fd.test.link': 'verified-by' } }],
}, inSpan(checkoutCall));
await sleep(1);
const payment = checkout.tracer.startSpan('charge card', {
  kind: SpanKind.INTERNAL,
  startTime: hrNow(999999),
  attributes: { 'fd.test.provider': 'acme-pay', 'fd.test.retry': false },
}, inSpan(checkoutServer));
await sleep(2);
checkout.logger.emit({
  timestamp: logTime(),
  severityNumber: SeverityNumber.WARN,
  severityText: 'WARN',
  body: 'payment provider slow',
  attributes: { 'fd.test.latency_ms': 1875.5, 'fd.test.provider': 'acme-pay' },
  context: inSpan(payment),
});
payment.addEvent('exception', {
  'exception.type': 'PaymentDeclined',
  'exception.message': 'card declined',
});
payment.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
payment.end();
checkout.logger.emit({
  timestamp: logTime(),
  severityNumber: SeverityNumber.ERROR,
  severityText: 'ERROR',
  body: 'order failed: card declined',
  attributes: {
    'order.id': `o-${runId}`,
    'fd.test.items': 3,
    'fd.test.total': 12.5,
    'fd.test.retry': false,
    'fd.test.skus': ['sku-1', 'sku-2'],
  },
  context: inSpan(checkoutServer),
});
checkoutServer.setStatus({ code: SpanStatusCode.ERROR, message: 'payment declined' });
checkoutServer.end();
checkoutCall.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 502' });
checkoutCall.end();
root.end();

// ---------------------------------------------------------------------------------------------
// The metric: a monotonic int counter of checkout, named per run so that runs into one store
// stay apart. Only forceFlush() exports it; shutdown() would export the cumulative point again.
const metricName = `fd_test_orders_${runId}`;
const metricReader = new PeriodicExportingMetricReader({
  exporter: metricExporter(),
  exportIntervalMillis: 600000,
  exportTimeoutMillis: 15000,
});
const meterProvider = new MeterProvider({ resource: checkout.resource, readers: [metricReader] });
const counter = meterProvider.getMeter('flightdeck-sdk-test', '1.0.0')
  .createCounter(metricName, { description: 'orders placed (test)', unit: '{order}', valueType: ValueType.INT });
counter.add(3, { 'order.channel': 'web' });
counter.add(4, { 'order.channel': 'web' });

async function flushAll() {
  const steps = [];
  for (const s of Object.values(services)) {
    steps.push(s.tracerProvider.forceFlush(), s.loggerProvider.forceFlush());
  }
  steps.push(meterProvider.forceFlush());
  const results = await Promise.allSettled(steps);
  for (const r of results) {
    if (r.status === 'rejected') failures.push(`flush failed: ${r.reason && r.reason.message ? r.reason.message : r.reason}`);
  }
  await Promise.allSettled(Object.values(services).flatMap((s) => [s.tracerProvider.shutdown(), s.loggerProvider.shutdown()]));
}
await flushAll();

// ---------------------------------------------------------------------------------------------
// The facts, from what the SDK exported.
const ns = (hr) => (BigInt(hr[0]) * 1000000000n + BigInt(hr[1])).toString();

function typeOf(value) {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (Array.isArray(value)) return 'array';
  return 'other';
}
// { key: { type, value, item_types? } } -- the OTLP type the exporter chose for each value.
function typed(attributes) {
  const out = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    const entry = { type: typeOf(value), value };
    if (Array.isArray(value)) entry.item_types = value.map(typeOf);
    out[key] = entry;
  }
  return out;
}
const kindNames = { [SpanKind.INTERNAL]: 'INTERNAL', [SpanKind.SERVER]: 'SERVER', [SpanKind.CLIENT]: 'CLIENT',
                    [SpanKind.PRODUCER]: 'PRODUCER', [SpanKind.CONSUMER]: 'CONSUMER' };
const statusNames = { [SpanStatusCode.UNSET]: 'UNSET', [SpanStatusCode.OK]: 'OK', [SpanStatusCode.ERROR]: 'ERROR' };

const expectedSpans = 7;
const expectedLogs = 4;
if (failures.length === 0 && exported.spans.length !== expectedSpans) {
  failures.push(`exported ${exported.spans.length} spans, expected ${expectedSpans}`);
}
if (failures.length === 0 && exported.logs.length !== expectedLogs) {
  failures.push(`exported ${exported.logs.length} log records, expected ${expectedLogs}`);
}

const metricPoints = [];
for (const resourceMetrics of exported.metrics) {
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== metricName) continue;
      for (const point of metric.dataPoints) {
        metricPoints.push({
          start_ns: ns(point.startTime),
          time_ns: ns(point.endTime),
          value: point.value,
          attributes: typed(point.attributes),
        });
      }
    }
  }
}
if (failures.length === 0 && metricPoints.length === 0) failures.push(`metric ${metricName} was not exported`);

if (failures.length > 0) fail(failures.join('\n'));

const traceId = root.spanContext().traceId;
const facts = {
  protocol: args.protocol,
  compression,
  endpoint,
  run_id: runId,
  trace_id: traceId,
  spans: exported.spans.map((s) => ({
    trace_id: s.spanContext().traceId,
    span_id: s.spanContext().spanId,
    parent_span_id: s.parentSpanContext ? s.parentSpanContext.spanId : '',
    name: s.name,
    service: s.resource.attributes[ATTR_SERVICE_NAME],
    kind: kindNames[s.kind],
    kind_otlp: s.kind + 1,
    start_ns: ns(s.startTime),
    end_ns: ns(s.endTime),
    duration_ns: (BigInt(ns(s.endTime)) - BigInt(ns(s.startTime))).toString(),
    status: { code: statusNames[s.status.code], code_otlp: s.status.code, message: s.status.message ?? '' },
    attributes: typed(s.attributes),
    resource: typed(s.resource.attributes),
    events: s.events.map((e) => ({ name: e.name, time_ns: ns(e.time), attributes: typed(e.attributes) })),
    links: s.links.map((l) => ({ trace_id: l.context.traceId, span_id: l.context.spanId, attributes: typed(l.attributes) })),
  })),
  logs: exported.logs.map((l) => ({
    time_ns: ns(l.hrTime),
    observed_time_ns: ns(l.hrTimeObserved),
    severity_number: l.severityNumber,
    severity_text: l.severityText ?? '',
    body: l.body,
    service: l.resource.attributes[ATTR_SERVICE_NAME],
    trace_id: l.spanContext ? l.spanContext.traceId : '',
    span_id: l.spanContext ? l.spanContext.spanId : '',
    attributes: typed(l.attributes),
  })),
  metric: {
    name: metricName,
    service: 'checkout',
    kind: 'sum',
    monotonic: true,
    value: metricPoints[metricPoints.length - 1].value,
    points: metricPoints,
  },
};
for (const s of facts.spans) {
  if (s.trace_id !== traceId) fail(`span ${s.span_id} has trace id ${s.trace_id}, expected ${traceId}`);
}
for (const l of facts.logs) {
  if (l.trace_id !== traceId) fail(`log "${l.body}" has trace id "${l.trace_id}", expected ${traceId}`);
}

writeFileSync(args.out, `${JSON.stringify(facts, null, 2)}\n`);
process.stdout.write(`sent trace ${traceId}: ${facts.spans.length} spans, ${facts.logs.length} logs, ` +
                     `metric ${metricName}=${facts.metric.value} (${args.protocol}, compression ${compression})\n`);
process.exit(0);

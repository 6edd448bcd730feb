// End-to-end check of ai-observer against a real OpenTelemetry JS SDK. For each OTLP flavour
// (HTTP JSON, HTTP protobuf, gRPC) it exports a known trace, known metrics and known log records
// under its own service name, flushes and shuts the providers down, then reads everything back
// through the REST API and compares ids, attributes and values exactly. One line per check, then
// "N passed, M failed"; exit 1 on any failure. Started by tests/e2e/otel-sdk.sh, which runs the server.
//
// Usage: node export-and-verify.mjs --api URL --otlp-http URL --otlp-grpc URL

import { parseArgs, isDeepStrictEqual } from 'node:util';
import { context, trace, diag, DiagConsoleLogger, DiagLogLevel, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter as TraceHttpJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceHttpProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as MetricHttpJson, AggregationTemporalityPreference } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricHttpProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as MetricGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as LogHttpJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogHttpProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';

const { values: args } = parseArgs({
  options: { api: { type: 'string' }, 'otlp-http': { type: 'string' }, 'otlp-grpc': { type: 'string' } },
});
for (const name of ['api', 'otlp-http', 'otlp-grpc']) {
  if (!args[name]) {
    console.error(`usage: node export-and-verify.mjs --api URL --otlp-http URL --otlp-grpc URL (missing --${name})`);
    process.exit(2);
  }
}
const API = args.api.replace(/\/$/, '');
const OTLP_HTTP = args['otlp-http'].replace(/\/$/, '');
const OTLP_GRPC = args['otlp-grpc'].replace(/\/$/, '');
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

// The query window: from well before the first export (cumulative sums that start inside the
// window count from zero) to a little after the last query.
const FROM = new Date(Date.now() - 5 * 60_000).toISOString();
const to = () => new Date(Date.now() + 5 * 60_000).toISOString();
const POLL_MS = 15_000;

const DELTA = 1;
const CUMULATIVE = 2;
const PROTOCOLS = [
  {
    name: 'http-json',
    temporality: DELTA,
    traces: () => new TraceHttpJson({ url: `${OTLP_HTTP}/v1/traces` }),
    metrics: (preference) => new MetricHttpJson({ url: `${OTLP_HTTP}/v1/metrics`, temporalityPreference: preference }),
    logs: () => new LogHttpJson({ url: `${OTLP_HTTP}/v1/logs` }),
  },
  {
    name: 'http-proto',
    temporality: CUMULATIVE,
    traces: () => new TraceHttpProto({ url: `${OTLP_HTTP}/v1/traces` }),
    metrics: (preference) => new MetricHttpProto({ url: `${OTLP_HTTP}/v1/metrics`, temporalityPreference: preference }),
    logs: () => new LogHttpProto({ url: `${OTLP_HTTP}/v1/logs` }),
  },
  {
    name: 'grpc',
    temporality: DELTA,
    traces: () => new TraceGrpc({ url: OTLP_GRPC }),
    metrics: (preference) => new MetricGrpc({ url: OTLP_GRPC, temporalityPreference: preference }),
    logs: () => new LogGrpc({ url: OTLP_GRPC }),
  },
];

// ---- reporting -------------------------------------------------------------------------------

let passed = 0;
let failed = 0;
function check(label, actual, expected) {
  if (isDeepStrictEqual(actual, expected)) {
    passed += 1;
    console.log(`ok   ${label}`);
  } else {
    failed += 1;
    console.log(`FAIL ${label}\n       expected: ${show(expected)}\n       actual:   ${show(actual)}`);
  }
}
const show = (value) => (value === undefined ? 'undefined' : JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));

// ---- REST ------------------------------------------------------------------------------------

async function get(path) {
  const response = await fetch(`${API}${path}`);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

// Exporters batch and the server answers 200 only after the write, so data is normally there at
// once; poll for a while anyway until `ready(response)` holds, then return the last response.
async function poll(path, ready) {
  const deadline = Date.now() + POLL_MS;
  for (;;) {
    const response = await get(path);
    if (ready(response) || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// 200, or the status with the body so that a failure line shows the server's error.
const okStatus = (response) => (response.status === 200 ? 200 : { status: response.status, body: response.body });
const query = (params) => new URLSearchParams(params).toString();

// RFC 3339 with up to 9 fraction digits -> BigInt nanoseconds since the epoch.
function nanos(text) {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(String(text));
  if (!match) return `unparsable time ${show(text)}`;
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`)) / 1000n;
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}
const msToNanos = (ms) => BigInt(ms) * 1_000_000n;

// ---- exporter wrapper: remembers what the SDK handed over and how each export ended ----------

function watched(exporter, record) {
  return new Proxy(exporter, {
    get(target, property) {
      if (property === 'export') {
        return (items, done) => {
          record.batches.push(items);
          target.export(items, (result) => {
            record.results.push(result);
            done(result);
          });
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
const newRecord = () => ({ batches: [], results: [] });

// ---- what each protocol sends ----------------------------------------------------------------

const COUNTER = 'sdk_e2e.requests';
const HISTOGRAM = 'sdk_e2e.latency';
const GAUGE = 'sdk_e2e.queue_depth';
const COUNTER_ADDS = [['input', 2], ['output', 4], ['input', 3], ['output', 8]];
const COUNTER_TOTALS = { input: 5, output: 12 };
const HISTOGRAM_VALUES = [3, 7, 12.5, 100];
const GAUGE_VALUE = 42.5;

async function exportAll(protocol) {
  const service = `sdk-e2e-${protocol.name}`;
  const resource = resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'sdk_e2e.protocol': protocol.name });
  const sent = { traces: newRecord(), metrics: newRecord(), logs: newRecord() };

  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(watched(protocol.traces(), sent.traces))] });
  const metricExporter = watched(
    protocol.metrics(protocol.temporality === DELTA ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE),
    sent.metrics,
  );
  const meterProvider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 600_000 })] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: watched(protocol.logs(), sent.logs) })] });

  // (a) A trace of two spans with fixed whole-millisecond times, so durations are exact.
  const t0 = Date.now() - 1_000;
  const tracer = tracerProvider.getTracer('sdk-e2e-tracer', '0.1.0');
  const root = tracer.startSpan('sdk-e2e root', {
    kind: SpanKind.SERVER,
    startTime: new Date(t0),
    attributes: {
      'str.attr': 'hello "world"',
      'int.attr': 42,
      'neg.int.attr': -7,
      'big.int.attr': 9007199254740991,
      'double.attr': 3.25,
      'bool.attr': true,
      'array.str.attr': ['a', 'b'],
    },
  });
  root.setStatus({ code: SpanStatusCode.OK });
  const rootContext = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'sdk-e2e child',
    { kind: SpanKind.CLIENT, startTime: new Date(t0 + 50), attributes: { 'bool.false.attr': false, 'array.int.attr': [1, 2, 3], 'array.double.attr': [1.5, 2.25] } },
    rootContext,
  );
  child.addEvent('retrying', { attempt: 2, reason: 'timeout' }, new Date(t0 + 120));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end(new Date(t0 + 200));
  root.end(new Date(t0 + 250));

  // (b) Metrics: a counter split by `type`, a histogram, an observable gauge.
  const meter = meterProvider.getMeter('sdk-e2e-meter', '0.1.0');
  const counter = meter.createCounter(COUNTER, { description: 'requests made by the e2e test', unit: '{request}' });
  for (const [type, amount] of COUNTER_ADDS) counter.add(amount, { type });
  const histogram = meter.createHistogram(HISTOGRAM, { description: 'latency of the e2e test', unit: 'ms' });
  for (const value of HISTOGRAM_VALUES) histogram.record(value, { route: '/e2e' });
  const gauge = meter.createObservableGauge(GAUGE, { description: 'queue depth of the e2e test', unit: '{item}' });
  gauge.addCallback((result) => result.observe(GAUGE_VALUE, { queue: 'main' }));

  // (c) Logs: one INFO record inside the child span (so it carries its ids), one ERROR record with
  // no severity text and the event name in the record's own field instead of an attribute.
  const logger = loggerProvider.getLogger('sdk-e2e-logger', '0.1.0');
  const sessionId = `sdk-e2e-session-${protocol.name}-${process.pid}`;
  logger.emit({
    timestamp: new Date(t0 + 100),
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: `tool call finished via ${protocol.name}`,
    attributes: { 'event.name': 'sdk_e2e.tool_result', 'session.id': sessionId, 'sdk_e2e.attempt': 3, 'sdk_e2e.ok': true, 'sdk_e2e.tags': ['x', 'y'] },
    context: trace.setSpan(rootContext, child),
  });
  logger.emit({
    timestamp: new Date(t0 + 300),
    severityNumber: SeverityNumber.ERROR,
    eventName: 'sdk_e2e.api_error',
    body: `api error via ${protocol.name}`,
    attributes: { 'session.id': sessionId, 'http.status_code': 529 },
  });

  await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush(), loggerProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);

  return {
    service,
    sessionId,
    t0,
    sent,
    traceId: root.spanContext().traceId,
    rootSpanId: root.spanContext().spanId,
    childSpanId: child.spanContext().spanId,
  };
}

// ---- what must come back ---------------------------------------------------------------------

async function verify(protocol, run) {
  const tag = `[${protocol.name}]`;
  const { service, t0, traceId, rootSpanId, childSpanId } = run;

  for (const signal of ['traces', 'metrics', 'logs']) {
    const results = run.sent[signal].results;
    check(`${tag} SDK ${signal} exporter: every export succeeded`, {
      exports: results.length > 0,
      failures: results.filter((result) => result.code !== 0).map((result) => String(result.error ?? result.code)),
    }, { exports: true, failures: [] });
  }

  // Trace list.
  let path = `/api/traces?${query({ service, from: FROM, to: to() })}`;
  let response = await poll(path, (r) => r.status === 200 && r.body.traces?.some((t) => t.traceId === traceId && t.spanCount === 2));
  check(`${tag} GET ${path} -> 200`, okStatus(response), 200);
  const overview = response.body?.traces?.find((t) => t.traceId === traceId);
  check(`${tag} trace list: total`, response.body?.total, 1);
  check(`${tag} trace list: the trace is listed`, overview !== undefined, true);
  if (overview) {
    const { id, kind, rootSpanId: rootId, rootSpan, serviceName, spanCount, status, duration } = overview;
    check(`${tag} trace list: overview fields`, { id, kind, rootSpanId: rootId, rootSpan, serviceName, spanCount, status, duration }, {
      id: traceId,
      kind: 'otel_trace',
      rootSpanId,
      rootSpan: 'sdk-e2e root',
      serviceName: service,
      spanCount: 2,
      status: 'ERROR',
      duration: 250_000_000,
    });
    check(`${tag} trace list: startTime`, nanos(overview.startTime), msToNanos(t0));
  }

  // Trace detail.
  path = `/api/traces/${traceId}?kind=otel_trace`;
  response = await poll(path, (r) => r.status === 200 && r.body.spans?.length === 2);
  check(`${tag} GET ${path} -> 200`, okStatus(response), 200);
  const spans = response.body?.spans ?? [];
  check(`${tag} trace detail: span ids in time order`, spans.map((s) => s.spanId), [rootSpanId, childSpanId]);
  const expectedSpans = {
    [rootSpanId]: {
      timestamp: msToNanos(t0),
      fields: { traceId, spanId: rootSpanId, parentSpanId: undefined, spanName: 'sdk-e2e root', spanKind: 'SERVER', serviceName: service,
        scopeName: 'sdk-e2e-tracer', scopeVersion: '0.1.0', duration: 250_000_000, statusCode: 'OK', statusMessage: undefined },
      attributes: {
        'str.attr': 'hello "world"',
        'int.attr': '42',
        'neg.int.attr': '-7',
        'big.int.attr': '9007199254740991',
        'double.attr': '3.25',
        'bool.attr': 'true',
        'array.str.attr': '["a","b"]',
      },
      events: undefined,
    },
    [childSpanId]: {
      timestamp: msToNanos(t0 + 50),
      fields: { traceId, spanId: childSpanId, parentSpanId: rootSpanId, spanName: 'sdk-e2e child', spanKind: 'CLIENT', serviceName: service,
        scopeName: 'sdk-e2e-tracer', scopeVersion: '0.1.0', duration: 150_000_000, statusCode: 'ERROR', statusMessage: 'boom' },
      attributes: { 'bool.false.attr': 'false', 'array.int.attr': '[1,2,3]', 'array.double.attr': '[1.5,2.25]' },
      events: [{ timestamp: msToNanos(t0 + 120), name: 'retrying', attributes: { attempt: '2', reason: 'timeout' } }],
    },
  };
  for (const span of spans) {
    const expected = expectedSpans[span.spanId];
    if (!expected) continue;
    const which = span.spanId === rootSpanId ? 'root' : 'child';
    const fields = Object.fromEntries(Object.keys(expected.fields).map((key) => [key, span[key]]));
    check(`${tag} trace detail: ${which} span fields`, fields, expected.fields);
    check(`${tag} trace detail: ${which} span timestamp`, nanos(span.timestamp), expected.timestamp);
    check(`${tag} trace detail: ${which} spanAttributes`, span.spanAttributes, expected.attributes);
    check(`${tag} trace detail: ${which} resourceAttributes`, pick(span.resourceAttributes, RESOURCE_KEYS), resourceOf(protocol, service));
    const events = span.events?.map((e) => ({ timestamp: nanos(e.timestamp), name: e.name, attributes: e.attributes }));
    check(`${tag} trace detail: ${which} events`, events, expected.events);
  }

  await verifyMetrics(protocol, run, tag);
  await verifyLogs(protocol, run, tag);
}

const RESOURCE_KEYS = ['service.name', 'service.version', 'sdk_e2e.protocol'];
const resourceOf = (protocol, service) => ({ 'service.name': service, 'service.version': '1.2.3', 'sdk_e2e.protocol': protocol.name });
const pick = (object, keys) => (object ? Object.fromEntries(keys.map((key) => [key, object[key]])) : object);

// Data points the SDK exported for one metric, as {attributes, value-ish} in export order.
function sentPoints(run, metricName) {
  const points = [];
  for (const batch of run.sent.metrics.batches) {
    for (const scope of batch.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name === metricName) points.push(...metric.dataPoints);
      }
    }
  }
  return points;
}

async function verifyMetrics(protocol, run, tag) {
  const { service } = run;
  const temporality = protocol.temporality;
  const metricRows = async (name) => {
    const exported = sentPoints(run, name).length;
    check(`${tag} SDK exported data points for ${name}`, exported > 0, true);
    const path = `/api/metrics?${query({ service, name, from: FROM, to: to(), limit: '1000' })}`;
    const response = await poll(path, (r) => r.status === 200 && r.body.total >= exported);
    check(`${tag} GET ${path} -> 200`, okStatus(response), 200);
    check(`${tag} metrics ${name}: one row per exported data point (${exported})`, response.body?.total, exported);
    return response.body?.metrics ?? [];
  };
  // The fields every row of one metric must have, compared row by row in one check.
  const everyRow = (label, rows, shape, expected) => check(label, rows.map(shape), rows.map(() => expected));
  const common = (row) => ({ serviceName: row.serviceName, metricName: row.metricName, metricType: row.metricType, metricDescription: row.metricDescription,
    metricUnit: row.metricUnit, scopeName: row.scopeName, scopeVersion: row.scopeVersion, resourceAttributes: pick(row.resourceAttributes, RESOURCE_KEYS) });
  const scope = { scopeName: 'sdk-e2e-meter', scopeVersion: '0.1.0', resourceAttributes: resourceOf(protocol, service) };
  // A delta stream sends each increment once; a cumulative one repeats the running total.
  const combine = (values) => (temporality === DELTA ? values.reduce((a, b) => a + b, 0) : [...new Set(values)]);
  const expectCombined = (total) => (temporality === DELTA ? total : [total]);
  const how = temporality === DELTA ? 'sum of the delta rows' : 'every cumulative row';

  // Counter.
  let rows = await metricRows(COUNTER);
  everyRow(`${tag} metrics ${COUNTER}: every row is a monotonic sum, temporality ${temporality}`, rows,
    (row) => ({ ...common(row), aggregationTemporality: row.aggregationTemporality, isMonotonic: row.isMonotonic }),
    { serviceName: service, metricName: COUNTER, metricType: 'sum', metricDescription: 'requests made by the e2e test', metricUnit: '{request}',
      ...scope, aggregationTemporality: temporality, isMonotonic: true });
  check(`${tag} metrics ${COUNTER}: row attributes are {type} with a known value`,
    rows.filter((row) => !isDeepStrictEqual(Object.keys(row.attributes ?? {}), ['type']) || !(row.attributes.type in COUNTER_TOTALS)).length, 0);
  for (const type of Object.keys(COUNTER_TOTALS)) {
    const typed = rows.filter((row) => row.attributes?.type === type);
    check(`${tag} metrics ${COUNTER}{type=${type}}: value (${how})`, combine(typed.map((row) => row.value)), expectCombined(COUNTER_TOTALS[type]));
  }

  // Histogram.
  rows = await metricRows(HISTOGRAM);
  everyRow(`${tag} metrics ${HISTOGRAM}: every row is a histogram, temporality ${temporality}`, rows,
    (row) => ({ ...common(row), aggregationTemporality: row.aggregationTemporality, attributes: row.attributes }),
    { serviceName: service, metricName: HISTOGRAM, metricType: 'histogram', metricDescription: 'latency of the e2e test', metricUnit: 'ms',
      ...scope, aggregationTemporality: temporality, attributes: { route: '/e2e' } });
  check(`${tag} metrics ${HISTOGRAM}: count (${how})`, combine(rows.map((row) => row.count)), expectCombined(HISTOGRAM_VALUES.length));
  check(`${tag} metrics ${HISTOGRAM}: sum (${how})`, combine(rows.map((row) => row.sum)), expectCombined(HISTOGRAM_VALUES.reduce((a, b) => a + b, 0)));
  check(`${tag} metrics ${HISTOGRAM}: min and max`, rows.length ? [Math.min(...rows.map((row) => row.min)), Math.max(...rows.map((row) => row.max))] : [],
    [Math.min(...HISTOGRAM_VALUES), Math.max(...HISTOGRAM_VALUES)]);

  // Gauge (OTLP gauges carry no temporality).
  rows = await metricRows(GAUGE);
  everyRow(`${tag} metrics ${GAUGE}: every row is a gauge of ${GAUGE_VALUE} without temporality`, rows,
    (row) => ({ ...common(row), attributes: row.attributes, value: row.value, hasTemporality: [1, 2].includes(row.aggregationTemporality) }),
    { serviceName: service, metricName: GAUGE, metricType: 'gauge', metricDescription: 'queue depth of the e2e test', metricUnit: '{item}',
      ...scope, attributes: { queue: 'main' }, value: GAUGE_VALUE, hasTemporality: false });

  // Aggregated series: one point [0, total] per label set.
  const series = async (name, expected) => {
    const path = `/api/metrics/series?${query({ name, service, from: FROM, to: to(), aggregate: 'true' })}`;
    const response = await poll(path, (r) => r.status === 200 && r.body.series?.length === expected.length);
    check(`${tag} GET ${path} -> 200`, okStatus(response), 200);
    const actual = (response.body?.series ?? []).slice().sort((a, b) => String(a.labels?.type).localeCompare(String(b.labels?.type)));
    check(`${tag} series ${name} aggregate`, actual, expected);
  };
  await series(COUNTER, Object.entries(COUNTER_TOTALS).map(([type, total]) => ({ name: COUNTER, labels: { service, type }, datapoints: [[0, total]] })));
  await series(HISTOGRAM, [{ name: HISTOGRAM, labels: { service, type: 'default' }, datapoints: [[0, HISTOGRAM_VALUES.reduce((a, b) => a + b, 0)]] }]);
  await series(GAUGE, [{ name: GAUGE, labels: { service, type: 'default' }, datapoints: [[0, GAUGE_VALUE]] }]);
}

async function verifyLogs(protocol, run, tag) {
  const { service, sessionId, t0, traceId, childSpanId } = run;
  const path = `/api/logs?${query({ service, from: FROM, to: to(), limit: '100' })}`;
  const response = await poll(path, (r) => r.status === 200 && r.body.total >= 2);
  check(`${tag} GET ${path} -> 200`, okStatus(response), 200);
  check(`${tag} logs: total`, response.body?.total, 2);
  const logs = response.body?.logs ?? [];
  const byBody = (body) => logs.find((log) => log.body === body);

  const info = byBody(`tool call finished via ${protocol.name}`);
  check(`${tag} logs: INFO record found by body`, info !== undefined, true);
  if (info) {
    const { serviceName, severityText, severityNumber, traceId: tid, spanId, traceFlags, scopeName, scopeVersion } = info;
    check(`${tag} logs: INFO record fields`, { serviceName, severityText, severityNumber, traceId: tid, spanId, traceFlags, scopeName, scopeVersion }, {
      serviceName: service, severityText: 'INFO', severityNumber: 9, traceId, spanId: childSpanId, traceFlags: 1, scopeName: 'sdk-e2e-logger', scopeVersion: '0.1.0',
    });
    check(`${tag} logs: INFO record timestamp`, nanos(info.timestamp), msToNanos(t0 + 100));
    check(`${tag} logs: INFO record logAttributes`, info.logAttributes, {
      'event.name': 'sdk_e2e.tool_result', 'session.id': sessionId, 'sdk_e2e.attempt': '3', 'sdk_e2e.ok': 'true', 'sdk_e2e.tags': '["x","y"]',
    });
    check(`${tag} logs: INFO record resourceAttributes`, pick(info.resourceAttributes, RESOURCE_KEYS), resourceOf(protocol, service));
  }

  const error = byBody(`api error via ${protocol.name}`);
  check(`${tag} logs: ERROR record found by body`, error !== undefined, true);
  if (error) {
    const { serviceName, severityText, severityNumber, traceId: tid, spanId } = error;
    check(`${tag} logs: ERROR record fields (severityText derived from severityNumber 17)`, { serviceName, severityText, severityNumber, traceId: tid, spanId }, {
      serviceName: service, severityText: 'ERROR', severityNumber: 17, traceId: undefined, spanId: undefined,
    });
    check(`${tag} logs: ERROR record timestamp`, nanos(error.timestamp), msToNanos(t0 + 300));
    check(`${tag} logs: ERROR record logAttributes (event.name from the record's eventName)`, error.logAttributes, {
      'session.id': sessionId, 'http.status_code': '529', 'event.name': 'sdk_e2e.api_error',
    });
  }
}

// ---- main ------------------------------------------------------------------------------------

try {
  const health = await get('/health');
  check('GET /health -> 200', okStatus(health), 200);
  const runs = [];
  for (const protocol of PROTOCOLS) {
    console.log(`-- exporting over ${protocol.name} (${protocol.temporality === DELTA ? 'delta' : 'cumulative'} temporality)`);
    const run = await exportAll(protocol);
    runs.push(run);
    await verify(protocol, run);
  }
  const services = await get('/api/services');
  check('GET /api/services -> 200', okStatus(services), 200);
  check('services: lists the three SDK services', runs.map((run) => services.body?.services?.includes(run.service)), runs.map(() => true));
} catch (error) {
  failed += 1;
  console.log(`FAIL unexpected error: ${error?.stack ?? error}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

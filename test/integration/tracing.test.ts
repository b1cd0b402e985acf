/**
 * Tracing as an on-call engineer reads it: a refund made through GraphQL is one trace — the HTTP
 * server span of POST /graphql, the GraphQL spans, the SQL, the refund's PSP call span (its id,
 * merchantTransactionId and order), and the fetch to the PSP, which carries the trace on to it —
 * and the request's log lines carry that trace's id.
 *
 * Tracing starts here with an in-memory exporter before the service's modules are loaded (the
 * instrumentations patch http, express, graphql, mysql2 and pino as they are required), so those
 * are imported dynamically, after startTracing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/tracing';

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ OTEL_SERVICE_NAME: 'moneygraph-under-test' }, { spanProcessors: [new SimpleSpanProcessor(exporter)] });

type Support = typeof import('../support/test-app') & typeof import('../support/drive') & typeof import('../support/refunds');
let s: Support;
let t: import('../support/test-app').TestApp;
const lines: Record<string, unknown>[] = [];

before(async () => {
  s = { ...(await import('../support/test-app')), ...(await import('../support/drive')), ...(await import('../support/refunds')) };
  const { createLogger } = await import('../../src/logger');
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  t = await s.createTestApp({ logger, env: { AUTO_REFUND_INPUT_INVOICES: 'false' } });
});
after(async () => {
  await t?.close();
  await s?.stopTestServer();
  await tracing.shutdown();
});

const scope = (sp: ReadableSpan) => sp.instrumentationScope.name;
const parentId = (sp: ReadableSpan) => sp.parentSpanContext?.spanId;
const attr = (sp: ReadableSpan, ...names: string[]) => names.map((n) => sp.attributes[n]).find((v) => v !== undefined);

/** The spans exported so far, once the one `until` looks for has ended (the server span ends as the answer is written). */
async function spansUntil(until: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i++) {
    const spans = exporter.getFinishedSpans();
    if (until(spans)) return spans;
    await new Promise((r) => setTimeout(r, 20));
  }
  return exporter.getFinishedSpans();
}

test('a refund through GraphQL is one trace: HTTP server, GraphQL, SQL, the refund span and the fetch to the PSP; its log lines carry the trace id', async () => {
  const o = await s.paidOrder(t.sims, { total: '10000' });
  const inv = await s.returnInvoice(t.sims, o.orderId, '3000');
  exporter.reset();
  lines.length = 0;
  const r = await s.refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const refund = r.data.refundInvoice.refund;
  assert.equal(refund.status, 'SUCCEEDED');

  const isGraphqlServerSpan = (sp: ReadableSpan) =>
    sp.kind === SpanKind.SERVER && scope(sp) === '@opentelemetry/instrumentation-http' && attr(sp, 'http.route', 'http.target', 'url.path') === '/graphql';
  const spans = await spansUntil((all) => all.some(isGraphqlServerSpan));

  // The refund span: its id, merchantTransactionId, order, and the PSP's answer.
  const refundSpans = spans.filter((sp) => sp.name === 'refund.psp-call');
  assert.equal(refundSpans.length, 1, 'one PSP call, one refund span');
  const rs = refundSpans[0]!;
  assert.equal(scope(rs), 'moneygraph');
  assert.equal(rs.attributes['moneygraph.refund.id'], refund.id);
  assert.equal(rs.attributes['moneygraph.refund.merchant_transaction_id'], refund.merchantTransactionId);
  assert.equal(rs.attributes['moneygraph.order.id'], o.orderId);
  assert.equal(rs.attributes['moneygraph.refund.attempt'], 1);
  assert.equal(rs.attributes['moneygraph.refund.source'], 'PSP_ANSWER');
  assert.equal(rs.attributes['moneygraph.refund.psp_outcome'], 'succeeded');
  assert.equal(rs.attributes['moneygraph.refund.psp_status'], 'SUCCEEDED');
  assert.notEqual(rs.status.code, SpanStatusCode.ERROR);

  const traceId = rs.spanContext().traceId;
  const trace = spans.filter((sp) => sp.spanContext().traceId === traceId);
  const ids = new Set(trace.map((sp) => sp.spanContext().spanId));
  const byId = new Map(trace.map((sp) => [sp.spanContext().spanId, sp]));
  const ancestors = (sp: ReadableSpan): ReadableSpan[] => {
    const p = parentId(sp) && byId.get(parentId(sp)!);
    return p ? [p, ...ancestors(p)] : [];
  };

  // The HTTP server span of POST /graphql, named by its route (express), with the request's id.
  const server = trace.find(isGraphqlServerSpan);
  assert.ok(server, `an HTTP server span for POST /graphql in the trace: ${trace.map((sp) => `${scope(sp)} ${sp.name}`).join(', ')}`);
  assert.equal(attr(server, 'http.method', 'http.request.method'), 'POST');
  assert.equal(attr(server, 'http.status_code', 'http.response.status_code'), 200);
  assert.equal(server.name, 'POST /graphql');
  assert.deepEqual(server.attributes['http.response.header.x-request-id'], [lines.find((l) => l.msg === 'request' && l.path === '/graphql')?.requestId]);
  assert.ok(ancestors(rs).includes(server), 'the refund span is inside the request');

  // GraphQL: parse, validate and the execution of the mutation, inside the request.
  const gql = trace.filter((sp) => scope(sp) === '@opentelemetry/instrumentation-graphql');
  assert.ok(
    gql.some((sp) => sp.name === 'graphql.parse'),
    'a graphql.parse span',
  );
  assert.ok(
    gql.some((sp) => sp.name === 'graphql.validate'),
    'a graphql.validate span',
  );
  const execute = gql.find((sp) => sp.attributes['graphql.operation.type'] === 'mutation');
  assert.ok(execute, `a graphql execution span of the mutation: ${gql.map((sp) => sp.name).join(', ')}`);
  assert.ok(ancestors(execute).includes(server));
  assert.ok(ancestors(rs).includes(execute), 'the refund span is inside the mutation');

  // SQL: the refund's statements, their text without values.
  const sql = trace.filter((sp) => scope(sp) === '@opentelemetry/instrumentation-mysql2');
  assert.ok(sql.length > 0, 'mysql2 spans in the trace');
  const statements = sql.map((sp) => String(attr(sp, 'db.statement', 'db.query.text') ?? ''));
  assert.ok(
    statements.some((q) => /refund/i.test(q)),
    `a statement on the refund table: ${statements.slice(0, 5).join(' | ')}`,
  );
  for (const q of statements) assert.ok(!q.includes(refund.merchantTransactionId) && !q.includes(o.orderId), `no value in a statement: ${q}`);
  assert.ok(
    sql.every((sp) => ancestors(sp).includes(server)),
    'every statement is inside the request',
  );

  // The fetch to the PSP simulator: a client span inside the refund span; the PSP's server span continues the trace.
  const fetches = trace.filter((sp) => scope(sp) === '@opentelemetry/instrumentation-undici' && sp.kind === SpanKind.CLIENT);
  const toPsp = fetches.filter((sp) => String(attr(sp, 'url.full', 'http.url')).startsWith(`${t.sims.urls.psp}/`));
  assert.ok(toPsp.length >= 1, `a fetch span to the PSP: ${fetches.map((sp) => attr(sp, 'url.full')).join(', ')}`);
  const pspCall = toPsp.find((sp) => parentId(sp) === rs.spanContext().spanId);
  assert.ok(pspCall, 'the PSP request is a child of the refund span');
  assert.equal(attr(pspCall, 'http.request.method'), 'POST');
  const pspServer = trace.find((sp) => sp.kind === SpanKind.SERVER && parentId(sp) === pspCall.spanContext().spanId);
  assert.ok(pspServer, 'the PSP received the trace context (traceparent) and its server span joins the trace');

  // One trace: every span's parent is in it, up to one root.
  assert.equal(trace.filter((sp) => !parentId(sp) || !ids.has(parentId(sp)!)).length, 1, 'a single root');

  // The resource names the service.
  assert.equal(rs.resource.attributes['service.name'], 'moneygraph-under-test');

  // Log lines written during the request carry the trace id (and the span they were written in).
  const requestLine = lines.find((l) => l.msg === 'request' && l.path === '/graphql');
  assert.ok(requestLine, 'the request log line');
  assert.equal(requestLine.trace_id, traceId);
  assert.equal(requestLine.operation, 'mutation refundInvoice');
  assert.match(String(requestLine.span_id), /^[0-9a-f]{16}$/);
});

test('a refund whose PSP call fails: the refund span says unknown, with an error status', async () => {
  const o = await s.paidOrder(t.sims, { total: '10000' });
  const inv = await s.returnInvoice(t.sims, o.orderId, '1000');
  await s.pspFaults(t, { failNext: 10, failStatus: 503, faultsOnly: 'POST /refunds' });
  exporter.reset();
  const r = await s.refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  await s.pspFaults(t, { failNext: 0, faultsOnly: null });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const refund = r.data.refundInvoice.refund;
  assert.equal(refund.status, 'SUBMITTED');
  const spans = await spansUntil((all) => all.some((sp) => sp.name === 'refund.psp-call'));
  const rs = spans.find((sp) => sp.name === 'refund.psp-call');
  assert.ok(rs);
  assert.equal(rs.attributes['moneygraph.refund.id'], refund.id);
  assert.equal(rs.attributes['moneygraph.refund.psp_outcome'], 'unknown');
  assert.equal(rs.status.code, SpanStatusCode.ERROR);
  assert.match(String(rs.status.message), /HTTP 503/);
});

test('a worker round outside any request: its calls to the upstream systems are traced, its polling queries are not', async () => {
  const o = await s.paidOrder(t.sims, { total: '10000' });
  const inv = await s.returnInvoice(t.sims, o.orderId, '2000');
  const r = await s.refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
  const { drainOutbox } = await import('../../src/outbox');
  exporter.reset();
  await drainOutbox(t.app.services);
  const spans = exporter.getFinishedSpans();
  const roots = spans.filter((sp) => !parentId(sp));
  assert.deepEqual(
    roots.filter((sp) => scope(sp) === '@opentelemetry/instrumentation-mysql2').map((sp) => sp.name),
    [],
    'no query is a trace of its own',
  );
  const toErp = roots.filter((sp) => scope(sp) === '@opentelemetry/instrumentation-undici' && String(attr(sp, 'url.full')).startsWith(`${t.sims.urls.erp}/`));
  assert.ok(toErp.length >= 1, `the outbox's delivery to the ERP is a trace: ${roots.map((sp) => `${scope(sp)} ${sp.name} ${attr(sp, 'url.full') ?? ''}`).join(', ')}`);
});
